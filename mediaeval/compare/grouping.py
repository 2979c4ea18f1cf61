"""Which articles report the same event.

Same-event grouping (used when no ``--event`` column is given)
--------------------------------------------------------------
Group-average (average-link) agglomerative clustering with a time penalty, on a sparse
similarity graph built inside date blocks: the retrospective event detection of the TDT
studies (Yang, Pierce & Carbonell 1998, "A study on retrospective and on-line event
detection", SIGIR; Allan, Papka & Lavrenko 1998, "On-line new event detection and
tracking", SIGIR), kept small and explainable.

* **What is compared.** Each article is the title plus its *lead* (the first
  ``LEAD_WORDS`` words of the body): the lead says what happened, while the rest
  of a long article drifts into background that neighbouring events share. Two
  TF-IDF spaces (sublinear tf, English stop words, words of two or more letters):
  titles, and title + lead. The similarity of two articles is ``TITLE_WEIGHT`` x
  title cosine + (1 - ``TITLE_WEIGHT``) x lead cosine.
* **IDF with a background collection.** Document frequencies are those of the corpus
  *plus* those of a background of news articles (``lexicons/news_df.csv``: word counts of
  20,000 ABP articles, built by ``scripts/build_news_df.py``), as TDT systems took IDF
  from an auxiliary corpus. The background counts as many articles as the corpus, and at
  least ``BACKGROUND_MIN``. A corpus of six same-day reports of one event then weighs
  "Hama" and "withdrawal", which all six share, above "said"; with corpus-only IDF the
  words an event's reports share weigh least, and small corpora split (3 of 31 Dai events
  and 8 of 70 BASIL triplets, each grouped on its own, split before; none now). In a large
  or one-topic corpus (all on Syria) its own frequencies lead, so "Syria" stays light.
* **Blocking on date.** Only articles whose dates lie within ``window_days`` of
  each other are compared, a block of date-sorted articles against its window at
  a time (a dense block holds at most ``_CELLS`` cells), and each article keeps at
  most ``NEIGHBOURS`` neighbours at or above half the attach floor. No all-pairs
  matrix is built: memory grows with the number of kept edges, not with the square
  of the corpus. An article without a date is compared with every article in row
  blocks (slow when many lack dates).
* **Clustering, 1: time-penalised average link.** A similarity loses ``DAY_PENALTY`` per
  day between the two dates (not below 0). Two groups merge while the mean penalised
  similarity over all their article pairs (missing edges count 0) is at least
  ``threshold``. Unlike single link, one bridging article cannot chain two neighbouring
  events together, and the penalty keeps a story and the next day's new development
  apart when both are covered.
* **Clustering, 2: across days.** Average link again on the *unpenalised* similarities,
  starting from those groups, at ``ATTACH`` x threshold, where two groups must also be
  at least ``COHESION`` x as similar to each other as the looser of them is inside (a lone
  article counts 0). Reports of one event spread over two or three days join again (the
  next-day follow-ups of a gas attack, looser than the first day's reports, join them),
  while a tight next-day story (the president's defence of his minister, the day after
  the disclosure) stays apart. In both steps no group spans more than twice the window,
  so an undated article cannot bridge reports years apart.
* **Why together.** Every group lists the words its members share (in two or more
  members), ranked by the summed TF-IDF weight over the members that contain them, and
  is labelled with the title of its most central member (highest summed similarity to
  the others); ``group_similarity`` is the mean similarity over its pairs.

The settings were chosen on the two development sets in ``../shared/data`` (Dai 2017
same-event clusters, BASIL triplets) and checked on held-out halves of the events; see
``benchmarks/compare_grouping.py`` and the README for the figures (Dai 2017 pairwise F1
0.951, BASIL 1.000; the former average link without penalty or background scored 0.917
and 1.000, the single link before it 0.729 and 0.974). Dai is at 0.951 for any threshold
from 0.12 to 0.18 with a penalty from 0.12 to 0.16 (0.10 merges the two Sessions events).
The remaining Dai errors are two reactions of 2 March that the gold files with the
3 March story, and which the words tie to the disclosure of 1-2 March.

Limits: two stories on one topic a day apart can still merge or split against a human's
call; a same-day story on the same war can join a bigger one in a small one-topic corpus
(16 FA-KES reports of 4-5 April 2017 alone: the Ghouta shelling and three other Syria
stories join the Khan Sheikhoun group, which they do not in all 804 FA-KES articles),
since the background makes the war's shared words weigh more (place names as a separate
entity channel would help); articles in different languages, or a news flash against a long
feature, share few words and stay apart; an event covered by more than ``NEIGHBOURS``
articles keeps only its strongest edges and may split; the background frequencies come
from US-centred political news of 2012-2020, so words common elsewhere count as rare.

Republished copy
----------------
Which articles republish another's sentences, and what they changed, is
``compare.republished`` (sentence alignment, not whole-text similarity).
"""

