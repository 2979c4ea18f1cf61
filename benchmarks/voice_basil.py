"""Voice of BASIL bias spans (lexical and informational) against the annotators' `quote` flag.

BASIL v2 (Fan et al. 2019) marks lexical (`lex`) and informational (`inf`) bias
spans and says whether each is inside a quotation (`quote` yes/no, with the
speaker). We rebuild each article's text (title, a blank line, paragraphs
separated by blank lines, sentences by a space), place every span by its
sentence id and offsets (checked against its text), and take mediaeval's voice
of the span (``mediaeval.voice``: the voice covering most of its words), from
the quotation marks found in the text plus, unless --no-attributions, the
attribution layer.

What `quote` means, read off the data (1,254 spans of 210 articles): a span
wholly inside quotation marks is `yes` 507 times and `no` 20 times (short
partial quotes such as “description”, and a few words inside full quotations);
a span that only partly lies inside marks is `no` 78 times and `yes` 6 times; a
span outside marks is `no` 634 times and `yes` 6 times (quotations the writer
left without marks). Reported speech without marks is `no`. So `quote=yes`
means "a source's words in quotation marks": the main reading compares it with
``quoted``; scare quotes (marks without a source) are the outlet's distance,
not a source's words. Other rows: inside marks (``quoted`` or ``scare_quoted``),
and ``quoted`` or ``reported``.

    /work/venv/bin/python benchmarks/voice_basil.py [--data DIR] [--bias all|lex|inf] [--no-attributions] [--errors N]

Prints counts, accuracy, precision/recall/F1 for quote=yes and Cohen's kappa.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "basil"


def article_text(article: dict) -> tuple[str, list[int], int]:
    """Text, the offset of every sentence (global order), and the offset of the body."""
    title = article.get("title", "").strip()
    text, starts = title + "\n\n", []
    body = len(text)
    for p, paragraph in enumerate(article.get("body-paragraphs", [])):
        if p:
            text += "\n\n"
        for s, sentence in enumerate(paragraph):
            if s:
                text += " "
            starts.append(len(text))
            text += sentence
    return text, starts, body


def spans(article: dict, annotation: dict, text: str, starts: list[int], bias: str = "all"):
    for p in annotation.get("phrase-level-annotations", []):
        if bias != "all" and p.get("bias") != bias:
            continue
        if p["id"] == "title":
            at = text.find(p["txt"])
            start = at if 0 <= at < len(article.get("title", "")) + 1 else None
        else:
            i = int(p["id"][1:])
            start = starts[i] + p["start"] if i < len(starts) else None
        if start is None or text[start:start + len(p["txt"])] != p["txt"]:
            yield None, p
            continue
        yield start, p


def kappa(table: Counter) -> float:
    n = sum(table.values())
    po = (table[(True, True)] + table[(False, False)]) / n
    gold_yes = (table[(True, True)] + table[(True, False)]) / n
    pred_yes = (table[(True, True)] + table[(False, True)]) / n
    pe = gold_yes * pred_yes + (1 - gold_yes) * (1 - pred_yes)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def report(name: str, table: Counter) -> None:
    tp, fn, fp, tn = table[(True, True)], table[(True, False)], table[(False, True)], table[(False, False)]
    n = tp + fn + fp + tn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{name:<28} n={n}  gold yes={tp + fn}  TP={tp} FN={fn} FP={fp} TN={tn}  "
          f"accuracy={(tp + tn) / n:.3f}  P={p:.3f} R={r:.3f} F1={f:.3f}  kappa={kappa(table):.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--bias", default="all", choices=("all", "lex", "inf"), help="which spans (default: all)")
    ap.add_argument("--no-attributions", action="store_true")
    ap.add_argument("--errors", type=int, default=0, help="print up to N disagreements")
    args = ap.parse_args(argv)

    from mediaeval import nlp
    from mediaeval.extract.voice import VoiceMap
    from mediaeval.ingest.structure import detect_structure
    from mediaeval.model import Article

    extract_attributions = None
    if not args.no_attributions:
        try:
            from mediaeval.extract.attribution import extract_attributions
        except ImportError:
            print("(attribution extractor not available: quotation marks only)")

    items = []
    for ann_path in sorted(glob.glob(f"{args.data}/annotations/*/*_ann.json")):
        art_path = ann_path.replace("/annotations/", "/articles/").replace("_ann.json", ".json")
        items.append((json.load(open(art_path, encoding="utf-8")), json.load(open(ann_path, encoding="utf-8"))))
    started = time.time()
    texts = [article_text(a) for a, _ in items]
    docs = nlp.parse_many([t for t, _, _ in texts]) if extract_attributions else iter(lambda: None, 0)
    marks, quoted, either, other, unplaced, partial, errors = Counter(), Counter(), Counter(), Counter(), 0, 0, []
    for (article, annotation), (text, starts, body), doc in zip(items, texts, docs):
        attributions = ()
        if extract_attributions:
            art = Article(article.get("uuid", ""), text, title=article.get("title", ""))
            attributions = extract_attributions(doc, art, detect_structure(text, art.title))
        voices = VoiceMap(text, attributions)
        for start, p in spans(article, annotation, text, starts, args.bias):
            if start is None:
                unplaced += 1
                continue
            gold = p.get("quote") == "yes"
            voice, speaker = voices.span(start, start + len(p["txt"]))
            in_marks = voice in ("quoted", "scare_quoted")
            marks[(gold, in_marks)] += 1
            quoted[(gold, voice == "quoted")] += 1
            if not gold and in_marks and p["txt"][:1] in "\"“'‘":
                partial += 1
            either[(gold, voice in ("quoted", "reported"))] += 1
            other[(gold, voice != "own")] += 1
            if gold != (voice == "quoted") and len(errors) < args.errors:
                errors.append((gold, voice, p["txt"], text[max(0, start - 80):start + len(p["txt"]) + 40]))
    print(f"BASIL {args.bias} bias spans from {len(items)} articles ({unplaced} could not be placed); "
          f"voice from {'attributions + ' if extract_attributions else ''}quotation marks; {time.time() - started:.0f}s")
    report("quoted vs quote=yes", quoted)
    report("quoted|scare_quoted vs yes", marks)
    report("quoted|reported vs yes", either)
    report("not own vs yes", other)
    print(f"of the false 'inside marks': {partial} spans carry their own quotation marks (short partial quotes "
          "that the annotators marked quote=no)")
    for gold, voice, span, context in errors:
        print(f"\n gold quote={'yes' if gold else 'no'} ours={voice}: {span!r}\n   …{context!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
