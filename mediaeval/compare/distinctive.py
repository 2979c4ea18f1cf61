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


def distinctive_terms(docs: pd.DataFrame, sentences: pd.DataFrame | None = None,
                      voice_spans: dict[str, list[tuple[int, int, str]]] | None = None,
                      alpha0: float = ALPHA0, z_threshold: float = Z_THRESHOLD,
                      min_count: int = MIN_COUNT, top: int = TOP, sentence_text=None) -> pd.DataFrame:
    """Words over-represented in each group against the rest of the corpus.

    ``docs`` has article_id, group, text. ``sentences`` (article_id, sentence_index,
    start, end, text) give the example sentence; ``voice_spans`` (per article,
    ``(start, end, voice)`` of the stretches in a source's words) split each word's
    occurrences by voice (``count_<voice>``, every voice of ``voice.VOICES``; the
    rest is own voice). ``sentence_text`` (``.get((article_id, sentence_index))``) gives the
    example's text when ``sentences`` has no text column. Returns up to ``top`` words per group, highest z first.
    """
    docs = docs[docs["text"].astype("string").fillna("").astype(str).str.strip() != ""]
    if docs.empty or docs["group"].nunique() < 2:
        return pd.DataFrame(columns=COLUMNS)
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(lowercase=True, stop_words="english", token_pattern=TOKEN_PATTERN)
    try:
        X = vec.fit_transform(docs["text"].fillna("")).tocsr()
    except ValueError:
        return pd.DataFrame(columns=COLUMNS)
    vocab = np.array(vec.get_feature_names_out())
    total = np.asarray(X.sum(axis=0)).ravel().astype(float)
    N = total.sum()
    alpha0 = min(alpha0, N)  # the prior never outweighs the corpus it is drawn from
    alpha = alpha0 * total / N
    groups = docs["group"].astype(str).to_numpy()
    rows = []
    for g in sorted(set(groups)):
        mask = groups == g
        Xg = X[mask]
        y_i = np.asarray(Xg.sum(axis=0)).ravel().astype(float)
        in_docs = np.asarray((Xg > 0).sum(axis=0)).ravel()
        n_i = y_i.sum()
        y_j, n_j = total - y_i, N - n_i
        need_docs = 2 if mask.sum() >= 2 else 1
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
                         "articles_with_term": int(in_docs[w]), "group_articles": int(mask.sum())})
    out = pd.DataFrame(rows, columns=COLUMNS[:COLUMNS.index("group_articles") + 1])
    return _add_evidence(out, docs, sentences, voice_spans or {}, sentence_text)


def _add_evidence(out: pd.DataFrame, docs: pd.DataFrame, sentences: pd.DataFrame | None,
                  voiced: dict[str, list[tuple[int, int, str]]], sentence_text=None) -> pd.DataFrame:
    """Counts per voice, an example sentence and up to five evidence links per word."""
    texts = dict(zip(docs["article_id"], docs["text"].fillna("")))
    by_group = docs.groupby(docs["group"].astype(str))["article_id"].apply(list).to_dict()
    sents: dict[str, pd.DataFrame] = {}
    if sentences is not None and not sentences.empty:
        sents = {a: f.sort_values("start") for a, f in sentences.groupby("article_id")}
    n_fixed = COLUMNS.index("group_articles") + 1
    extra = {c: [] for c in COLUMNS[n_fixed:]}
    for row in out.itertuples(index=False):
        pattern = re.compile(r"(?<![^\W\d_])" + re.escape(row.term) + r"(?![^\W\d_])", re.IGNORECASE)
        counts = dict.fromkeys(VOICES, 0)
        example = (None, None, "")
        evidence = []
        for a in by_group.get(row.group, []):
            spans = voiced.get(a, [])
            sf = sents.get(a)
            starts = list(sf["start"]) if sf is not None else []
            for m in pattern.finditer(texts.get(a, "")):
                voice = next((v for s, e, v in spans if s <= m.start() < e), "own")
                counts[voice if voice in counts else "own"] += 1
                if sf is not None and starts:
                    k = max(bisect_right(starts, m.start()) - 1, 0)
                    idx = int(sf["sentence_index"].iloc[k])
                    if (a, idx) not in evidence and len(evidence) < 5:
                        evidence.append((a, idx))
                    if example[0] is None:
                        example = (a, idx, str(sf["text"].iloc[k]) if "text" in sf
                                   else sentence_text.get((a, idx), ""))
        for v, n in counts.items():
            extra[f"count_{v}"].append(n)
        extra["example_article_id"].append(example[0] or "")
        extra["example_sentence_index"].append(example[1] if example[1] is not None else pd.NA)
        extra["example_sentence"].append(example[2])
        extra["evidence"].append("; ".join(f"{a}#s{i}" for a, i in evidence))
    for c, values in extra.items():
        out[c] = values
    return out
