"""Learned content boundaries: a linear-chain CRF that relabels the content of
one attribution token by token (BIO), given its cue, its source and the rules'
proposal.

The rules of attribution_content.py propose a content; where a parse-based rule
stalls (where a "that"-clause ends, whether a side phrase or the object of
"called X" belongs in, PolNeAR's habits with "that" and quotations) the CRF
decides. Its window is the cue's sentence, widened to the rules' proposal.
Features per token (``token_features``): the rules' label, the side and distance
to the cue, the branch of the cue (the dependency label of the cue's child
whose subtree holds the token, one level deeper, and the branch under the
cue's head), the phrase holding the token (for the cue's child and grandchild
subtrees: its first word, a comma or dash before it, its head's tag), part of
speech, fine tag, dependency label, the word for short and closed-class words
and punctuation, the cue's lemma for lexicon cues, quotation context,
paragraph and sentence edges, other cue heads and the source; plus the
neighbours' rule labels and words. The cue-independent ones
(``static_features``) are scored once per token and doc.

The CRF overrules the rules only where its best labelling scores at least
``MARGIN`` above the rules' labelling (log-potential), and never so that the
content covers another cue head the rules' content leaves out. The margin,
c1, c2 and the iteration count were chosen by training on four fifths of the
PolNeAR train texts and scoring the fifth held out (dev is for reporting).

Trained by ``scripts/train_content_crf.py`` (sklearn-crfsuite, L-BFGS with
elastic net) on the PolNeAR train split against the pipeline's own cues and
sources; shipped as feature -> per-label weights plus the transition matrix
(``lexicons/attribution_content_crf.json``) and decoded here by Viterbi in
plain Python, so the run time needs no CRF library.

Limits: one parse; contents outside the window (a quotation two sentences on)
stay with the rules; learned from US political news of 2016 (PolNeAR).
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import repeat

from ..lexicons import bundled_path

MODEL_FILE = "attribution_content_crf.json"
LABELS = ("O", "B", "I")
MARGIN = 1.0  # the CRF's labelling replaces the rules' only when it scores this much higher
SHORT = 4  # words up to this length are features themselves (that, to, of, and, who ...)


class ChainCRF:
    """A linear-chain CRF: ``weights[feature] = [w_label...]``, ``trans[a][b]``."""

    def __init__(self, spec: dict):
        self.labels = tuple(spec["labels"])
        self.weights = spec["weights"]
        self.trans = spec["transitions"]
        self.margin = float(spec.get("margin", MARGIN))
        self.by_label = [{f: w[k] for f, w in self.weights.items() if w[k]}.get for k in range(len(self.labels))]
        self.packed = ({f: complex(w[1] - w[0], w[2] - w[0]) for f, w in self.weights.items()}.get
                       if len(self.labels) == 3 else None)

    def emissions(self, seq: list[list[str]]) -> list[tuple[float, ...]]:
        """Per token, the summed feature weights for each label, relative to
        the first label (a shift per token changes no path's rank nor the
        difference between two paths). With three labels the two differences
        ride as one complex number, so a token costs one C-level sum."""
        zeros = repeat(0)
        if self.packed is not None:
            get = self.packed
            return [(0.0, z.real, z.imag) for z in (sum(map(get, feats, zeros)) for feats in seq)]
        return [tuple(sum(map(get, feats, zeros)) for get in self.by_label) for feats in seq]

    def packed_sums(self, seq: list[list[str]]) -> list[complex]:
        """Per token, the label-1 and label-2 score differences packed as one complex number."""
        get, zeros = self.packed, repeat(0)
        return [complex(sum(map(get, feats, zeros))) for feats in seq]

    def viterbi(self, emit: list[tuple[float, ...]]) -> tuple[list[str], float]:
        """The best label sequence and its score."""
        if not emit:
            return [], 0.0
        if len(self.labels) == 3:
            return self._viterbi3(emit)
        n_lab = len(self.labels)
        cols = [[self.trans[a][b] for a in range(n_lab)] for b in range(n_lab)]
        score = list(emit[0])
        back = []
        labs = range(n_lab)
        for e in emit[1:]:
            ptr = []
            new = []
            for b in labs:
                col = cols[b]
                best, arg = score[0] + col[0], 0
                for a in labs:
                    v = score[a] + col[a]
                    if v > best:
                        best, arg = v, a
                new.append(best + e[b])
                ptr.append(arg)
            score = new
            back.append(ptr)
        k = score.index(max(score))
        best_score = score[k]
        out = [k]
        for ptr in reversed(back):
            k = ptr[k]
            out.append(k)
        return [self.labels[k] for k in reversed(out)], best_score

    def _viterbi3(self, emit):
        """Viterbi unrolled for three labels (ties go to the lower label, as in ``viterbi``)."""
        (t00, t01, t02), (t10, t11, t12), (t20, t21, t22) = self.trans
        s0, s1, s2 = emit[0]
        back = []
        for e0, e1, e2 in emit[1:]:
            a, b, c = s0 + t00, s1 + t10, s2 + t20
            n0, p0 = (a, 0) if a >= b and a >= c else ((b, 1) if b >= c else (c, 2))
            a, b, c = s0 + t01, s1 + t11, s2 + t21
            n1, p1 = (a, 0) if a >= b and a >= c else ((b, 1) if b >= c else (c, 2))
            a, b, c = s0 + t02, s1 + t12, s2 + t22
            n2, p2 = (a, 0) if a >= b and a >= c else ((b, 1) if b >= c else (c, 2))
            s0, s1, s2 = n0 + e0, n1 + e1, n2 + e2
            back.append((p0, p1, p2))
        k, best = (0, s0) if s0 >= s1 and s0 >= s2 else ((1, s1) if s1 >= s2 else (2, s2))
        out = [k]
        for ptr in reversed(back):
            k = ptr[k]
            out.append(k)
        labels = self.labels
        return [labels[k] for k in reversed(out)], best

    def path_score(self, emit: list[tuple[float, ...]], labels: list[str]) -> float:
        """The score of one label sequence."""
        index = {lab: k for k, lab in enumerate(self.labels)}
        total, prev = 0.0, None
        for e, lab in zip(emit, labels):
            k = index[lab]
            total += e[k] + (self.trans[prev][k] if prev is not None else 0.0)
            prev = k
        return total

    def tag(self, seq: list[list[str]]) -> list[str]:
        """Viterbi: the best label sequence for the per-token feature lists."""
        return self.viterbi(self.emissions(seq))[0]

    def score(self, seq: list[list[str]], labels: list[str]) -> float:
        """The unnormalised score of one label sequence."""
        return self.path_score(self.emissions(seq), labels)


@lru_cache(maxsize=1)
def load_crf() -> ChainCRF | None:
    """The shipped content CRF (None when the file is absent: rules only)."""
    path = bundled_path(MODEL_FILE)
    if not path.exists():
        return None
    return ChainCRF(json.loads(path.read_text(encoding="utf-8")))


MAX_WINDOW = 50  # longer windows keep the rules' content (bounds the cost per cue)


def window(doc, f, rule_tokens: tuple[int, int] | None, bounds) -> tuple[int, int] | None:
    """Token range the CRF labels: the cue's sentence and the rules' proposal
    (None when longer than MAX_WINDOW tokens)."""
    s, e = bounds[f.head]
    if rule_tokens is not None:
        s, e = min(s, rule_tokens[0]), max(e, rule_tokens[1])
    return (s, e) if e - s <= MAX_WINDOW else None


def _dist(d: int) -> str:
    a = abs(d)
    return str(a) if a <= 3 else "4-6" if a <= 6 else "7-12" if a <= 12 else "13+"


CLOSED = frozenset(("ADP", "SCONJ", "CCONJ", "PART", "DET", "PRON", "AUX"))  # words kept whatever their length
BREAKS = frozenset((",", ";", ":", "—", "--", "–", "-", "("))
_STRINGS: dict = {}


class _Table:
    """Per-token attributes of a doc, read once through ``Doc.to_array`` (spaCy
    builds a Token object on every attribute access; the windows of many cues
    overlap). Subtree edges are computed from the heads."""

    __slots__ = ("pos", "tag", "dep", "word", "head", "left", "right", "quote", "sstart", "para", "idx")

    def __init__(self, doc):
        import numpy

        from .common import doc_text

        n = len(doc)
        arr = doc.to_array(["POS", "TAG", "DEP", "HEAD", "LOWER", "IS_ALPHA", "IS_SPACE", "IS_QUOTE",
                            "SENT_START", "IDX", "LENGTH"]) if n else numpy.zeros((0, 11), dtype="uint64")
        strings = doc.vocab.strings
        cache = _STRINGS

        def names(col):
            out = []
            for h in col:
                v = cache.get(h)
                if v is None:
                    v = cache[h] = strings[h]
                out.append(v)
            return out

        self.pos, self.tag, self.dep = names(arr[:, 0].tolist()), names(arr[:, 1].tolist()), names(arr[:, 2].tolist())
        alpha, space = arr[:, 5].astype(bool), arr[:, 6].astype(bool)
        words = []
        for lower, a, sp, p in zip(arr[:, 4].tolist(), alpha.tolist(), space.tolist(), self.pos):
            w = strings[lower]
            if sp or not w.isprintable():
                w = "_SP"
            elif a and len(w) > SHORT and p not in CLOSED:
                w = "_" + p
            words.append(w)
        self.word = words
        head = numpy.arange(n, dtype="int64") + arr[:, 3].astype("int64")
        self.head = head.tolist()
        self.quote = arr[:, 7].astype(bool).tolist()
        sst = arr[:, 8] == 1
        if n:
            sst[0] = True
        self.sstart = sst.tolist()
        idx = arr[:, 9].astype("int64")
        self.idx = idx.tolist()
        end = idx + arr[:, 10].astype("int64")
        text = doc_text(doc)
        nl = numpy.array([k for k, ch in enumerate(text) if ch == "\n"], dtype="int64")
        nxt = numpy.append(idx[1:], len(text))
        before_end, before_next, before_idx = (numpy.searchsorted(nl, x) for x in (end, nxt, idx))
        self.para = ((before_next > before_end) | (space & (before_end > before_idx))).tolist()
        left, right = numpy.arange(n, dtype="int64"), numpy.arange(n, dtype="int64")
        for _ in range(n):  # edges flow up the tree, one level a round (rounds = the tree's depth)
            new_left, new_right = left.copy(), right.copy()
            numpy.minimum.at(new_left, head, left)
            numpy.maximum.at(new_right, head, right)
            if numpy.array_equal(new_left, left) and numpy.array_equal(new_right, right):
                break
            left, right = new_left, new_right
        self.left, self.right = left.tolist(), right.tolist()


def table(doc) -> _Table:
    """The doc's token table, built once per Doc (memoised beside the Doc, never in ``doc.user_data``,
    which must stay plain data for ``Doc.to_bytes`` and ``n_process``)."""
    from .common import _memo

    return _memo(doc, "boundary_table", lambda: _Table(doc))


def _paint(out: list, s: int, tb: _Table, node: int, label: str, e: int) -> None:
    """Label ``node``'s subtree range (projective parse) inside [s, e)."""
    for i in range(max(s, tb.left[node]), min(e, tb.right[node] + 1)):
        out[i - s] = label


