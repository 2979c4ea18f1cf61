"""The lesson pack (report/lesson.py) on the seed article and on the FA-KES seed records.

The seed lesson must ask the five questions of the Hama lesson and answer them
from the text: the army's statement says "terrorist organizations" and
"martyrs" inside its quotation marks (lines 5, 7 and 9 of the text); "redeployed
its forces" stands for a withdrawal, a word Xinhua itself uses in the headline;
the credit line XINHUA (line 21) names a state-controlled Chinese agency; the
non-state armed groups never speak and are told about by the war monitor (line 15)
and "local media and activists" (line 13).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from mediaeval.report.lesson import (lesson_data, lesson_files, line_of, link_from_reports, render_pack,
                                     run_lesson)

ROOT = Path(__file__).resolve().parents[1]
FAKES = ROOT / "seeds" / "fakes_syria_sample.jsonl"


def _text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def seed_lesson(seed_analysis):
    href = "../articles/xinhua_hama_withdrawal.html"
    return lesson_data([seed_analysis], {seed_analysis.article.article_id: href})


def _question(data, key):
    (q,) = [q for q in data["questions"] if q.key == key]
    ((view, points),) = q.answers
    return q, " ".join(p.text for p in points), [r.label for p in points for r in p.refs], points


def test_seed_lesson_asks_the_five_questions(seed_lesson):
    asks = [q.ask for q in seed_lesson["questions"]]
    assert asks == ["Who speaks, and how much?", "Whose words are “terrorist organizations” and “martyrs”?",
                    "What does “redeployed its forces” stand for?",
                    "What does the credit line tell you, and where does the copy come from?",
                    "Which side is heard only through others?"]
    assert sum(minutes for minutes, _, _ in seed_lesson["plan"]) == 45
    assert seed_lesson["notes"] == []  # the seed has its quotation marks


def test_line_numbers_are_lines_of_the_text_split_on_newlines(seed_analysis, seed_text):
    assert line_of(seed_text, seed_text.index("terrorist organizations")) == 5
    assert seed_text.split("\n")[4].startswith("“Over the past few days")
    (view,) = lesson_data([seed_analysis], {})["views"]
    assert [line["n"] for line in view.lines] == list(range(1, len(seed_text.split("\n")) + 1))
    assert ["".join(p["text"] for p in line["parts"]) for line in view.lines] == seed_text.split("\n")


def test_whose_words_points_at_the_armys_quotation(seed_lesson):
    _, text, refs, points = _question(seed_lesson, "whose_words")
    terror = next(p for p in points if p.text.startswith("“terrorist organizations”"))
    assert "quoted" in terror.text and "General Command" in terror.text
    assert [r.label for r in terror.refs] == ["line 5", "line 9"]
    assert terror.refs[0].href.endswith("xinhua_hama_withdrawal.html#s3")
    martyrs = next(p for p in points if p.text.startswith("“martyrs”"))
    assert "quoted" in martyrs.text and [r.label for r in martyrs.refs] == ["line 7"]
    rebels = next(p for p in points if p.text.startswith("“rebels”"))
    # inside the army's paraphrase ("confirming that rebels have entered"): reported, worded by the outlet
    assert "reported" in rebels.text and "the word is the outlet's choice" in rebels.text
    assert "line 3" in [r.label for r in rebels.refs]


def test_softened_phrase_and_the_plain_word(seed_lesson):
    _, text, refs, _ = _question(seed_lesson, "softened")
    assert "“redeployed its forces”" in text and "withdraw" in text
    assert "“withdraws”" in text and "line 1" in refs  # Xinhua's own headline says it plainly


def test_credit_line_and_origin(seed_lesson):
    _, text, _, _ = _question(seed_lesson, "origin")
    assert "“XINHUA” (line 21)" in text
    assert "Xinhua News Agency, a state-controlled news agency based in China" in text
    assert "You cannot copy content of this page" in text and "boilerplate" in text


def test_the_side_heard_only_through_others(seed_lesson):
    _, text, refs, points = _question(seed_lesson, "heard_through_others")
    opposition = points[0].text
    assert opposition.startswith("No one from non-state armed groups (called “rebel”, “rebel groups”)")
    assert "Syrian Observatory for Human Rights" in opposition and "local media and activists" in opposition
    assert {"line 13", "line 15"} <= {r.label for r in points[0].refs}
    assert points[1].text.startswith("State forces (called")  # the army speaks for itself
    assert "military sources speak in the article" in points[1].text


def test_who_speaks_counts_the_general_command_first(seed_lesson):
    _, text, _, points = _question(seed_lesson, "who_speaks")
    assert "9 attributions from 5 sources" in points[0].text
    assert points[1].text.startswith("A statement issued by the Syrian General Command")  # a sentence starts upper
    assert "3 in quotation marks" in points[1].text


def test_pages_render_with_linked_answers_and_no_raw_codes(seed_analysis):
    stamp = {"mediaeval_version": "test", "spacy_model": "m", "created": "now"}
    pages = render_pack([seed_analysis], stamp, {seed_analysis.article.article_id: "../articles/x.html"})
    assert set(pages) == {"guide.html", "worksheet.html", "answers.html", "comparison.html"}
    guide = _text(pages["guide.html"])
    assert "Plan (45 minutes)" in guide and "Aims" in guide and "Whose words are" in guide
    assert 'href="../articles/x.html#s3"' in pages["guide.html"]
    sheet = pages["worksheet.html"]
    assert "terrorist organizations" in sheet and 'id="l5"' in sheet
    assert "model" not in _text(sheet).lower() and "General Command of the Army and Armed Forces (army" not in sheet
    for page in pages.values():
        text = _text(page)
        for code in ("nonstate_armed", "state_forces", "refers_to", " nan", "attributed"):
            assert code not in text, code
        assert "@page { size: A4" in page


@pytest.fixture(scope="module")
def fakes_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("fakes_lesson")
    return out, run_lesson([str(FAKES)], out)


def test_one_lesson_per_event_group_with_an_index(fakes_pack):
    out, result = fakes_pack
    events = {json.loads(line)["event"] for line in FAKES.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert set(result["lessons"]) == events and result["analysed"] == 10
    index = (out / "index.html").read_text(encoding="utf-8")
    for event in events:
        assert f'href="{event}/guide.html"' in index
        assert (out / event / "worksheet.html").exists() and (out / event / "comparison.html").exists()
    comparison = (out / "khan_sheikhoun_2017" / "comparison.html").read_text(encoding="utf-8")
    assert 'href="../articles/fakes_ahram_1923848146.html"' in comparison
    assert "Suspected gas attack" not in comparison.split("<main", 1)[1].split("Articles", 1)[0]


def test_fakes_texts_without_quotation_marks_are_said_plainly(fakes_pack):
    out, _ = fakes_pack
    guide = _text((out / "ghouta_chemical_2013" / "guide.html").read_text(encoding="utf-8"))
    sheet = _text((out / "ghouta_chemical_2013" / "worksheet.html").read_text(encoding="utf-8"))
    assert "FA-KES" in guide and "no quotation marks" in guide
    assert "FA-KES" in sheet


def test_long_answers_say_how_many_are_shown(fakes_pack):
    out, _ = fakes_pack
    answers = _text((out / "khan_sheikhoun_2017" / "answers.html").read_text(encoding="utf-8"))
    assert re.search(r"6 of \d+ sources shown", answers)


def test_cli_lesson_and_the_demo_link(tmp_path, seed_path):
    from mediaeval.cli import main

    assert main(["lesson", str(seed_path), "-o", str(tmp_path / "pack"), "-q"]) == 0
    assert (tmp_path / "pack" / "index.html").exists()
    assert (tmp_path / "pack" / "hama-withdrawal-2024-12" / "guide.html").exists()
    (tmp_path / "index.html").write_text("<p>x</p><!-- mediaeval:lesson-link --><p>y</p>", encoding="utf-8")
    assert link_from_reports(tmp_path)
    assert 'href="lesson/index.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_no_article_gives_an_index_that_says_so():
    files = lesson_files([], {"mediaeval_version": "t", "spacy_model": "m", "created": "now"})
    assert list(files) == ["index.html"] and "no lesson" in files["index.html"]


# ---- the run's analyses, events without an event field, punctuation notes, plain words -----------------------

def _fakes_records(*events) -> list:
    rows = [json.loads(line) for line in FAKES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["event"] in events]


@pytest.fixture(scope="module")
def fakes_four():
    """Two FA-KES seed articles on each of two events, analysed without their event field."""
    import mediaeval

    rows = _fakes_records("khan_sheikhoun_2017")[:2] + _fakes_records("ghouta_chemical_2013")[:2]
    return rows, [mediaeval.analyze_text(r["text"], article_id=r["id"], outlet=r["outlet"], date=r["date"],
                                         title=r["title"], fakes_outlet=r["fakes_outlet"]) for r in rows]


def test_write_lesson_takes_analyses_already_made_and_lists_the_skipped(tmp_path, seed_analysis):
    from mediaeval.ingest.readers import Skipped
    from mediaeval.report.lesson import write_lesson

    stamp = {"mediaeval_version": "t", "spacy_model": "m", "created": "now", "lexicons": {}, "inputs": []}
    skipped = Skipped("seeds/empty.txt", "", "the file is empty")
    result = write_lesson([seed_analysis, skipped], tmp_path, stamp)
    assert result["analysed"] == 1 and result["skipped"] == [skipped]
    assert result["lessons"] == ["hama-withdrawal-2024-12"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "the file is empty" in index and 'href="hama-withdrawal-2024-12/guide.html"' in index
    assert (tmp_path / "articles" / "xinhua_hama_withdrawal.html").exists()


def test_without_an_event_field_articles_are_grouped_by_their_words(fakes_four):
    from mediaeval.report.lesson import event_of

    rows, analyses = fakes_four
    assert all(not a.article.meta("event") for a in analyses)
    groups = {name: sorted(a.article.article_id for a in members) for name, members in event_of(analyses)}
    truth = {}
    for r in rows:
        truth.setdefault(r["event"], []).append(r["id"])
    assert sorted(groups.values()) == sorted(sorted(v) for v in truth.values())
    assert all(name.startswith("event-") for name in groups)


def test_fakes_notes_say_what_was_lost_and_keep_whose_words_where_quotes_survive(fakes_four):
    _, analyses = fakes_four
    khan = [a for a in analyses if a.article.article_id in {r["id"] for r in _fakes_records("khan_sheikhoun_2017")}]
    data = lesson_data(khan, {})
    notes = " ".join(data["notes"])
    assert "no commas or apostrophes" in notes and "FA-KES dataset's authors removed them" in notes
    with_quotes = [v for v in data["views"] if v.has_quotes]
    without = [v for v in data["views"] if not v.has_quotes]
    assert with_quotes and without  # Ahram Online kept its quotation marks, Al Arabiya did not
    assert f"The text of {without[0].label} has no quotation marks" in notes
    whose = next(q for q in data["questions"] if q.key == "whose_words")
    assert [v for v, _ in whose.answers] == with_quotes
    assert without[0].label in whose.note and "no quotation marks" in whose.note


def test_plain_words_and_minutes_that_add_up(fakes_four, seed_analysis):
    _, analyses = fakes_four
    for group in ([seed_analysis], analyses[:2], analyses[2:]):
        data = lesson_data(group, {})
        plan = {step: minutes for minutes, step, _ in data["plan"]}
        assert sum(plan.values()) == 45
        assert sum(q.minutes for q in data["questions"]) == plan["Work in pairs"] + plan["Discuss"]
        pages = render_pack(group, {"mediaeval_version": "t", "spacy_model": "m", "created": "now"}, {})
        for name, page in pages.items():
            text = _text(page)
            assert not re.search(r"\((unknown|nan)\)|\bnan\b|_", text.split("Made by mediaeval")[0]), name
            assert "the armed opposition" not in text  # the sides are named as codes.py names them
