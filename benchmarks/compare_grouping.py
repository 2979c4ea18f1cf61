"""Same-event grouping measured on real corpora, before (single link) and after (time-penalised average link).

* Dai 2017 (``../shared/data/dai2017/same_event_dev.jsonl``, 142 articles, 31 hand-made
  same-event clusters, gold ``cluster_id``) and BASIL (70 same-event triplets from Fox, NYT,
  HuffPost): pairwise precision, recall and F1 of ``grouping.event_groups`` against the gold,
  for the former method (TF-IDF cosine >= 0.2 on the whole text within 3 days, connected
  components) and the current one, on a grid of thresholds and day penalties.
* Small corpora: every gold event grouped on its own (a BASIL triplet, a Dai cluster of 3-9
  reports): it must come out as one group (the case of six same-day reports of one event).
* Held-out checks, the two settings chosen from data (threshold and day penalty, on a grid)
  on one part of the events and scored on the other: (a) split-half, events split at random
  (5 seeds, both ways); halving also removes competing neighbour events (the two Sessions
  clusters a day apart often land in different halves), so this figure is optimistic;
  (b) chronological, Dai events before 3 March 2017 against the rest, which keeps the
  neighbouring Sessions clusters together in one half.
* Scale: CPU time and peak traced memory of ``event_groups`` alone (the date and title columns
  and texts of ABP articles, imports outside the measurement) on 500 and 5,000 articles, and
  20,000 with ``--scale``.

Reads ../shared/data; prints figures; not a test.

    python benchmarks/compare_grouping.py [--scale]   (--scale adds 20,000 articles)
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from mediaeval.compare import grouping

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GRID = (0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22)
PENALTIES = (0.06, 0.1, 0.12, 0.14, 0.16, 0.2)


def basil() -> pd.DataFrame:
    """BASIL articles: article_id, date, outlet, title, event, text (body paragraphs)."""
    rows = []
    for f in sorted((DATA / "basil" / "articles").glob("*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        paras = d.get("body-paragraphs") or []
        rows.append({"article_id": f.stem, "date": d.get("date", ""), "outlet": d.get("source", "").lower(),
                     "title": d.get("title") or "", "event": d.get("triplet-uuid") or d.get("pair-uuid"),
                     "text": "\n\n".join(" ".join(p) for p in paras)})
    return pd.DataFrame(rows)


def dai() -> pd.DataFrame:
    d = pd.read_json(DATA / "dai2017" / "same_event_dev.jsonl", lines=True, dtype=False)
    return pd.DataFrame({"article_id": d["id"].astype(str), "date": d["date"].astype(str), "outlet": d["outlet"],
                         "title": d["title"].fillna(""), "event": d["cluster_id"].astype(str), "text": d["text"]})


def pair_scores(truth: list[str], pred: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for (t1, p1), (t2, p2) in itertools.combinations(zip(truth, pred), 2):
        same_t, same_p = t1 == t2, p1 == p2
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def single_link_before(df: pd.DataFrame, threshold: float = 0.2, window: int = 3) -> list[int]:
    """The former method: whole-text cosine >= threshold within the window, connected components."""
    docs = [f"{t}\n\n{x}" for t, x in zip(df.title, df.text)]
    dates = grouping._dates(df.date)
    parent = list(range(len(df)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in grouping.similar_pairs(docs, threshold):
        di, dj = dates.iloc[i], dates.iloc[j]
        if pd.notna(di) and pd.notna(dj) and abs((di - dj).days) > window:
            continue
        parent[find(i)] = find(j)
    return [find(i) for i in range(len(df))]


def after(df: pd.DataFrame, threshold: float = grouping.EVENT_THRESHOLD,
          day_penalty: float | None = None) -> list[str]:
    kept = grouping.DAY_PENALTY
    grouping.DAY_PENALTY = kept if day_penalty is None else day_penalty
    try:
        return list(grouping.event_groups(df, dict(zip(df.article_id, df.text)), threshold=threshold).event_group)
    finally:
        grouping.DAY_PENALTY = kept


def alone_split(df: pd.DataFrame) -> int:
    """How many gold events, grouped on their own, come out as more than one group."""
    return sum(len(set(after(g.reset_index(drop=True)))) > 1 for _, g in df.groupby("event"))


def tuned(tune: pd.DataFrame, test: pd.DataFrame) -> tuple[float, float, float]:
    """(held-out F1, threshold, day penalty): the grid point best on ``tune`` (ties: nearest the
    defaults), scored on ``test``."""
    def key(tp):
        t, p = tp
        return (round(pair_scores(list(tune.event), after(tune, t, p))[2], 4),
                -abs(t - grouping.EVENT_THRESHOLD) - abs(p - grouping.DAY_PENALTY))
    t, p = max(itertools.product(GRID, PENALTIES), key=key)
    return pair_scores(list(test.event), after(test, t, p))[2], t, p


def split_half(df: pd.DataFrame, seeds: int = 5) -> tuple[float, float, float, float]:
    """Mean and lowest held-out F1, mean chosen threshold and day penalty over random halves of the events."""
    scores, chosen = [], []
    events = sorted(df.event.unique())
    for seed in range(seeds):
        random.Random(seed).shuffle(events)
        half = set(events[: len(events) // 2])
        parts = [df[df.event.isin(half)].reset_index(drop=True), df[~df.event.isin(half)].reset_index(drop=True)]
        for tune, test in (parts, parts[::-1]):
            f, t, p = tuned(tune, test)
            scores.append(f)
            chosen.append((t, p))
    return float(np.mean(scores)), float(np.min(scores)), *map(float, np.mean(chosen, axis=0))


def chronological(df: pd.DataFrame, cut: str) -> list[tuple[str, float, float, float]]:
    """Events that start before ``cut`` against the rest, each way: (direction, held-out F1, threshold, penalty)."""
    first = df.groupby("event").date.min()
    early = df[df.event.isin(first[first < cut].index)].reset_index(drop=True)
    late = df[~df.event.isin(first[first < cut].index)].reset_index(drop=True)
    return [("early -> late", *tuned(early, late)), ("late -> early", *tuned(late, early))]


def scale(sizes=(500, 5000)) -> None:
    abp = pd.read_json(DATA / "abp" / "abp_20k.jsonl.gz", lines=True, dtype=False)
    abp["article_id"] = abp["id"].astype(str)
    abp["date"] = abp["date"].astype(str)
    texts = dict(zip(abp.article_id, abp.text))
    grouping.event_groups(abp.head(50), texts)  # imports and the background table outside the measurement
    for n in sizes:
        df = abp.head(n)[["article_id", "date", "title"]]
        tracemalloc.start()
        cpu = time.process_time()
        g = grouping.event_groups(df, texts)
        cpu = time.process_time() - cpu
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        sizes_ = g.event_group.value_counts()
        print(f"  ABP {n:6d} articles: {cpu:6.1f} s CPU, peak traced memory {peak:6.1f} MB, "
              f"{len(sizes_)} groups ({int((sizes_ > 1).sum())} of two or more articles)")


def main() -> int:
    if not DATA.exists():
        print("../shared/data is absent; nothing to measure")
        return 0
    print(f"after: average link, title weight {grouping.TITLE_WEIGHT}, lead {grouping.LEAD_WORDS} words, "
          f"IDF with the background table, window +-{grouping.WINDOW_DAYS} days, "
          f"{grouping.DAY_PENALTY}/day penalty, threshold {grouping.EVENT_THRESHOLD}; groups days apart join at "
          f"{grouping.ATTACH} x threshold unpenalised and {grouping.COHESION} x the looser group's cohesion")
    for name, df in (("Dai 2017", dai()), ("BASIL", basil())):
        print(f"\n{name}: {len(df)} articles, {df.event.nunique()} events")
        p, r, f = pair_scores(list(df.event), single_link_before(df))
        print(f"  before (single link, cosine >= 0.2):  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        p, r, f = pair_scores(list(df.event), after(df))
        print(f"  after  (threshold {grouping.EVENT_THRESHOLD}):            P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        print(f"  each event grouped on its own: {alone_split(df)} of {df.event.nunique()} split")
        print("  F1 by threshold (rows) and day penalty (columns)")
        print("  " + " " * 9 + "".join(f"{p:7.2f}" for p in PENALTIES))
        for t in GRID:
            print(f"  {t:9.2f}" + "".join(f"{pair_scores(list(df.event), after(df, t, p))[2]:7.3f}"
                                          for p in PENALTIES))
        f, low, t, p = split_half(df)
        print(f"  split-half (threshold and penalty tuned on half the events, scored on the other; 5 seeds x 2): "
              f"F1 mean {f:.3f}, lowest {low:.3f}; mean chosen threshold {t:.3f}, penalty {p:.3f}")
        if name == "Dai 2017":
            for way, f, t, p in chronological(df, "2017-03-03"):
                print(f"  chronological ({way}, events starting before/after 3 March 2017): held-out F1 {f:.3f} "
                      f"(threshold {t}, penalty {p})")
    print("\nScale: event_groups alone on ABP articles (dates, titles, texts)")
    scale((500, 5000, 20000) if "--scale" in sys.argv else (500, 5000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
