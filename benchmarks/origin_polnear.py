"""Origin accuracy on PolNeAR (train and dev): is the wire agency found where there is one,
and is nothing claimed where there is none?

Gold: the ``wire`` column of ``../shared/data/polnear/metadata.tsv`` (AP, AFP,
Reuters/reuters, UPI; "None" = not wire copy; "NA" = unknown, excluded and
counted). Each article is ``<split>/text/<filename>.txt`` (the metadata
``filename`` is the file stem). Only the text and the title are given to
mediaeval (never the metadata ``author``/``credit`` columns, which would give
the answer away). No spaCy needed.

    /work/venv/bin/python benchmarks/origin_polnear.py [--data DIR] [--splits train dev] [--show N] [--no-title]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from mediaeval.extract.origin import detect_origin
from mediaeval.ingest.structure import detect_structure
from mediaeval.model import Article

GOLD = {"ap": "ap", "afp": "afp", "reuters": "reuters", "upi": "upi"}
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"


def run(data: Path, split: str, show: int, use_title: bool = True) -> dict:
    with open(data / "metadata.tsv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == split]
    wire = found = wrong = missed = nonwire = false_claims = unknown = unknown_claims = absent = 0
    methods: Counter = Counter()
    confusion: list[tuple[str, str, str, str, str]] = []
    for r in rows:
        path = data / split / "text" / f"{r['filename']}.txt"
        if not path.is_file():
            absent += 1
            continue
        text = path.read_text(encoding="utf-8")
        article = Article(article_id=r["filename"], text=text, title=r["title"] if use_title else "", outlet=r["publisher"])
        origin = detect_origin(article, detect_structure(text, article.title))
        got = origin.agency_id if origin else ""
        gold = r["wire"].strip()
        if gold == "NA" or not gold:
            unknown += 1
            unknown_claims += bool(origin)
            continue
        want = GOLD.get(gold.lower(), "") if gold != "None" else ""
        if want:
            wire += 1
            if got == want:
                found += 1
                methods[origin.method] += 1
            else:
                wrong += bool(got)
                missed += not got
                confusion.append((r["filename"], gold, got or "-", origin.method if origin else "", ""))
        else:
            nonwire += 1
            if origin:
                false_claims += 1
                confusion.append((r["filename"], "None", got, origin.method, origin.evidence_text[:80]))
    print(f"== {split}: {len(rows)} articles in metadata, {absent} without a text file")
    print(f"   wire articles: {wire}; found with the correct agency: {found} "
          f"(recall {found / wire:.1%})" if wire else "   wire articles: 0")
    print(f"   wrong agency: {wrong}; missed: {missed}; found by method: {dict(methods)}")
    rate = f"{false_claims / nonwire:.1%}, 1 per {nonwire / false_claims:.0f}" if false_claims else "0%"
    print(f"   non-wire articles: {nonwire}; false claims: {false_claims} ({rate}); target <= 1 per 30")
    print(f"   wire unknown (NA), excluded: {unknown} (origin claimed on {unknown_claims} of them)")
    if confusion:
        print("   confusion (file, gold, predicted, method, evidence):")
        for row in confusion[:show]:
            print("    ", " | ".join(row))
    return {"wire": wire, "found": found, "nonwire": nonwire, "false_claims": false_claims}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear folder (default: ../shared/data/polnear)")
    ap.add_argument("--splits", nargs="+", default=["train", "dev"])
    ap.add_argument("--no-title", action="store_true", help="do not pass the metadata title (headline from the text alone)")
    ap.add_argument("--show", type=int, default=50, help="confusion rows to print per split")
    args = ap.parse_args(argv)
    if not (args.data / "metadata.tsv").is_file():
        print(f"no PolNeAR metadata at {args.data}; pass --data", file=sys.stderr)
        return 2
    for split in args.splits:
        run(args.data, split, args.show, use_title=not args.no_title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
