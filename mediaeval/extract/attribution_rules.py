"""Attribution rules over the dependency parse: cues, their spans, sources, contents.

The shape follows PARC 3.0 / PolNeAR (Pareti 2016; Newell et al. 2018): a cue
(a reporting or attitude verb, noun or phrase: "said", "according to",
"believes", "a statement"), its source (the full noun phrase of the speaker,
appositions included) and its content (the complement clause with "that", the
quotation with its marks, or the rest of the sentence for "according to" and for
a "..., he said" inserted after the content).

Cue heads are chosen by a small linear model over lexical and syntactic features
(see attribution_model.py), with the reporting-cue lexicon as a fallback when the
model file is absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..lexicons import bundled_path, one_of, read_table
from .quotes import QuoteIndex, find_quotes

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
    """(in_quote(i), quote_edge(i)) for the tokens of ``doc``, and the quotes."""
    from .attribution_model import doc_text

    quotes = find_quotes(doc_text(doc))
    index = QuoteIndex(quotes)
    inside = [index.inside(t.idx) for t in doc]
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


def _token_at(doc, char: int):
    lo, hi = 0, len(doc) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        t = doc[mid]
        if t.idx <= char < t.idx + len(t):
            return mid
        if t.idx > char:
            hi = mid - 1
        else:
            lo = mid + 1
    return None


# --- cues ---------------------------------------------------------------------------

CUE_THRESHOLD = 0.5
SPAN_THRESHOLD = 0.5
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


def find_cues(doc, models: dict, lexicon: dict, in_quote, quote_edge, excluded=lambda i: False) -> list[Found]:
    """Cue heads by the ``cue`` model (or the lexicon alone), spans by ``cue_span``."""
    classes = {k: v["class"] for k, v in lexicon.items()}
    cue_model, span_model = models.get("cue"), models.get("cue_span")
    threshold = cue_model.threshold if cue_model else CUE_THRESHOLD
    found = []
    from .attribution_model import cue_features, cue_span_features, is_cue_candidate, sent_bounds

    bounds = sent_bounds(doc)

    for t in doc:
        if not is_cue_candidate(t) or excluded(t.i):
            continue
        lemma = t.lemma_.lower()
        if cue_model is None:
            prob = 1.0 if lemma in classes and t.pos_ in ("VERB", "NOUN") else 0.0
        elif not (lemma in cue_model.known or lemma in classes or t.text == ":"
                  or (t.pos_ == "VERB" and any(c.dep_ == "ccomp" for c in t.children))):
            continue
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


# --- sources --------------------------------------------------------------------------

def find_source(doc, f: Found, models: dict, lexicon: dict, in_quote) -> None:
    """The source head by the ``source`` model (or the subject rule), then its phrase."""
    from .attribution_model import SOURCE_POS, sent_bounds, source_features

    cue = doc[f.head]
    classes = {k: v["class"] for k, v in lexicon.items()}
    model = models.get("source")
    best, best_p = None, 0.0
    if model is None:
        best = _rule_subject(cue)
    else:
        start, end = sent_bounds(doc)[cue.i]
        for c in doc[start:end]:
            if f.cue[0] <= c.i < f.cue[1] or c.pos_ not in SOURCE_POS:
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


# --- contents -------------------------------------------------------------------------

CONTENT_DEPS = ("ccomp", "xcomp", "csubj")


def _subtree(t, skip: tuple[int, int] | None = None) -> tuple[int, int]:
    start, end = t.left_edge.i, t.right_edge.i + 1
    return start, end


def _minus(span: tuple[int, int], cut: tuple[int, int]) -> list[tuple[int, int]]:
    """``span`` without ``cut`` (token ranges)."""
    out = []
    if span[0] < cut[0]:
        out.append((span[0], min(span[1], cut[0])))
    if cut[1] < span[1]:
        out.append((max(span[0], cut[1]), span[1]))
    return out


RAISING = {"seem", "appear", "look", "sound"}


def _piece(t) -> tuple[int, int, int]:
    return t.left_edge.i, t.right_edge.i + 1, t.i


def find_content(doc, f: Found) -> list[tuple[int, int, int]]:
    """Content pieces ``(start, end, root)`` in tokens (root -1 when the piece is
    not one phrase), by the rules in the module docstring."""
    from .attribution_model import sent_bounds

    cue = doc[f.head]
    sent = doc[slice(*sent_bounds(doc)[cue.i])]
    lemma = cue.lemma_.lower()
    cue_span = f.cue
    src = f.source or (f.cue[0], f.cue[0])
    if cue.text in (":", "―"):
        return [(cue.i + 1, sent.end, -1)] if cue.i + 1 < sent.end else []
    if lemma == "accord" or (lemma in ("cite", "per") and cue.dep_ in ("advcl", "prep")):
        gov = cue.head if cue.head.i != cue.i else None
        phrase = _subtree(cue)
        whole = (sent.start, sent.end) if gov is None else _subtree(gov)
        return [(a, b, -1) for a, b in _minus(whole, phrase)]
    kids = [c for c in cue.children if not (cue_span[0] <= c.i < cue_span[1])]
    xcomps = [c for c in kids if c.dep_ == "xcomp"]
    passive = any(c.dep_ == "auxpass" for c in cue.children) or any(doc[i].dep_ == "auxpass" for i in range(*cue_span))
    if xcomps and (lemma in RAISING or passive):
        # "Melania seems to have vanished", "X is expected to run": subject + infinitive, no source
        subj = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
        f.source = None
        return ([_piece(subj[0])] if subj else []) + [_piece(xcomps[0])]
    kids = [c for c in kids if not (src[0] <= c.i < src[1])]
    clauses = [c for c in kids if c.dep_ in ("ccomp", "csubj")]
    if clauses:  # one piece per clause: "“A,” he said, “B”" keeps the insert out
        return [_piece(c) for c in clauses]
    if xcomps:  # "urged North Korea to resume talks": the object belongs to the content
        s, e, r = _piece(xcomps[0])
        objs = [c for c in kids if c.dep_ in ("dobj", "dative") and c.i < xcomps[0].i]
        if objs and lemma not in ("tell", "use", "spend"):
            return [(objs[0].left_edge.i, e, -1)]
        return [(s, e, r)]
    objs = [c for c in kids if c.dep_ in ("dobj", "oprd", "attr", "acomp")]
    if objs:  # "blasted him for not paying", "painted Romney as ..."
        s = min(c.left_edge.i for c in objs)
        e = max(c.right_edge.i for c in objs) + 1
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ("as", "for") and c.i >= e:
                e = max(e, c.right_edge.i + 1)
        return [(s, e, objs[0].i if len(objs) == 1 and e == objs[0].right_edge.i + 1 else -1)]
    for c in kids:
        if c.dep_ == "prep" and c.lower_ in ("about", "on", "of", "for", "that", "against", "to", "with", "as", "over"):
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                return [_piece(objs[0])]
    for c in cue_span_children(doc, f):
        return [_piece(c)]
    for c in kids:
        if c.dep_ in ("acl", "advcl", "relcl"):
            return [_piece(c)]
    head = cue.head
    if cue.dep_ in ("parataxis", "advcl", "conj", "ccomp") and head.i != cue.i:
        # "..., he said" inserted after (or inside) the content
        own = _subtree(cue)
        return [(a, b, head.i) for a, b in _minus(_subtree(head), own)]
    return []


def cue_span_children(doc, f: Found):
    """pobj/pcomp children of a preposition inside the cue span ("called for X")."""
    out = []
    for i in range(f.cue[0], f.cue[1]):
        t = doc[i]
        if t.dep_ == "prep" or t.pos_ == "ADP":
            out.extend(c for c in t.children if c.dep_ in ("pobj", "pcomp") and not (f.cue[0] <= c.i < f.cue[1]))
    return out


def _soft_token(t) -> bool:
    return t.is_punct or t.is_space


def set_content(doc, f: Found, quotes, models=None, in_quote=None) -> None:
    """Content char segments of ``f`` (cue and source cut out, trailing or
    leading side phrases dropped by the ``content_trim`` model, edges trimmed,
    widened to whole quotations it overlaps) and its kind."""
    trim_model = (models or {}).get("content_trim")
    classes = {k: v["class"] for k, v in cue_lexicon().items()}
    raw = find_content(doc, f)
    pieces = []
    for s, e, root in raw:
        if trim_model is not None and root >= 0 and in_quote is not None and not _touches_quote(doc, s, e, quotes):
            s, e = trim_piece(doc, f, doc[root], s, e, trim_model, in_quote, classes)
        pieces.append((s, e))
    for cut in (f.cue, f.source):
        if cut:
            pieces = [p for piece in pieces for p in _minus(piece, cut)]
    from .attribution_model import doc_text

    text = doc_text(doc)
    segs: list[tuple[int, int]] = []
    cue_char = doc[f.head].idx
    src_chars = (doc[f.source[0]].idx, doc[f.source[1] - 1].idx + 1) if f.source else None
    for s, e in sorted(pieces):
        while s < e and (_soft_token(doc[s]) or (doc[s].pos_ == "CCONJ" and doc[s].is_sent_start)):
            s += 1
        while e > s and doc[e - 1].pos_ == "CCONJ":
            e -= 1
        while e > s and _soft_token(doc[e - 1]):
            e -= 1
        if s >= e:
            continue
        a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
        for q in _overlapping(quotes, a, b):
            if not (q.start <= cue_char < q.end):
                if src_chars and q.start < src_chars[1] and src_chars[0] < q.end:
                    continue
                a, b = min(a, q.start), max(b, q.end)
        if segs and all(c.isspace() or not c.isalnum() for c in text[segs[-1][1]:a]):
            segs[-1] = (segs[-1][0], max(b, segs[-1][1]))
        elif segs and a < segs[-1][1]:
            segs[-1] = (segs[-1][0], max(b, segs[-1][1]))
        else:
            segs.append((a, b))
    f.content = segs
    f.kind = _kind(doc, f, quotes)


def _touches_quote(doc, s: int, e: int, quotes) -> bool:
    a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    return bool(_overlapping(quotes, a, b))


def _overlapping(quotes, a: int, b: int) -> list:
    """The quotations (sorted, non-overlapping) that share a character with [a, b)."""
    from bisect import bisect_left

    i = bisect_left(quotes, b, key=lambda q: q.start)
    out = []
    while i > 0 and quotes[i - 1].end > a:
        i -= 1
        out.append(quotes[i])
    return out[::-1]


def trim_piece(doc, f: Found, root, s: int, e: int, model, in_quote, lexicon=None) -> tuple[int, int]:
    """Drop side phrases from the outside in while the ``content_trim`` model
    says they are not content: leading ones of the root ("In addition, ..."),
    trailing ones along the right edge of the phrase (", who ...", ", citing ...")."""
    from .attribution_model import content_trim_features

    cue = doc[f.head]
    node, depth = root, 0
    while node is not None and depth < 4:
        right = sorted((c for c in node.children if c.i > node.i and not (c.is_punct or c.is_space) and c.i < e),
                       key=lambda c: -c.i)
        nxt = None
        for c in right:
            if c.left_edge.i <= f.cue[0] < c.right_edge.i + 1:
                break
            if model.prob(content_trim_features(cue, node, c, in_quote, depth, lexicon)) >= 0.5:
                nxt = c
                break
            e = min(e, c.left_edge.i)
        node, depth = nxt, depth + 1
    left = sorted((c for c in root.children if c.i < root.i and not (c.is_punct or c.is_space) and c.i >= s),
                  key=lambda c: c.i)
    for c in left:
        if model.prob(content_trim_features(cue, root, c, in_quote, 0, lexicon)) >= 0.5:
            break
        s = max(s, c.right_edge.i + 1)
    return s, e


def _kind(doc, f: Found, quotes) -> str:
    lemma = doc[f.head].lemma_.lower()
    if lemma in ("accord", "per") or (lemma == "cite" and doc[f.head].dep_ != "ROOT"):
        return "according_to"
    inner = [q for a, b in f.content for q in _overlapping(quotes, a, b) if a <= q.start and q.end <= b]
    if not inner:
        return "indirect"
    from .attribution_model import doc_text

    text = doc_text(doc)
    rest = "".join(text[a:b] for a, b in f.content)
    for q in inner:
        rest = rest.replace(text[q.start:q.end], "", 1)
    return "direct" if not any(c.isalnum() for c in rest) else "mixed"


def floating_quotes(doc, found: list[Found], quotes, excluded=lambda i: False) -> list[Found]:
    """Quotations without a cue that open their sentence, at most FLOATING_GAP
    paragraphs after an attribution: the speaker carries over (kind ``floating``)."""
    covered = [(a, b) for f in found for a, b in f.content]
    cue_chars = sorted(doc[f.head].idx for f in found)
    out = []
    from .attribution_model import doc_text

    text = doc_text(doc)
    for q in quotes:
        if any(a < q.end and q.start < b for a, b in covered):
            continue
        if any(q.start <= c < q.end for c in cue_chars):
            continue
        start_tok = _char_token(doc, q.start)
        if start_tok is None or excluded(start_tok.i):
            continue
        stop = max(text.rfind(ch, 0, q.start) for ch in ".!?\n:")
        lead = text[stop + 1:q.start] if stop >= 0 else text[:q.start]
        if any(c.isalnum() for c in lead) or len(text[q.start:q.end].split()) < MIN_FLOATING_WORDS:
            continue
        prev = [f for f in found + out if f.content and f.content[-1][1] <= q.start]
        if not prev:
            continue
        last = max(prev, key=lambda f: f.content[-1][1])
        if text.count("\n\n", last.content[-1][1], q.start) > FLOATING_GAP or last.kind == "according_to":
            continue
        g = Found(start_tok.i, (), 0.0)
        g.cue = ()
        g.source = None
        g.carried = last
        g.content = [(q.start, q.end)]
        g.kind = "floating"
        g.prob = -1.0
        out.append(g)
    return out


FLOATING_GAP = 1
MIN_FLOATING_WORDS = 2


def _char_token(doc, char: int):
    i = _token_at(doc, char)
    return doc[i] if i is not None else None


def outermost(found: list[Found], doc) -> list[Found]:
    """Drop attributions whose cue lies inside another attribution's content
    (PolNeAR annotates only the outermost relation); the more confident wins."""
    out = []
    for f in found:
        c = doc[f.head].idx
        inside = [g for g in found if g is not f and any(a <= c < b for a, b in g.content)]
        if any(g.prob >= f.prob for g in inside):
            continue
        out.append(f)
    return out


def _contains(f: Found, char: int) -> bool:
    return any(a <= char < b for a, b in f.content)
