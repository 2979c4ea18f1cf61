"""Republished and rewritten copy (``mediaeval.republished``): precision and recall on a dev set.

The dev set has three parts, none of them copied into the repository (only article ids and
labels are):

1. **Hand-checked FA-KES pairs** (``benchmarks/republished_dev_pairs.csv``, corpus ``fakes``): 44 candidate pairs
   (articles from different outlets sharing at least three sampled word 4-grams), drawn at random
   in strata of 0, 1, 2, 3, 4, 5 and 6+ aligned sentences so that near misses are included, plus
   the two wire pairs named in seeds/README.md. Each was read and labelled ``copy`` (the two
   share passages of one written story, whole or rewritten), ``not`` (different stories, or only
   stock background sentences in common) or ``unsure`` (left out of the scores).
2. **Synthetic rewrites on ABP**: 150 ABP articles (seeded) each get a copy dated a day later
   from a made-up outlet, in one of four kinds: ``swap`` (word substitutions such as "rebels" ->
   "opposition fighters", "said" -> "stated", and a dropped word here and there), ``cut`` (only
   40 % of the paragraphs kept, in order), ``swap+cut`` and ``lead`` (the first paragraph
   rewritten wholesale, the rest swapped). They are hidden among 3,000 ABP articles. Recall is the
   share of (original, copy) pairs found; a reported pair with a copy is also right when it pairs
   the copy with an article that is itself reported as a copy of the original. The pairs reported
   between real ABP articles were read and labelled too (corpus ``abp`` in the CSV).
3. **Same-event negatives**: Dai 2017 (142 articles, 31 same-event clusters) and BASIL (70
   triplets): independently written reports of one event. Pairs reported there are listed for
   checking by eye.

    python benchmarks/republished_dev.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
import time
from pathlib import Path

import pandas as pd

from mediaeval.compare import republished as rp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SWAPS = {"rebels": "opposition fighters", "said": "stated", "killed": "left dead", "government": "authorities",
         "president": "leader", "attack": "assault", "people": "residents", "police": "officers",
         "protesters": "demonstrators", "announced": "declared", "told": "informed", "however": "but",
         "also": "additionally", "after": "following", "before": "prior to", "about": "around",
         "many": "numerous", "big": "large", "help": "assist", "show": "demonstrate", "new": "fresh",
         "officials": "authorities", "militants": "fighters", "terrorists": "militants",
         "regime": "government", "says": "states", "according": "pursuant", "week": "seven days"}


def fakes() -> pd.DataFrame:
    fk = pd.read_json(DATA / "fakes_syria" / "fakes_articles.jsonl", lines=True, dtype=False)
    fk["article_id"] = [f"{o}_{u}" for o, u in zip(fk.outlet, fk.unit_id)]
    fk["date"] = fk["date"].astype(str)
    return fk.drop_duplicates("article_id")


def swap(text: str, rnd: random.Random) -> str:
    def one(m: re.Match) -> str:
        w = m.group(0)
        new = SWAPS.get(w.lower())
        if new is None:
            return w if rnd.random() > 0.03 else ""  # drop about one word in 33
        return new[0].upper() + new[1:] if w[0].isupper() else new
    return re.sub(r"[A-Za-z]+", one, text)


def rewrite(text: str, kind: str, rnd: random.Random) -> str:
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if kind in ("cut", "swap+cut"):
        keep = sorted(rnd.sample(range(len(paras)), max(2, round(0.4 * len(paras)))))
        paras = [paras[i] for i in keep]
    if kind == "lead":
        paras = ["In a development reported on Tuesday, events moved quickly as officials and witnesses "
                 "described what had happened to reporters at the scene."] + paras[1:]
    if kind != "cut":
        paras = [swap(p, rnd) for p in paras]
    return "\n\n".join(paras)


def synthetic(n_pool: int = 3000, n_copies: int = 150, seed: int = 11):
    abp = pd.read_json(DATA / "abp" / "abp_20k.jsonl.gz", lines=True, dtype=False, nrows=n_pool)
    abp["article_id"] = abp["id"].astype(str)
    abp["date"] = pd.to_datetime(abp["date"], errors="coerce")
    rnd = random.Random(seed)
    eligible = [i for i, t in enumerate(abp.text) if len(re.split(r"\n\s*\n", t)) >= 6 and len(t.split()) >= 250]
    kinds = ("swap", "cut", "swap+cut", "lead")
    copies = []
    for n, i in enumerate(rnd.sample(eligible, n_copies)):
        src = abp.iloc[i]
        kind = kinds[n % len(kinds)]
        copies.append({"article_id": f"copy:{src.article_id}", "outlet": "Synthetic Copy",
                       "date": src.date + pd.Timedelta(days=1) if pd.notna(src.date) else pd.NaT,
                       "text": rewrite(src.text, kind, rnd), "kind": kind, "source": src.article_id})
    pool = pd.concat([abp[["article_id", "outlet", "date", "text"]], pd.DataFrame(copies)], ignore_index=True)
    pool["date"] = pool["date"].astype(str).replace("NaT", "")
    return pool, pd.DataFrame(copies)


def score_synthetic() -> None:
    pool, copies = synthetic()
    start = time.process_time()
    pairs, changes = rp.republished(pool[["article_id", "outlet", "date", "text"]])
    took = time.process_time() - start
    found = {frozenset(p) for p in zip(pairs.source_id, pairs.copy_id)}
    real = {k for k in found if not any(a.startswith("copy:") for a in k)}
    copies["found"] = [frozenset((c, s)) in found for c, s in zip(copies.article_id, copies.source)]
    partners = {}
    for k in real:
        a, b = tuple(k)
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    synth = [k for k in found if k not in real]
    outlet = dict(zip(pool.article_id, pool.outlet))
    right = 0
    for k in synth:
        c = next(a for a in k if a.startswith("copy:"))
        other = next(iter(k - {c}), c)
        src = c[len("copy:"):]
        # right: the original, an article reported as a copy of it, or an article of the original's own outlet
        # that carries the same passages (The Flip Side reuses its quotes across its round-ups)
        right += other == src or other in partners.get(src, set()) or outlet.get(other) == outlet.get(src)
    print(f"\nSynthetic rewrites in ABP ({len(pool) - len(copies)} articles + {len(copies)} copies; "
          f"{took:.1f} s CPU, {took / len(pool) * 1000:.1f} ms an article; {len(pairs)} pairs, "
          f"{len(changes)} word changes)")
    print(f"  recall {copies.found.mean():.3f} ({copies.found.sum()}/{len(copies)}); by kind: " + ", ".join(
        f"{k} {g.found.mean():.2f}" for k, g in copies.groupby("kind")))
    print(f"  precision of pairs with a copy: {right / max(1, len(synth)):.3f} ({right}/{len(synth)})")
    labels = {frozenset((r["article_a"], r["article_b"])): r["label"] for r in labelled("abp")}
    checked = [labels[k] for k in real if k in labels]
    ok, bad = checked.count("copy"), checked.count("not")
    print(f"  pairs between real ABP articles: {len(real)}; hand-checked: {ok} copies, {bad} not, "
          f"{checked.count('unsure')} unsure, {len(real) - len(checked)} unchecked; "
          f"precision {ok / max(1, ok + bad):.3f}")
    ex = changes[changes.copy_id.str.startswith("copy:") & (changes.operation == "replace")].head(5)
    for r in ex.itertuples():
        print(f'    e.g. "{r.source_words}" -> "{r.copy_words}"')


def labelled(corpus: str) -> list[dict]:
    with open(ROOT / "benchmarks" / "republished_dev_pairs.csv", encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["corpus"] == corpus]


def score_labelled() -> None:
    fk = fakes()
    pairs, _ = rp.republished(fk)
    found = {frozenset(p) for p in zip(pairs.source_id, pairs.copy_id)}
    rows = [r for r in labelled("fakes") if r["label"] != "unsure"]
    tp = sum(r["label"] == "copy" and frozenset((r["article_a"], r["article_b"])) in found for r in rows)
    fp = sum(r["label"] == "not" and frozenset((r["article_a"], r["article_b"])) in found for r in rows)
    pos = sum(r["label"] == "copy" for r in rows)
    print(f"\nHand-checked FA-KES pairs ({len(rows)} labelled, {pos} copies; stratified sample of candidates):")
    print(f"  precision {tp / max(1, tp + fp):.3f} ({tp}/{tp + fp}), recall {tp / max(1, pos):.3f} ({tp}/{pos})")
    print(f"  whole FA-KES ({len(fk)} articles): {len(pairs)} pairs reported")
    for r in rows:
        k = frozenset((r["article_a"], r["article_b"]))
        if (r["label"] == "copy") != (k in found):
            kind = "missed" if r["label"] == "copy" else "false "
            print(f"    {kind}: {r['article_a']} {r['article_b']} ({r['note']})")


def score_negatives() -> None:
    from benchmarks.compare_grouping import basil, dai

    for name, df in (("Dai 2017", dai()), ("BASIL", basil())):
        pairs, _ = rp.republished(df)
        print(f"\n{name} same-event articles ({len(df)}): {len(pairs)} pairs reported")
        for r in pairs.itertuples():
            print(f"    {r.source_outlet} / {r.copy_outlet}: {r.shared_sentences} shared of "
                  f"{r.source_sentences}/{r.copy_sentences} ({r.source_id} {r.copy_id})")


def main() -> int:
    if not DATA.exists():
        print("../shared/data is absent; nothing to measure")
        return 0
    print(f"settings: {rp.SHINGLE}-word shingles sampled 1/{rp.SAMPLE}, >= {rp.MIN_HITS} shared; sentence ratio >= "
          f"{rp.ALIGN_RATIO}; >= {rp.MIN_SHARED} shared sentences or 2 covering {rp.MIN_SHARE:.0%} of the shorter; "
          f"beyond {rp.WINDOW_DAYS} days only the latter")
    score_labelled()
    score_synthetic()
    score_negatives()
    return 0


if __name__ == "__main__":
    sys.exit(main())