def _phrase(c: int, left, words, tags) -> str:
    """A phrase by its first word, a break (comma, dash) before it, and its head's tag."""
    a = left[c]
    return ("," if a and words[a - 1] in BREAKS else "") + words[a] + ">" + tags[c]


def static_features(tb: _Table, i: int, inq: bool) -> list[str]:
    """The features of token ``i`` that do not depend on the cue (the same in every window)."""
    out = ["bias", "p=" + tb.pos[i], "dep=" + tb.dep[i], "w=" + tb.word[i], "t=" + tb.tag[i]]
    if inq:
        out.append("inq")
    if tb.sstart[i]:
        out.append("sstart")
    if tb.para[i]:
        out.append("para")
    return out


def token_features(doc, f, s: int, e: int, rule: list[str], in_quote, heads, lexicon,
                   static: bool = True) -> list[list[str]]:
    """Feature lists for tokens s..e-1 of ``doc`` for attribution ``f`` (see module doc).
    ``rule``: the rules' O/B/I label per window token. Linear in the window. With
    ``static`` False the cue-independent features (``static_features``) are left out."""
    tb = table(doc)
    cue_i = f.head
    cue = doc[cue_i]
    n = e - s
    cl = lexicon.get(cue.lemma_.lower(), "none")
    hd, dep, pos, words = tb.head, tb.dep, tb.pos, tb.word
    cue_dep = dep[cue_i]
    branch = ["out"] * n
    sub = ["-"] * n
    root = hd[cue_i]
    kids, grand, siblings = [], [], []
    for i in range(s, e):  # one pass: the cue's children and grandchildren, its head's other children
        h = hd[i]
        if i == cue_i or h == i:
            continue
        if h == cue_i:
            kids.append(i)
        elif h == root:
            siblings.append(i)
        elif hd[h] == cue_i:
            grand.append(i)
    if root != cue_i:
        _paint(branch, s, tb, root, "h:" + dep[root], e)
        for c in siblings:
            _paint(branch, s, tb, c, "h:" + dep[c], e)
        if s <= root < e:
            branch[root - s] = "head"
    _paint(branch, s, tb, cue_i, "cue", e)
    kphr = ["-"] * n  # the phrase (child of the cue) holding the token: its first word, a break before it, its head's tag
    gphr = ["-"] * n  # the same one level deeper
    left, words_, tags = tb.left, tb.word, tb.tag
    for c in kids:
        _paint(branch, s, tb, c, dep[c], e)
        _paint(kphr, s, tb, c, _phrase(c, left, words_, tags), e)
        sub[c - s] = "top"
    for g in grand:
        _paint(sub, s, tb, g, dep[g], e)
        _paint(gphr, s, tb, g, dep[g] + _phrase(g, left, words_, tags), e)
    lemma = "cl=" + cue.lemma_.lower() + "|" if cl != "none" else None
    cs, ce = f.cue
    src = f.source or (-1, -1)
    out = []
    for k in range(n):
        i = s + k
        d = i - cue_i
        side = "C" if cs <= i < ce else "S" if src[0] <= i < src[1] else ("L" if d < 0 else "R")
        b = branch[k]
        r = rule[k]
        w = words[i]
        p = pos[i]
        inq = in_quote(i)
        feats = static_features(tb, i, inq) if static else []
        feats += ["r=" + r, "side=" + side, "sd=" + side + _dist(d), "b=" + b, "bs=" + b + "|" + sub[k],
                  "rb=" + r + b, "rside=" + r + side,
                  "bp=" + b + "|" + p, "bd=" + b + "|" + dep[i], "cls=" + cl + "|" + b, "cd=" + cue_dep + "|" + b,
                  "rw=" + r + w, "bw=" + b + "|" + w, "kp=" + b + kphr[k], "gp=" + gphr[k],
                  "rgp=" + r + gphr[k]]
        if lemma is not None:
            feats.append(lemma + b)
        if inq:
            feats.append("inq" + r)
        if tb.quote[i]:
            feats.append("qmark" + side)
        if i != cue_i and i in heads:
            feats.append("cuehead" + b)
        pw = words[i - 1] if k else "^"
        feats.append("pr=" + (rule[k - 1] if k else "^") + r)
        feats.append("nr=" + r + (rule[k + 1] if k + 1 < n else "$"))
        feats.append("pw=" + pw + "|" + b)
        feats.append("nw=" + (words[i + 1] if k + 1 < n else "$"))
        feats.append("pwr=" + pw + r)
        out.append(feats)
    return out


