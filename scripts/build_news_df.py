"""Build ``mediaeval/lexicons/news_df.csv``: background document frequencies for same-event grouping.

Reads the ABP corpus (``../shared/data/abp/abp_20k.jsonl.gz``: 20,000 news articles from 491
outlets, 2012-2020, Apache-2.0) and counts, for every word, in how many articles' title + lead
(first ``grouping.LEAD_WORDS`` words) it occurs, with the tokeniser and stop words that
``compare/grouping.py`` uses. Words found in fewer than ``MIN_DF`` articles are left out
(they count as unseen, i.e. rare). Only words and counts are written, never article text.

    python scripts/build_news_df.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mediaeval.compare import grouping  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "abp" / "abp_20k.jsonl.gz"
OUT = ROOT / "mediaeval" / "lexicons" / "news_df.csv"
MIN_DF = 5


def main() -> int:
    abp = pd.read_json(SOURCE, lines=True, dtype=False)
    docs = [f"{t} {grouping._lead(x)}" for t, x in zip(abp["title"].fillna(""), abp["text"].fillna(""))]
    counts = CountVectorizer(stop_words="english", token_pattern=grouping._TOKEN, binary=True)
    df = np.asarray(counts.fit_transform(docs).sum(axis=0)).ravel()
    terms = counts.get_feature_names_out()
    keep = sorted((t, int(d)) for t, d in zip(terms, df) if d >= MIN_DF)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["term", "df"])
        w.writerow(["#documents", len(docs)])
        w.writerows(keep)
    print(f"{OUT}: {len(keep)} words from {len(docs)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
