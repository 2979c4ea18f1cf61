"""Contents of attributions: what the source is reported to say, think or want.

Rules over the spaCy dependency parse following PARC 3.0 / PolNeAR conventions
(Pareti 2016; Newell, Margolin & Ruths 2018): the complement clause with its
"that" ("said that ..."), the infinitive with its object for directives
("urged North Korea to resume ..."), the object for stance verbs ("blasted him
for ..."), the prepositional object of a noun in the cue ("expressing concern
over X": X, not the governing clause), the rest of the clause for "according to" and for an inserted
"..., he said", subject plus infinitive without a source for raising verbs and
passives ("X is expected to run"), the passive subject when the source is the
"by" agent, the quotation right before "he asks." or after "He said:", and a
clause the parser hangs on the cue's object ("says in a statement that ..."),
and the clause around an evidential adverb ("X reportedly considered ...", no
source).
A content ends before a conjoined cue or a participle clause headed by a cue
(", claiming that ..."), which keeps its own relation (PolNeAR never nests).
A content overlapping a quotation is widened to the whole quotation; side
phrases at its edges are dropped by the ``content_trim`` model. A quotation
that follows in the same paragraph continues the relation; one in the next
paragraph becomes a ``floating`` attribution. Where the rules' content is
found by a parse rule, a CRF trained on PolNeAR (attribution_boundary.py)
may relabel its boundaries when it is clearly more confident than the rules.

Limits: one parse, so a misattached clause moves a content boundary; where the
content is split by the inserted speaker, the pieces are kept as segments.
"""

from __future__ import annotations

from functools import lru_cache

from . import attribution_boundary as boundary
from .attribution_rules import Found, _token_at, cue_lexicon

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
    if cue.text in ("―", "—", "–") and f.prob == 1.0:
        return []  # "”― Name": the quotation before the dash (_adjacent_quote)
    if cue.text in (":", "―"):
        return [(cue.i + 1, sent.end, -1)] if cue.i + 1 < sent.end else []
    if lemma == "accord" or (lemma == "per" and cue.dep_ == "prep"):  # "citing X": X is the content (PolNeAR)
        gov = cue.head if cue.head.i != cue.i else None
        phrase = _subtree(cue)
        whole = (sent.start, sent.end) if gov is None else _subtree(gov)
        return [(a, b, -1) for a, b in _minus(whole, phrase)]
    if cue.pos_ == "ADV" and cue.dep_ == "advmod" and cue.head.i != cue.i and cue.head.pos_ in ("VERB", "AUX"):
        # "X reportedly considered ...": the clause around the adverb, no source
        f.source = None
        return [(a, b, -1) for a, b in _minus(_subtree(cue.head), _subtree(cue))]
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
    if passive and any(c.dep_ == "agent" for c in cue.children):
        subj = [c for c in cue.children if c.dep_ == "nsubjpass" and not (src[0] <= c.i < src[1])]
        if subj:  # "the song was written by Springsteen": the subject is what is reported
            return [_piece(subj[0])]
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
        if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                return [_piece(objs[0])]
    for c in cue_span_children(doc, f):
        return [_piece(c)]
    for c in kids:
        if c.dep_ in ("acl", "advcl", "relcl"):
            return [_piece(c)]
    deeper = _nested_clause(cue, kids)
    if deeper is not None:  # "says in a statement that ...", "issued a statement describing ..."
        return [_piece(deeper)]
    head = cue.head
    if cue.dep_ in ("parataxis", "advcl", "conj", "ccomp") and head.i != cue.i:
        # "..., he said" inserted after (or inside) the content
        own = _subtree(cue)
        return [(a, b, head.i) for a, b in _minus(_subtree(head), own)]
    return []


def _fallback(doc, f: Found) -> list[tuple[int, int, int]]:
    """A cue with no content by the rules and no adjacent quotation: a that-clause deeper in the cue's phrase
    ("are concerned that ...", "sent out a statement reassuring voters that ..."),
    else, when the sentence ends in a colon ("Hewitt writes:"), the next paragraph."""
    from .attribution_model import sent_bounds

    cue = doc[f.head]
    src = f.source or (f.cue[0], f.cue[0])
    sent = doc[slice(*sent_bounds(doc)[cue.i])]
    for t in cue.subtree:
        if t.i > cue.i and t.dep_ == "ccomp" and not (src[0] <= t.i < src[1]):
            return [_piece(t)]
    last = sent.end - 1
    while last > cue.i and doc[last].is_space:
        last -= 1
    if doc[last].text == ":" and last + 1 < len(doc):  # "Hewitt writes:" + paragraph
        s = last + 1
        while s < len(doc) and doc[s].is_space:
            s += 1
        e = s
        while e < len(doc) and not (doc[e].is_space and "\n" in doc[e].text):
            e += 1
        return [(s, e, -1)] if s < e else []
    return []


