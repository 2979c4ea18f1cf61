"""How much time does attribution add to the spaCy parse? (target: at most 10%)

Times ``nlp.parse_many`` alone and then ``extract_attributions`` on the same
parsed docs (200 PolNeAR texts by default; the seed article repeated when the
shared data is absent), and prints both with the overhead in percent.

    /work/venv/bin/python benchmarks/attribution_speed.py [--n 200] [--data DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mediaeval import nlp
from mediaeval.extract.attribution import extract_attributions
from mediaeval.extract.attribution_model import load_models
from mediaeval.extract.attribution_rules import cue_lexicon
from mediaeval.ingest.structure import detect_structure
from mediaeval.model import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"


def texts(data: Path, n: int) -> tuple[list[str], str]:
    files = sorted((data / "train" / "text").glob("*.txt"))[:n] if data.is_dir() else []
    if files:
        return [p.read_text(encoding="utf-8") for p in files], f"{len(files)} PolNeAR train texts"
    seed = (ROOT / "seeds" / "xinhua_hama_withdrawal.txt").read_text(encoding="utf-8")
    return [seed] * n, f"the seed article x {n} (no shared data)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    corpus, what = texts(args.data, args.n)
    nlp.load()
    load_models()
    cue_lexicon()
    t0 = time.perf_counter()
    docs = list(nlp.parse_many(corpus))
    parse_s = time.perf_counter() - t0
    structures = [detect_structure(t) for t in corpus]
    t0 = time.perf_counter()
    n_att = 0
    for k, (doc, text, structure) in enumerate(zip(docs, corpus, structures)):
        n_att += len(extract_attributions(doc, Article(article_id=str(k), text=text), structure))
    extract_s = time.perf_counter() - t0
    words = sum(len(d) for d in docs)
    print(f"texts: {what}; {words} tokens; {n_att} attributions")
    print(f"spaCy parse:          {parse_s:8.2f} s  ({words / parse_s:,.0f} tokens/s)")
    print(f"extract_attributions: {extract_s:8.2f} s  ({1000 * extract_s / len(docs):.1f} ms per text)")
    print(f"overhead:             {100 * extract_s / parse_s:8.1f} % of the parse (target <= 10%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
