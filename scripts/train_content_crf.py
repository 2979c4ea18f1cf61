"""Train the content-boundary CRF shipped as mediaeval/lexicons/attribution_content_crf.json.

Data: PolNeAR (Newell, Margolin & Ruths 2018; networkdynamics/PolNeAR @ c3eee83),
the ``train`` split only. The pipeline runs on each training text with the
shipped cue, cue-span, source and trim models; every attribution it proposes
whose cue overlaps a gold cue (paired as the evaluator pairs them) becomes one
training sequence: the tokens of its window (attribution_boundary.window), the
features of attribution_boundary.token_features, and BIO labels from the gold
content. Nothing from the texts is stored: the model holds feature names
(tags, labels, short function words) and weights.

    python scripts/train_content_crf.py --gold ../shared/data/polnear/train \
        --cache /tmp/attr/train.spacy [--c1 2.0 --c2 0.05 --iterations 60] [-o mediaeval/lexicons/attribution_content_crf.json]

sklearn-crfsuite (L-BFGS, elastic net); weights below --min-weight in
magnitude are dropped. c1, c2, the iteration count and the margin were chosen by
training on four fifths of the train texts and scoring the held-out fifth
(never on dev). Cross-validated figures: benchmarks/attribution_cv.py (refits
every model, this one included, per fold).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mediaeval.evaluate import Relation, gold_documents, pair_relations, read_brat  # noqa: E402
from mediaeval.extract import attribution  # noqa: E402
from mediaeval.extract import attribution_boundary as boundary  # noqa: E402
from mediaeval.extract import attribution_content  # noqa: E402

RECORD = object()  # stands in for the CRF while sequences are recorded


def record_sequences(doc, text: str, stem: str, models: dict) -> list[dict]:
    """Run the pipeline on ``doc`` with ``models`` and record, for every
    attribution that reaches the boundary step, its window, cue and features."""
    from mediaeval.evaluate import default_predict

    out = []

    def recorder(doc, f, segs, crf, in_quote, heads, lexicon, bounds):
        rule_tokens = None
        if segs:
            a = attribution_content._token_at(doc, segs[0][0])
            b = attribution_content._token_at(doc, segs[-1][1] - 1)
            if a is not None and b is not None:
                rule_tokens = (a, b + 1)
        win = boundary.window(doc, f, rule_tokens, bounds)
        if win is not None:
            s, e = win
            cue = (doc[f.cue[0]].idx, doc[f.cue[1] - 1].idx + len(doc[f.cue[1] - 1]))
            feats = boundary.token_features(doc, f, s, e, boundary.rule_labels(doc, s, e, segs), in_quote, heads, lexicon)
            out.append({"cue": cue, "s": s, "e": e, "x": feats,
                        "idx": [(t.idx, t.idx + len(t)) for t in doc[s:e]]})
        return None

    shipped_load, shipped_refine = attribution.load_models, boundary.refine
    attribution.load_models = lambda: dict(models, content_crf=RECORD)
    boundary.refine = recorder
    try:
        default_predict(text, stem, doc)
    finally:
        attribution.load_models, boundary.refine = shipped_load, shipped_refine
    return out


def label_sequences(records: list[dict], gold: list) -> list[tuple[list, list]]:
    """(features, BIO labels) for each record paired with a gold relation by cue overlap."""
    pred = [Relation(cue=(r["cue"],)) for r in records]
    out = []
    for i, j in pair_relations(pred, gold):
        segs = gold[j].content
        if not segs:
            continue
        labels, prev = [], "O"
        for a, b in records[i]["idx"]:
            inside = any(s <= a < e for s, e in segs)
            lab = ("I" if prev != "O" else "B") if inside else "O"
            labels.append(lab)
            prev = lab
        out.append((records[i]["x"], labels))
    return out


def sequences(gold_dir: Path, docs: dict, stems, models: dict) -> list[tuple[list, list]]:
    """Training sequences from the texts ``stems`` (every annotator's file counts)."""
    pairs = [(t, a) for t, a in gold_documents(gold_dir) if t.stem in set(stems)]
    recorded: dict = {}
    out = []
    for t, a in pairs:
        if t.stem not in recorded:
            recorded[t.stem] = record_sequences(docs[t.stem], t.read_text(encoding="utf-8"), t.stem, models)
        out.extend(label_sequences(recorded[t.stem], read_brat(a)))
    return out


def fit_crf(seqs, c1: float, c2: float, min_weight: float, iterations: int = 60) -> dict:
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=iterations,
                               all_possible_transitions=True)
    crf.fit([x for x, _ in seqs], [y for _, y in seqs])
    labels = list(boundary.LABELS)
    weights: dict = {}
    for (attr, lab), w in crf.state_features_.items():
        if abs(w) >= min_weight:
            weights.setdefault(attr, [0.0] * len(labels))[labels.index(lab)] = round(float(w), 3)
    trans = [[0.0] * len(labels) for _ in labels]
    for (a, b), w in crf.transition_features_.items():
        trans[labels.index(a)][labels.index(b)] = round(float(w), 3)
    return {"labels": labels, "weights": weights, "transitions": trans,
            "n_sequences": len(seqs), "n_tokens": sum(len(y) for _, y in seqs), "c1": c1, "c2": c2,
            "min_weight": min_weight, "iterations": iterations}


def main(argv=None) -> int:
    from train_attribution import load_docs

    from mediaeval.extract.attribution_model import load_models

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=Path("mediaeval/lexicons/attribution_content_crf.json"))
    ap.add_argument("--c1", type=float, default=2.0)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=60, help="L-BFGS iterations")
    ap.add_argument("--min-weight", type=float, default=0.01)
    ap.add_argument("--margin", type=float, default=boundary.MARGIN, help="score margin over the rules' labelling to overrule them")
    args = ap.parse_args(argv)
    stems = sorted({t.stem for t, _ in gold_documents(args.gold)})
    docs = dict(zip(stems, (d for d, _ in load_docs(args.gold, args.cache, per_text=True))))
    models = {k: v for k, v in load_models().items() if k != "content_crf"}
    seqs = sequences(args.gold, docs, stems, models)
    spec = fit_crf(seqs, args.c1, args.c2, args.min_weight, args.iterations)
    spec.update({"data": "PolNeAR train split (Newell, Margolin & Ruths 2018), networkdynamics/PolNeAR @ c3eee83",
                 "trained_by": "scripts/train_content_crf.py", "margin": args.margin})
    args.output.write_text(json.dumps(spec, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"{len(seqs)} sequences, {spec['n_tokens']} tokens, {len(spec['weights'])} features; "
          f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
