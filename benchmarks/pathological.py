"""Pathological shapes: time and peak memory of a whole `mediaeval analyze` run for each (issue 10, item 5).

    PYTHONPATH=. python benchmarks/pathological.py                  # every case
    PYTHONPATH=. python benchmarks/pathological.py --case colons    # one case
    PYTHONPATH=. python benchmarks/pathological.py --tiny 20000     # fewer tiny articles

Each case runs in a fresh process through ``runner.run_analysis`` (the model is loaded before the clock starts)
with ``--no-html``, and prints wall time, peak resident memory of that process
(``ru_maxrss``), words, and what happened (analysed or skipped, with the reason).
The budget: no article may take more than about 10 s per 10k words or 1 GB; texts
above ``decode.MAX_ARTICLE_CHARS`` are refused with the advice to split them.
The texts are generated here (no corpus text).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "The army said on Monday that rebels had entered the northern town after heavy fighting. "
LIMIT = None  # filled from mediaeval.ingest.decode in the child


def texts_for(case: str, tiny: int):
    from mediaeval.ingest.decode import MAX_ARTICLE_CHARS

    if case == "colons":
        return [":" * 8000]
    if case == "paragraph_1m":  # one paragraph of 1,000,000 characters (refused: above the limit)
        return [(SENTENCE * (1_000_000 // len(SENTENCE) + 1))[:1_000_000]]
    if case == "paragraph_limit":  # one paragraph just under the limit
        return [(SENTENCE * (MAX_ARTICLE_CHARS // len(SENTENCE) + 1))[:MAX_ARTICLE_CHARS - 1]]
    if case == "sentence_200k_words":  # one sentence of 200,000 words (refused: above the limit)
        return ["rebels " * 199_999 + "left."]
    if case == "sentence_limit":  # one sentence of as many words as the limit allows
        from mediaeval.ingest.decode import MAX_RUN_WORDS

        return ["Fighters said " + "fighters and " * ((MAX_RUN_WORDS - 5) // 2) + "soldiers left."]
    if case == "colons_limit":  # the longest run of one mark the limit allows
        from mediaeval.ingest.decode import MAX_RUN_WORDS

        return [":" * MAX_RUN_WORDS]
    if case == "sentences_at_limit":  # a whole article of sentences at the limit, up to the character limit
        from mediaeval.ingest.decode import MAX_RUN_WORDS

        sentence = "Fighters said " + "fighters and " * ((MAX_RUN_WORDS - 5) // 2) + "soldiers left. "
        return [(sentence * (MAX_ARTICLE_CHARS // len(sentence)))]
    if case == "baseline":  # 20 ordinary articles of about 600 words: the same machine's normal rate
        return [SENTENCE * 40 for _ in range(20)]
    if case == "tiny":
        return [f"Rebels entered town {i}, the army said." for i in range(tiny)]
    raise SystemExit(f"unknown case {case!r}")


CASES = ("baseline", "colons", "colons_limit", "paragraph_1m", "paragraph_limit", "sentence_200k_words", "sentence_limit", "sentences_at_limit", "tiny")


def child(case: str, tiny: int, jobs: int) -> None:
    from mediaeval.analyze import AnalysisOptions
    from mediaeval.runner import run_analysis

    from mediaeval.analyze import prepare

    prepare(AnalysisOptions())  # the model load is not part of any case's time
    texts = texts_for(case, tiny)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{case}.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for i, text in enumerate(texts):
                f.write(json.dumps({"id": f"{case}-{i}", "text": text}) + "\n")
        words = sum(len(t.split()) for t in texts)
        start = time.perf_counter()
        summary = run_analysis([str(src)], Path(tmp) / "out", AnalysisOptions(jobs=jobs), html=False,
                               language_check=False)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    reasons = sorted({s.reason[:90] for s in summary.skipped})
    print(json.dumps({"case": case, "articles": len(texts), "chars": sum(map(len, texts)), "words": words,
                      "seconds": round(seconds, 2), "peak_mb": round(max(peak, peak_children)),
                      "analysed": summary.analysed, "skipped": len(summary.skipped), "reasons": reasons}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, action="append")
    parser.add_argument("--tiny", type=int, default=100_000, help="articles in the tiny case (default 100,000)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tiny, args.jobs)
        return
    print(f"{'case':<22}{'articles':>9}{'words':>9}{'time s':>8}{'peak MB':>9}  result")
    for case in args.case or CASES:
        result = subprocess.run([sys.executable, __file__, "--child", case, "--tiny", str(args.tiny),
                                 "--jobs", str(args.jobs)], capture_output=True, text=True)
        if result.returncode:
            print(f"{case:<22} FAILED (exit {result.returncode}): {result.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(result.stdout.strip().splitlines()[-1])
        what = f"{r['analysed']} analysed, {r['skipped']} skipped" + (f" ({'; '.join(r['reasons'])})" if r["reasons"] else "")
        per10k = f", {r['seconds'] / max(r['words'], 1) * 10_000:.1f} s/10k words" if r["analysed"] else ""
        print(f"{case:<22}{r['articles']:>9,}{r['words']:>9,}{r['seconds']:>8}{r['peak_mb']:>9}  {what}{per10k}",
              flush=True)


if __name__ == "__main__":
    main()