def _nested_clause(cue, kids):
    """The first clause (ccomp, or a participle/that-clause on a noun) below a
    noun or preposition the cue governs, right of the cue: the content when the
    parser hangs it on "statement" rather than on the verb."""
    for c in kids:
        if c.i < cue.i or c.dep_ not in ("dobj", "prep", "npadvmod"):
            continue
        for t in c.subtree:
            if t.i > cue.i and t.dep_ in ("ccomp", "acl") and t.pos_ in ("VERB", "AUX") and \
                    (t.dep_ == "ccomp" or t.tag_ == "VBG" or any(g.dep_ == "mark" and g.lower_ == "that" for g in t.children)):
                return t
    return None


CONTENT_PREPS = ("about", "on", "of", "for", "that", "against", "to", "with", "as", "over")


def cue_span_children(doc, f: Found):
    """pobj/pcomp children of a preposition inside the cue span ("called for X"),
    or of one hanging from a noun of the cue span ("expressing concern over X")."""
    out = []
    for i in range(f.cue[0], f.cue[1]):
        t = doc[i]
        if t.dep_ == "prep" or t.pos_ == "ADP":
            out.extend(c for c in t.children if c.dep_ in ("pobj", "pcomp") and not (f.cue[0] <= c.i < f.cue[1]))
        elif t.pos_ == "NOUN" and i != f.head:
            for p in t.children:
                if p.dep_ == "prep" and p.lower_ in CONTENT_PREPS and p.i >= f.cue[1]:
                    out.extend(c for c in p.children if c.dep_ in ("pobj", "pcomp"))
    return out


def _soft_token(t) -> bool:
    return t.is_punct or t.is_space


@lru_cache(maxsize=1)
def _cue_classes() -> dict[str, str]:
    """{cue lemma: class}, built once (was rebuilt for every cue)."""
    return {k: v["class"] for k, v in cue_lexicon().items()}


def set_content(doc, f: Found, quotes, models=None, in_quote=None, heads=frozenset()) -> None:
    """Content char segments of ``f`` (cue and source cut out, trailing or
    leading side phrases dropped by the ``content_trim`` model, cut before a
    conjoined clause headed by another cue in ``heads`` ("X promised ... and
    said ..."), edges trimmed, widened to whole quotations it overlaps) and its kind."""
    trim_model = (models or {}).get("content_trim")
    classes = _cue_classes()
    raw = find_content(doc, f)
    if not raw:
        q = _adjacent_quote(doc, f, quotes)
        if q is not None:
            f.content = [(q.start, q.end)]
            f.kind = _kind(doc, f, quotes)
            return
        if doc[f.head].pos_ != "PUNCT":
            raw = _fallback(doc, f)
    pieces = []
    for s, e, root in raw:
        if trim_model is not None and root >= 0 and in_quote is not None and not _touches_quote(doc, s, e, quotes):
            s, e = trim_piece(doc, f, doc[root], s, e, trim_model, in_quote, classes)
        if heads:
            e = _cut_conjoined_cues(doc, f, s, e, heads)
        pieces.append((s, e))
    f.content = _char_segments(doc, f, pieces, quotes)
    crf = (models or {}).get("content_crf")
    if crf is not None and f.content and in_quote is not None:
        from .attribution_model import sent_bounds

        spans = boundary.refine(doc, f, f.content, crf, in_quote, heads, classes, sent_bounds(doc))
        if spans is not None:
            segs = _char_segments(doc, f, spans, quotes, widen=WIDEN_AFTER_CRF)
            if segs and not _swallows_cue(doc, f, segs, heads):
                f.content = segs
    f.kind = _kind(doc, f, quotes)


WIDEN_AFTER_CRF = True


def _swallows_cue(doc, f: Found, segs, heads) -> bool:
    """Would ``segs`` cover another cue head that ``f``'s rule content leaves out? The CRF
    only moves boundaries: it must not nest another relation (``outermost`` would drop it)."""
    old = f.content
    for k in heads:
        if k == f.head:
            continue
        c = doc[k].idx
        if any(a <= c < b for a, b in segs) and not any(a <= c < b for a, b in old):
            return True
    return False


def _char_segments(doc, f: Found, pieces, quotes, widen: bool = True) -> list[tuple[int, int]]:
    """Token pieces -> character segments: cue and source cut out, white space,
    punctuation and dangling conjunctions trimmed at the edges, widened to whole
    quotations they overlap (unless ``widen`` is False), touching pieces merged."""
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
        for q in (_overlapping(quotes, a, b) if widen else ()):
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
    return segs


