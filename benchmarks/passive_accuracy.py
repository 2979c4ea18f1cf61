"""Passive-voice accuracy on the hand-coded development set (benchmarks/passive_dev.tsv).

A sentence counts as passive when ``extract_agency`` finds at least one passive
clause in it (the unit PassivePy reports: 0.97-0.98 accuracy on human-coded
sentences). The TSV holds only references (corpus, file, record, offsets, a
SHA-1 prefix of the sentence) and labels; the sentences are read from
../shared/data at run time, each parsed on its own as a one-sentence article.
Coding rules: benchmarks/passive_dev.md.

    /work/venv/bin/python benchmarks/passive_accuracy.py [--split dev|test|holdout|blind2|blind3|all] [--data DIR]
    /work/venv/bin/python benchmarks/passive_accuracy.py --tsv benchmarks/data/passive_blind4.tsv   # blind set 4
    (blind sets 5-7 likewise; new blind sets are drawn with benchmarks/passive_draw.py)

Corpora: PolNeAR (.txt), FA-KES and ABP (JSONL line <record>), BASIL (body sentence p<P>s<S>).

With ``--passivepy FILE`` it scores instead a local copy of PassivePy's human-coded
crowd-sourced set (github.com/mitramir55/PassivePy, Data/crowd_source_dataset.csv;
columns ``Sentence`` and ``human_coding``, 1 = passive). The file is supplied by the
user and not shipped. ``--half tune|test`` takes one half of a fixed random split
(seed ``PASSIVEPY_SEED``): rules were revised on errors from ``tune`` only.

    /work/venv/bin/python benchmarks/passive_accuracy.py --passivepy crowd_source_dataset.csv [--half all|tune|test]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TSV = HERE / "passive_dev.tsv"
DEFAULT_DATA = HERE.parents[0].parent / "shared" / "data"
PASSIVEPY_SEED = 20250612


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


def evaluate(data: Path = DEFAULT_DATA, split: str = "all", tsv: Path = TSV) -> dict:
    """Accuracy, precision, recall and the confusion list for one split of ``tsv``."""
    from mediaeval import nlp

    rows = [r for r in read_rows(tsv) if split == "all" or r["split"] == split]
    cache: dict = {}
    texts = [sentence_text(r, data, cache) for r in rows]
    return score(rows, texts, nlp.parse_many(texts), split)


def read_passivepy(path: Path, half: str = "all") -> list[dict]:
    """Rows (``id``, ``text``, ``passive``) of PassivePy's crowd-sourced CSV; ``half`` = all, tune or test
    (a fixed random split of the row numbers, seed ``PASSIVEPY_SEED``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [{"id": str(i), "text": r["Sentence"].strip(), "passive": r["human_coding"].strip()}
                for i, r in enumerate(csv.DictReader(fh), start=2)]  # id = line number in the file
    order = list(range(len(rows)))
    random.Random(PASSIVEPY_SEED).shuffle(order)
    tune = set(order[:len(order) // 2])
    if half == "all":
        return rows
    if half not in ("tune", "test"):
        raise ValueError(f"half must be all, tune or test, not {half!r}")
    return [r for i, r in enumerate(rows) if (i in tune) == (half == "tune")]


def evaluate_passivepy(path: Path, half: str = "all") -> dict:
    """Accuracy, precision, recall and errors on PassivePy's human-coded sentences (one article each)."""
    from mediaeval import nlp

    rows = read_passivepy(path, half)
    texts = [r["text"] for r in rows]
    return score(rows, texts, nlp.parse_many(texts), f"passivepy:{half}")


def score(rows: list[dict], texts: list[str], docs, split: str) -> dict:
    """Sentence-level confusion counts: predicted passive when ``extract_agency`` finds a passive clause."""
    from mediaeval.extract.agency import extract_agency
    from mediaeval.model import Article, Structure

    tp = fp = tn = fn = 0
    errors = []
    for row, text, doc in zip(rows, texts, docs):
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
    ap.add_argument("--tsv", type=Path, default=TSV,
                    help="the coded set (default passive_dev.tsv; blind set 4: benchmarks/data/passive_blind4.tsv)")
    ap.add_argument("--passivepy", type=Path, metavar="FILE",
                    help="score a local copy of PassivePy's Data/crowd_source_dataset.csv instead")
    ap.add_argument("--half", default="all", help="with --passivepy: all, tune or test")
    args = ap.parse_args(argv)
    if args.passivepy is not None:
        if not args.passivepy.is_file():
            print(f"no file at {args.passivepy}", file=sys.stderr)
            return 2
        r = evaluate_passivepy(args.passivepy, args.half)
    elif not args.data.is_dir():
        print(f"no data directory at {args.data}; pass --data", file=sys.stderr)
        return 2
    else:
        r = evaluate(args.data, args.split, args.tsv)
    print(f"split={r['split']} n={r['n']} accuracy={r['accuracy']:.4f} precision={r['precision']:.4f} "
          f"recall={r['recall']:.4f} (tp={r['tp']} fp={r['fp']} tn={r['tn']} fn={r['fn']})")
    for rid, gold, pred, verbs, text in r["errors"]:
        print(f"  #{rid} gold={gold} predicted={pred} passive verbs=[{verbs}] :: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
