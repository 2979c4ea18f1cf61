"""The layers on a spaCy Doc: extension and span-group names, and the records <-> plain data codec.

Each pipeline component (``mediaeval/components.py``) writes

* plain data (dicts, lists, str, int, float, bool, None: msgpack-safe, so it
  survives ``Doc.to_bytes``, ``DocBin`` and ``nlp.pipe(n_process=...)``) into a
  Doc extension ``doc._.mediaeval_<layer>``, one dict per record, and
* ``doc.spans["mediaeval_<group>"]`` span groups whose ``attrs`` hold, per span
  index, the values a reader needs (voice, speaker, record index). Per-span data
  never goes to ``Span._`` (keyed by offsets alone, a quote and a term with the
  same offsets would share it).

The records (``mediaeval.model``) are rebuilt from the Doc with ``*_from_doc``
and ``analysis_from_doc``; a Doc is the single place each layer is computed.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Optional

from ..model import ActorRole, Article, ArticleAnalysis, Attribution, Clause, Origin, Span, Structure, TermHit

EXT = {
    "article": "mediaeval_article",          # article metadata (set by the caller; optional)
    "structure": "mediaeval_structure",      # Structure as a dict
    "origin": "mediaeval_origin",            # Origin as a dict, or None
    "quotes": "mediaeval_quotes",            # [{start, end, kind, closed, voice, speaker}]
    "attributions": "mediaeval_attributions",
    "terms": "mediaeval_terms",
    "clauses": "mediaeval_clauses",
    "actors": "mediaeval_actors",
    "measures": "mediaeval_measures",        # {measure: value}
    "word_counts": "mediaeval_word_counts",  # [[voice, word, count]]
}
GROUPS = {
    "structure": "mediaeval_structure",      # labels headline, dateline, credit, boilerplate
    "quotes": "mediaeval_quotes",            # labels double, single; attrs voice, speaker, closed
    "sources": "mediaeval_sources",          # attrs record (attribution index), type, resolved
    "cues": "mediaeval_cues",                # attrs record, cue_class
    "contents": "mediaeval_contents",        # one span per content piece; attrs record, kind, voice, speaker
    "terms": "mediaeval_terms",              # label category; attrs record, term, voice, speaker, loaded
    "clauses": "mediaeval_clauses",          # label verb_class; attrs record, verb_voice (active/passive), agent_hidden
}


def register_extensions() -> None:
    """Register the Doc extensions (idempotent; done when the components module is imported)."""
    from spacy.tokens import Doc

    for name in EXT.values():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def get(doc, layer: str, default=None):
    """A layer's plain data from the Doc (``default`` when the layer did not run)."""
    value = doc._.get(EXT[layer]) if doc.has_extension(EXT[layer]) else None
    return default if value is None else value


def put(doc, layer: str, value) -> None:
    doc._.set(EXT[layer], value)


def add_measures(doc, measures: dict) -> None:
    current = dict(get(doc, "measures", {}))
    current.update(measures)
    put(doc, "measures", current)


def span_group(doc, group: str, items: list[tuple[int, int, str]], attrs: dict[str, list]) -> None:
    """Write ``doc.spans[GROUPS[group]]``: one token-aligned span per (start, end, label) item
    (expanded to token bounds; items that fit no token are left out, with their attrs)."""
    from spacy.tokens import SpanGroup

    spans, kept = [], []
    for k, (start, end, label) in enumerate(items):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
            kept.append(k)
    doc.spans[GROUPS[group]] = SpanGroup(doc, name=GROUPS[group], spans=spans,
                                         attrs={key: [values[k] for k in kept] for key, values in attrs.items()})


# ---------------------------------------------------------------- records <-> plain data
def record_dict(record) -> dict:
    """A flat record (scalar fields only) as a plain dict."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _fields(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _span(v) -> Optional[Span]:
    return Span(int(v[0]), int(v[1]), str(v[2]) if len(v) > 2 else "") if v else None


def structure_dict(s: Structure) -> dict:
    def sp(x):
        return [x.start, x.end, x.label] if x is not None else None
    return {"headline": sp(s.headline), "dateline": sp(s.dateline), "dateline_city": s.dateline_city,
            "dateline_agency": s.dateline_agency, "credit": [sp(x) for x in s.credit],
            "boilerplate": [sp(x) for x in s.boilerplate]}


def structure_from_doc(doc) -> Structure:
    d = get(doc, "structure")
    if not d:
        return Structure()
    return Structure(headline=_span(d["headline"]), dateline=_span(d["dateline"]), dateline_city=d["dateline_city"],
                     dateline_agency=d["dateline_agency"], credit=tuple(_span(x) for x in d["credit"]),
                     boilerplate=tuple(_span(x) for x in d["boilerplate"]))


def article_dict(article: Article) -> dict:
    d = asdict(article)
    d.pop("text")
    d["extra"] = [[k, v] for k, v in article.extra]
    return d


def article_from_doc(doc, text: Optional[str] = None) -> Article:
    """The Article the Doc was made from (metadata from ``doc._.mediaeval_article`` when set)."""
    d = dict(get(doc, "article", {}))
    d["extra"] = tuple((str(k), str(v)) for k, v in d.get("extra", ()))
    d.setdefault("article_id", "doc")
    from .common import doc_text

    return Article(text=doc_text(doc) if text is None else text, **_fields(Article, d))


def origin_from_doc(doc) -> Optional[Origin]:
    d = get(doc, "origin")
    return Origin(**_fields(Origin, d)) if d else None


def attributions_from_doc(doc) -> tuple[Attribution, ...]:
    return tuple(Attribution(**_fields(Attribution, d)) for d in get(doc, "attributions", []))


def terms_from_doc(doc) -> tuple[TermHit, ...]:
    return tuple(TermHit(**_fields(TermHit, d)) for d in get(doc, "terms", []))


def clauses_from_doc(doc) -> tuple[Clause, ...]:
    return tuple(Clause(**_fields(Clause, d)) for d in get(doc, "clauses", []))


def actors_from_doc(doc) -> tuple[ActorRole, ...]:
    return tuple(ActorRole(**_fields(ActorRole, d)) for d in get(doc, "actors", []))


def analysis_from_doc(doc, article: Optional[Article] = None) -> ArticleAnalysis:
    """The ``ArticleAnalysis`` record of a Doc that went through the mediaeval components."""
    from .common import sentence_spans

    article = article or article_from_doc(doc)
    return ArticleAnalysis(
        article=article, structure=structure_from_doc(doc), sentences=sentence_spans(doc),
        origin=origin_from_doc(doc), attributions=attributions_from_doc(doc), terms=terms_from_doc(doc),
        clauses=clauses_from_doc(doc), actors=actors_from_doc(doc), measures=dict(get(doc, "measures", {})),
        word_counts=tuple((str(v), str(w), int(n)) for v, w, n in get(doc, "word_counts", [])),
    )
