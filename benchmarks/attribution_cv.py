"""K-fold cross-validated attribution scores on PolNeAR train (the honest figure
for unseen text; dev is for reporting only).

Folds by text (every k-th stem in sorted order). Per fold, every learned model
is refit on the other folds' texts: the cue, cue-span, source and trim models
(``scripts/train_attribution.py``) and then the content-boundary CRF
(``scripts/train_content_crf.py``, with the regularisation and iteration count
recorded in the shipped ``attribution_content_crf.json`` unless ``--crf`` says
otherwise); the pipeline is scored with ``mediaeval.evaluate`` on the held-out
texts.

    /work/venv/bin/python benchmarks/attribution_cv.py [--gold ../shared/data/polnear/train]
        [--cache /tmp/attr/train.spacy] [--k 5] [--crf c1,c2,min_weight,iterations | off]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mediaeval.extract.attribution_boundary import MODEL_FILE  # noqa: E402
from mediaeval.lexicons import bundled_path  # noqa: E402


def shipped_crf_settings() -> tuple[float, float, float, int]:
    """c1, c2, min weight and L-BFGS iterations of the shipped content CRF."""
    spec = json.loads(bundled_path(MODEL_FILE).read_text(encoding="utf-8"))
    return (float(spec.get("c1", 1.0)), float(spec.get("c2", 0.05)), float(spec.get("min_weight", 0.01)),
            int(spec.get("iterations", 60)))


def main(argv=None) -> int:
    from train_attribution import cross_validate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train")
    ap.add_argument("--cache", type=Path, help="DocBin of the parsed texts (written on the first run)")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--C", type=float, default=0.3, help="logistic models' C (as scripts/train_attribution.py)")
    ap.add_argument("--min-weight", type=float, default=0.1)
    ap.add_argument("--crf", help="content CRF c1,c2,min-weight,iterations per fold, or 'off' (rules only); "
                                  "default: the shipped model's settings")
    args = ap.parse_args(argv)
    if args.crf == "off":
        crf = None
    elif args.crf:
        crf = tuple(float(v) for v in args.crf.split(","))
    else:
        crf = shipped_crf_settings()
    print(f"{args.k}-fold CV on {args.gold}; content CRF: {crf or 'off'}")
    print(cross_validate(args.gold, args.cache, args.k, args.C, args.min_weight, crf))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
