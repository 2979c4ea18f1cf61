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
cue's head), part of speech, dependency label, the word for short closed-class
words and punctuation, quotation context, paragraph and sentence edges, other
cue heads and the source; plus the neighbours' rule labels and words.

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

from ..lexicons import bundled_path

MODEL_FILE = "attribution_content_crf.json"
LABELS = ("O", "B", "I")
SHORT = 4  # words up to this length are features themselves (that, to, of, and, who ...)


class ChainCRF:
    """A linear-chain CRF: ``weights[feature] = [w_label...]``, ``trans[a][b]``."""

    def __init__(self, spec: dict):
        self.labels = tuple(spec["labels"])
        self.weights = spec["weights"]
        self.trans = spec["transitions"]

    def tag(self, seq: list[list[str]]) -> list[str]:
        """Viterbi: the best label sequence for the per-token feature lists."""
        n_lab = len(self.labels)
        get = self.weights.get
        zero = [0.0] * n_lab
        trans = self.trans
        score = None
        back = []
        for feats in seq:
            emit = list(zero)
            for f in feats:
                w = get(f)
                if w is not None:
                    for k in range(n_lab):
                        emit[k] += w[k]
            if score is None:
                score = emit
                continue
            new, ptr = [], []
            for b in range(n_lab):
                best_a = max(range(n_lab), key=lambda a: score[a] + trans[a][b])
                new.append(score[best_a] + trans[best_a][b] + emit[b])
                ptr.append(best_a)
            score = new
            back.append(ptr)
        if score is None:
            return []
        k = max(range(n_lab), key=lambda a: score[a])
        out = [k]
        for ptr in reversed(back):
            k = ptr[k]
            out.append(k)
        return [self.labels[k] for k in reversed(out)]


@lru_cache(maxsize=1)
def load_crf() -> ChainCRF | None:
    """The shipped content CRF (None when the file is absent: rules only)."""
    path = bundled_path(MODEL_FILE)
    if not path.exists():
        return None
    return ChainCRF(json.loads(path.read_text(encoding="utf-8")))


MAX_WINDOW = 160  # longer windows keep the rules' content (bounds the cost per cue)


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


def _paint(out: list, s: int, node, label: str, e: int) -> None:
    """Label ``node``'s subtree range (projective parse) inside [s, e)."""
    for i in range(max(s, node.left_edge.i), min(e, node.right_edge.i + 1)):
        out[i - s] = label


def token_features(doc, f, s: int, e: int, rule: list[str], in_quote, heads, lexicon) -> list[list[str]]:
    """Feature lists for tokens s..e-1 of ``doc`` for attribution ``f`` (see module doc).
    ``rule``: the rules' O/B/I label per window token. Linear in the window."""
    cue = doc[f.head]
    n = e - s
    cl = lexicon.get(cue.lemma_.lower(), "none")
    cue_dep = cue.dep_
    branch = ["out"] * n
    sub = ["-"] * n
    root = cue.head
    toks = doc[s:e]
    kids, grand, siblings = [], [], []
    for t in toks:  # one pass: the cue's children and grandchildren, its head's other children
        h = t.head
        if t.i == cue.i or h.i == t.i:
            continue
        if h.i == cue.i:
            kids.append(t)
        elif h.i == root.i:
            siblings.append(t)
        elif h.head.i == cue.i:
            grand.append(t)
    if root.i != cue.i:
        _paint(branch, s, root, "h:" + root.dep_, e)
        for c in siblings:
            _paint(branch, s, c, "h:" + c.dep_, e)
        if s <= root.i < e:
            branch[root.i - s] = "head"
    _paint(branch, s, cue, "cue", e)
    for c in kids:
        _paint(branch, s, c, c.dep_, e)
        sub[c.i - s] = "top"
    for g in grand:
        _paint(sub, s, g, g.dep_, e)
    cs, ce = f.cue
    src = f.source or (-1, -1)
    out = []
    words = []
    for t in toks:
        w = t.lower_
        words.append(w if (len(w) <= SHORT or not t.is_alpha) else "_" + t.pos_)
    for k, t in enumerate(toks):
        i = t.i
        d = i - cue.i
        side = "C" if cs <= i < ce else "S" if src[0] <= i < src[1] else ("L" if d < 0 else "R")
        b = branch[k]
        r = rule[k]
        feats = ["bias", "r=" + r, "side=" + side, "sd=" + side + _dist(d), "b=" + b, "bs=" + b + "|" + sub[k],
                 "p=" + t.pos_, "dep=" + t.dep_, "w=" + words[k], "rb=" + r + b, "rside=" + r + side,
                 "bp=" + b + "|" + t.pos_, "bd=" + b + "|" + t.dep_, "cls=" + cl + "|" + b, "cd=" + cue_dep + "|" + b,
                 "rw=" + r + words[k], "bw=" + b + "|" + words[k]]
        if in_quote(i):
            feats.append("inq")
            feats.append("inq" + r)
        if t.is_quote:
            feats.append("qmark" + side)
        if t.is_sent_start:
            feats.append("sstart")
        if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text):
            feats.append("para")
        if i != f.head and i in heads:
            feats.append("cuehead" + b)
        prev_r = rule[k - 1] if k else "^"
        next_r = rule[k + 1] if k + 1 < n else "$"
        feats.append("pr=" + prev_r + r)
        feats.append("nr=" + r + next_r)
        feats.append("pw=" + (words[k - 1] if k else "^") + "|" + b)
        feats.append("nw=" + (words[k + 1] if k + 1 < n else "$"))
        feats.append("pwr=" + (words[k - 1] if k else "^") + r)
        out.append(feats)
    return out


def rule_labels(doc, s: int, e: int, segs: list[tuple[int, int]]) -> list[str]:
    """O/B/I per token s..e-1 from character segments."""
    out = []
    prev = "O"
    for t in doc[s:e]:
        inside = any(a <= t.idx < b for a, b in segs)
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
    labels = crf.tag(token_features(doc, f, s, e, rule_labels(doc, s, e, segs), in_quote, heads, lexicon))
    spans = spans_from_labels(labels, s)
    return spans or None
