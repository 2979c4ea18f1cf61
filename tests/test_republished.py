"""Republished and rewritten copy: shared sentences, word-level changes, credit."""

from __future__ import annotations

import json

import pytest

from mediaeval.compare import republished as rp
from mediaeval.extract.origin import detect_origin
from mediaeval.ingest.structure import detect_structure
from mediaeval.model import Article


def seed_rows(seed_path):
    return [json.loads(x) for x in (seed_path.parent / "fakes_syria_sample.jsonl").read_text().splitlines()]


def origin_name(r) -> str:
    o = detect_origin(Article(r["id"], r["text"], outlet=r["outlet"], title=r["title"]),
                      detect_structure(r["text"], r["title"]))
    return o.agency if o else ""


def test_seed_wire_pairs_found_with_changes_and_credit(seed_path):
    rows = seed_rows(seed_path)
    records = [{"article_id": r["id"], "outlet": r["outlet"], "date": r["date"], "text": r["text"],
                "origin": origin_name(r)} for r in rows]
    pairs, changes = rp.republished(records)
    found = {frozenset(p) for p in zip(pairs.source_id, pairs.copy_id)}
    # seeds/README.md: Ahram Online and Al Arabiya republish one Reuters story; Ahram and The New Arab one AFP story
    assert frozenset(("fakes_ahram_1923848146", "fakes_arabiya_1926479363")) in found
    assert frozenset(("fakes_ahram_1923848145", "fakes_alaraby_1923102874")) in found
    # independently written reports of the same event are not copies
    assert frozenset(("fakes_ahram_1923848146", "fakes_sputnik_1965495387")) not in found
    row = pairs[pairs.copy_id.isin(["fakes_ahram_1923848145", "fakes_alaraby_1923102874"])].iloc[0]
    assert row.shared_sentences >= 5 and row.direction.startswith("same date")
    mine = changes[(changes.source_id == row.source_id) & (changes.copy_id == row.copy_id)]
    assert len(mine) and set(mine.operation) <= {"replace", "insert", "delete"}
    # the copies' datelines and credits were lost in scraping (FA-KES): no credit can be shown
    assert set(pairs.credit) == {"no credit found"}


def test_rewritten_lead_and_kept_paragraphs_are_found(seed_text):
    # a copy of the Xinhua seed that keeps three paragraphs and swaps words in two (issue 12: "... confirming that
    # opposition fighters have entered the city ...", credited to another agency)
    paras = [p for p in seed_text.split("\n\n") if len(p.split()) > 15]
    assert "announced Thursday" in paras[0] and "rebel militants" in paras[5]
    kept = [paras[0].replace("announced Thursday", "said on Thursday"),
            paras[5].replace("rebel militants", "opposition fighters"), paras[6]]
    records = [{"article_id": "xinhua", "outlet": "Xinhua", "date": "2024-12-05", "text": seed_text,
                "origin": "Xinhua News Agency"},
               {"article_id": "copy", "outlet": "Other", "date": "2024-12-06", "text": "\n\n".join(kept),
                "origin": "Agence France-Presse"}]
    pairs, changes = rp.republished(records)
    assert list(zip(pairs.source_id, pairs.copy_id)) == [("xinhua", "copy")]
    assert pairs.direction[0] == "earlier -> later"
    assert pairs.credit[0] == "credits Agence France-Presse, not the source"
    swaps = set(zip(changes.operation, changes.source_words, changes.copy_words))
    assert ("replace", "announced", "said on") in swaps
    assert ("replace", "rebel militants", "opposition fighters") in swaps


def test_word_changes_are_word_by_word():
    ops = rp.word_changes("Rebels entered the city on Thursday, the monitor said.",
                          "Opposition fighters entered the city on Thursday, the monitor stated.")
    assert ("replace", "Rebels", "Opposition fighters") in ops and ("replace", "said.", "stated.") in ops


def test_shared_quotes_alone_are_not_a_copy():
    quote = ('"We will not allow the border to be closed to aid convoys under any circumstances this winter," '
             'the minister said. "The people of the north have suffered enough from the siege and the shelling."')
    a = {"article_id": "a", "outlet": "A", "date": "2024-12-05",
         "text": "Talks broke down on Monday after a day of meetings in the capital between both sides. " + quote}
    b = {"article_id": "b", "outlet": "B", "date": "2024-12-05",
         "text": "The government defended its record in a long statement issued late on Monday evening. " + quote}
    pairs, _ = rp.republished([a, b])
    assert pairs.empty


def test_no_pairs_within_one_outlet_and_empty_input():
    text = "The minister said on Monday that talks would resume next week in the capital, officials said. " * 4
    pairs, changes = rp.republished([{"article_id": "a", "outlet": "X", "text": text},
                                     {"article_id": "b", "outlet": "X", "text": text}])
    assert pairs.empty and changes.empty and list(pairs.columns) == rp.PAIR_COLUMNS
    assert rp.republished([])[0].empty


@pytest.mark.data
def test_labelled_fakes_pairs(shared_data):
    from benchmarks.republished_dev import fakes
    import csv
    from pathlib import Path

    pairs, _ = rp.republished(fakes())
    found = {frozenset(p) for p in zip(pairs.source_id, pairs.copy_id)}
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "republished_dev_pairs.csv"
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] != "unsure" and r["corpus"] == "fakes"]
    hit = [frozenset((r["article_a"], r["article_b"])) in found for r in rows]
    tp = sum(h and r["label"] == "copy" for h, r in zip(hit, rows))
    fp = sum(h and r["label"] == "not" for h, r in zip(hit, rows))
    # recall 17/23 with the project's one quotation scanner (18/23 with the private scanner it replaced:
    # trt/dailysabah on the Hasakah bombing has unbalanced straight quotes that now run to the paragraph end)
    assert tp / (tp + fp) >= 0.9 and tp / sum(r["label"] == "copy" for r in rows) >= 0.7


def test_records_from_analyses_carry_spans_and_origin(seed_analysis):
    (rec,) = rp.records_from_analyses([seed_analysis])
    assert rec["origin"] == "Xinhua News Agency" and rec["spans"]
    assert all(rec["text"][s:e].strip() for s, e in rec["spans"])
