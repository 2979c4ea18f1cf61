"""mediaeval: how news articles report.

Loaded terms and in whose voice they appear, source attribution and its
density, who is shown acting and who is acted upon, and which news agency the
copy comes from; compared across outlets. Importing this package is cheap:
spaCy and pandas load on first use.

>>> import mediaeval
>>> result = mediaeval.analyze_text("Rebels entered the city, the army said.")  # doctest: +SKIP
"""

__version__ = "0.1.0"

__all__ = ["__version__", "analyze_text", "analyze_article", "analyze_stream", "read_articles",
           "AnalysisOptions", "ReadOptions", "Article", "ArticleAnalysis", "MediaevalError", "read_run"]


def __getattr__(name):  # PEP 562: lazy re-exports keep `import mediaeval` fast
    if name in ("analyze_text", "analyze_article", "analyze_stream", "AnalysisOptions"):
        from . import analyze
        return getattr(analyze, name)
    if name in ("read_articles", "ReadOptions"):
        from .ingest import readers
        return getattr(readers, name)
    if name in ("Article", "ArticleAnalysis", "Span", "Attribution", "TermHit", "Clause", "ActorRole", "Origin"):
        from . import model
        return getattr(model, name)
    if name == "read_run":
        from .parts import read_run
        return read_run
    if name == "MediaevalError":
        from .errors import MediaevalError
        return MediaevalError
    raise AttributeError(f"module 'mediaeval' has no attribute {name!r}")
