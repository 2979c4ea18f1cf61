"""Draw a blind passive-voice set: random sentences, one per record, as reference-only TSV rows.

Records (JSONL lines of FA-KES and ABP) are shuffled with a fixed seed; records already in the given
coded sets are skipped, as are outlets that reached their cap; from each record one sentence of 6-55
words is picked at random. Sentences are cut with a simple punctuation rule (common abbreviations
kept; no parser, and the passive detector is never run), so a few are fragments. The rows carry an
empty label column, to be coded by hand before ``passive_accuracy.py`` is run on the file.

    python benchmarks/passive_draw.py --seed 20261208 --fakes 150 --abp 150 --abp-records 1-10000 --cap-fakes 14 \\
        --exclude benchmarks/passive_dev.tsv benchmarks/data/passive_blind4.tsv benchmarks/data/passive_blind5.tsv

Limits: the cut is approximate (a quotation or a headline glued to the first sentence may stay in
one piece); ``--abp-records`` keeps ABP records apart from an unlabelled sample studied elsewhere.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from passive_accuracy import DEFAULT_DATA, read_rows  # noqa: E402

FILES = {"fakes": "fakes_syria/fakes_articles.jsonl", "abp": "abp/abp_20k.jsonl.gz"}
CAPS = {"fakes": 8, "abp": 2}  # at most this many sentences per outlet
ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|St|Jr|Sr|Prof|No|vs|etc|Inc|Co|Corp|"
                    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$")
END = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"“'‘(]?[A-Z0-9])|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (a punctuation rule, abbreviations kept)."""
    spans, start = [], 0
    for m in END.finditer(text):
        end = m.end()
        if m.group().startswith("\n"):
            end = m.start()
        elif ABBREV.search(text[max(start, m.start() - 12):m.start() + 1]):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def draw(corpus: str, n: int, seed: int, exclude: set, data: Path, records: range | None = None) -> list[dict]:
    """``n`` rows from ``corpus``: one random 6-55-word sentence per random record, outlets capped."""
    path = data / FILES[corpus]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    rng = random.Random(seed)
    order = list(records if records is not None else range(1, len(lines) + 1))
    rng.shuffle(order)
    per_outlet: dict = {}
    rows = []
    for rec in order:
        if len(rows) == n:
            break
        if (FILES[corpus], str(rec)) in exclude:
            continue
        doc = json.loads(lines[rec - 1])
        outlet = doc.get("outlet", "")
        if per_outlet.get(outlet, 0) >= CAPS[corpus]:
            continue
        text = doc.get("text") or ""
        spans = [(a, b) for a, b in sentences(text) if 6 <= len(text[a:b].split()) <= 55]
        if not spans:
            continue
        a, b = rng.choice(spans)
        sent = text[a:b].replace("\t", " ").replace("\n", " ")
        per_outlet[outlet] = per_outlet.get(outlet, 0) + 1
        rows.append({"corpus": corpus, "file": FILES[corpus], "record": str(rec), "start": str(a), "end": str(b),
                     "sha1": hashlib.sha1(sent.encode("utf-8")).hexdigest()[:10], "text": sent, "outlet": outlet})
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} {corpus} records left")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--fakes", type=int, default=150)
    ap.add_argument("--abp", type=int, default=150)
    ap.add_argument("--abp-records", default="", help="a range a-b of ABP record numbers to draw from")
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help="coded TSVs whose records are skipped")
    ap.add_argument("--cap-fakes", type=int, default=CAPS["fakes"], help="sentences per FA-KES outlet, at most")
    ap.add_argument("--cap-abp", type=int, default=CAPS["abp"], help="sentences per ABP outlet, at most")
    ap.add_argument("--split", default="blind6")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--with-text", action="store_true", help="add the sentence (for coding by hand; never commit)")
    args = ap.parse_args(argv)
    CAPS.update(fakes=args.cap_fakes, abp=args.cap_abp)
    exclude = {(r["file"], r["record"]) for t in args.exclude for r in read_rows(t)}
    abp_range = None
    if args.abp_records:
        lo, hi = (int(x) for x in args.abp_records.split("-"))
        abp_range = range(lo, hi + 1)
    rows = draw("fakes", args.fakes, args.seed, exclude, args.data) if args.fakes else []
    rows += draw("abp", args.abp, args.seed + 1, exclude, args.data, abp_range) if args.abp else []
    cols = ["id", "split", "corpus", "file", "record", "start", "end", "sha1", "passive"]
    print("\t".join(cols + (["text"] if args.with_text else [])))
    for i, r in enumerate(rows):
        r.update(id=str(i), split=args.split, passive="")
        print("\t".join([r[c] for c in cols] + ([r["text"]] if args.with_text else [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
