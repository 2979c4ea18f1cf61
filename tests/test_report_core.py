"""Tables and HTML plumbing: formula neutralising, atomic files, segmenting, escaping."""

from __future__ import annotations

import csv

import pandas as pd

from mediaeval.model import Span
from mediaeval.report.html import safe_style, segment_text
from mediaeval.report.marks import Mark
from mediaeval.report.tables import neutralise, write_csv, write_rows


def test_neutralise_formula_cells():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    for start in "+-@":
        assert neutralise(start + "1") == "'" + start + "1"
    assert neutralise("rebels") == "rebels"
    assert neutralise(-0.5) == -0.5  # numbers stay numbers


def test_write_rows_formats_and_neutralises(tmp_path):
    columns = ["article_id", "n_words", "tone_own", "count_euphemism", "anonymous"]
    write_rows(tmp_path / "articles.csv", columns, [("a", 3, -0.25, None, None), ("=cmd", 4, None, 2, True)])
    rows = list(csv.DictReader(open(tmp_path / "articles.csv", encoding="utf-8")))
    assert rows[0]["article_id"] == "a" and rows[0]["tone_own"] == "-0.25" and rows[0]["count_euphemism"] == ""
    assert rows[1]["article_id"] == "'=cmd" and rows[1]["count_euphemism"] == "2" and rows[1]["anonymous"] == "true"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file is left


def test_write_csv_is_safe(tmp_path):
    frame = pd.DataFrame({"label": ["-rebels", "militants"], "z": [-2.5, 1.0]})
    write_csv(frame, tmp_path / "t.csv")
    rows = list(csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8")))
    assert rows[0] == {"label": "'-rebels", "z": "-2.5"}


def test_segments_nest_overlapping_marks_and_keep_every_character():
    text = "Rebels entered the city. The army left."
    marks = [Mark(0, 6, "term", label="actor label", layer="terms"),
             Mark(0, 23, "content", layer="attribution"),
             Mark(7, 14, "verb", label="who?", layer="agency")]
    sentences = (Span(0, 24), Span(25, 39))
    blocks = segment_text(text, marks, sentences)
    assert "".join(seg["text"] for b in blocks for seg in b["segments"]) == text
    assert [b["id"] for b in blocks if b["id"]] == ["s0", "s1"]
    first = blocks[0]["segments"][0]
    assert first["text"] == "Rebels"
    assert [m.css for m in first["marks"]] == ["content", "term"]  # layer order: attribution before terms
    assert [m.label for m in first["tags"]] == ["actor label"]


def test_style_passes_only_a_colour_variable():
    assert safe_style("--c: #1f77b4") == "--c: #1f77b4"
    assert safe_style("--c: #1f77b4; background:url(http://x)") == ""
    assert safe_style("color: red") == ""


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=60),
       raw_marks=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6))
def test_segments_always_rebuild_the_text(text, raw_marks):
    marks = [Mark(min(a, b) % len(text), min(max(a, b), len(text)), "x", label="t", layer="terms")
             for a, b in raw_marks if min(a, b) % len(text) < min(max(a, b), len(text))]
    blocks = segment_text(text, marks, (Span(0, len(text)),))
    assert "".join(seg["text"] for b in blocks for seg in b["segments"]) == text
    assert sum(len(seg["tags"]) for b in blocks for seg in b["segments"]) == len(marks)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=200))
def test_decoding_never_crashes(raw):
    from mediaeval.errors import InputError
    from mediaeval.ingest.decode import decode_bytes

    try:
        decoded = decode_bytes(raw, "x.txt")
    except InputError as exc:
        assert exc.reason
    else:
        assert isinstance(decoded.text, str) and decoded.encoding
