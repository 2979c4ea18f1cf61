"""What each part of an analysis costs, per 1,000 tokens, in one process.

    python benchmarks/layer_cost.py ARTICLES.jsonl

Parses the articles with the pipeline mediaeval loads (``nlp.load``), one spaCy
component at a time (each component's CPU time, ``time.process_time``), then
runs each mediaeval layer of ``components.py`` on the parsed Docs in pipeline
order: paragraphs (a spaCy component before the parser), structure, quotes,
attribution (the learned content-boundary CRF, ``attribution_boundary.refine``,
is also shown on its own), terms, tone, agency; then the records and registry
measures (``analysis_from_doc``), the table rows (``frames.to_frames``) and the
comparison (``compare``; republished-copy detection on its own). Prints one
line per part: CPU seconds, ms per 1,000 tokens and the share of the parse;
then what is paid once per process (the loaded-term matcher, the comparison's
imports), outside the per-token figures.

The spaCy components run here one Doc at a time (``nlp.pipe`` batches the
neural ones), so the parse is slower than in a run: compare the layers with
each other and with this parse, and take whole-run ratios from
``throughput.py``. ``--json`` prints the figures as one JSON object (what
``throughput.py`` reads).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def read(path: str):
    from mediaeval.model import Article

    out = []
    for k, line in enumerate(open(path, encoding="utf-8")):
        r = json.loads(line)
        out.append(Article(article_id=str(r.get("id", k)), text=r["text"], outlet=r.get("outlet", ""),
                           date=r.get("date", ""), title=r.get("title", "")))
    return out


def measure(articles) -> dict:
    """{"tokens": n, "parse": {component: s}, "layers": {part: s}} in CPU seconds."""
    from mediaeval import nlp
    from mediaeval.analyze import AnalysisOptions, _layers
    from mediaeval.compare import build
    from mediaeval.extract import attribution_boundary as boundary
    from mediaeval.extract.layers import analysis_from_doc, article_dict, put
    from mediaeval.frames import to_frames
    from mediaeval.measures import apply

    options = AnalysisOptions()
    pipeline = nlp.load(options.model)
    layers = _layers(options).layers
    parse = {name: 0.0 for name, _ in pipeline.pipeline}
    docs, tokens = [], 0
    for article in articles:
        doc = pipeline.make_doc(article.text)
        for name, component in pipeline.pipeline:
            t = time.process_time()
            doc = component(doc)
            parse[name] += time.process_time() - t
        docs.append(doc)
        tokens += len(doc)

    spent = {"crf": 0.0, "republished": 0.0}

    def timed(key, fn):
        def wrapper(*args, **kwargs):
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.process_time() - t
        return wrapper

    parts = {key: 0.0 for key in layers}
    once = {}
    t = time.process_time()
    from mediaeval.extract.term_matcher import build_matcher

    build_matcher(layers["terms"].lexicon, pipeline.vocab)  # built once per process, then cached
    once["terms: matcher build (once per process)"] = time.process_time() - t
    t = time.process_time()
    importlib.import_module("sklearn.feature_extraction.text")  # the comparison's imports, once per process

    once["compare: imports (once per process)"] = time.process_time() - t
    refine, republished = boundary.refine, build.republished
    boundary.refine = timed("crf", refine)
    build.republished = timed("republished", republished)
    try:
        for article, doc in zip(articles, docs):
            put(doc, "article", article_dict(article))
            for key, component in layers.items():
                t = time.process_time()
                doc = component(doc)
                parts[key] += time.process_time() - t
        t = time.process_time()
        results = [apply(analysis_from_doc(doc, article)) for article, doc in zip(articles, docs)]
        parts["records"] = time.process_time() - t
        t = time.process_time()
        frames = to_frames(results)
        parts["rows"] = time.process_time() - t
        t = time.process_time()
        build.build_comparison(frames, by="outlet")
        parts["compare"] = time.process_time() - t
    finally:
        boundary.refine, build.republished = refine, republished
    parts["attribution: content CRF"] = spent["crf"]
    parts["compare: republished"] = spent["republished"]
    return {"articles": len(articles), "tokens": tokens, "parse": parse, "layers": parts, "once": once}


ORDER = ("structure", "quotes", "attribution", "attribution: content CRF", "terms", "tone", "agency", "records",
         "rows", "compare", "compare: republished")


def report(figures: dict) -> str:
    tokens, parse = figures["tokens"], figures["parse"]
    total = sum(parse.values())
    per_k = 1000.0 / max(tokens, 1)
    lines = [f"{figures['articles']} articles, {tokens:,} tokens; CPU s, ms per 1,000 tokens, share of the parse"]
    for name, s in parse.items():
        lines.append(f"  parse: {name:<26} {s:7.2f} s {1000 * s * per_k:8.2f} ms {100 * s / total:6.1f} %")
    lines.append(f"  parse: {'(all, one Doc at a time)':<26} {total:7.2f} s {1000 * total * per_k:8.2f} ms  100.0 %")
    layers = figures["layers"]
    for name in ORDER:
        s = layers.get(name, 0.0)
        lines.append(f"  {name:<33} {s:7.2f} s {1000 * s * per_k:8.2f} ms {100 * s / total:6.1f} %")
    for name, s in figures.get("once", {}).items():
        lines.append(f"  {name:<33} {s:7.2f} s")
    own = sum(layers[k] for k in ("structure", "quotes", "attribution", "terms", "tone", "agency", "records"))
    lines.append(f"  {'layers + records (no compare)':<33} {own:7.2f} s {1000 * own * per_k:8.2f} ms "
                 f"{100 * own / total:6.1f} %")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", help="JSONL with id, outlet, date, title, text")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(read(args.articles))
    print(json.dumps(figures) if args.json else report(figures))


if __name__ == "__main__":
    main()