def _participle_clause(t) -> bool:
    """", claiming that ...", "-- calling him ...": a participle clause after a comma or dash."""
    return t.dep_ in ("advcl", "xcomp", "acl") and t.tag_ == "VBG" and t.i > 0 and t.doc[t.left_edge.i - 1].text in (",", "—", "--", "–")


def _cut_conjoined_cues(doc, f: Found, s: int, e: int, heads) -> int:
    """End the piece before a conjoined verb that is itself a cue head (PolNeAR
    gives it its own relation: "... was “a con” and encouraged Americans to ...")."""
    for k in heads:
        if s < k < e and k != f.head and s <= doc[k].head.i < k and (doc[k].dep_ == "conj" or _participle_clause(doc[k])):
            e = min(e, doc[k].left_edge.i)
    return e


def _adjacent_quote(doc, f: Found, quotes):
    """A quotation right before "he asks." or right after "He said:" (only
    punctuation and white space, at most one paragraph break, in between)."""
    from .attribution_model import doc_text

    text = doc_text(doc)
    toks = [doc[i] for i in range(*f.cue)] + ([doc[i] for i in range(*f.source)] if f.source else [])
    left = min(t.idx for t in toks)
    right = max(t.idx + len(t) for t in toks)

    def clear(gap: str) -> bool:
        return not any(c.isalnum() for c in gap) and gap.count("\n\n") <= 1

    before = [q for q in quotes if q.end <= left and clear(text[q.end:left])]
    if before:
        return before[-1]
    after = [q for q in quotes if q.start >= right and clear(text[right:q.start])]
    return after[0] if after else None


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


TRIM_THRESHOLD = 0.5  # keep a side phrase at this probability or above


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
            if model.prob(content_trim_features(cue, node, c, in_quote, depth, lexicon)) >= TRIM_THRESHOLD:
                nxt = c
                break
            e = min(e, c.left_edge.i)
        node, depth = nxt, depth + 1
    left = sorted((c for c in root.children if c.i < root.i and not (c.is_punct or c.is_space) and c.i >= s),
                  key=lambda c: c.i)
    for c in left:
        if model.prob(content_trim_features(cue, root, c, in_quote, 0, lexicon)) >= TRIM_THRESHOLD:
            break
        s = max(s, c.right_edge.i + 1)
    return s, e


def _kind(doc, f: Found, quotes) -> str:
    lemma = doc[f.head].lemma_.lower()
    if lemma in ("accord", "per"):
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
    """Quotations without a cue that open their sentence after an attribution.

    In the same paragraph the quotation continues that attribution (a further
    content segment, as PolNeAR annotates "“...,” he said. “...”"); in the next
    FLOATING_GAP paragraphs it becomes its own attribution of kind ``floating``
    whose speaker carries over (Gender Gap Tracker's floating quotes)."""
    from bisect import bisect_left

    covered = sorted((a, b) for f in found for a, b in f.content)
    starts = [a for a, _ in covered]
    reach, m = [], -1  # reach[i]: the furthest end among covered[:i + 1]
    for _, b in covered:
        m = max(m, b)
        reach.append(m)
    cue_chars = sorted(doc[f.head].idx for f in found)
    out = []
    from .attribution_model import doc_text

    text = doc_text(doc)
    lead_alnum = _lead_scanner(text)
    for q in quotes:
        led = lead_alnum(q.start)  # in text order for every quote: the scan stays linear
        i = bisect_left(starts, q.end)
        if i and reach[i - 1] > q.start:  # overlaps a content
            continue
        i = bisect_left(cue_chars, q.start)
        if i < len(cue_chars) and cue_chars[i] < q.end:  # holds a cue
            continue
        start_tok = _char_token(doc, q.start)
        if start_tok is None or excluded(start_tok.i):
            continue
        if led or len(text[q.start:q.end].split()) < MIN_FLOATING_WORDS:
            continue
        prev = [f for f in found + out if f.content and f.content[-1][1] <= q.start]
        if not prev:
            continue
        last = max(prev, key=lambda f: f.content[-1][1])
        if last.kind == "according_to":
            continue
        breaks = text.count("\n\n", last.content[-1][1], q.start)
        if "\n" not in text[last.content[-1][1]:q.start]:
            # same paragraph: the quotation continues the same relation (PolNeAR: a further content segment)
            last.content.append((q.start, q.end))
            if last.kind == "indirect":
                last.kind = "mixed"
            continue
        if breaks > FLOATING_GAP:
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