def rule_labels(doc, s: int, e: int, segs: list[tuple[int, int]]) -> list[str]:
    """O/B/I per token s..e-1 from character segments (sorted, disjoint)."""
    out = []
    prev = "O"
    k = 0
    for i in table(doc).idx[s:e]:
        while k < len(segs) and segs[k][1] <= i:
            k += 1
        inside = k < len(segs) and segs[k][0] <= i
        lab = ("I" if prev != "O" else "B") if inside else "O"
        out.append(lab)
        prev = lab
    return out


def spans_from_labels(labels: list[str], s: int) -> list[tuple[int, int]]:
    """Token ranges of the B/I runs (a B starts a new range)."""
    out: list[list[int]] = []
    for k, lab in enumerate(labels):
        if lab == "O":
            continue
        if lab == "B" or not out or out[-1][1] != s + k:
            out.append([s + k, s + k + 1])
        else:
            out[-1][1] = s + k + 1
    return [(a, b) for a, b in out]


def _static_scores(doc, crf: ChainCRF, in_quote, s: int, e: int) -> list[complex]:
    """Packed scores of ``static_features`` for tokens s..e-1, memoised per doc and model."""
    from .common import _memo

    tb = table(doc)
    memo = _memo(doc, "boundary_static", dict)
    cached = memo.get(crf)
    if cached is None:
        cached = memo[crf] = [None] * len(doc)
    missing = [i for i in range(s, e) if cached[i] is None]
    if missing:
        for i, z in zip(missing, crf.packed_sums([static_features(tb, i, in_quote(i)) for i in missing])):
            cached[i] = z
    return cached[s:e]


