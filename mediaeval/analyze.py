"""Article -> ArticleAnalysis: parse, run the mediaeval layers on the Doc, build the record.

The layers are spaCy components (``components.py``), run in order after the
model's pipeline: structure and origin, quotes, attribution, loaded terms (their
voice needs attribution), tone, agency (needs terms for actor groups). Each
layer is computed once, on the Doc; the ``ArticleAnalysis`` record is then read
off the Doc (``extract.layers.analysis_from_doc``). Articles stream through
``nlp.pipe`` in batches, so memory does not grow with the corpus; ``jobs > 1``
fans batches out to worker processes, each loading the model once.

An article whose analysis fails is not fatal: ``analyze_batch`` and
``analyze_stream`` give a ``Skipped`` with the reason and go on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Iterable, Optional, Union

from . import nlp
from .ingest.readers import Skipped
from .model import Article, ArticleAnalysis

BATCH_SIZE = 16


@dataclass(frozen=True)
class AnalysisOptions:
    """What an analysis run uses: model, user lexicons, optional agency lexicon, parse profile.

    ``fast``: parse without the pipeline's NER (``nlp.FAST_EXCLUDE``; README "Speed and the parse
    profile" says what changes). The default parses with the whole pipeline."""

    model: Optional[str] = None
    lexicon_paths: tuple[str, ...] = ()
    agency_lexicon_path: Optional[str] = None
    agencies_path: Optional[str] = None  # a user's news-agency table instead of the bundled agencies.csv
    batch_size: int = BATCH_SIZE
    jobs: int = 1
    fast: bool = False


@lru_cache(maxsize=8)
def _layers(options: AnalysisOptions):
    """The mediaeval layers, configured with the options' lexicons (once per process and option set)."""
    from .components import MediaevalComponent

    return MediaevalComponent().configure(lexicons=tuple(options.lexicon_paths), agencies=options.agencies_path,
                                          agency_lexicon=options.agency_lexicon_path)


def prepare(options: AnalysisOptions = AnalysisOptions()) -> None:
    """Load the model and lexicons now (so errors in them surface before a long run)."""
    nlp.load(options.model, options.fast)
    _layers(options)


def analyze_parsed(doc, article: Article, options: AnalysisOptions = AnalysisOptions()) -> ArticleAnalysis:
    """Run every mediaeval layer on one parsed article and read its record off the Doc."""
    from .extract.layers import analysis_from_doc, article_dict, put
    from .measures import apply as add_registry_measures

    put(doc, "article", article_dict(article))
    return add_registry_measures(analysis_from_doc(_layers(options)(doc), article))


def analyze_article(article: Article, options: AnalysisOptions = AnalysisOptions()) -> ArticleAnalysis:
    """Parse and analyze one article (for notebooks, tests and small jobs). Lone UTF-16 surrogates
    are replaced with U+FFFD first (one for one, so offsets stay valid), as the readers do."""
    from dataclasses import replace

    from .ingest.decode import safe_text

    text, replaced = safe_text(article.text)
    if replaced:
        article = replace(article, text=text)
    profile = {"fast": True} if options.fast else {}  # the default call keeps parse's plain signature
    return analyze_parsed(nlp.parse(article.text, options.model, **profile), article, options)


_ARTICLE_FIELDS = frozenset(f.name for f in fields(Article)) - {"text", "article_id", "extra"}


def analyze_text(text: str, *, article_id: str = "text", model: Optional[str] = None, lexicons: Iterable[str] = (),
                 agency_lexicon: Optional[str] = None, agencies: Optional[str] = None,
                 **metadata) -> ArticleAnalysis:
    """Analyse a string: ``analyze_text(text, outlet="AP", event="hama")``.

    Options are keyword-only: ``model`` (a spaCy pipeline name or path),
    ``lexicons`` (user term-lexicon files), ``agency_lexicon`` (a verb,agency,power
    file), ``agencies`` (a news-agency table). Any other keyword is metadata: the
    Article fields (outlet, date, title, url, ...) by name, every other field kept
    in ``Article.extra`` (so ``compare(by="event")`` can group on it).
    """
    from .errors import OptionError

    if not isinstance(text, str):
        raise OptionError(f"analyze_text needs the article as a str, not {type(text).__name__}; "
                          "read files with mediaeval.read_articles")
    if isinstance(lexicons, str):
        lexicons = (lexicons,)
    known = {k: str(v) for k, v in metadata.items() if k in _ARTICLE_FIELDS}
    extra = tuple(sorted((k, "" if v is None else str(v)) for k, v in metadata.items() if k not in _ARTICLE_FIELDS))
    article = Article(article_id=str(article_id), text=text, extra=extra, **known)
    options = AnalysisOptions(model=model, lexicon_paths=tuple(str(p) for p in lexicons),
                              agency_lexicon_path=agency_lexicon, agencies_path=agencies)
    return analyze_article(article, options)


Result = Union[ArticleAnalysis, Skipped]


def analyze_batch(articles: list, options: AnalysisOptions = AnalysisOptions()) -> list:
    """Parse and analyse a list of articles: an ``ArticleAnalysis`` per article, or a
    ``Skipped`` for one whose analysis failed (the others go on)."""
    out: list = []
    profile = {"fast": True} if options.fast else {}  # the default call keeps parse_many's plain signature
    docs = nlp.parse_many((a.text for a in articles), options.model, options.batch_size, **profile)
    for article, doc in zip(articles, docs):
        try:
            out.append(analyze_parsed(doc, article, options))
        except Exception as exc:  # one bad article must not end a corpus run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(Skipped(article.source_path, article.record or article.article_id,
                               f"analysis failed: {type(exc).__name__}: {exc} "
                               f"(at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}; please report it)"))
    return out


# Streaming and worker processes live in engine.py.
from .engine import analyze_stream  # noqa: E402,F401  (re-exported)
