"""Article -> ArticleAnalysis: runs the extractors and computes per-article measures.

Order matters and flows one way: structure and origin (no parse needed), then
attribution (needs the parse), loaded terms (need attribution for their voice),
agency (needs terms for actor groups) and tone. Articles stream through
``nlp.pipe`` in batches, so memory does not grow with the corpus; ``jobs > 1``
fans batches out to worker processes, each loading the model once.

An article whose analysis fails is not fatal: ``analyze_stream`` yields a
``Skipped`` with the reason and goes on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator, Optional, Union

from . import nlp
from .ingest.readers import Skipped
from .model import Article, ArticleAnalysis

BATCH_SIZE = 16


@dataclass(frozen=True)
class AnalysisOptions:
    """What an analysis run uses: model, user lexicons, optional agency lexicon."""

    model: Optional[str] = None
    lexicon_paths: tuple[str, ...] = ()
    agency_lexicon_path: Optional[str] = None
    agencies_path: Optional[str] = None  # a user's news-agency table instead of the bundled agencies.csv
    batch_size: int = BATCH_SIZE
    jobs: int = 1


@lru_cache(maxsize=8)
def _resources(options: AnalysisOptions):
    """Lexicons loaded once per process (and per option set)."""
    from .extract.terms import load_term_lexicon
    from .ingest.agencies import load_agencies

    term_lexicon = load_term_lexicon(tuple(options.lexicon_paths))
    agency_lexicon = None
    if options.agency_lexicon_path:
        from .extract.agency import load_agency_lexicon
        agency_lexicon = load_agency_lexicon(options.agency_lexicon_path)
    return term_lexicon, agency_lexicon, load_agencies(options.agencies_path)


def prepare(options: AnalysisOptions = AnalysisOptions()) -> None:
    """Load the model and lexicons now (so errors in them surface before a long run)."""
    nlp.load(options.model)
    _resources(options)


def analyze_parsed(doc, article: Article, options: AnalysisOptions = AnalysisOptions()) -> ArticleAnalysis:
    """Run every extractor on one parsed article."""
    from .extract.agency import agency_measures, extract_agency
    from .extract.attribution import attribution_measures, extract_attributions
    from .extract.common import counted_sentences, counted_tokens, sentence_spans
    from .extract.origin import detect_origin
    from .extract.terms import extract_terms, term_measures
    from .extract.tone import tone_measures
    from .ingest.structure import detect_structure

    term_lexicon, agency_lexicon, agencies = _resources(options)
    structure = detect_structure(article.text, article.title, agencies)
    origin = detect_origin(article, structure, agencies)
    attributions = extract_attributions(doc, article, structure)
    terms = extract_terms(doc, article, structure, attributions, term_lexicon)
    clauses, actors = extract_agency(doc, article, structure, terms, agency_lexicon)

    measures: dict = {
        "n_words": len(counted_tokens(doc, structure)),
        "n_sentences": len(counted_sentences(doc, structure)),
    }
    measures.update(attribution_measures(doc, article, structure, attributions))
    measures.update(term_measures(doc, article, structure, terms))
    measures.update(tone_measures(doc, article, structure, attributions))
    measures.update(agency_measures(doc, article, structure, clauses, actors))
    return ArticleAnalysis(
        article=article, structure=structure, sentences=sentence_spans(doc), origin=origin,
        attributions=attributions, terms=terms, clauses=clauses, actors=actors, measures=measures,
    )


def analyze_article(article: Article, options: AnalysisOptions = AnalysisOptions()) -> ArticleAnalysis:
    """Parse and analyse one article (for notebooks, tests and small jobs)."""
    return analyze_parsed(nlp.parse(article.text, options.model), article, options)


def analyze_text(text: str, article_id: str = "text", **metadata) -> ArticleAnalysis:
    """Analyse a string: ``analyze_text("...", outlet="AP")``."""
    return analyze_article(Article(article_id=article_id, text=text, **metadata))


Result = Union[ArticleAnalysis, Skipped]


def analyze_batch(articles: list, options: AnalysisOptions) -> list:
    out: list = []
    docs = nlp.parse_many((a.text for a in articles), options.model, options.batch_size)
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
