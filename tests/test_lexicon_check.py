"""User lexicons: every problem with line and column; list and show output."""

from __future__ import annotations

import pytest

from mediaeval.errors import LexiconError
from mediaeval.extract.term_lexicon import (check_lexicon_file, format_lexicon, format_lexicon_list,
                                            lexicon_list, load_term_lexicon)

HEADER = "term,variants,category,function,refers_to,neutral_alternative,rationale,source,loaded\n"


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "user.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_a_good_file_has_no_problems(tmp_path):
    path = write(tmp_path, "# a comment\nfreedom lover,,actor_label,legitimizing,nonstate_armed,fighter,Mine.,MV,false\n"
                           'crush [the] protest,"crushed protest",event_label,sensational,event,"end, disperse",Mine.,LM,true\n')
    assert check_lexicon_file(path) == []
    assert load_term_lexicon((str(path),)).get("freedom lover").origin == str(path)


def test_every_problem_is_reported_with_line_and_column(tmp_path):
    path = write(tmp_path, (
        "good one,,actor_label,descriptive,nonstate_armed,x,y,MV,false\n"      # line 2: fine
        "bad one,,label,descriptive,nonstate_armed,x,y,MV,false\n"              # line 3: category
        "other,,actor_label,wicked,Non State,x,y,MV,maybe\n"                    # line 4: function, refers_to, loaded
        "third,,actor_label,descriptive,police,,y,,false\n"                     # line 5: neutral_alternative, source
        "too,few,cells\n"                                                       # line 6: cell count
        "Good One,,actor_label,descriptive,police,x,y,MV,false\n"               # line 7: duplicate of line 2
        "[its] forces,,euphemism,softening,state_forces,x,y,MV,true\n"          # line 8: slot at the edge
    ))
    problems = check_lexicon_file(path)
    found = {(line, column) for line, column, _ in problems}
    assert {(3, "category"), (4, "function"), (4, "refers_to"), (4, "loaded"), (5, "neutral_alternative"),
            (5, "source"), (6, ""), (7, "term"), (8, "term")} <= found
    messages = " ".join(m for _, _, m in problems)
    assert "'label' is not one of" in messages and "true or false" in messages
    with pytest.raises(LexiconError) as err:
        load_term_lexicon((str(path),))
    assert "user.csv:3" in str(err.value) and len(err.value.problems) >= 8


def test_duplicates_are_reported_once_the_rows_are_valid(tmp_path):
    path = write(tmp_path, "good one,,actor_label,descriptive,police,x,y,MV,false\n"
                           "Good  One,,actor_label,descriptive,police,x,y,MV,false\n"
                           "other,good one,actor_label,descriptive,police,x,y,MV,false\n")
    problems = check_lexicon_file(path)
    assert [(line, column) for line, column, _ in problems] == [(3, "term"), (4, "variants")]
    assert "line 2" in problems[0][2]


def test_missing_columns_and_unreadable_files(tmp_path):
    path = write(tmp_path, "x,actor_label\n", header="term,category\n")
    ((line, column, message),) = check_lexicon_file(path)
    assert line == 1 and "function" in column and "missing" in message
    assert check_lexicon_file(tmp_path / "nope.csv")[0][2].startswith("cannot read")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    assert check_lexicon_file(binary)


def test_list_and_show():
    rows = {r["name"]: r for r in lexicon_list()}
    assert int(rows["loaded_terms"]["entries"]) >= 250 and rows["loaded_terms"]["version"] == "1.0"
    assert "loaded_terms" in format_lexicon_list()
    text = format_lexicon("loaded_terms")
    assert "Glasgow Media Group" in text and "## actor_label" in text and "- terrorist organization" in text
    with pytest.raises(LexiconError):
        format_lexicon("no_such_lexicon")