def _lead_scanner(text: str):
    """``lead_alnum(pos)``: does a letter or digit stand between the last
    ".!?\\n:" before ``pos`` and ``pos``? Calls must come with ascending
    ``pos``; each scans back only to the previous call's position and reuses
    its answer, so all calls together read the text once (a search back from
    every quotation was quadratic on runs of quotation marks)."""
    state = {"pos": 0, "sig": None}  # sig: nearest significant char before pos: "stop", "alnum" or None

    def lead_alnum(pos: int) -> bool:
        if pos < state["pos"]:  # out of order: start over
            state["pos"], state["sig"] = 0, None
        sig = None
        for k in range(pos - 1, state["pos"] - 1, -1):
            ch = text[k]
            if ch in ".!?\n:":
                sig = "stop"
                break
            if ch.isalnum():
                sig = "alnum"
                break
        if sig is None:
            sig = state["sig"]
        state["pos"], state["sig"] = pos, sig
        return sig == "alnum"

    return lead_alnum


FLOATING_GAP = 1
MIN_FLOATING_WORDS = 2


def _char_token(doc, char: int):
    i = _token_at(doc, char)
    return doc[i] if i is not None else None


def outermost(found: list[Found], doc, quotes=()) -> list[Found]:
    """Drop attributions whose cue lies inside another attribution's content
    (PolNeAR annotates only the outermost relation); the more confident wins.
    A clause before the cue that the parser hangs on it ("Asked if ..., Ryan
    said, “Sure.”") is not nested: the outer content loses that clause and
    both relations stay. Linear up to a log factor: the governing cue is
    looked up by its head, and a sweep over the content segments finds, for
    each cue, the most confident other content around it (was all pairs)."""
    by_head: dict[int, list[Found]] = {}
    for g in found:
        by_head.setdefault(g.head, []).append(g)
    for f in found:
        for g in by_head.get(doc[f.head].head.i, ()):
            if g is not f and g.content and _leading_clause(doc, f, g):
                _cut_out(doc, g, f, quotes)
    found = [f for f in found if f.content]
    best = _best_cover(found, [doc[f.head].idx for f in found])
    return [f for f, p in zip(found, best) if not (p is not None and p >= f.prob)]


def _best_cover(found: list[Found], chars: list[int]) -> list[float | None]:
    """For each ``found[k]``: the highest ``prob`` of another attribution whose
    content covers character ``chars[k]`` (None when none does). A sweep in
    character order with a max-heap of open segments, expired ones dropped lazily."""
    import heapq

    segs = sorted((a, b, k) for k, g in enumerate(found) for a, b in g.content)
    order = sorted(range(len(found)), key=lambda k: chars[k])
    heap: list[tuple[float, int, int]] = []  # (-prob, end, owner)
    out: list[float | None] = [None] * len(found)
    j = 0
    for k in order:
        c = chars[k]
        while j < len(segs) and segs[j][0] <= c:
            a, b, owner = segs[j]
            heapq.heappush(heap, (-found[owner].prob, b, owner))
            j += 1
        held = []
        while heap:
            top = heap[0]
            if top[1] <= c:
                heapq.heappop(heap)  # ended before c: never needed again (queries ascend)
            elif top[2] == k:
                held.append(heapq.heappop(heap))  # its own content
            else:
                out[k] = -top[0]
                break
        for item in held:
            heapq.heappush(heap, item)
    return out


def _leading_clause(doc, f: Found, g: Found) -> bool:
    """``f``'s cue heads a ccomp/advcl of ``g``'s cue that stands before it and lies in ``g``'s content."""
    t = doc[f.head]
    return (t.head.i == g.head and t.i < g.head and t.dep_ in ("ccomp", "advcl")
            and _contains(g, t.idx))


def _cut_out(doc, g: Found, f: Found, quotes) -> None:
    """Remove ``f``'s clause (cue subtree, its content) from ``g``'s content segments."""
    t = doc[f.head]
    a = min([doc[t.left_edge.i].idx] + [s for s, _ in f.content])
    last = doc[t.right_edge.i]
    b = max([last.idx + len(last)] + [e for _, e in f.content])
    from .attribution_model import doc_text

    text = doc_text(doc)
    segs = []
    for s, e in g.content:
        for s2, e2 in ((s, min(e, a)), (max(s, b), e)):
            while s2 < e2 and text[s2] in _STRIP:
                s2 += 1
            while e2 > s2 and text[e2 - 1] in _STRIP:
                e2 -= 1
            if s2 < e2 and any(ch.isalnum() for ch in text[s2:e2]):
                segs.append((s2, e2))
    if not segs:  # "“...,” Mr. Biden said": the quotation beside the cue
        q = _adjacent_quote(doc, g, quotes)
        segs = [(q.start, q.end)] if q is not None and not (q.start < b and a < q.end) else []
    g.content = segs
    if segs:
        g.kind = _kind(doc, g, quotes)


_STRIP = " \n\t\xa0,;:—–-"


def _contains(f: Found, char: int) -> bool:
    return any(a <= char < b for a, b in f.content)
