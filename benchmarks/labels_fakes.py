"""Label choice for the armed opposition per outlet on FA-KES (Syrian war coverage, 15 outlets).

For every outlet: how it names the non-state armed groups (refers_to
nonstate_armed) in its own voice and inside quotes or reported speech, the share
of delegitimizing labels ("terrorist", "armed terrorist group", "takfiri",
"mercenary") among them, and the most frequent labels. Labels are choices to
compare (Glasgow Media Group), not errors.

    /work/venv/bin/python benchmarks/labels_fakes.py [--data PATH] [--cache DIR] [--limit N]
        [--no-attributions] [--csv OUT.csv]

Parsed docs are cached (DocBin) in --cache, so a second run takes seconds.
FA-KES had commas and apostrophes stripped by its authors; quotation marks remain.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "fakes_syria" / "fakes_articles.jsonl"


def parsed_docs(texts: list[str], cache: Path):
    from spacy.tokens import DocBin

    from mediaeval import nlp

    model = nlp.load()
    path = cache / f"fakes_{len(texts)}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(model.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.parse_many(texts))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def print_block(table, words, articles, groups, delegit) -> None:
    header = (f"{'outlet':<14}{'arts':>5}{'own/1k':>8}{'deleg%':>8}{'quot/1k':>8}{'deleg%':>8}  "
              "top own labels | top quoted/reported labels")
    print(header)
    print("-" * len(header))
    for outlet in sorted(table, key=lambda o: -articles[o]):
        own, quo = Counter(), Counter()
        for (g, lab, v), n in table[outlet].items():
            if g in groups:
                (own if v == "own" else quo)[lab] += n

        def rate(c):
            return 1000 * sum(c.values()) / max(words[outlet], 1)

        def share(c):
            total = sum(c.values())
            return f"{100 * sum(n for lab, n in c.items() if lab in delegit) / total:.0f}" if total else "-"

        def top(c):
            return ", ".join(f"{lab} {n}" for lab, n in c.most_common(4)) or "-"

        print(f"{outlet:<14}{articles[outlet]:>5}{rate(own):>8.1f}{share(own):>8}{rate(quo):>8.1f}{share(quo):>8}  "
              f"{top(own)} | {top(quo)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--cache", default="/tmp/terms_helper/cache")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-attributions", action="store_true", help="voice from quotation marks only")
    ap.add_argument("--csv", help="write the per-outlet label table (outlet, refers_to, label, voice, count)")
    args = ap.parse_args(argv)

    from mediaeval.extract.common import counted_tokens
    from mediaeval.extract.labels import label_counts
    from mediaeval.extract.term_lexicon import load_term_lexicon
    from mediaeval.extract.terms import extract_terms
    from mediaeval.ingest.structure import detect_structure
    from mediaeval.model import Article

    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    if args.limit:
        rows = rows[: args.limit]
    started = time.time()
    docs = parsed_docs([r["text"] for r in rows], Path(args.cache))
    parsed = time.time()
    lexicon = load_term_lexicon()
    extract_attributions = None
    if not args.no_attributions:
        try:
            from mediaeval.extract.attribution import extract_attributions
        except ImportError:
            print("(attribution extractor not available: voice from quotation marks only)")

    table: dict[str, Counter] = defaultdict(Counter)  # outlet -> (refers_to, label, voice) -> n
    words, articles = Counter(), Counter()
    delegit = {e.term for e in lexicon.entries if e.function == "delegitimizing"}
    for i, (row, doc) in enumerate(zip(rows, docs)):
        article = Article(f"fakes_{i}", row["text"], outlet=row["outlet"], title=row.get("title", ""))
        structure = detect_structure(article.text, article.title)
        attributions = extract_attributions(doc, article, structure) if extract_attributions else ()
        hits = extract_terms(doc, article, structure, attributions, lexicon)
        for r in label_counts(hits):
            table[article.outlet][(r["refers_to"], r["label"], r["voice"])] += r["count"]
        words[article.outlet] += len(counted_tokens(doc, structure))
        articles[article.outlet] += 1
    done = time.time()

    print(f"FA-KES: {len(rows)} articles, {sum(words.values())} words; parse {parsed - started:.0f}s, "
          f"extraction {done - parsed:.1f}s; voice from {'attributions + ' if extract_attributions else ''}"
          "quotation marks\n")
    for groups, title in ((("nonstate_armed",), "the armed opposition (refers_to nonstate_armed)"),
                          (("state_forces", "government"), "the government side (refers_to state_forces, government)")):
        print(f"Labels for {title}: per 1,000 words and share delegitimizing, own voice | quoted or reported")
        print_block(table, words, articles, groups, delegit)
        print()
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["outlet", "articles", "words", "refers_to", "label", "voice", "count"])
            for outlet, counts in sorted(table.items()):
                for (g, lab, v), n in sorted(counts.items()):
                    w.writerow([outlet, articles[outlet], words[outlet], g, lab, v, n])
        print(f"\nwrote {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
