"""Train the small attribution models shipped as mediaeval/lexicons/attribution_model.json.

Data: PolNeAR (Newell, Margolin & Ruths 2018; networkdynamics/PolNeAR @ c3eee83),
the ``train`` split only (840 articles, brat standoff). Nothing from the texts is
stored: the model holds feature names (words, tags, dependency labels) and weights.

    python scripts/train_attribution.py --gold ../shared/data/polnear/train \
        [--cache /tmp/attr/train.spacy] [-o mediaeval/lexicons/attribution_model.json]

Models (see mediaeval/extract/attribution_model.py): ``cue`` (is this token a cue
head), ``cue_span`` (is this neighbour part of the cue span), ``source`` (is this
token the head of the source), ``content_trim`` (does this side phrase stay in
the content). ``--cv 5`` prints 5-fold cross-validated scores (all models refit
per fold, the content CRF of scripts/train_content_crf.py included unless
``--crf off``) instead of training. ``--only content_trim`` retrains one model and keeps the others. scikit-learn logistic regression, L2, C chosen
for a small file; weights below 0.1 in magnitude are dropped (about 1.2 MB).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mediaeval import nlp  # noqa: E402
from mediaeval.evaluate import gold_documents, read_brat  # noqa: E402
from mediaeval.extract import attribution_model as am  # noqa: E402
from mediaeval.extract.attribution_rules import cue_lexicon, quote_context  # noqa: E402

WINDOW = 4


def head_of(doc, segments, prefer=("VERB", "AUX", "NOUN")):
    """The syntactic head of a (possibly discontinuous) character span, preferring ``prefer`` tags."""
    tokens = []
    for a, b in segments:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            tokens.extend(span)
    if not tokens:
        return None, set()
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    for t in heads:
        if t.pos_ in prefer:
            return t, ids
    return heads[0], ids


def load_docs(gold: Path, cache: Path | None, per_text: bool = False):
    pairs = gold_documents(gold)
    stems = sorted({t.stem for t, _ in pairs})
    texts = {t.stem: t.read_text(encoding="utf-8") for t, _ in pairs}
    from spacy.tokens import DocBin

    if cache and cache.exists():
        names_file = cache.with_suffix(".names")
        names = names_file.read_text().split("\n")
        docs = dict(zip(names, DocBin().from_disk(cache).get_docs(nlp.load().vocab)))
    else:
        docs = dict(zip(stems, nlp.parse_many(texts[s] for s in stems)))
        if cache:
            db = DocBin()
            for s in stems:
                db.add(docs[s])
            db.to_disk(cache)
            cache.with_suffix(".names").write_text("\n".join(stems))
    if per_text:
        return [(docs[s], None) for s in stems]
    return [(docs[t.stem], read_brat(a)) for t, a in pairs]


def examples(items):
    lexicon = {k: v["class"] for k, v in cue_lexicon().items()}
    cue_x, cue_y, span_x, span_y, src_x, src_y, trim_x, trim_y = [], [], [], [], [], [], [], []
    for doc, relations in items:
        in_quote, quote_edge = quote_context(doc)
        heads = {}
        for r in relations:
            if not r.cue:
                continue
            h, ids = head_of(doc, r.cue)
            if h is None:
                continue
            heads[h.i] = (ids, r)
        for t in doc:
            if am.is_cue_candidate(t):
                cue_x.append(am.cue_features(t, lexicon, in_quote, quote_edge))
                cue_y.append(int(t.i in heads))
        for hi, (ids, r) in heads.items():
            h = doc[hi]
            sent_start, sent_end = am.sent_bounds(doc)[hi]
            for j in range(max(sent_start, hi - WINDOW), min(sent_end, hi + WINDOW + 1)):
                if j != hi and not doc[j].is_space:
                    span_x.append(am.cue_span_features(h, doc[j], lexicon))
                    span_y.append(int(j in ids))
            if len(r.content) == 1:
                trim_examples(doc, h, r, in_quote, trim_x, trim_y, lexicon)
            src_head = head_of(doc, r.source, ("PROPN", "NOUN", "PRON"))[0] if r.source else None
            for c in doc[sent_start:sent_end]:
                if c.i in ids or c.pos_ not in am.SOURCE_POS:
                    continue
                src_x.append(am.source_features(h, c, lexicon, in_quote))
                src_y.append(int(src_head is not None and c.i == src_head.i))
    return {"cue": (cue_x, cue_y), "cue_span": (span_x, span_y), "source": (src_x, src_y),
            "content_trim": (trim_x, trim_y)}


QUOTE_CHARS = set("\"“”«»")


def trim_examples(doc, cue, r, in_quote, xs, ys, lexicon):
    """Children of the gold content's head: inside the gold content or not."""
    a, b = r.content[0]
    text = doc.text
    if any(ch in QUOTE_CHARS for ch in text[a:b]) or "''" in text[a:b]:
        return
    root, ids = head_of(doc, r.content)
    if root is None or am.sent_bounds(doc)[root.i] != am.sent_bounds(doc)[cue.i]:
        return
    def label(c):
        sub = range(c.left_edge.i, c.right_edge.i + 1)
        return int(sum(1 for i in sub if i in ids) * 2 >= len(sub))

    node, depth = root, 0  # the walk trim_piece makes at run time, with gold labels
    while node is not None and depth < 4:
        nxt = None
        for c in sorted((c for c in node.children if c.i > node.i and not (c.is_punct or c.is_space)), key=lambda c: -c.i):
            y = label(c)
            xs.append(am.content_trim_features(cue, node, c, in_quote, depth, lexicon))
            ys.append(y)
            if y:
                nxt = c
                break
        node, depth = nxt, depth + 1
    for c in sorted((c for c in root.children if c.i < root.i and not (c.is_punct or c.is_space)), key=lambda c: c.i):
        y = label(c)
        xs.append(am.content_trim_features(cue, root, c, in_quote, 0, lexicon))
        ys.append(y)
        if y:
            break


