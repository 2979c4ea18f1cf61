"""Which articles report the same event, and which are republished copies of each other.

Both rest on TF-IDF cosine similarity (scikit-learn ``TfidfVectorizer``: sublinear
term frequency, English stop words removed, l2-normalised rows, so a dot product
is the cosine). Similarity is computed in row blocks of a sparse matrix, so memory
stays bounded on large corpora.

* Same-event grouping (used when no ``--event`` column is given): two articles are
  linked when their dates lie within ``window_days`` of each other and their
  cosine is at least ``event_threshold``; groups are the connected components
  (single-link clustering). Limits: single link can chain two neighbouring events
  into one group through a bridging article (a round-up that mentions both);
  articles on the same event that share few words (different languages,
  a short news flash against a long feature) stay apart; an article without a
  date is compared with every other article.
* Near-duplicates (republished wire copy): pairs of articles from different
  outlets whose cosine is at least ``dup_threshold``, with the number of
  sentences they share word for word (after lower-casing and dropping
  punctuation). High similarity says the texts share most of their words; it
  does not say who copied whom, nor that the copy was credited.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

EVENT_THRESHOLD = 0.2
DUP_THRESHOLD = 0.7
WINDOW_DAYS = 3
_BLOCK = 512


def _vectors(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1,
                          token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    try:
        return vec.fit_transform(texts)
    except ValueError:  # empty vocabulary: no text at all
        return None


def similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, cosine)`` with ``i < j`` and cosine >= threshold."""
    if len(texts) < 2:
        return []
    matrix = _vectors(texts)
    if matrix is None:
        return []
    pairs = []
    for lo in range(0, matrix.shape[0], _BLOCK):
        block = (matrix[lo:lo + _BLOCK] @ matrix.T).tocoo()
        for i, j, v in zip(block.row, block.col, block.data):
            i = int(i) + lo
            if i < j and v >= threshold:
                pairs.append((i, int(j), float(v)))
    return pairs


def _dates(values) -> pd.Series:
    return pd.to_datetime(pd.Series(list(values), dtype="object"), errors="coerce", format="mixed")


def event_groups(articles: pd.DataFrame, texts: dict[str, str], window_days: int = WINDOW_DAYS,
                 threshold: float = EVENT_THRESHOLD) -> pd.DataFrame:
    """Group articles into events by similarity within a date window.

    ``articles`` needs ``article_id`` and ``date``; returns one row per article:
    article_id, event_group (``e1``, ``e2``, ... ordered by first date),
    max_similarity (the highest cosine to another member; empty for a lone article).
    """
    ids = list(articles["article_id"])
    if not ids:
        return pd.DataFrame(columns=["article_id", "event_group", "max_similarity"])
    dates = _dates(articles["date"] if "date" in articles else [None] * len(ids))
    docs = [texts.get(a, "") or "" for a in ids]
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best = [np.nan] * len(ids)
    for i, j, v in similar_pairs(docs, threshold):
        di, dj = dates.iloc[i], dates.iloc[j]
        if pd.notna(di) and pd.notna(dj) and abs((di - dj).days) > window_days:
            continue
        parent[find(i)] = find(j)
        best[i] = v if np.isnan(best[i]) else max(best[i], v)
        best[j] = v if np.isnan(best[j]) else max(best[j], v)
    roots = [find(i) for i in range(len(ids))]
    first: dict[int, tuple] = {}
    for i, r in enumerate(roots):
        key = (dates.iloc[i] if pd.notna(dates.iloc[i]) else pd.Timestamp.max, ids[i])
        first[r] = min(first.get(r, key), key)
    order = {r: n for n, r in enumerate(sorted(first, key=lambda r: first[r]), start=1)}
    return pd.DataFrame({"article_id": ids, "event_group": [f"e{order[r]}" for r in roots],
                         "max_similarity": best})


def _norm_sentence(s: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", s.lower()))


def near_duplicates(articles: pd.DataFrame, texts: dict[str, str], sentences: dict[str, list[str]],
                    across: str = "outlet", threshold: float = DUP_THRESHOLD) -> pd.DataFrame:
    """Pairs of articles from different ``across`` values with cosine >= threshold."""
    cols = ["article_a", "article_b", "outlet_a", "outlet_b", "date_a", "date_b", "similarity",
            "shared_sentences", "sentences_a", "sentences_b", "origin_a", "origin_b"]
    ids = list(articles["article_id"])
    docs = [texts.get(a, "") or "" for a in ids]
    rows = []
    col = across if across in articles else None
    for i, j, v in similar_pairs(docs, threshold):
        a, b = articles.iloc[i], articles.iloc[j]
        if col is not None and str(a[col]) == str(b[col]):
            continue
        sa = [s for s in (_norm_sentence(x) for x in sentences.get(ids[i], [])) if len(s.split()) >= 5]
        sb = {s for s in (_norm_sentence(x) for x in sentences.get(ids[j], [])) if len(s.split()) >= 5}
        rows.append([ids[i], ids[j], a.get("outlet", ""), b.get("outlet", ""), a.get("date", ""), b.get("date", ""),
                     round(v, 3), sum(1 for s in sa if s in sb), len(sa), len(sb),
                     a.get("origin_agency", ""), b.get("origin_agency", "")])
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("similarity", ascending=False, ignore_index=True)
