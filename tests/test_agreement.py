"""Class annotation exercise: line numbers, marks, alpha/kappa via NLTK, the pages."""

from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict

import pytest

from mediaeval.agreement import (OWN, OWN_VOICE, SOURCE_WORDS, alpha, kappa, match_speaker, quoted_task_label,
                                 read_marks, run_exercise, tool_reading, write_exercise)
from mediaeval.cli import main
from mediaeval.lines import line_of, line_offsets, line_spans, numbered_lines

SEED_ID = "xinhua_hama_withdrawal"

# Three students, the "quoted or not" task, four lines of the seed; Chloe left line 11 empty.
#   line 3:  yes no  no        line 5:  yes yes yes
#   line 7:  yes yes no        line 11: no  no  (missing)
# Hand computation (Krippendorff 2004, nominal): n = 11 pairable values, 6 "yes" and 5 "no".
#   Observed disagreement D_o = (1/n) Σ_u (1/(m_u − 1)) · (ordered pairs with different labels in unit u)
#     line 3: m=3, 2·1·2 = 4 pairs → 4/2 = 2;  line 5: 0;  line 7: m=3, 2·2·1 = 4 → 2;  line 11: 0
#     D_o = (2 + 2) / 11 = 4/11
#   Expected disagreement D_e = 2·n_yes·n_no / (n(n − 1)) = 2·6·5 / (11·10) = 6/11
#   alpha = 1 − D_o/D_e = 1 − 4/6 = 1/3
TOY = """student,article_id,line,task,label
Amira,{a},3,quoted,yes
Ben,{a},3,quoted,no
Chloe,{a},3,quoted,no
Amira,{a},5,quoted,yes
Ben,{a},5,quoted,yes
Chloe,{a},5,quoted,yes
Amira,{a},7,quoted,yes
Ben,{a},7,quoted,yes
Chloe,{a},7,quoted,no
Amira,{a},11,quoted,no
Ben,{a},11,quoted,no
Chloe,{a},11,quoted,
""".format(a=SEED_ID)


def independent_alpha(triples) -> float:
    """Krippendorff's alpha from the coincidence matrix, written without NLTK (the check)."""
    units = defaultdict(list)
    for _, unit, label in triples:
        units[unit].append(label)
    o = Counter()
    for labels in units.values():
        m = len(labels)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[(labels[i], labels[j])] += 1 / (m - 1)
    n_c = Counter()
    for (c, _), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    d_o = sum(v for (c, k), v in o.items() if c != k)
    d_e = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return 1 - d_o / d_e


