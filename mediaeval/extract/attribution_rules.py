"""Attribution rules over the dependency parse: cues, their spans and sources
(contents are in attribution_content.py).

The shape follows PARC 3.0 / PolNeAR (Pareti 2016; Newell et al. 2018): a cue
(a reporting or attitude verb, noun or phrase: "said", "according to",
"believes", "a statement"), its source (the full noun phrase of the speaker,
appositions included) and its content (the complement clause with "that", the
quotation with its marks, or the rest of the sentence for "according to" and for
a "..., he said" inserted after the content).

Cue heads are chosen by a small linear model over lexical and syntactic features
(see attribution_model.py), with the reporting-cue lexicon as a fallback when the
model file is absent. A quotation signed with a dash and a name ("“...” ― Sonya
Herridge") is a cue by rule (``dash_cues``): the name is its source.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..lexicons import bundled_path, one_of, read_table
from .common import doc_quotes
from .quotes import QuoteIndex

CUE_CLASSES = ("neutral", "assertive", "doubt", "admission", "denial", "emotive", "directive", "question",
               "warning", "promise", "stance", "tentative", "attitude", "evidential", "according", "hearsay")
CUE_FILE = "reporting_cues.csv"


@lru_cache(maxsize=4)
def cue_lexicon(path: str | None = None) -> dict[str, dict[str, str]]:
    """The reporting-cue lexicon: {lemma or phrase: row}; verbs win over nouns."""
    rows = read_table(Path(path) if path else bundled_path(CUE_FILE), ["cue", "pos", "class", "mode", "sources"],
                      validators={"class": one_of(*CUE_CLASSES),
                                  "pos": one_of("verb", "noun", "phrase", "adverb"),
                                  "mode": one_of("speech", "attitude", "evidence", "stance")})
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        key = row["cue"].lower()
        if key not in out or row["pos"] == "verb":
            out[key] = row
    return out


def quote_context(doc):
    """(in_quote(i), quote_edge(i)) for the tokens of ``doc``, and the quotes.

    Attribution reads the double quotation marks only (PolNeAR's direct quotes);
    single-quoted scare pairs are left to the voice layer."""
    quotes = [q for q in doc_quotes(doc) if q.kind == "double"]
    index = QuoteIndex(quotes)
    inside = _inside_flags(doc, quotes)
    edge_tokens = set()
    for q in quotes:
        for char in (q.start, q.end - 1):
            edge_tokens.add(_token_at(doc, char))
    near = set()
    for i in edge_tokens:
        if i is not None:
            near.update(range(max(0, i - 3), min(len(doc), i + 4)))

    def in_quote(i: int) -> bool:
        return inside[i]

    def quote_edge(i: int) -> bool:
        return i in near

    in_quote.quotes = quotes  # type: ignore[attr-defined]
    in_quote.index = index  # type: ignore[attr-defined]
    return in_quote, quote_edge


def _inside_flags(doc, quotes) -> list[bool]:
    """Per token: strictly inside a quotation (not its marks)."""
    import numpy

    idx = doc.to_array("IDX").astype("int64") if len(doc) else numpy.zeros(0, dtype="int64")
    flags = numpy.zeros(len(doc), dtype=bool)
    for q in quotes:
        lo, hi = numpy.searchsorted(idx, [q.start + 1, q.end - 1])
        flags[lo:hi] = True
    return flags.tolist()


def _token_at(doc, char: int):
    """Index of the token holding character ``char`` (None in white space between tokens or outside)."""
    from bisect import bisect_right

    from .common import token_arrays

    a = token_arrays(doc)
    starts, ends = a.offsets()
    k = bisect_right(starts, char) - 1
    return k if k >= 0 and char < ends[k] else None


# --- cues ---------------------------------------------------------------------------

CUE_THRESHOLD = 0.5
SPAN_THRESHOLD = 0.6
SOURCE_THRESHOLD = 0.3
WINDOW = 4


class Found:
    """One attribution under construction (token indices; char segments for content)."""

    __slots__ = ("head", "cue", "prob", "source", "content", "kind", "carried")

    def __init__(self, head: int, cue: tuple[int, int], prob: float):
        self.head = head
        self.cue = cue
        self.prob = prob
        self.source: tuple[int, int] | None = None
        self.content: list[tuple[int, int]] = []
        self.kind = "indirect"
        self.carried: "Found | None" = None  # floating: the attribution whose speaker carries over


def cue_classes(lexicon: dict) -> dict[str, str]:
    """{cue: class} of a cue lexicon, built once per lexicon (``find_source`` runs per cue)."""
    key = id(lexicon)
    cached = _CLASSES.get(key)
    if cached is None or cached[0] is not lexicon:
        cached = _CLASSES[key] = (lexicon, {k: v["class"] for k, v in lexicon.items()})
    return cached[1]


_CLASSES: dict[int, tuple] = {}


def _candidates(doc, words: frozenset, with_model: bool, excluded) -> list[int]:
    """Token indices that ``find_cues`` scores, tested on the doc's arrays (no Token objects):
    ``is_cue_candidate`` and not excluded, and, with a model, a known lemma, a lexicon cue, a colon
    or a verb with a ``ccomp`` child."""
    import numpy

    from .attribution_model import CANDIDATE_POS
    from .common import token_arrays

    a = token_arrays(doc)
    colon = a.isin("orth", (":",))
    ok = colon | (a.isin("pos", sorted(CANDIDATE_POS)) & ~a.is_space)
    if with_model:
        strings = a.strings
        lemmas = numpy.unique(a.lemma[ok])
        known = [h for h in lemmas.tolist() if strings[h].lower() in words]
        verb = a.isin("pos", ("VERB",))
        ccomp = numpy.zeros(a.n, dtype=bool)
        ccomp[a.head[a.isin("dep", ("ccomp",)) & (a.head != numpy.arange(a.n))]] = True
        ok &= numpy.isin(a.lemma, numpy.array(known, dtype="uint64")) | colon | (verb & ccomp)
    return [i for i in numpy.flatnonzero(ok).tolist() if not excluded(i)]


def find_cues(doc, models: dict, lexicon: dict, in_quote, quote_edge, excluded=lambda i: False) -> list[Found]:
    """Cue heads by the ``cue`` model (or the lexicon alone), spans by ``cue_span``."""
    classes = cue_classes(lexicon)
    cue_model, span_model = models.get("cue"), models.get("cue_span")
    threshold = cue_model.threshold if cue_model else CUE_THRESHOLD
    found = []
    from .attribution_model import cue_features, cue_span_features, sent_bounds

    bounds = sent_bounds(doc)
    words = frozenset(classes) | (cue_model.known if cue_model is not None else frozenset())
    for i in _candidates(doc, words, cue_model is not None, excluded):
        t = doc[i]
        lemma = t.lemma_.lower()
        if cue_model is None:
            prob = 1.0 if lemma in classes and t.pos_ in ("VERB", "NOUN") else 0.0
        else:
            prob = cue_model.prob(cue_features(t, classes, in_quote, quote_edge))
        if prob < threshold:
            continue
        start, end = t.i, t.i + 1
        if span_model is not None:
            sent_start, sent_end = bounds[t.i]
            j = t.i - 1
            while j >= max(sent_start, t.i - WINDOW) and span_model.prob(cue_span_features(t, doc[j], classes)) >= SPAN_THRESHOLD:
                start = j
                j -= 1
            j = t.i + 1
            while j < min(sent_end, t.i + WINDOW + 1) and span_model.prob(cue_span_features(t, doc[j], classes)) >= SPAN_THRESHOLD:
                end = j + 1
                j += 1
        elif t.lemma_.lower() == "accord" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            end = t.i + 2
        found.append(Found(t.i, (start, end), prob))
    heads = {f.head for f in found}
    found.extend(Found(i, (i, i + 1), 1.0) for i in dash_cues(doc) if i not in heads and not excluded(i))
    found.sort(key=lambda f: -f.prob)
    kept: list[Found] = []
    taken: set[int] = set()
    for f in found:
        if f.head in taken:
            continue
        kept.append(f)
        taken.update(range(f.cue[0], f.cue[1]))
    kept = [f for f in kept if not any(g is not f and g.cue[0] <= f.head < g.cue[1] for g in kept)]
    return sorted(kept, key=lambda f: f.head)


DASHES = ("―", "—", "–")


def dash_cues(doc) -> list[int]:
    """Dashes that sign a quotation with a name ("“...” ― Sonya Herridge"): a
    dash right after a closing quotation mark, followed by one to five name
    tokens that end the line, the sentence or run into the next quotation."""
    import numpy

    from .common import token_arrays

    a = token_arrays(doc)
    out = []
    for i in numpy.flatnonzero(a.isin("orth", DASHES)).tolist():
        t = doc[i]
        if t.i == 0:
            continue
        j = t.i - 1
        while j > 0 and doc[j].is_space:
            j -= 1
        if not (doc[j].is_quote and doc[j].text in "”\"'’»"):
            continue
        end = _name_run(doc, t.i + 1)
        if end is not None:
            out.append(t.i)
    return out


def _name_run(doc, i: int):
    """End of a run of 1-5 capitalised name tokens starting at ``i`` that closes
    the line, the sentence or meets a quotation mark; None otherwise."""
    k = i
    while k < len(doc) and k - i < 6 and (doc[k].is_title or doc[k].pos_ == "PROPN" or doc[k].text in ("-", "'", "’", ".")) \
            and not doc[k].is_space and not (doc[k].text == "." and k + 1 < len(doc) and not doc[k + 1].is_space):
        if doc[k].text == ".":
            break
        k += 1
    if k == i or k - i > 5:
        return None
    if k == len(doc) or doc[k].is_space or doc[k].is_quote or doc[k].text in (".", ",", ";") or "\n" in doc[k - 1].whitespace_:
        return k
    return None


# --- sources --------------------------------------------------------------------------

def find_source(doc, f: Found, models: dict, lexicon: dict, in_quote) -> None:
    """The source head by the ``source`` model (or the subject rule), then its phrase."""
    from .attribution_model import SOURCE_POS, sent_bounds, source_features

    cue = doc[f.head]
    if cue.text in DASHES and f.prob == 1.0:  # "”― Name": the name after the dash
        end = _name_run(doc, cue.i + 1)
        if end is not None:
            f.source = (cue.i + 1, end)
            return
    classes = cue_classes(lexicon)
    model = models.get("source")
    best, best_p = None, 0.0
    if model is None:
        best = _rule_subject(cue)
    else:
        import numpy

        from .common import token_arrays

        start, end = sent_bounds(doc)[cue.i]
        a = token_arrays(doc)
        nominal = numpy.flatnonzero(a.isin("pos", sorted(SOURCE_POS))[start:end]) + start
        for i in nominal.tolist():
            c = doc[i]
            if f.cue[0] <= c.i < f.cue[1]:
                continue
            p = model.prob(source_features(cue, c, classes, in_quote))
            if p > best_p:
                best, best_p = c, p
        if best_p < (model.threshold if model.threshold != 0.5 else SOURCE_THRESHOLD):
            best = None
            if cue.dep_ in ("advcl", "conj", "xcomp"):  # "..., saying that": the governing clause's subject
                best = _rule_subject(cue)
    if best is not None:
        f.source = source_span(doc, best, f)


def _rule_subject(cue):
    t = cue
    for _ in range(3):
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i != cue.i:
                return c
        if t.dep_ in ("advcl", "xcomp", "conj", "relcl") and t.head.i != t.i:
            if t.dep_ == "relcl":
                return t.head
            t = t.head
        else:
            break
    return None


def source_span(doc, head, f: Found) -> tuple[int, int]:
    """The full noun phrase of ``head`` (appositions and relative clauses included),
    cut where it would run into the cue; a possessive "'s" is left out."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    if head.dep_ == "poss" or any(c.dep_ == "case" for c in head.children):
        end = max((c.i for c in head.children if c.dep_ != "case" and c.i > head.i), default=head.i) + 1
    cs, ce = f.cue
    if start < ce and cs < end:  # the phrase holds the cue: keep the side with the head
        if head.i < cs:
            end = cs
        else:
            start = ce
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in ")]":
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space) and doc[start].text not in "([":
        start += 1
    return start, end
