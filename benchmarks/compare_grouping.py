"""Same-event grouping and near-duplicate thresholds, measured on real corpora.

BASIL (70 same-event triplets from Fox, NYT, HuffPost, 2010-2019): pairwise
precision, recall and F1 of ``grouping.event_groups`` against the triplets, for
several thresholds. FA-KES: how many cross-outlet pairs pass the near-duplicate
threshold. Reads ../shared/data; prints figures; not a test.

    python benchmarks/compare_grouping.py
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pandas as pd

from mediaeval.compare import grouping

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def basil() -> pd.DataFrame:
    rows = []
    for f in sorted((DATA / "basil" / "articles").glob("*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        paras = d.get("body-paragraphs") or []
        text = "\n\n".join(" ".join(p) for p in paras)
        event = d.get("triplet-uuid") or d.get("pair-uuid")
        rows.append({"article_id": f.stem, "date": d.get("date", ""), "outlet": d.get("source", "").lower(),
                     "event": event, "text": (d.get("title") or "") + "\n\n" + text})
    return pd.DataFrame(rows)


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


def main() -> int:
    if not DATA.exists():
        print("../shared/data is absent; nothing to measure")
        return 0
    b = basil()
    texts = dict(zip(b.article_id, b.text))
    print(f"BASIL: {len(b)} articles, {b.event.nunique()} events; window +-{grouping.WINDOW_DAYS} days")
    print("threshold  precision  recall  F1  groups")
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        g = grouping.event_groups(b, texts, threshold=t)
        p, r, f = pair_scores(list(b.event), list(g.event_group))
        print(f"{t:9.2f}  {p:9.3f}  {r:6.3f}  {f:.3f}  {g.event_group.nunique()}")
    fk = pd.read_json(DATA / "fakes_syria" / "fakes_articles.jsonl", lines=True, dtype=False)
    fk["article_id"] = [f"{o}_{u}" for o, u in zip(fk.outlet, fk.unit_id)]
    fk["date"] = fk["date"].astype(str)
    texts = dict(zip(fk.article_id, fk.text))
    sents = {a: [t] for a, t in texts.items()}
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        nd = grouping.near_duplicates(fk, texts, sents, across="outlet", threshold=t)
        print(f"FA-KES near-duplicates across outlets at cosine >= {t}: {len(nd)} pairs")
    import time

    from mediaeval.compare import build_comparison

    fk["n_words"] = fk["text"].str.split().str.len()
    frames = {"articles": fk[["article_id", "outlet", "date", "title", "n_words"]],
              "texts": fk[["article_id", "text"]]}
    start = time.perf_counter()
    c = build_comparison(frames, by="outlet")
    print(f"build_comparison on FA-KES ({len(fk)} articles, texts only, automatic events): "
          f"{time.perf_counter() - start:.1f} s; {c.groups.event_group.nunique()} event groups, "
          f"{len(c.distinctive_terms)} distinctive words, {len(c.near_duplicates)} near-duplicate pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