from __future__ import annotations

import heapq
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

EVENT_THRESHOLD = 0.13
WINDOW_DAYS = 3
LEAD_WORDS = 200
TITLE_WEIGHT = 0.2
DAY_PENALTY = 0.14
NEIGHBOURS = 30
ATTACH = 0.6  # groups a few days apart join at an unpenalised mean similarity >= ATTACH x threshold ...
COHESION = 0.9  # ... and >= COHESION x the mean similarity inside the looser of the two
SHARED_TERMS = 6
BACKGROUND_MIN = 1000  # the background weighs as much as the corpus, and at least this many articles
BACKGROUND = Path(__file__).resolve().parents[1] / "lexicons" / "news_df.csv"
_BLOCK = 512
_CELLS = 250_000
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1, token_pattern=_TOKEN)


def _vectors(texts: list[str]):
    try:
        return _vectorizer().fit_transform(texts)
    except ValueError:  # empty vocabulary: no text at all
        return None


@lru_cache(maxsize=1)
def background_df() -> tuple[int, dict[str, int]]:
    """(number of documents, word -> document frequency) of the background news collection."""
    import csv

    with BACKGROUND.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        _, n = next(rows)
        return int(n), {w: int(d) for w, d in rows}


def news_tfidf(texts: Iterable[str]):
    """Sublinear TF-IDF rows (l2) and term names, with IDF over the corpus *plus* a background collection.

    ``idf(w) = ln((1 + N + N_bg) / (1 + df(w) + df_bg(w))) + 1``: the document frequencies of
    the corpus are added to those of 20,000 news articles (``lexicons/news_df.csv``), so a word
    every article of a small corpus shares ("Hama", "withdrawal") still weighs more than "said".
    Returns ``(None, [])`` when there is no word at all.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    counts = CountVectorizer(stop_words="english", token_pattern=_TOKEN, dtype=np.float64)
    try:
        x = counts.fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None, []
    terms = counts.get_feature_names_out()
    df = np.bincount(x.indices, minlength=len(terms))
    n_bg, bg = background_df()
    weight = min(1.0, max(x.shape[0], BACKGROUND_MIN) / n_bg)  # the background counts as this many documents
    df_bg = weight * np.fromiter((bg.get(t, 0) for t in terms), dtype=np.float64, count=len(terms))
    idf = np.log((1 + x.shape[0] + weight * n_bg) / (1 + df + df_bg)) + 1
    x.data = 1 + np.log(x.data)
    return normalize(x @ sparse.diags(idf), copy=False).tocsr(), list(terms)


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

    Returns ``(matrix, lead_matrix, lead_terms)``; ``lead_matrix`` (the title + lead TF-IDF)
    serves to explain groups. Both spaces weigh words by ``news_tfidf``.
    """
    from scipy import sparse

    lead_m, terms = news_tfidf(f"{t} {_lead(b, lead_words)}" for t, b in zip(titles, bodies))
    if lead_m is None:
        return None, None, []
    title_m = news_tfidf(titles)[0] if title_weight and any(t.strip() for t in titles) else None
    if title_m is None:
        return lead_m, lead_m, terms
    matrix = sparse.hstack([np.sqrt(title_weight) * title_m, np.sqrt(1 - title_weight) * lead_m], format="csr")
    return matrix, lead_m, terms


