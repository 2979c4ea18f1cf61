"""Which articles report the same event.

Same-event grouping (used when no ``--event`` column is given)
--------------------------------------------------------------
Average-link agglomerative clustering of articles on a sparse similarity graph
built inside date blocks.

* **What is compared.** Each article is the title plus its *lead* (the first
  ``LEAD_WORDS`` words of the body): the lead says what happened, while the rest
  of a long article drifts into background that neighbouring events share. Two
  TF-IDF spaces are fitted on the corpus (scikit-learn, sublinear tf, English stop
  words, words of two or more letters): titles and leads. The similarity of two
  articles is ``TITLE_WEIGHT`` x title cosine + (1 - ``TITLE_WEIGHT``) x lead
  cosine, minus ``DAY_PENALTY`` per day between their dates.
* **Blocking on date.** Only articles whose dates lie within ``window_days`` of
  each other are compared, a block of date-sorted articles against its window at
  a time, and
  each article keeps at most ``NEIGHBOURS`` neighbours above half the threshold.
  No all-pairs matrix is built: memory grows with the number of kept edges, not
  with the square of the corpus. An article without a date is compared with every
  article in row blocks (slow when many lack dates).
* **Clustering.** Average link: two groups merge while the mean similarity over
  all their article pairs (missing edges count 0) is at least ``threshold``.
  Unlike single link (the earlier method), one bridging article cannot chain two
  neighbouring events together. Afterwards a lone article joins the group of its
  most similar article when that similarity is at least ``ATTACH`` x threshold
  (a short or late report of an event whose mean similarity to a big group falls
  just short).
* **Why together.** Every group lists the words its members share, ranked by
  the summed TF-IDF weight of the word over the members that contain it, and is
  labelled with the title of its most central member (highest mean similarity to
  the others).

The settings were chosen on the two development sets in ``../shared/data``
(Dai 2017 same-event clusters, BASIL triplets), with a split-half check; see
``benchmarks/compare_grouping.py`` and the README for the figures (Dai 2017
pairwise F1 0.917, BASIL 1.000; the former single link scored 0.729 and 0.974).
The remaining Dai errors are two clusters on one scandal a day apart (the
disclosure and the next day's reactions), which the words alone do not separate.

Limits: two stories on one topic a day apart can still merge or split against a
human's call; in a very small corpus (ten articles) TF-IDF weights are poor and
two same-day stories on one war can merge; articles in different languages, or a
news flash against a long feature, share few words and stay apart; an event
covered by more than ``NEIGHBOURS`` articles keeps only its strongest edges and
may split.

Republished copy
----------------
Which articles republish another's sentences, and what they changed, is
``compare.republished`` (sentence alignment, not whole-text similarity).
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

EVENT_THRESHOLD = 0.16
WINDOW_DAYS = 3
LEAD_WORDS = 200
TITLE_WEIGHT = 0.2
DAY_PENALTY = 0.04
NEIGHBOURS = 30
ATTACH = 0.6  # a lone article joins its nearest group at >= ATTACH x threshold
SHARED_TERMS = 6
_BLOCK = 512
_CELLS = 2_000_000
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1, token_pattern=_TOKEN)


def _vectors(texts: list[str]):
    try:
        return _vectorizer().fit_transform(texts)
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


def _lead(text: str, words: int = LEAD_WORDS) -> str:
    return " ".join(text.split()[:words])


def _split_title(text: str) -> tuple[str, str]:
    """(title, body) of a text whose first paragraph may be its title."""
    head, sep, rest = text.strip().partition("\n")
    if sep and len(head.split()) <= 25 and rest.strip():
        return head, rest
    return "", text


def event_space(titles: list[str], bodies: list[str], title_weight: float = TITLE_WEIGHT,
                lead_words: int = LEAD_WORDS):
    """Sparse l2 rows whose dot product is the weighted title + lead cosine, and the term names.

    Returns ``(matrix, lead_matrix, lead_terms)``; ``lead_matrix`` (the lead TF-IDF) serves to
    explain groups.
    """
    from scipy import sparse

    leads = [_lead(b, lead_words) for b in bodies]
    lead_vec = _vectorizer()
    try:
        lead_m = lead_vec.fit_transform([f"{t} {x}" for t, x in zip(titles, leads)])
        terms = lead_vec.get_feature_names_out()
    except ValueError:
        return None, None, []
    parts = [np.sqrt(1 - title_weight) * lead_m]
    if title_weight and any(t.strip() for t in titles):
        try:
            parts.insert(0, np.sqrt(title_weight) * _vectorizer().fit_transform(titles))
        except ValueError:
            parts = [lead_m]
    else:
        parts = [lead_m]
    return sparse.hstack(parts, format="csr"), lead_m.tocsr(), list(terms)


def event_edges(matrix, days: np.ndarray, window_days: int = WINDOW_DAYS, floor: float = 0.07,
                day_penalty: float = DAY_PENALTY, neighbours: int = NEIGHBOURS) -> dict[tuple[int, int], float]:
    """Sparse similarity graph ``{(i, j): sim}`` (i < j) within date blocks.

    ``days`` holds each article's date as a day number (NaN when unknown). Articles sorted by
    date are taken in blocks of consecutive rows and compared with the articles of the
    surrounding window only (a dense block never exceeds ``_CELLS`` cells); each row keeps
    its ``neighbours`` best edges at or above ``floor``.
    """
    n = matrix.shape[0]
    known = ~np.isnan(days)
    order = np.argsort(np.where(known, days, np.inf), kind="stable")
    dated = order[: int(known.sum())]
    undated = order[int(known.sum()):]
    sorted_days = days[dated]
    edges: dict[tuple[int, int], float] = {}

    def keep_block(rm, rows: np.ndarray, cm, cols: np.ndarray) -> None:
        sims = (rm @ cm.T).toarray()
        gap = np.abs(days[rows][:, None] - days[cols][None, :])
        sims = sims - day_penalty * np.nan_to_num(gap, nan=0.0)
        sims[gap > window_days] = -1.0
        k = min(neighbours, sims.shape[1] - 1)
        for a, row in zip(rows, sims):
            for c in np.argpartition(-row, k)[:k + 1]:
                b, v = int(cols[c]), float(row[c])
                if b != a and v >= floor:
                    key = (min(a, b), max(a, b))
                    edges[key] = max(edges.get(key, v), v)

    def keep(rows: np.ndarray, cols: np.ndarray) -> None:
        step = max(1, min(_BLOCK, _CELLS // max(1, len(cols))))  # a dense block holds at most _CELLS cells
        cm = matrix[cols]
        for lo in range(0, len(rows), step):
            r = rows[lo:lo + step]
            keep_block(matrix[r], r, cm, cols)

    if len(dated):
        m = matrix[dated]  # sorted by date, so a run of days is a contiguous slice
        lo = 0
        while lo < len(dated):
            hi = min(len(dated), lo + _BLOCK)
            wlo = int(np.searchsorted(sorted_days, sorted_days[lo] - window_days, side="left"))
            whi = int(np.searchsorted(sorted_days, sorted_days[hi - 1] + window_days, side="right"))
            if (hi - lo) * (whi - wlo) > _CELLS:  # a crowded window: fewer rows per block
                hi = lo + max(1, _CELLS // (whi - wlo))
                whi = int(np.searchsorted(sorted_days, sorted_days[hi - 1] + window_days, side="right"))
            keep_block(m[lo:hi], dated[lo:hi], m[wlo:whi], dated[wlo:whi])
            lo = hi
    if len(undated):
        keep(undated, np.arange(n))
    return edges


def average_link(n: int, edges: dict[tuple[int, int], float], threshold: float) -> list[int]:
    """Average-link clustering on a sparse graph; returns a cluster root per item.

    Two clusters merge while the mean similarity over all their cross pairs (absent
    edges count 0) is at least ``threshold``; the best such pair merges first.
    """
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (a, b), v in edges.items():
        links[a][b] = links[a].get(b, 0.0) + v
        links[b][a] = links[b].get(a, 0.0) + v
    size = [1] * n
    parent_of: dict[int, int] = {}
    alive = [True] * n
    heap = [(-v, a, b) for (a, b), v in edges.items() if v >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or b not in links[a]:
            continue
        mean = links[a][b] / (size[a] * size[b])
        if abs(mean + neg) > 1e-12:  # stale entry: the pair's mean changed since it was pushed
            continue
        if len(links[a]) < len(links[b]):
            a, b = b, a
        alive[b] = False
        for c, w in links.pop(b).items():
            del links[c][b]
            if c == a:
                continue
            links[a][c] = links[a].get(c, 0.0) + w
            links[c][a] = links[a][c]
        size[a] += size[b]
        for c, w in links[a].items():
            m = w / (size[a] * size[c])
            if m >= threshold:
                heapq.heappush(heap, (-m, min(a, c), max(a, c)))
        links[a].pop(a, None)
        parent_of[b] = a
    roots = []
    for i in range(n):
        r = i
        while parent_of.get(r, r) != r:
            r = parent_of[r]
        roots.append(r)
    return roots


def attach_singletons(roots: list[int], edges: dict[tuple[int, int], float], floor: float) -> list[int]:
    """A lone article joins the group of its most similar article when that similarity is >= floor."""
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    best: dict[int, tuple[float, int]] = {}
    for (i, j), v in edges.items():
        for a, b in ((i, j), (j, i)):
            if sizes[roots[a]] == 1 and v >= floor and v > best.get(a, (-1.0, -1))[0]:
                best[a] = (v, b)
    out = list(roots)
    for a, (_, b) in sorted(best.items()):
        if sizes[roots[b]] > 1 or (b in best and best[b][1] == a and a < b):
            out[a] = roots[b]
    return out


def _explain(members: list[int], lead_m, terms: list[str], edges: dict, titles: list[str],
             k: int = SHARED_TERMS) -> tuple[str, str, float]:
    """(shared terms, label, mean within-group similarity) of one group."""
    sub = lead_m[members]  # only the members' non-zero columns are touched (no vocabulary-sized vectors)
    cols, inv = np.unique(sub.indices, return_inverse=True)
    weight = np.bincount(inv, weights=sub.data, minlength=len(cols))
    if len(members) > 1:
        weight = weight * (np.bincount(inv, minlength=len(cols)) >= 2)
    top = [terms[cols[t]] for t in np.argsort(-weight, kind="stable")[:k] if weight[t] > 0]
    centre, mean = members[0], float("nan")
    if len(members) > 1:
        totals = {m: sum(edges.get((min(m, o), max(m, o)), 0.0) for o in members if o != m) for m in members}
        centre = max(members, key=lambda m: (totals[m], -m))
        pairs = len(members) * (len(members) - 1) / 2
        mean = sum(totals.values()) / 2 / pairs
    label = titles[centre].strip() or ", ".join(top[:3])
    return ", ".join(top), label[:120], mean


def event_groups(articles: pd.DataFrame, texts: dict[str, str], window_days: int = WINDOW_DAYS,
                 threshold: float = EVENT_THRESHOLD) -> pd.DataFrame:
    """Group articles into events: average link over title + lead similarity inside date blocks.

    ``articles`` needs ``article_id`` and ``date`` (``title`` is used when present; otherwise a
    short first line of the text stands for it). Returns one row per article:
    article_id, event_group (``e1``, ``e2``, ... ordered by first date), max_similarity (the
    highest similarity to another member; empty for a lone article), shared_terms (the
    words that hold the group together), group_label (the title of the most central member),
    group_similarity (the mean similarity over the group's pairs).
    """
    cols = ["article_id", "event_group", "max_similarity", "shared_terms", "group_label", "group_similarity"]
    ids = [str(a) for a in articles["article_id"]]
    if not ids:
        return pd.DataFrame(columns=cols)
    dates = _dates(articles["date"] if "date" in articles else [None] * len(ids))
    given = list(articles["title"].fillna("").astype(str)) if "title" in articles else [""] * len(ids)
    titles, bodies = [], []
    for a, t in zip(ids, given):
        text = texts.get(a, "") or ""
        head, body = _split_title(text)
        if t.strip():
            titles.append(t)
            bodies.append(body if head.strip() == t.strip() else text)
        else:
            titles.append(head)
            bodies.append(body)
    matrix, lead_m, terms = event_space(titles, bodies)
    days = np.array([d.toordinal() if pd.notna(d) else np.nan for d in dates], dtype=float)
    edges = {} if matrix is None else event_edges(matrix, days, window_days, floor=threshold / 2)
    roots = attach_singletons(average_link(len(ids), edges, threshold), edges, ATTACH * threshold)
    best = [np.nan] * len(ids)
    for (i, j), v in edges.items():
        if roots[i] == roots[j]:
            best[i] = v if np.isnan(best[i]) else max(best[i], v)
            best[j] = v if np.isnan(best[j]) else max(best[j], v)
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    first = {r: min(((dates.iloc[i] if pd.notna(dates.iloc[i]) else pd.Timestamp.max), ids[i]) for i in m)
             for r, m in members.items()}
    order = {r: n for n, r in enumerate(sorted(first, key=lambda r: first[r]), start=1)}
    why = {r: (_explain(m, lead_m, terms, edges, titles) if lead_m is not None else ("", titles[m[0]], np.nan))
           for r, m in members.items()}
    return pd.DataFrame({"article_id": ids, "event_group": [f"e{order[r]}" for r in roots],
                         "max_similarity": [round(b, 3) if not np.isnan(b) else np.nan for b in best],
                         "shared_terms": [why[r][0] for r in roots], "group_label": [why[r][1] for r in roots],
                         "group_similarity": [round(why[r][2], 3) if not np.isnan(why[r][2]) else np.nan
                                              for r in roots]}, columns=cols)

