"""mediaeval: how news articles report.

Loaded terms and in whose voice they appear, source attribution and its
density, who is shown acting and who is acted upon, and which news agency the
copy comes from; compared across outlets. Importing this package is cheap:
spaCy and pandas load on first use.

>>> import mediaeval
>>> result = mediaeval.analyze_text("Rebels entered the city, the army said.", outlet="AP")  # doctest: +SKIP
>>> mediaeval.voice_of(result, 0, 6)  # doctest: +SKIP
('reported', 'the army')

With spaCy: ``nlp.add_pipe("mediaeval")`` adds every layer to a pipeline (see
``mediaeval.components``).
"""

__version__ = "0.1.0"

_LAZY = {
    "analyze": ("analyze_text", "analyze_article", "analyze_batch", "analyze_stream", "AnalysisOptions", "prepare"),
    "ingest.readers": ("read_articles", "ReadOptions", "Skipped"),
    "model": ("Article", "ArticleAnalysis", "Span", "Structure", "Attribution", "TermHit", "Clause", "ActorRole",
              "Origin"),
    "voice": ("VOICES", "VOICE_DESCRIPTIONS"),
    "extract.voice": ("voice_of",),
    "source_types": ("SOURCE_TYPES",),
    "extract.layers": ("analysis_from_doc",),
    "extract.labels": ("label_rows",),
    "frames": ("to_frames",),
    "schema": ("codebook",),
    "parts": ("read_run",),
    "errors": ("MediaevalError", "InputError", "LexiconError", "ModelNotFoundError", "OptionError"),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}

__all__ = ["__version__", "compare", *_WHERE]


def __getattr__(name):  # PEP 562: lazy re-exports keep `import mediaeval` fast
    if name == "compare":  # the package, callable as compare(results_or_frames, *, by=..., event=...)
        from importlib import import_module

        return import_module(f"{__name__}.compare")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mediaeval' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    if module in ("analyze", "model"):
        attach_notebook_view()
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(__all__) | {"__version__"})


def _notebook_html(analysis) -> str:
    """Jupyter: the annotated article page, isolated in an iframe (rendered by the report layer)."""
    from .report.html import render_notebook_view

    return render_notebook_view(analysis)


def attach_notebook_view() -> None:
    """Give ``ArticleAnalysis`` its Jupyter ``_repr_html_``. Done here (and by the report
    package on import), so ``model`` never imports ``report``: imports run one way."""
    from .model import ArticleAnalysis

    if getattr(ArticleAnalysis, "_repr_html_", None) is not _notebook_html:
        ArticleAnalysis._repr_html_ = _notebook_html


def _register_with_ipython() -> None:
    """In a running IPython, register the view by class name (imports nothing now)."""
    import sys

    if "IPython" not in sys.modules:
        return
    try:
        shell = sys.modules["IPython"].get_ipython()
        if shell is not None:
            shell.display_formatter.formatters["text/html"].for_type_by_name(
                "mediaeval.model", "ArticleAnalysis", _notebook_html)
    except Exception:  # a display nicety must never break an import
        pass


_register_with_ipython()
