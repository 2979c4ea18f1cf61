"""How much time does attribution add to the spaCy parse? (targets: attribution
at most 10 %, the learned content boundaries at most 5 % of the parse)

Times ``nlp.parse_many`` alone, then ``extract_attributions`` on the same parsed
docs with the content CRF and without it (rules only), and the CRF step itself
(``attribution_boundary.refine``, features and Viterbi), each as a share of the
parse (200 PolNeAR texts by default; the seed article repeated when the shared
data is absent). ``--shapes`` also times pathological inputs (long runs of one
punctuation mark, one long paragraph of reported speech) at two sizes: linear
cost shows as a time ratio near the size ratio.

    /work/venv/bin/python benchmarks/attribution_speed.py [--n 200] [--split dev] [--data DIR] [--shapes]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mediaeval import nlp  # noqa: E402
from mediaeval.extract import attribution  # noqa: E402
from mediaeval.extract import attribution_boundary as boundary  # noqa: E402
from mediaeval.extract.attribution import extract_attributions  # noqa: E402
from mediaeval.extract.attribution_model import load_models  # noqa: E402
from mediaeval.extract.attribution_rules import cue_lexicon  # noqa: E402
from mediaeval.ingest.structure import detect_structure  # noqa: E402
from mediaeval.model import Article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"


def texts(data: Path, n: int, split: str = "train") -> tuple[list[str], str]:
    files = sorted((data / split / "text").glob("*.txt"))[:n] if data.is_dir() else []
    if files:
        return [p.read_text(encoding="utf-8") for p in files], f"{len(files)} PolNeAR {split} texts"
    seed = (ROOT / "seeds" / "xinhua_hama_withdrawal.txt").read_text(encoding="utf-8")
    return [seed] * n, f"the seed article x {n} (no shared data)"


def extract_all(docs, corpus, structures, models) -> tuple[float, int]:
    shipped = attribution.load_models
    attribution.load_models = lambda: models
    try:
        t0 = time.process_time()
        n = 0
        for k, (doc, text, structure) in enumerate(zip(docs, corpus, structures)):
            doc.user_data.clear()  # no caches carried over between the two runs
            n += len(extract_attributions(doc, Article(article_id=str(k), text=text), structure))
        return time.process_time() - t0, n
    finally:
        attribution.load_models = shipped


def time_refine() -> tuple[list, object]:
    """Wrap attribution_boundary.refine to add up its own time."""
    spent = [0.0]
    inner = boundary.refine

    def timed(*args, **kw):
        t0 = time.process_time()
        try:
            return inner(*args, **kw)
        finally:
            spent[0] += time.process_time() - t0

    boundary.refine = timed
    return spent, inner


SHAPES = {
    "colons": lambda n: ":" * n,
    "dashes": lambda n: "-" * n,
    "quotes": lambda n: "\u201c" * n,
    "said-paragraph": lambda n: " ".join(f"Officials said: \u201cItem {k} is here,\u201d he said." for k in range(n // 10)),
}


def shapes(sizes=(2000, 4000)) -> None:
    """Parse and extraction time of pathological shapes at two sizes (tokens)."""
    print(f"{'shape':<16} {'tokens':>7} {'parse s':>8} {'attr s':>8}")
    for name, make in SHAPES.items():
        for n in sizes:
            text = make(n)
            t0 = time.process_time()
            doc = nlp.parse(text)
            parse_s = time.process_time() - t0
            t0 = time.process_time()
            extract_attributions(doc, Article(article_id=name, text=text), detect_structure(text))
            print(f"{name:<16} {len(doc):7d} {parse_s:8.2f} {time.process_time() - t0:8.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="train", help="PolNeAR split whose texts are timed (train or dev)")
    ap.add_argument("--shapes", action="store_true", help="also time pathological shapes")
    args = ap.parse_args(argv)
    corpus, what = texts(args.data, args.n, args.split)
    nlp.load()
    models = load_models()
    rules_only = {k: v for k, v in models.items() if k != "content_crf"}
    cue_lexicon()
    t0 = time.process_time()
    docs = list(nlp.parse_many(corpus))
    parse_s = time.process_time() - t0
    structures = [detect_structure(t) for t in corpus]
    extract_all(docs[:5], corpus[:5], structures[:5], models)  # warm caches
    base_s, _ = extract_all(docs, corpus, structures, rules_only)
    spent, inner = time_refine()
    try:
        crf_s, n_att = extract_all(docs, corpus, structures, models)
    finally:
        boundary.refine = inner
    words = sum(len(d) for d in docs)
    print(f"texts: {what}; {words} tokens; {n_att} attributions; content CRF shipped: {'content_crf' in models}")
    print(f"spaCy parse:                    {parse_s:8.2f} s  ({words / parse_s:,.0f} tokens/s)")
    print(f"extract_attributions, rules:    {base_s:8.2f} s  {100 * base_s / parse_s:6.1f} % of the parse")
    print(f"extract_attributions, with CRF: {crf_s:8.2f} s  {100 * crf_s / parse_s:6.1f} % of the parse (target <= 10 %)")
    print(f"content CRF step (refine):      {spent[0]:8.2f} s  {100 * spent[0] / parse_s:6.1f} % of the parse (target <= 5 %)")
    if args.shapes:
        shapes()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
