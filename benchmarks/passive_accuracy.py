"""Passive-voice accuracy on the hand-coded development set (benchmarks/passive_dev.tsv).

A sentence counts as passive when ``extract_agency`` finds at least one passive
clause in it (the unit PassivePy reports: 0.97-0.98 accuracy on human-coded
sentences). The TSV holds only references (corpus, file, record, offsets, a
SHA-1 prefix of the sentence) and labels; the sentences are read from
../shared/data at run time, each parsed on its own as a one-sentence article.
Coding rules: benchmarks/passive_dev.md.

    /work/venv/bin/python benchmarks/passive_accuracy.py [--split dev|test|holdout|blind2|blind3|all] [--data DIR]

Corpora: PolNeAR (.txt), FA-KES and ABP (JSONL line <record>), BASIL (body sentence p<P>s<S>).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TSV = HERE / "passive_dev.tsv"
DEFAULT_DATA = HERE.parents[0].parent / "shared" / "data"


def read_rows(path: Path = TSV) -> list[dict]:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def sentence_text(row: dict, data: Path, cache: dict) -> str:
    """The coded sentence, read from the data set; checked against the stored SHA-1 prefix."""
    key = (row["corpus"], row["file"], row["record"])
    if key not in cache:
        path = data / row["file"]
        if row["corpus"] == "polnear":
            cache[key] = path.read_text(encoding="utf-8")
        elif row["corpus"] in ("fakes", "abp"):
            if path not in cache:  # one pass over the file, then records by line number
                opener = gzip.open if path.suffix == ".gz" else open
                with opener(path, "rt", encoding="utf-8") as fh:
                    cache[path] = fh.read().splitlines()
            cache[key] = json.loads(cache[path][int(row["record"]) - 1])["text"]
        elif row["corpus"] == "basil":
            doc = json.loads(path.read_text(encoding="utf-8"))
            p, s = row["record"][1:].split("s")
            cache[key] = doc["body-paragraphs"][int(p)][int(s)]
        else:
            raise ValueError(f"unknown corpus {row['corpus']!r} in {TSV.name} row {row['id']}")
    text = cache[key][int(row["start"]):int(row["end"])].replace("\t", " ").replace("\n", " ")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:len(row["sha1"])]
    if digest != row["sha1"]:
        raise ValueError(f"row {row['id']}: the text at {row['file']} [{row['start']}, {row['end']}) has changed")
    return text


def evaluate(data: Path = DEFAULT_DATA, split: str = "all") -> dict:
    """Accuracy, precision, recall and the confusion list for one split."""
    from mediaeval import nlp
    from mediaeval.extract.agency import extract_agency
    from mediaeval.model import Article, Structure

    rows = [r for r in read_rows() if split == "all" or r["split"] == split]
    cache: dict = {}
    texts = [sentence_text(r, data, cache) for r in rows]
    tp = fp = tn = fn = 0
    errors = []
    for row, text, doc in zip(rows, texts, nlp.parse_many(texts)):
        clauses, _ = extract_agency(doc, Article(row["id"], text), Structure(), ())
        predicted = any(c.voice == "passive" for c in clauses)
        gold = row["passive"] == "1"
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
        tn += not gold and not predicted
        if gold != predicted:
            verbs = ", ".join(c.verb_text for c in clauses if c.voice == "passive")
            errors.append((row["id"], int(gold), int(predicted), verbs, text))
    n = tp + fp + tn + fn
    return {"split": split, "n": n, "accuracy": (tp + tn) / n if n else 0.0,
            "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "tp": tp, "fp": fp, "tn": tn, "fn": fn, "errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="all", help="dev, test, holdout, blind2, blind3 or all")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data directory at {args.data}; pass --data", file=sys.stderr)
        return 2
    r = evaluate(args.data, args.split)
    print(f"split={r['split']} n={r['n']} accuracy={r['accuracy']:.4f} precision={r['precision']:.4f} "
          f"recall={r['recall']:.4f} (tp={r['tp']} fp={r['fp']} tn={r['tn']} fn={r['fn']})")
    for rid, gold, pred, verbs, text in r["errors"]:
        print(f"  #{rid} gold={gold} predicted={pred} passive verbs=[{verbs}] :: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
