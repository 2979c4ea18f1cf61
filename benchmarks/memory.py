"""Peak memory of a run at two corpus sizes: the analysis, and the comparison built from its parts.

For each size N it takes the first N ABP articles (../shared/data/abp/abp_20k.jsonl.gz, not
shipped), runs ``mediaeval analyze --no-html`` into WORK/run-N (skipped when that folder already
holds the finished run, so sizes can be measured again cheaply), then builds the comparison from
the committed parts alone: ``mediaeval compare --no-html --append`` with the same input finds every
record committed, analyses nothing and assembles the tables and the comparison. Each command runs
in a fresh process; its peak resident set size is ``ru_maxrss`` from ``os.wait4`` (the largest of
the process and its worker processes). Prints one row per size and the ratio to the smallest.

    python benchmarks/memory.py --sizes 300 3000 --jobs 2 --work /tmp/mem

With ``--from-run RUN`` nothing is analysed: each size N takes the first N articles (whole
committed batches) of RUN's parts (finished or not) and builds the comparison from them in a fresh
process, by the function the run uses (``runner._compare``: tables read from the parts one at a
time). This measures the compare stage of a big run without analysing twice.

    python benchmarks/memory.py --from-run /tmp/mem/run-3000 --sizes 64 640

Limits: peak RSS includes the interpreter, pandas, pyarrow and scikit-learn (about half of it at
small sizes); on a shared machine the analysis time is noise, the memory figures are not.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "data" / "abp" / "abp_20k.jsonl.gz"


def run(command: list[str]) -> tuple[int, float, float]:
    """Exit code, wall seconds and peak RSS in MB of ``python -m mediaeval COMMAND``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "mediaeval", *command], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        sys.exit(f"mediaeval {' '.join(command)} failed ({proc.returncode}):\n{err}")
    return proc.returncode, time.monotonic() - start, usage.ru_maxrss / 1024


def corpus(n: int, work: Path, data: Path) -> Path:
    path = work / f"abp{n}.jsonl"
    if not path.exists():
        with gzip.open(data, "rt", encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= n:
                    break
                out.write(line)
    return path


def compare_child(run_dir: str, n: int, out: str) -> None:
    """In this (fresh) process: the comparison of the first ``n`` articles of a run, then print
    the number of articles and the peak RSS in MB."""
    import resource

    from mediaeval import parts
    from mediaeval.runner import RunSummary, _compare

    store = parts.PartStore.read(parts.find_parts(run_dir))
    kept, total = [], 0
    for entry in store._ordered():
        if total >= n:
            break
        kept.append(entry)
        total += entry["rows"].get("articles", 0)
    store.entries = kept
    Path(out).mkdir(parents=True, exist_ok=True)
    _compare(store, Path(out), RunSummary(out_dir=Path(out), analysed=total, stamp=store.stamp), {"by": "outlet"})
    print(total, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def from_run(run_dir: Path, sizes: list[int], work: Path) -> None:
    rows = []
    for n in sorted(sizes):
        start = time.monotonic()
        done = subprocess.run([sys.executable, __file__, "--child", str(run_dir), str(n), str(work / f"compare-{n}")],
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr)
        articles, peak = done.stdout.split()[-2:]
        rows.append((int(articles), float(peak)))
        print(f"{articles:>6} articles: compare from the parts {time.monotonic() - start:6.1f} s, "
              f"peak {float(peak):7.1f} MB", flush=True)
    for articles, peak in rows[1:]:
        print(f"{articles} vs {rows[0][0]} articles: compare peak x{peak / rows[0][1]:.2f}")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        compare_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mediaeval-memory"))
    parser.add_argument("--data", type=Path, default=ABP)
    parser.add_argument("--from-run", type=Path, help="measure the comparison of the first N articles of this run")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.from_run:
        from_run(args.from_run, args.sizes, args.work)
        return
    if not args.data.exists():
        sys.exit(f"no ABP data at {args.data}")
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sorted(args.sizes):
        source, out = corpus(n, args.work, args.data), args.work / f"run-{n}"
        analysis = ("kept", float("nan"), float("nan"))
        if not (out / "parts").is_dir():
            analysis = run(["analyze", str(source), "-o", str(out), "-q", "--no-html", "--jobs", str(args.jobs)])
        comparison = run(["compare", str(source), "-o", str(out), "-q", "--no-html", "--append"])
        rows.append((n, analysis, comparison))
        print(f"{n:>6} articles: analysis {analysis[1]:7.1f} s, peak {analysis[2]:7.1f} MB; "
              f"compare from the parts {comparison[1]:6.1f} s, peak {comparison[2]:7.1f} MB", flush=True)
    base = rows[0]
    for n, analysis, comparison in rows[1:]:
        print(f"{n} vs {base[0]} articles: compare peak x{comparison[2] / base[2][2]:.2f}"
              + (f", analysis peak x{analysis[2] / base[1][2]:.2f}" if analysis[0] != "kept" and base[1][0] != "kept"
                 else ""))


if __name__ == "__main__":
    main()
