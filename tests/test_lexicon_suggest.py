"""lexicon suggest: collocations + log-odds contrast, names and stop words left out, a draft that loads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mediaeval.cli import main
from mediaeval.extract.term_lexicon import check_lexicon_file, lexicon_warnings, load_term_lexicon
from mediaeval.lexicon_suggest import DRAFT_COLUMNS, _fold, _Guesser, _stop_words, run_suggest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "fakes_syria_sample.jsonl"


def test_fold_and_guesses_from_the_bundled_lexicon():
    assert _fold("government forces") == "government force" and _fold("militias") == "militia"
    assert _fold("isis") == "isis"
    guess = _Guesser(load_term_lexicon()).guess
    category, function, refers_to, _ = guess(("armed", "terrorist", "group"))
    assert (category, refers_to) == ("actor_label", "nonstate_armed") and function == "delegitimizing"
    assert guess(("syrian", "army"))[2] == "state_forces"
    category, function, refers_to, _ = guess(("terrorist", "rocket", "attack"))
    assert (category, function, refers_to) == ("frame", "delegitimizing", "general")  # names no group
    assert guess(("material", "damage"))[2] == "general"


def test_sample_draft_has_no_function_words_and_round_trips(tmp_path):
    out = tmp_path / "draft.csv"
    result = run_suggest([str(SAMPLE)], out, by="outlet", min_count=2)
    stop = _stop_words()
    for s in result.suggestions:
        words = s.term.split()
        assert words[0] not in stop and words[-1] not in stop, s.term
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and list(rows[0]) == DRAFT_COLUMNS
    assert all(r["source"] == "suggested" and r["rationale"] == "" for r in rows)
    assert check_lexicon_file(out) == []
    assert len(lexicon_warnings(out)) == len(rows)


def test_empty_rationale_is_still_an_error_outside_drafts(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(",".join(DRAFT_COLUMNS) + "\nbarrel bomb,,event_label,sensational,event,bomb,,BBC,true\n",
                    encoding="utf-8")
    assert [(line, column) for line, column, _ in check_lexicon_file(path)] == [(2, "rationale")]


@pytest.fixture(scope="module")
def sana_vs_reuters(tmp_path_factory, shared_data):
    corpus = shared_data / "fakes_syria" / "fakes_articles.jsonl"
    out = tmp_path_factory.mktemp("suggest") / "draft.csv"
    result = run_suggest([str(corpus)], out, by="outlet", against="reuters", groups=["sana", "reuters"])
    return corpus, out, result


@pytest.mark.data
def test_fakes_sana_gets_terrorist_phrases_reuters_descriptive_labels(sana_vs_reuters):
    _, _, result = sana_vs_reuters
    sana = [s for s in result.suggestions if s.group == "sana"]
    sana_known = {s.term for s in result.known if s.group == "sana"}
    assert {"terrorist", "terrorist group", "terrorist organization"} <= sana_known  # listed apart, not again
    new_terrorist = [s for s in sana if "terrorist" in s.term.split()]
    assert new_terrorist and all(s.term not in sana_known for s in new_terrorist)
    assert any(s.function == "delegitimizing" for s in new_terrorist)
    reuters = [s for s in result.suggestions + result.known if s.group == "reuters"]
    assert not any("terrorist" in s.term for s in reuters)
    labels = {s.term for s in reuters if s.category == "actor_label" and s.function in ("descriptive", "legitimizing")}
    assert {"rebel", "fighter", "militant"} & labels
    assert all(s.against == "reuters" for s in sana) and all(s.against == "rest" for s in reuters)


@pytest.mark.data
def test_fakes_evidence_points_at_real_sentences_and_no_names(sana_vs_reuters, nlp):
    corpus, _, result = sana_vs_reuters
    from mediaeval.ingest.readers import read_articles

    texts = {a.article_id: a.text for a in read_articles([corpus])}
    checked = 0
    for s in result.suggestions[:8] + result.known[:4]:
        assert 1 <= len(s.evidence) <= 3
        for article_id, index, sentence in s.evidence[:1]:
            sents = [x.text.strip() for x in nlp(texts[article_id]).sents]
            assert sents[index] == sentence
            assert _fold(s.term.split()[0]) in _fold(sentence.lower()), (s.term, sentence)
            checked += 1
    assert checked >= 8
    terms = " ".join(s.term for s in result.suggestions)
    for name in ("aleppo", "damascus", "assad", "homs", "sana", "reuters"):
        assert name not in terms.split(), name
    assert not any(s.term in {"syrian", "russian", "the", "said"} for s in result.suggestions)


@pytest.mark.data
def test_fakes_draft_round_trips_through_check_and_lexicon(sana_vs_reuters, tmp_path, capsys):
    corpus, draft, result = sana_vs_reuters
    assert main(["lexicon", "check", str(draft)]) == 0
    out = capsys.readouterr().out
    assert "warning: empty in a suggested row" in out and out.rstrip().endswith("OK")
    phrase = next(s for s in result.suggestions if s.group == "sana" and "terrorist" in s.term.split())
    lexicon = load_term_lexicon((str(draft),))
    assert lexicon.get(phrase.term).source == "suggested"
    evidence_id = phrase.evidence[0][0]
    from mediaeval.ingest.readers import read_articles

    (article,) = [a for a in read_articles([corpus]) if a.article_id == evidence_id]
    sample = tmp_path / "one.jsonl"
    import json

    sample.write_text(json.dumps({"id": article.article_id, "outlet": article.outlet, "text": article.text}) + "\n",
                      encoding="utf-8")
    assert main(["analyze", str(sample), "-o", str(tmp_path / "run"), "--lexicon", str(draft), "--no-html", "-q"]) == 0
    hits = list(csv.DictReader((tmp_path / "run" / "terms.csv").open(encoding="utf-8")))
    drafted = {s.term for s in result.suggestions if "terrorist" in s.term.split()}
    # the matcher keeps the longest of overlapping hits ("terrorist rocket attack" over "terrorist rocket")
    assert any(h["term"] in drafted and h["source"] == "suggested" for h in hits)