def event_edges(matrix, days: np.ndarray, window_days: int = WINDOW_DAYS, floor: float = 0.07,
                neighbours: int = NEIGHBOURS) -> dict[tuple[int, int], float]:
    """Sparse similarity graph ``{(i, j): cosine}`` (i < j) within date blocks.

    ``days`` holds each article's date as a day number (NaN when unknown). Articles sorted by
    date are taken in blocks of consecutive rows and compared with the articles of the
    surrounding window only (a dense block never exceeds ``_CELLS`` cells); each row keeps
    its ``neighbours`` most similar articles at or above ``floor``. The cosine is not yet
    lowered for the days between the two (``decayed`` does that).
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
        sims[gap > window_days] = -1.0  # NaN gaps (an undated side) compare False: kept
        sims[rows[:, None] == cols[None, :]] = -1.0
        k = min(neighbours, sims.shape[1])
        for a, row in zip(rows, sims):
            best = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            for c in best:
                v = float(row[c])
                if v >= floor:
                    b = int(cols[c])
                    key = (min(a, b), max(a, b))
                    edges[key] = max(edges.get(key, v), v)

    def keep(rows: np.ndarray, cols: np.ndarray) -> None:
        step = max(1, min(_BLOCK, _CELLS // max(1, len(cols))))  # a dense block holds at most _CELLS cells
        cm = matrix if len(cols) == n else matrix[cols]  # no copy of the whole matrix
        for lo in range(0, len(rows), step):
            r = rows[lo:lo + step]
            keep_block(matrix[r], r, cm, cols)

    if len(dated):  # sorted by date, so a run of days is a contiguous run of ``dated``
        lo = 0
        while lo < len(dated):
            hi = min(len(dated), lo + _BLOCK)
            wlo = int(np.searchsorted(sorted_days, sorted_days[lo] - window_days, side="left"))
            whi = int(np.searchsorted(sorted_days, sorted_days[hi - 1] + window_days, side="right"))
            if (hi - lo) * (whi - wlo) > _CELLS:  # a crowded window: fewer rows per block
                hi = lo + max(1, _CELLS // (whi - wlo))
                whi = int(np.searchsorted(sorted_days, sorted_days[hi - 1] + window_days, side="right"))
            keep_block(matrix[dated[lo:hi]], dated[lo:hi], matrix[dated[wlo:whi]], dated[wlo:whi])
            lo = hi
    if len(undated):
        keep(undated, np.arange(n))
    return edges


def decayed(edges: dict[tuple[int, int], float], days: np.ndarray,
            day_penalty: float = DAY_PENALTY) -> dict[tuple[int, int], float]:
    """The cosines lowered by ``day_penalty`` per day between the two dates, not below 0 (no penalty when
    a date is unknown)."""
    out = {}
    for (i, j), v in edges.items():
        gap = abs(days[i] - days[j])
        out[(i, j)] = max(0.0, v - day_penalty * gap) if gap == gap else v
    return out


def _span(days) -> tuple[list[float], list[float]] | None:
    if days is None:
        return None
    return [float(d) for d in days], [float(d) for d in days]


def _too_long(span, a: int, b: int, max_span) -> bool:
    """Would a group holding a and b span more than ``max_span`` days (unknown dates never do)?"""
    if span is None or max_span is None:
        return False
    lo, hi = span
    return max(hi[a], hi[b]) - min(lo[a], lo[b]) > max_span  # NaN compares False


def _extreme(f, x: float, y: float) -> float:
    """f(x, y) over the known (non-NaN) values; NaN when neither is known."""
    return y if x != x else x if y != y else f(x, y)


def _join_span(span, a: int, b: int) -> None:
    if span is not None:
        lo, hi = span
        lo[a], hi[a] = _extreme(min, lo[a], lo[b]), _extreme(max, hi[a], hi[b])


def average_link(n: int, edges: dict[tuple[int, int], float], threshold: float, days=None,
                 max_span: float | None = None, start: list[int] | None = None,
                 cohesion: float | None = None) -> list[int]:
    """Average-link clustering on a sparse graph; returns a cluster root per item.

    Two clusters merge while the mean similarity over all their cross pairs (absent
    edges count 0) is at least ``threshold``; the best such pair merges first. With
    ``days`` (a day number per item, NaN unknown) no group grows to span more than
    ``max_span`` days, so an undated article cannot bridge reports years apart.
    ``start`` (a root per item) begins from groups instead of single items. With
    ``cohesion`` two groups also need a mean of at least ``cohesion`` x the mean
    similarity inside the looser of the two (a single item counts 0): a group is not
    joined to one it is less similar to than to itself.
    """
    roots0 = list(range(n)) if start is None else list(start)
    span = _span(days)
    size = [0] * n
    inside = [0.0] * n
    for i, r in enumerate(roots0):
        size[r] += 1
        if span is not None:
            _join_span(span, r, i)
    links: dict[int, dict[int, float]] = {r: {} for r in set(roots0)}
    for (i, j), v in edges.items():
        a, b = roots0[i], roots0[j]
        if a == b:
            inside[a] += v
        else:
            links[a][b] = links[a].get(b, 0.0) + v
            links[b][a] = links[b].get(a, 0.0) + v
    parent_of: dict[int, int] = {i: r for i, r in enumerate(roots0) if i != r}
    alive = [size[i] > 0 for i in range(n)]

    def ok(a: int, b: int, mean: float) -> bool:
        if mean < threshold or _too_long(span, a, b, max_span):
            return False
        if cohesion is None:
            return True
        loose = min(inside[x] / (size[x] * (size[x] - 1) / 2) if size[x] > 1 else 0.0 for x in (a, b))
        return mean >= cohesion * loose

    heap = [(-w / (size[a] * size[b]), a, b) for a, nb in links.items() for b, w in nb.items()
            if a < b and w / (size[a] * size[b]) >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or b not in links[a]:
            continue
        mean = links[a][b] / (size[a] * size[b])
        if abs(mean + neg) > 1e-12 or not ok(a, b, mean):  # stale entry, or not allowed (yet)
            continue
        if len(links[a]) < len(links[b]):
            a, b = b, a
        _join_span(span, a, b)
        inside[a] += inside[b] + links[a][b]
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


def describe(window_days: int = WINDOW_DAYS, threshold: float = EVENT_THRESHOLD) -> str:
    """One line naming the method and its settings, for the ``method`` column of the events table."""
    return (f"average-link clustering of title + lead TF-IDF similarity (title weight {TITLE_WEIGHT}, first "
            f"{LEAD_WORDS} words, IDF with a news background) >= {threshold} less {DAY_PENALTY} a day apart, "
            f"within date blocks of {window_days} days; then across days at {ATTACH} x {threshold} when as close "
            f"as {COHESION} x the looser group's own similarity")


def title_and_lead(title: str, text: str) -> tuple[str, str]:
    """What ``event_groups`` reads of an article: its title (the given one, else a short first line of
    the text) and the first ``LEAD_WORDS`` words of its body."""
    head, body = _split_title(text)
    if title.strip():
        return title, _lead(body if head.strip() == title.strip() else text)
    return head, _lead(body)


def event_groups(articles: pd.DataFrame, texts: dict[str, str] | None = None, window_days: int = WINDOW_DAYS,
                 threshold: float = EVENT_THRESHOLD, openings: list | None = None) -> pd.DataFrame:
    """Group articles into events: time-penalised average link over title + lead similarity inside date
    blocks, then across days by cohesion (see the module docstring).

    ``articles`` needs ``article_id`` and ``date`` (``title`` is used when present; otherwise a
    short first line of the text stands for it); ``openings``, when given, holds each article's
    ``title_and_lead`` in place of ``texts``. Returns one row per article:
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
    if openings is None:
        given = list(articles["title"].fillna("").astype(str)) if "title" in articles else [""] * len(ids)
        openings = [title_and_lead(t, texts.get(a, "") or "") for a, t in zip(ids, given)]
    titles, bodies = [t for t, _ in openings], [lead for _, lead in openings]
    matrix, lead_m, terms = event_space(titles, bodies)
    days = np.array([d.toordinal() if pd.notna(d) else np.nan for d in dates], dtype=float)
    edges = {} if matrix is None else event_edges(matrix, days, window_days, floor=ATTACH * threshold / 2)
    longest = 2 * window_days  # no group spans more than twice the window
    roots = average_link(len(ids), decayed(edges, days, DAY_PENALTY), threshold, days, longest)
    roots = average_link(len(ids), edges, ATTACH * threshold, days, longest, start=roots, cohesion=COHESION)
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

