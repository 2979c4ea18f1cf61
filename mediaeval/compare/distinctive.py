"""Distinctive words per group: Monroe, Colaresi & Quinn (2008) "Fightin' Words".

For a word w, group i and the rest of the corpus j, with counts y and word totals n:

    δ_w = ln[(y_i+α_w)/(n_i+α_0−y_i−α_w)] − ln[(y_j+α_w)/(n_j+α_0−y_j−α_w)]
    σ²_w ≈ 1/(y_i+α_w) + 1/(y_j+α_w),      z_w = δ_w / σ_w

with an informative Dirichlet prior α_w = α_0 × (share of w in the whole corpus),
α_0 = 1,000 words or the corpus size if smaller.
The prior pulls rare words towards the corpus average, so a word used twice by one
outlet does not top the list. A word is listed for a group only when z ≥ the stated
threshold (1.96, about p < .05 for one word taken alone), it occurs at least
``min_count`` times in the group and, in a group of several articles, in at least
two of them (so one article's topic does not pass as the outlet's habit).

Limits: words are counted as unigrams after lower-casing, without English stop
words; the z-scores are not corrected for testing thousands of words at once, so
read them as a ranking, not as proof; differences in topic (which events an outlet
covered) show up as "distinctive" as readily as differences in framing.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
import pandas as pd

from ..voice import VOICES

ALPHA0 = 1000.0
Z_THRESHOLD = 1.96
MIN_COUNT = 3
TOP = 25
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"

COLUMNS = ["group", "term", "count_group", "count_rest", "words_group", "words_rest", "per_1k_group",
           "per_1k_rest", "delta", "z", "articles_with_term", "group_articles",
           *(f"count_{v}" for v in VOICES), "example_article_id", "example_sentence_index", "example_sentence",
           "evidence"]


def log_odds(y_i, y_j, n_i: float, n_j: float, alpha_w, alpha0: float):
    """δ and z of Monroe et al. (2008), eq. 22 and 20; arrays or scalars."""
    y_i, y_j, alpha_w = (np.asarray(v, dtype=float) for v in (y_i, y_j, alpha_w))
    delta = (np.log((y_i + alpha_w) / (n_i + alpha0 - y_i - alpha_w))
             - np.log((y_j + alpha_w) / (n_j + alpha0 - y_j - alpha_w)))
    sigma = np.sqrt(1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w))
    return delta, delta / sigma


class WordCounts:
    """Per-group word and document counts, a document at a time: what ``CountVectorizer`` (lower-cased,
    English stop words, ``TOKEN_PATTERN``) over all documents gives, without its document x word
    matrix. Each batch of documents is folded into a group x word matrix, whose size grows with the
    vocabulary and the groups, not with the number of documents."""

    def __init__(self):
        from sklearn.feature_extraction.text import CountVectorizer

        self.analyse = CountVectorizer(lowercase=True, stop_words="english",
                                       token_pattern=TOKEN_PATTERN).build_analyzer()
        self.words: dict[str, int] = {}
        self.groups: dict[str, int] = {}
        self.docs: dict[str, int] = {}  # documents per group
        self.y = self.present = None  # group x word: occurrences, documents with the word
        self.pending: list = []

    def add(self, group: str, text: str) -> None:
        from collections import Counter

        g = self.groups.setdefault(group, len(self.groups))
        self.docs[group] = self.docs.get(group, 0) + 1
        counts = Counter(self.analyse(text))
        ids = np.fromiter((self.words.setdefault(w, len(self.words)) for w in counts), dtype=np.int64,
                          count=len(counts))
        self.pending.append((g, ids, np.fromiter(counts.values(), dtype=np.int64, count=len(counts))))
        if len(self.pending) >= 256:
            self._fold()

    def _fold(self) -> None:
        from scipy import sparse

        if not self.pending:
            return
        shape = (len(self.groups), len(self.words))
        rows = np.concatenate([np.full(len(ids), g, dtype=np.int64) for g, ids, _ in self.pending])
        cols = np.concatenate([ids for _, ids, _ in self.pending])
        n = np.concatenate([c for _, _, c in self.pending])
        self.pending = []
        y = sparse.csr_matrix((n, (rows, cols)), shape=shape, dtype=np.int64)
        present = sparse.csr_matrix((np.ones(len(n), dtype=np.int64), (rows, cols)), shape=shape)
        if self.y is None:
            self.y, self.present = y, present
        else:
            self.y = _grown(self.y, shape) + y
            self.present = _grown(self.present, shape) + present

    def totals(self):
        """Words in sorted order (``CountVectorizer``'s), and per group, as a function giving
        ``(occurrences, documents with the word, documents)`` over them: dense rows, one group at a time."""
        self._fold()
        if not self.words:
            return [], {}
        order = sorted(self.words)
        columns = np.fromiter((self.words[w] for w in order), dtype=np.int64, count=len(order))
        shape = (len(self.groups), len(self.words))
        y, present = _grown(self.y, shape).tocsr(), _grown(self.present, shape).tocsr()

        def row(group: str):
            g = self.groups[group]
            return (y[g].toarray().ravel()[columns], present[g].toarray().ravel()[columns], self.docs[group])

        return order, {group: (lambda group=group: row(group)) for group in self.groups}


def _grown(m, shape):
    """``m`` with more rows and columns of zeros (the groups and words seen since)."""
    from scipy import sparse

    if m.shape == shape:
        return m
    m = m.tocoo()
    return sparse.csr_matrix((m.data, (m.row, m.col)), shape=shape, dtype=m.dtype)


def _pieces(docs):
    """``docs`` as an iterable of frames: a frame, or a function giving the frames (read again per pass)."""
    return (lambda: iter([docs])) if isinstance(docs, pd.DataFrame) else docs


def distinctive_terms(docs, sentences: pd.DataFrame | None = None,
                      voice_spans=None,
                      alpha0: float = ALPHA0, z_threshold: float = Z_THRESHOLD,
                      min_count: int = MIN_COUNT, top: int = TOP, sentence_text=None) -> pd.DataFrame:
    """Words over-represented in each group against the rest of the corpus.

    ``docs`` has article_id, group, text (or is a function giving such frames, batch by batch,
    once for the counts and once for the evidence). ``sentences`` (article_id, sentence_index,
    start, end, text) give the example sentence; ``voice_spans`` (per article,
    ``(start, end, voice)`` of the stretches in a source's words; a mapping or a function of
    article id and text) split each word's
    occurrences by voice (``count_<voice>``, every voice of ``voice.VOICES``; the
    rest is own voice). ``sentence_text`` (``.get((article_id, sentence_index))``) gives the
    example's text when ``sentences`` has no text column.
    Returns up to ``top`` words per group, highest z first.
    """
    pieces = _pieces(docs)
    counts = WordCounts()
    for f in pieces():
        for g, text in zip(f["group"].astype(str), f["text"].astype("string").fillna("").astype(str)):
            if text.strip() != "":
                counts.add(g, text)
    if len(counts.groups) < 2:
        return pd.DataFrame(columns=COLUMNS)
    words, per_group = counts.totals()
    if not words:
        return pd.DataFrame(columns=COLUMNS)
    vocab = np.array(words)
    total = np.zeros(len(words), dtype=np.int64)
    for group_row in per_group.values():
        total += group_row()[0]
    total = total.astype(float)
    N = total.sum()
    alpha0 = min(alpha0, N)  # the prior never outweighs the corpus it is drawn from
    alpha = alpha0 * total / N
    rows = []
    for g in sorted(per_group):
        y_i, in_docs, n_docs = per_group[g]()
        y_i = y_i.astype(float)
        n_i = y_i.sum()
        y_j, n_j = total - y_i, N - n_i
        need_docs = 2 if n_docs >= 2 else 1
        cand = np.flatnonzero((y_i >= min_count) & (in_docs >= need_docs))
        if cand.size == 0 or n_j <= 0:
            continue
        delta, z = log_odds(y_i[cand], y_j[cand], n_i, n_j, alpha[cand], alpha0)
        keep = z >= z_threshold
        order = np.argsort(-z[keep])[:top]
        for k in order:
            w = cand[keep][k]
            rows.append({"group": g, "term": vocab[w], "count_group": int(y_i[w]), "count_rest": int(y_j[w]),
                         "words_group": int(n_i), "words_rest": int(n_j),
                         "per_1k_group": round(1000 * y_i[w] / n_i, 2), "per_1k_rest": round(1000 * y_j[w] / n_j, 2),
                         "delta": round(float(delta[keep][k]), 3), "z": round(float(z[keep][k]), 2),
                         "articles_with_term": int(in_docs[w]), "group_articles": int(n_docs)})
    out = pd.DataFrame(rows, columns=COLUMNS[:COLUMNS.index("group_articles") + 1])
    return _add_evidence(out, pieces, sentences, voice_spans or {}, sentence_text)


def _add_evidence(out: pd.DataFrame, pieces, sentences: pd.DataFrame | None, voiced,
                  sentence_text=None) -> pd.DataFrame:
    """Counts per voice, an example sentence and up to five evidence links per word: one more pass
    over the documents (in their order), each scanned for the words listed for its group."""
    rows_of = {g: list(rows) for g, rows in out.groupby("group", sort=False).indices.items()} if len(out) else {}
    patterns = [re.compile(r"(?<![^\W\d_])" + re.escape(t) + r"(?![^\W\d_])", re.IGNORECASE) for t in out["term"]]
    counts = [dict.fromkeys(VOICES, 0) for _ in patterns]
    examples: list = [(None, None, "") for _ in patterns]
    evidence: list = [[] for _ in patterns]
    sents_of = sentences.groupby("article_id", sort=False).indices \
        if sentences is not None and not sentences.empty else {}
    for f in pieces() if rows_of else ():
        for a, g, text in zip(f["article_id"], f["group"].astype(str),
                              f["text"].astype("string").fillna("").astype(str)):
            if g not in rows_of or text.strip() == "":
                continue
            spans = voiced(a, text) if callable(voiced) else voiced.get(a, [])
            sf = sentences.iloc[sents_of[a]].sort_values("start") if a in sents_of else None
            starts = list(sf["start"]) if sf is not None else []
            for r in rows_of[g]:
                for m in patterns[r].finditer(text):
                    voice = next((v for s, e, v in spans if s <= m.start() < e), "own")
                    counts[r][voice if voice in counts[r] else "own"] += 1
                    if sf is not None and starts:
                        k = max(bisect_right(starts, m.start()) - 1, 0)
                        idx = int(sf["sentence_index"].iloc[k])
                        if (a, idx) not in evidence[r] and len(evidence[r]) < 5:
                            evidence[r].append((a, idx))
                        if examples[r][0] is None:
                            examples[r] = (a, idx, str(sf["text"].iloc[k]) if "text" in sf
                                           else sentence_text.get((a, idx), ""))
    for v in VOICES:
        out[f"count_{v}"] = [c[v] for c in counts]
    out["example_article_id"] = [e[0] or "" for e in examples]
    out["example_sentence_index"] = [e[1] if e[1] is not None else pd.NA for e in examples]
    out["example_sentence"] = [e[2] for e in examples]
    out["evidence"] = ["; ".join(f"{a}#s{i}" for a, i in ev) for ev in evidence]
    return out
