"""Long fuzz run: random texts through the readers, the engine and the table rows (issue 10, item 1).

    PYTHONPATH=. python benchmarks/fuzz.py --n 100000 --minutes 30 [--seed 1]

Texts mix random code points (lone surrogates, C0/C1 controls, bidi and zero-width
marks, U+2028/2029/0085, emoji), punctuation runs, quotes, dashes, line breaks and
English fragments written here. Every 500 texts go into one JSONL file (written
with ``json.dumps``, so surrogates travel as ``\\udXXX`` escapes as in real feeds),
which is read by ``read_articles`` and analysed by ``engine.analyze_stream``. A
failure is: an exception, a count of results that differs from the count of
records, a ``Skipped`` whose reason is an analysis failure, an offset outside
the text or a term whose offsets do not give its text, or a table row that
cannot be encoded as UTF-8. It prints how many inputs it tried and the
failures (target: 0 in 100,000); failing inputs are saved to ``--save``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

FRAGMENTS = ["The army said", "rebels entered the city", "“We will not leave,” a resident told reporters.",
             "according to officials", "was destroyed in an air strike", "Police detained 12 protesters",
             "DAMASCUS —", "(AP) -", "he said.", "she added,", "'", '"', "«", "»", "—", "...", ":", ";", "(", ")",
             "\n\n", "\n", "\r\n", "\t", " ", "  ", "U.S.", "Mr.", "No.", "http://x.y/z", "@user", "#tag", "=SUM(A1)"]
SPECIAL = ["\ud83d", "\ude00", "\udfff", "\ud800", "\x85", "\u2028", "\u2029", "\x1b", "\x07", "\x0b", "\x0c",
           "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\ufffd", "\U0001F600", "\u0301", "\x7f", "\x9f",
           "\uff1d", "\u00ad", "\U000E0001"]


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 40)):
        kind = rng.random()
        if kind < 0.35:
            parts.append(rng.choice(FRAGMENTS))
        elif kind < 0.55:
            parts.append(rng.choice(SPECIAL))
        elif kind < 0.75:
            parts.append("".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 12))))
        elif kind < 0.85:
            parts.append("".join(chr(rng.randint(1, 0x10FFFF)) for _ in range(rng.randint(1, 6))))
        elif kind < 0.95:
            parts.append(rng.choice(":;,.-—'\"“”()!?*") * rng.randint(1, 60))
        else:
            parts.append(" ".join(rng.choice(["said", "the", "army", "was", "by", "told", "rebels"])
                                  for _ in range(rng.randint(5, 80))))
        if rng.random() < 0.6:
            parts.append(" ")
    return "".join(parts)


def check(text: str, result) -> str:
    """'' when ``result`` is acceptable for ``text``, else what is wrong."""
    from mediaeval.ingest.readers import Skipped
    from mediaeval.report.tables import rows_for

    if isinstance(result, Skipped):
        return result.reason if "failed" in result.reason or "died" in result.reason else ""
    got = result.article.text
    if len(got) != len(text):
        return f"text length changed {len(text)} -> {len(got)}"
    n = len(got)
    for span in result.sentences:
        if not 0 <= span.start <= span.end <= n:
            return f"sentence span {span} outside the text"
    for term in result.terms:
        if got[term.start:term.end] != term.matched_text:
            return f"term offsets {term.start}-{term.end} do not give {term.matched_text!r}"
    for a in result.attributions:
        for s, e in ((a.source_start, a.source_end), (a.cue_start, a.cue_end), (a.content_start, a.content_end)):
            if s is not None and not 0 <= s <= e <= n:
                return f"attribution span {s}-{e} outside the text"
    for kind, rows in rows_for(result).items():
        for row in rows:
            try:
                json.dumps(row, ensure_ascii=False, default=str).encode("utf-8")
            except (UnicodeEncodeError, TypeError, ValueError) as exc:
                return f"{kind} row cannot be written: {exc}"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="inputs to try (default 100,000)")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long (reports what it tried)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--save", type=Path, default=Path("fuzz_failures.jsonl"))
    args = parser.parse_args()

    from mediaeval.analyze import AnalysisOptions, prepare
    from mediaeval.engine import analyze_stream
    from mediaeval.ingest.decode import safe_text
    from mediaeval.ingest.readers import read_articles

    prepare()
    rng = random.Random(args.seed)
    start = time.monotonic()
    tried, failures, skipped = 0, [], 0
    with tempfile.TemporaryDirectory() as tmp:
        while tried < args.n and (args.minutes is None or time.monotonic() - start < 60 * args.minutes):
            texts = [random_text(rng) for _ in range(min(args.batch, args.n - tried))]
            path = Path(tmp) / "fuzz.jsonl"
            path.write_text("".join(json.dumps({"id": f"f{tried + i}", "text": t}) + "\n"
                                    for i, t in enumerate(texts)), encoding="utf-8")
            try:
                results = list(analyze_stream(read_articles([path]), AnalysisOptions(), language_check=False))
            except Exception as exc:  # noqa: BLE001 - the whole point: report, do not stop
                failures.append({"text": texts, "problem": f"the stream raised {type(exc).__name__}: {exc}"})
                tried += len(texts)
                continue
            if len(results) != len(texts):
                failures.append({"text": texts, "problem": f"{len(results)} results for {len(texts)} records"})
            for text, result in zip(texts, results):
                problem = check(safe_text(json.loads(json.dumps(text)))[0], result)  # JSON joins surrogate pairs
                skipped += not hasattr(result, "article")
                if problem:
                    failures.append({"text": text, "problem": problem})
            tried += len(texts)
            rate = tried / (time.monotonic() - start)
            print(f"\rtried {tried:,}  failures {len(failures)}  skipped (empty etc.) {skipped:,}  {rate:.0f}/s",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if failures:
        with open(args.save, "w", encoding="utf-8") as f:
            for failure in failures:
                f.write(json.dumps(failure) + "\n")
    minutes = (time.monotonic() - start) / 60
    print(f"fuzz: {tried:,} inputs tried in {minutes:.1f} min (seed {args.seed}); {len(failures)} failure(s); "
          f"{skipped:,} skipped for a stated reason (empty text)" + (f"; failures saved to {args.save}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
