"""Throughput and peak memory: the bare spaCy parse against whole mediaeval runs, side by side.

    python benchmarks/throughput.py --sizes 100 400 --jobs 1 2

For each size N it takes the first N articles of
../shared/data/abp/abp_20k.jsonl.gz and runs, each as a whole fresh process
(start, imports, model load, work, exit), on the same texts:

* ``bare parse``: the same spaCy pipeline mediaeval loads (``nlp.load``, with its
  paragraph component), ``nlp.pipe`` over the texts with mediaeval's batch size;
  also with ``n_process`` = the largest ``--jobs``;
* ``analyze``: ``mediaeval analyze`` (CSV and pages), per ``--jobs``;
* ``analyze --fast`` (with ``--fast``): the fast parse profile (no NER), per ``--jobs``,
  measured against the same bare parse of the full default pipeline;
* ``durable`` (with ``--durable``, when ``analyze --help`` still offers
  ``--parts``): ``mediaeval analyze --parts``, per ``--jobs``.

Per row it prints wall time, articles/s, CPU time (user + system of the child
and the children it waited for, pool workers included: less disturbed by a busy
machine than wall time), each as a ratio to the bare parse, and peak RSS
(``ru_maxrss`` from ``wait4``: the largest of the child and the children it
waited for). Then the ratios the scale issue sets targets for: the cost of
extraction and writing over the bare parse (wall and CPU), the ``--jobs``
speed-up over one job, and peak memory at the last size over the first. For the
first size it also runs ``benchmarks/layer_cost.py`` (each spaCy component and
each mediaeval layer in CPU ms per 1,000 tokens; the comparison and
republished-copy detection included). Figures from a shared machine are noisy:
compare rows of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "abp" / "abp_20k.jsonl.gz"

BARE = """
import json, sys
from mediaeval import nlp
from mediaeval.analyze import BATCH_SIZE
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
pipeline = nlp.load()
n = sum(len(doc) for doc in pipeline.pipe(texts, batch_size=BATCH_SIZE, n_process=int(sys.argv[2])))
print(n)
"""


def sample(n: int, dest: Path) -> int:
    """The first ``n`` ABP articles as JSONL; returns the number of whitespace-split words."""
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


def timed(cmd: list[str], log: Path) -> tuple[float, float, float, int]:
    """Run ``cmd`` as a child: (wall seconds, CPU seconds, peak RSS in MB, exit code), from ``wait4``.

    CPU is user + system time of the child and the children it waited for
    (pool workers included); it is less disturbed by a busy machine than wall time."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.stderr.write(log.read_text()[-2000:])
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def analyze_options() -> str:
    """``mediaeval analyze --help`` of this checkout (which options it offers)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "mediaeval", "analyze", "--help"], env=env, capture_output=True,
                          text=True).stdout


def layer_costs(src: Path) -> str:
    """``benchmarks/layer_cost.py`` on ``src``, in a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "layer_cost.py"), str(src)], env=env,
                          capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else done.stderr[-2000:]


