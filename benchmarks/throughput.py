"""Throughput and peak memory of `mediaeval analyze` on the ABP benchmark corpus.

    python benchmarks/throughput.py --articles 500 --jobs 1 2

Takes the first N articles of ../shared/data/abp/abp_20k.jsonl.gz, runs the
whole analysis (CSV and HTML) once per --jobs value in a fresh process, and
prints articles per second and peak resident memory (the largest of the parent
and of any one worker). Memory should stay flat as N grows: compare N=200 with
N=1000.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "abp" / "abp_20k.jsonl.gz"


def sample(n: int, dest: Path) -> int:
    words = 0
    with gzip.open(DATA, "rt", encoding="utf-8") as src, open(dest, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= n:
                break
            record = json.loads(line)
            words += len(record.get("text", "").split())
            out.write(json.dumps({"id": f"abp{i}", "outlet": record.get("outlet", ""), "date": record.get("date", ""),
                                  "title": record.get("title", ""), "text": record.get("text", "")}) + "\n")
    return words


def child(path: str, out: str, jobs: int, html: bool) -> None:
    from mediaeval.cli import main

    args = ["analyze", path, "-o", out, "-q", "--jobs", str(jobs)] + ([] if html else ["--no-html"])
    start = time.perf_counter()
    code = main(args)
    seconds = time.perf_counter() - start
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "exit": code}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-html", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]), not args.no_html)
        return
    if not DATA.exists():
        sys.exit(f"{DATA} is not here; this benchmark needs ../shared/data")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "abp.jsonl"
        words = sample(args.articles, src)
        print(f"{args.articles} articles, {words:,} words (whitespace-split)")
        for jobs in args.jobs:
            cmd = [sys.executable, __file__, "--child", str(src), str(Path(tmp) / f"out{jobs}"), str(jobs)]
            if args.no_html:
                cmd.append("--no-html")
            result = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
            print(f"jobs={jobs}: {result['seconds']:.1f} s, {args.articles / result['seconds']:.1f} articles/s, "
                  f"{words / result['seconds']:,.0f} words/s, peak RSS {result['peak_mb']:.0f} MB, exit {result['exit']}")


if __name__ == "__main__":
    main()