def refine(doc, f, segs: list[tuple[int, int]], crf: ChainCRF, in_quote, heads, lexicon, bounds):
    """Token ranges of ``f``'s content as the CRF labels them, given the rules'
    character segments ``segs``; None when the window is too long or the CRF
    finds no content (the caller keeps the rules' content)."""
    from .attribution_rules import _token_at

    rule_tokens = None
    if segs:
        a, b = _token_at(doc, segs[0][0]), _token_at(doc, segs[-1][1] - 1)
        if a is not None and b is not None:
            rule_tokens = (a, b + 1)
    win = window(doc, f, rule_tokens, bounds)
    if win is None:
        return None
    s, e = win
    rule = rule_labels(doc, s, e, segs)
    if crf.packed is None:
        emit = crf.emissions(token_features(doc, f, s, e, rule, in_quote, heads, lexicon))
    else:  # the cue-independent part of each token's score is summed once per doc
        fixed = _static_scores(doc, crf, in_quote, s, e)
        seq = token_features(doc, f, s, e, rule, in_quote, heads, lexicon, static=False)
        emit = [(0.0, z.real, z.imag) for z in map(complex.__add__, crf.packed_sums(seq), fixed)]
    labels, best = crf.viterbi(emit)
    if labels == rule or best - crf.path_score(emit, rule) < crf.margin:
        return None  # the CRF is not sure enough to overrule the rules
    spans = spans_from_labels(labels, s)
    return spans or None