@pytest.fixture()
def toy_marks(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(TOY, encoding="utf-8")
    return path


def test_lines_are_one_based_split_on_newline(seed_text):
    start, end = line_offsets(seed_text, 1)
    assert seed_text[start:end].startswith("Syrian army withdraws from Hama")
    start, end = line_offsets(seed_text, 5)
    assert seed_text[start:end].startswith("“Over the past few days")
    assert seed_text[start:end].endswith("Armed Forces.")
    assert line_offsets(seed_text, 2) == (end_of(seed_text, 1) + 1, end_of(seed_text, 1) + 1)  # blank line counts
    assert line_of(seed_text, start + 10) == 5
    assert len(line_spans(seed_text)) == seed_text.count("\n") + 1
    crlf = "Headline\r\n\r\nBody line.\r\n"
    assert [t for _, t in numbered_lines(crlf)] == ["Headline", "", "Body line.", ""]
    with pytest.raises(ValueError, match="lines 1 to"):
        line_offsets(seed_text, 999)


def end_of(text, line):
    return line_offsets(text, line)[1]


def test_hand_computed_alpha_on_a_three_student_file(toy_marks, seed_analysis):
    notes = []
    marks = read_marks([toy_marks], notes)
    assert len(marks) == 11 and any("1 row(s) without a label dropped" in n for n in notes)
    exercise = run_exercise(marks, {SEED_ID: seed_analysis})
    (task,) = exercise.tasks
    assert task["alpha"].values == 11 and task["alpha"].items == 4
    assert task["alpha"].value == pytest.approx(1 / 3)
    triples = [(m.student, m.number, m.label) for m in marks]
    assert independent_alpha(triples) == pytest.approx(1 / 3)
    assert any("only 3 student(s)" in w for w in exercise.warnings)
    assert any("fewer than 20" in w for w in exercise.warnings)


def test_alpha_matches_an_independent_computation_with_three_labels():
    labels = ["a", "b", "c"]
    triples = [(f"s{c}", u, labels[(u * 7 + c * c + u // 3) % 3]) for u in range(15) for c in range(4)
               if (u + c) % 5]  # some marks missing
    assert alpha(triples).value == pytest.approx(independent_alpha(triples))


def test_alpha_matches_krippendorffs_published_example():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the reliability data with
    missing values (4 observers, 12 units): nominal alpha = 0.743."""
    rows = {"A": "1 2 3 3 2 1 4 1 2 . . .", "B": "1 2 3 3 2 2 4 1 2 5 . 3",
            "C": ". 3 3 3 2 3 4 2 2 5 1 .", "D": "1 2 3 3 2 4 4 1 2 5 1 ."}
    triples = [(c, u, v) for c, r in rows.items() for u, v in enumerate(r.split()) if v != "."]
    result = alpha(triples)
    assert round(result.value, 3) == 0.743 and result.items == 11 and result.values == 40


def test_one_label_for_everyone_is_undefined_not_one():
    triples = [(s, u, "yes") for s in "ABC" for u in range(4)]
    result = alpha(triples)
    assert result.value is None and "one label 'yes'" in result.reason
    k = kappa({1: "yes", 2: "yes"}, {1: "yes", 2: "yes"})
    assert k.value is None and "0/0" in k.reason
    assert alpha([("A", 1, "yes"), ("B", 2, "no")]).value is None  # no line marked twice


def test_kappa_is_cohens(seed_analysis):
    first = {i: l for i, l in enumerate("yyynnnyn")}
    second = {i: l for i, l in enumerate("yynnnnyy")}
    # observed 6/8; expected (4·4 + 4·4)/64 = 1/2 → kappa = (0.75 − 0.5)/(0.5) = 0.5
    assert kappa(first, second).value == pytest.approx(0.5)


def test_tool_reading_of_seed_lines(seed_analysis, seed_text):
    quote = tool_reading(seed_analysis, *line_offsets(seed_text, 5))
    assert quote.labels["quoted"] == SOURCE_WORDS
    assert quote.labels["loaded"] == "loaded"  # "terrorist organizations" in the army's statement
    assert "general command" in quote.labels["speaker"]
    assert any("terrorist organizations" in e for e in quote.evidence)
    headline = tool_reading(seed_analysis, *line_offsets(seed_text, 1))
    assert headline.labels["quoted"] == OWN and headline.labels["speaker"] == OWN_VOICE


def test_voice_mapping_for_the_quoted_task():
    assert quoted_task_label("quoted") == quoted_task_label("reported") == SOURCE_WORDS
    assert quoted_task_label("own") == quoted_task_label("scare_quoted") == OWN


def test_free_text_speakers_match_the_tools_sources(seed_analysis):
    speakers = {a.source_resolved or a.source_text for a in seed_analysis.attributions}
    assert "general command" in match_speaker("Syrian General Command", speakers)
    assert "general command" in match_speaker("the army statement", speakers)
    assert match_speaker("Syrian Obsrvatory", speakers) == "syrian observatory for human rights"
    assert match_speaker("the war monitor", speakers) == "war monitor"  # no such name: its own category


def test_pages_and_anonymising(toy_marks, seed_analysis, tmp_path):
    marks = read_marks([toy_marks], [])
    named = write_exercise(run_exercise(marks, {SEED_ID: seed_analysis}), tmp_path / "named", stamp=_stamp())
    teacher = (tmp_path / "named" / "agreement.html").read_text(encoding="utf-8")
    discussion = (tmp_path / "named" / "discussion.html").read_text(encoding="utf-8")
    assert "Amira" in teacher and "Amira" not in discussion
    assert "Agreement is not correctness" in discussion and "Cohen&#39;s kappa" in teacher
    assert "“Over the past few days" in discussion or "line 3" in discussion
    write_exercise(run_exercise(marks, {SEED_ID: seed_analysis}, anonymise=True), tmp_path / "anon", _stamp())
    for path in (tmp_path / "anon").iterdir():
        assert "Amira" not in path.read_text(encoding="utf-8"), path.name
    assert "S1" in (tmp_path / "anon" / "student_kappa.csv").read_text(encoding="utf-8")
    assert any(p.name == "marks_template.csv" for p in named)


def _stamp():
    return {"mediaeval_version": "test", "spacy_model": "test", "lexicons": {}, "inputs": [], "created": "now"}


def test_command_line_end_to_end(toy_marks, seed_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["agreement", str(toy_marks), "--articles", str(seed_path), "-o", str(out), "--anonymise"]) == 0
    printed = capsys.readouterr()
    assert "quoted or not: Krippendorff's alpha 0.333" in printed.out
    assert "warning: only 3 student(s)" in printed.err
    rows = list(csv.DictReader((out / "agreement.csv").open(encoding="utf-8")))
    assert rows[0]["task"] == "quoted" and float(rows[0]["value"]) == pytest.approx(1 / 3)
    template = out / "marks_template.csv"
    assert template.read_text(encoding="utf-8").splitlines()[0] == "student,article_id,line,task,label"
    assert main(["agreement", str(template), "--articles", str(seed_path), "-o", str(tmp_path / "x")]) == 2
    assert "no marks with a label" in capsys.readouterr().err


def test_bad_header_is_a_clear_error(tmp_path, seed_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,article,label\nA,x,yes\n", encoding="utf-8")
    assert main(["agreement", str(bad), "--articles", str(seed_path), "-o", str(tmp_path / "o")]) == 2
    assert "line (or sentence)" in capsys.readouterr().err


def test_notes_name_file_and_line(tmp_path, seed_analysis):
    path = tmp_path / "m.csv"
    path.write_text("student,article_id,line,task,label\n# a comment\nA,xinhua_hama_withdrawal,5,quoted,maybe\n"
                    "A,xinhua_hama_withdrawal,999,quoted,yes\nA,nowhere,1,quoted,yes\nA,xinhua_hama_withdrawal,5,"
                    "colour,red\n", encoding="utf-8")
    notes = []
    exercise = run_exercise(read_marks([path], notes), {SEED_ID: seed_analysis}, notes=notes)
    text = "\n".join(exercise.notes)
    assert f"{path}:3: label 'maybe'" in text and f"{path}:4: {SEED_ID} has no line 999" in text
    assert f"{path}:5: no article 'nowhere'" in text and f"{path}:6: task 'colour'" in text


def test_sentence_column_uses_the_tools_sentence_index(tmp_path, seed_analysis, seed_text):
    path = tmp_path / "s.csv"
    path.write_text("student,article_id,sentence,task,label\nA,xinhua_hama_withdrawal,3,quoted,yes\n"
                    "B,xinhua_hama_withdrawal,3,quoted,yes\n", encoding="utf-8")
    exercise = run_exercise(read_marks([path], []), {SEED_ID: seed_analysis})
    (task,) = exercise.tasks
    s = seed_analysis.sentences[3]
    assert task["confusion"]["rows"] == [SOURCE_WORDS]  # the tool reads sentence 3 as a source's words too
    assert seed_text[s.start:s.end].startswith("“Over the past few days")
