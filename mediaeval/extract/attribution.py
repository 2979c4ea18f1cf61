"""Source attribution: who is given a voice, in whose words, and how much.

``extract_attributions`` finds attribution relations in the PARC 3.0 / PolNeAR
sense (Pareti 2016; Newell, Margolin & Ruths 2018): a cue (reporting or attitude
verb, noun or phrase), its source and its content, of kind

* ``direct``: the content is a quotation ("“...,” said a statement ..."),
* ``indirect``: reported speech or attitude ("X said that ...", "X wants to ..."),
* ``mixed``: reported speech with a quoted fragment ("It added that the army
  will “continue to ...”"),
* ``according_to``: "according to X", "per X" ("citing X" is indirect: X is
  its content, as PolNeAR annotates it),
* ``floating``: a quotation without a cue of its own whose speaker carries over
  from the previous attribution.

Cue heads, cue spans and source heads come from small linear models trained on
PolNeAR (attribution_model.py); contents and the rest are rules over the spaCy
dependency parse (attribution_rules.py, attribution_content.py); sources are resolved past pronouns and
typed in sources.py. ``attribution_measures`` gives the density figures.

Limits: the parser's errors become ours (long sentences, headlines); one
content span per record (a content split by the inserted "he said" keeps its
pieces in ``content_segments``); coreference is a nearest-compatible-antecedent
heuristic, not a trained resolver.
"""

from __future__ import annotations

import math
from collections import Counter

from ..model import Article, Attribution, Structure
from . import attribution_content as content
from . import attribution_rules as rules
from .attribution_model import load_models, sent_bounds
from ..source_types import SOURCE_TYPES
from .common import counted_indices, counted_sentence_bounds, doc_quotes, excluded_mask, sentence_of, token_arrays
from .sources import describe_sources, state_affiliated


def extract_attributions(doc, article: Article, structure: Structure, agencies=None) -> tuple[Attribution, ...]:
    """Attribution records in text order (ids a1, a2, ...); see the module docstring.

    ``agencies`` (an ``ingest.agencies.AgencyTable``) lets ``state_affiliated`` see
    state-owned news agencies among the sources."""
    models = load_models()
    lexicon = rules.cue_lexicon()
    in_quote, quote_edge = rules.quote_context(doc)
    quotes = in_quote.quotes
    mask = excluded_mask(doc, structure)
    skip = mask.__getitem__
    found = rules.find_cues(doc, models, lexicon, in_quote, quote_edge, skip)
    heads = frozenset(f.head for f in found)
    for f in found:
        rules.find_source(doc, f, models, lexicon, in_quote)
        content.set_content(doc, f, quotes, models, in_quote, heads)
    found = content.outermost([f for f in found if f.content], doc, quotes)
    floating = content.floating_quotes(doc, found, quotes, skip)
    sentence = sentence_of(doc)
    bounds = sent_bounds(doc)
    described = describe_sources(doc, found, floating, lexicon)
    records = []
    for k, (f, info) in enumerate(sorted(described, key=lambda x: _order(doc, x[0]))):
        seg = f.content
        cue_tok = doc[f.cue[0]:f.cue[1]] if f.cue else None
        src_tok = doc[f.source[0]:f.source[1]] if f.source else None
        start, end = seg[0][0], seg[-1][1]
        records.append(Attribution(
            attribution_id=f"a{k + 1}",
            kind=f.kind,
            source_text=src_tok.text if src_tok is not None else "",
            source_start=src_tok.start_char if src_tok is not None else None,
            source_end=src_tok.end_char if src_tok is not None else None,
            source_resolved=info["resolved"],
            source_type=info["type"],
            state_affiliated=state_affiliated(info["resolved"] or (src_tok.text if src_tok is not None else ""),
                                              agencies),
            anonymous=info["anonymous"],
            cue_text=cue_tok.text if cue_tok is not None else "",
            cue_start=cue_tok.start_char if cue_tok is not None else None,
            cue_end=cue_tok.end_char if cue_tok is not None else None,
            cue_class=info["cue_class"],
            content_text=article.text[start:end],
            content_start=start,
            content_end=end,
            content_segments=";".join(f"{a}-{b}" for a, b in seg) if len(seg) > 1 else "",
            sentence_index=sentence(doc[bounds[f.head][0]].idx),
        ))
    return tuple(records)


def _order(doc, f) -> int:
    return doc[f.head].idx if f.cue else f.content[0][0]


def attribution_measures(doc, article: Article, structure: Structure, attributions) -> dict:
    """Per-article attribution density (articles.csv columns).

    Denominators are the counted words and sentences (credit lines and
    boilerplate excluded). A word or sentence is attributed when it lies inside
    some attribution's content; direct-quote words are those inside the content
    of ``direct`` attributions and inside quotation marks of ``mixed`` ones.
    Source-type entropy is Shannon entropy (bits) over the attributions' source
    types; ``distinct_sources`` counts distinct resolved sources (case-folded).
    """
    keep = counted_indices(doc, structure)
    tokens = token_arrays(doc).idx[keep].tolist()  # the counted words' character offsets
    sentences = counted_sentence_bounds(doc, structure)
    n_words = len(tokens)
    spans = []
    quoted = []
    for a in attributions:
        segs = a.content_pieces
        spans.extend(segs)
        if a.kind in ("direct", "floating"):
            quoted.extend(segs)
    quotes = [q for q in doc_quotes(doc) if q.kind == "double"]
    for a in attributions:
        if a.kind == "mixed":
            quoted.extend((q.start, q.end) for q in quotes if any(s <= q.start and q.end <= e for s, e in a.content_pieces))
    inside = _covered(tokens, spans)
    in_quote = _covered(tokens, quoted)
    attributed_sents = sum(1 for start, end in sentences if any(a < end and start < b for a, b in spans))
    n = len(attributions)
    types = Counter(a.source_type for a in attributions)
    entropy = -sum((c / n) * math.log2(c / n) for c in types.values()) if n else 0.0
    measures = {
        "attributions": n,
        "attributions_per_1k_words": round(1000 * n / n_words, 3) if n_words else 0.0,
        "attributed_sentence_share": round(attributed_sents / len(sentences), 4) if sentences else 0.0,
        "attributed_word_share": round(inside / n_words, 4) if n_words else 0.0,
        "direct_quote_word_share": round(in_quote / n_words, 4) if n_words else 0.0,
        "distinct_sources": len({(a.source_resolved or a.source_text).casefold() for a in attributions
                                 if a.source_resolved or a.source_text}),
        "source_type_entropy": round(entropy, 4),
        "anonymous_share": round(sum(1 for a in attributions if a.anonymous) / n, 4) if n else 0.0,
    }
    measures["state_affiliated_share"] = round(sum(1 for a in attributions if a.state_affiliated) / n, 4) if n else 0.0
    for t in SOURCE_TYPES:
        measures[f"share_source_{t}"] = round(types.get(t, 0) / n, 4) if n else 0.0
    return measures


def _covered(offsets: list[int], spans) -> int:
    """How many of the token offsets lie in some ``[a, b)`` of ``spans``."""
    if not spans:
        return 0
    import numpy

    at = numpy.array(offsets, dtype="int64")
    inside = numpy.zeros(len(at), dtype=bool)
    for a, b in spans:
        inside |= (a <= at) & (at < b)
    return int(inside.sum())
