"""Throughput of extract_agency (parsing excluded) on FA-KES articles, and on all of them as one document.

The second figure checks the pass stays linear in document length.

    /work/venv/bin/python benchmarks/agency_speed.py [--n 200] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    path = args.data / "fakes_syria" / "fakes_articles.jsonl"
    if not path.is_file():
        print(f"no FA-KES file at {path}; pass --data", file=sys.stderr)
        return 2
    from mediaeval import nlp
    from mediaeval.extract.agency import extract_agency
    from mediaeval.model import Article, Structure

    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.n), fh)]
    docs = list(nlp.parse_many(texts))
    tokens = sum(len(d) for d in docs)
    t0 = time.perf_counter()
    clauses = sum(len(extract_agency(d, Article(str(i), t), Structure(), ())[0])
                  for i, (t, d) in enumerate(zip(texts, docs)))
    t1 = time.perf_counter()
    print(f"{len(docs)} articles, {tokens} tokens, {clauses} clauses: {t1 - t0:.2f}s, {tokens / (t1 - t0):.0f} tokens/s")
    big = "\n\n".join(texts)
    doc = nlp.parse(big)
    t2 = time.perf_counter()
    extract_agency(doc, Article("all", big), Structure(), ())
    t3 = time.perf_counter()
    print(f"one document of {len(doc)} tokens: {t3 - t2:.2f}s, {len(doc) / (t3 - t2):.0f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