def fit(x, y, c, min_weight):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in feats} for feats in x])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(X, y)
    names = vec.get_feature_names_out()
    weights = {n: round(float(w), 2) for n, w in zip(names, model.coef_[0]) if abs(w) >= min_weight}
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights, "n_examples": len(y),
            "n_positive": int(sum(y))}


def cross_validate(gold: Path, cache: Path | None, k: int, c: float, min_weight: float,
                   crf: tuple[float, ...] | None = (0.05, 0.01, 0.01, 150)) -> str:
    """K-fold cross-validation on ``gold`` (folds by text: every k-th stem in
    sorted order), all four models refit per fold, then the content CRF
    (``crf``: c1, c2, min weight, L-BFGS iterations; None: rules only) on the fold's training
    texts; the pipeline scored with mediaeval.evaluate on the held-out texts.
    The honest estimate for unseen texts."""
    from mediaeval.evaluate import default_predict, evaluate_attribution, format_result
    from mediaeval.extract import attribution

    pairs = gold_documents(gold)
    stems = sorted({t.stem for t, _ in pairs})
    docs = dict(zip(stems, (doc for doc, _ in load_docs(gold, cache, per_text=True))))
    relations: dict = {}
    for t, a in pairs:
        relations.setdefault(t.stem, []).extend(read_brat(a))
    per_text = {s: examples([(docs[s], relations[s])]) for s in stems}
    fold_models = {}
    for fold in range(k):
        held = set(stems[fold::k])
        models = {}
        for name in ("cue", "cue_span", "source", "content_trim"):
            x = [f for s in stems if s not in held for f in per_text[s][name][0]]
            y = [v for s in stems if s not in held for v in per_text[s][name][1]]
            spec = fit(x, y, c, min_weight)
            if name == "cue":
                spec["vocab"] = sorted({f[2:] for feats, label in zip(x, y) if label for f in feats[:1]})
            models[name] = am.Linear(spec)
        if crf:  # the content CRF, trained on this fold's training texts with this fold's models
            from mediaeval.extract.attribution_boundary import ChainCRF
            from train_content_crf import fit_crf, sequences

            seqs = sequences(gold, docs, [s for s in stems if s not in held], models)
            models["content_crf"] = ChainCRF(fit_crf(seqs, crf[0], crf[1], crf[2], int(crf[3])))
        fold_models.update({s: models for s in held})
        print(f"fold {fold + 1}/{k} fitted", file=sys.stderr)
    shipped = attribution.load_models
    current = {}
    attribution.load_models = lambda: current["models"]
    try:
        def predict(text, stem):
            current["models"] = fold_models[stem]
            return default_predict(text, stem, docs[stem])
        return format_result(evaluate_attribution(gold, predict))
    finally:
        attribution.load_models = shipped


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=Path("mediaeval/lexicons/attribution_model.json"))
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--min-weight", type=float, default=0.1, help="drop smaller weights (keeps the file small)")
    ap.add_argument("--only", help="comma-separated model names to retrain; the others are kept from -o")
    ap.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation instead of training (prints scores)")
    ap.add_argument("--crf", default="0.05,0.01,0.01,150",
                    help="content CRF c1,c2,min-weight,iterations refit per CV fold; 'off': rules only")
    args = ap.parse_args(argv)
    if args.cv:
        crf = None if args.crf == "off" else tuple(float(v) for v in args.crf.split(","))
        print(cross_validate(args.gold, args.cache, args.cv, args.C, args.min_weight, crf))
        return 0
    data = examples(load_docs(args.gold, args.cache))
    models = {}
    if args.only:
        models = json.loads(args.output.read_text(encoding="utf-8"))["models"]
        data = {k: v for k, v in data.items() if k in args.only.split(",")}
    for name, (x, y) in data.items():
        models[name] = fit(x, y, args.C, args.min_weight)
        if name == "cue":
            models[name]["vocab"] = sorted({f[2:] for feats, label in zip(x, y) if label for f in feats[:1]})
        print(f"{name}: {len(y)} examples, {sum(y)} positive, {len(models[name]['weights'])} weights")
    spec = {"data": "PolNeAR train split (Newell, Margolin & Ruths 2018), networkdynamics/PolNeAR @ c3eee83",
            "trained_by": "scripts/train_attribution.py", "models": models}
    args.output.write_text(json.dumps(spec, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