def ratios(n: int, rows: list, jobs: list[int]) -> list[str]:
    """The scale issue's ratios from one size's rows: overhead over the bare parse, --jobs speed-up."""
    by = {label.split(" (exit")[0]: (seconds, cpu) for label, seconds, cpu, _ in rows}
    bare, bare_cpu = by["bare parse (nlp.pipe, 1 process)"]
    out = [f"  ratios at {n} articles (target: extraction + writing at most 10 % over the bare parse; "
           "--jobs 2 at least 1.85x one job):"]
    for label, (seconds, cpu) in by.items():
        if label.startswith(("mediaeval analyze --jobs 1", "mediaeval analyze --fast --jobs 1",
                             "durable run (parts) --jobs 1")):
            out.append(f"    {label:<42} over the bare parse: wall {100 * (seconds / bare - 1):+6.1f} %  "
                       f"CPU {100 * (cpu / bare_cpu - 1):+6.1f} %")
    for kind in ("mediaeval analyze", "mediaeval analyze --fast", "durable run (parts)"):
        one = by.get(f"{kind} --jobs 1")
        for j in jobs:
            many = by.get(f"{kind} --jobs {j}")
            if one and many and j > 1:
                out.append(f"    {kind} --jobs {j} speed-up over --jobs 1: x{one[0] / many[0]:.2f} (wall)")
    for label, (seconds, _) in by.items():
        if label.startswith("bare parse (nlp.pipe, n_process="):
            out.append(f"    {label} speed-up over 1 process: x{bare / seconds:.2f} (wall)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400], help="corpus sizes (articles)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--durable", action="store_true", help="also time analyze --parts, where the CLI has it")
    parser.add_argument("--fast", action="store_true", help="also time analyze --fast (the fast parse profile)")
    parser.add_argument("--no-layers", action="store_true", help="skip the per-layer costs (layer_cost.py)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is not here; this benchmark needs ../shared/data")
    offered = analyze_options()
    durable = args.durable and "--parts" in offered
    fast = args.fast and "--fast" in offered
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            src = Path(tmp) / f"abp{n}.jsonl"
            words = sample(n, src)
            log = Path(tmp) / "child.log"
            print(f"\n{n} ABP articles, {words:,} words (whitespace-split); whole processes, wall time")
            bare, bare_cpu, peak, _ = timed([sys.executable, "-c", BARE, str(src), "1"], log)
            rows = [("bare parse (nlp.pipe, 1 process)", bare, bare_cpu, peak)]
            if max(args.jobs) > 1:
                seconds, cpu, peak, _ = timed([sys.executable, "-c", BARE, str(src), str(max(args.jobs))], log)
                rows.append((f"bare parse (nlp.pipe, n_process={max(args.jobs)})", seconds, cpu, peak))
            for jobs in args.jobs:
                out = Path(tmp) / f"a{n}-{jobs}"
                seconds, cpu, peak, code = timed([sys.executable, "-m", "mediaeval", "analyze", str(src), "-o", str(out),
                                             "-q", "--jobs", str(jobs)], log)
                rows.append((f"mediaeval analyze --jobs {jobs} (exit {code})", seconds, cpu, peak))
                if fast:
                    out = Path(tmp) / f"f{n}-{jobs}"
                    seconds, cpu, peak, code = timed([sys.executable, "-m", "mediaeval", "analyze", str(src), "-o",
                                                      str(out), "-q", "--fast", "--jobs", str(jobs)], log)
                    rows.append((f"mediaeval analyze --fast --jobs {jobs} (exit {code})", seconds, cpu, peak))
                if durable:
                    out = Path(tmp) / f"d{n}-{jobs}"
                    seconds, cpu, peak, code = timed([sys.executable, "-m", "mediaeval", "analyze", str(src),
                                                 "-o", str(out), "-q", "--parts", "--jobs", str(jobs)], log)
                    rows.append((f"durable run (parts) --jobs {jobs} (exit {code})", seconds, cpu, peak))
            for label, seconds, cpu, peak in rows:
                print(f"  {label:<44} wall {seconds:6.1f} s x{seconds / bare:5.2f}  {n / seconds:5.2f} art/s  "
                      f"CPU {cpu:6.1f} s x{cpu / bare_cpu:5.2f}  peak {peak:5.0f} MB")
                peaks.setdefault(label.split(" (exit")[0], []).append(peak)
            print("\n".join(ratios(n, rows, args.jobs)))
            if n == args.sizes[0] and not args.no_layers:
                print(f"\nper-layer cost, {n} ABP articles, in one process (benchmarks/layer_cost.py):")
                print(layer_costs(src))
    if len(args.sizes) > 1:
        print(f"\npeak memory, {args.sizes[-1]} vs {args.sizes[0]} articles:")
        for label, values in peaks.items():
            print(f"  {label:<44} x{values[-1] / values[0]:.2f}")


if __name__ == "__main__":
    main()
