"""One table schema, the measure registry and the comparison in memory (real parses, short texts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mediaeval
from mediaeval import frames, schema
from mediaeval.measures import registry
from mediaeval.report.tables import neutralise, read_csv, unneutralise
from mediaeval.voice import VOICES

# Short texts written for these tests (not from any corpus): a doubting reporting verb ("claimed"),
# a hedge in the outlet's own voice ("allegedly"), a passive without its doer, a quote, a plain sentence.
RECORDS = [
    {"id": "alpha-1", "outlet": "Alpha News", "date": "2024-12-05", "event": "hama",
     "text": "The army claimed that rebels had fled the city. Reporters visited the allegedly abandoned base "
             "on Monday. Homes were destroyed."},
    {"id": "alpha-2", "outlet": "Alpha News", "date": "2024-12-05", "event": "hama",
     "text": "Rebels entered Hama on Thursday after heavy fighting, a war monitor said."},
    {"id": "beta-1", "outlet": "+972 Magazine", "date": "2024-12-05", "event": "hama",
     "text": "\u201cTerrorists attacked our positions,\u201d the army said in a statement.\n\n"
             "=SUM(A1) was painted on a wall near the citadel.\n\n-Residents fled south."},
    {"id": "beta-2", "outlet": "+972 Magazine", "date": "2024-12-06", "event": "hama",
     "text": "The weather in Hama was mild on Friday."},
]


def write_inputs(folder: Path, records=RECORDS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("in"))


@pytest.fixture(scope="module")
def results(inputs):
    from mediaeval.analyze import analyze_stream
    from mediaeval.ingest.readers import read_articles

    return list(analyze_stream(read_articles([str(inputs)])))


@pytest.fixture(scope="module")
def cli_run(inputs, tmp_path_factory):
    from mediaeval.runner import run_comparison

    out = tmp_path_factory.mktemp("cli") / "out"
    summary = run_comparison([str(inputs)], out, by="outlet", event="event")
    return out, summary


def test_to_frames_gives_every_table_with_its_declared_dtypes(results):
    frames = mediaeval.to_frames(results)
    assert set(schema.ANALYSIS_TABLES) | {"texts"} == set(frames)
    for table in schema.ANALYSIS_TABLES:
        for name, dtype in schema.dtypes(table).items():
            assert str(frames[table][name].dtype) == dtype, (table, name)
    assert len(frames["articles"]) == 4 and frames["articles"]["anonymous_share"].dtype == "Float64"
    assert frames["attributions"]["anonymous"].dtype == "boolean"
    assert frames["skipped"].empty and list(frames["skipped"].columns) == ["path", "record", "reason"]


def test_every_column_the_analysis_writes_is_declared_with_a_meaning(seed_analysis):
    rows = frames.rows_for(seed_analysis)
    extra = {k for k, _ in seed_analysis.article.extra}
    for table, table_rows in rows.items():
        declared = schema.dtypes(table)
        for row in table_rows:
            assert set(row) - extra <= set(declared), (table, set(row) - extra - set(declared))
    book = schema.codebook()
    assert (book["meaning"] != "").all()
    assert {"nonstate_armed = non-state armed groups", "reported = reported"} <= {
        part for cell in book["codes"] for part in cell.split("; ")}


def test_codebook_covers_every_column_of_every_file(cli_run):
    out, _ = cli_run
    book = pd.read_csv(out / "codebook.csv", keep_default_na=False)
    inputs = {"id", "event"}  # input metadata: the codebook's "(other columns)" row
    for path in out.glob("*.csv"):
        if path.name == "codebook.csv":
            continue
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        documented = set(book.loc[book["file"] == path.name, "column"])
        assert set(header) - inputs <= documented, (path.name, set(header) - inputs - documented)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="codebook"' in index and "hedging_per_1k_words" in index


def test_compare_in_memory_equals_the_cli(results, cli_run, tmp_path):
    from mediaeval.report.comparison import CSV_FILES, write_comparison
    from mediaeval.runner import load_frames

    out, summary = cli_run
    c = mediaeval.compare(results, by="outlet", event="event")
    assert isinstance(c, mediaeval.compare.Comparison)
    write_comparison(c, tmp_path, summary.stamp)
    for name in CSV_FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    # the CSV files read back equal the frames in memory (floats to the 6 digits the CSV keeps)
    memory, disk = mediaeval.to_frames(results), load_frames(out)
    for table in schema.ANALYSIS_TABLES:
        pd.testing.assert_frame_equal(memory[table].reset_index(drop=True), disk[table].reset_index(drop=True),
                                      check_exact=False, rtol=1e-5, obj=table)


def test_neutralised_cells_stay_neutral_only_in_csv(cli_run):
    out, _ = cli_run
    with open(out / "outlets.csv", newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert "'+972 Magazine" in cells and "+972 Magazine" not in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\uff1d", "\uff0b")) and not c.lstrip("-").replace(".", "")
                   .isdigit() for c in cells)
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert "+972 Magazine" in html and "'+972" not in html
    sentences = read_csv(out / "sentences.csv", "sentences")
    texts = {r["id"]: r["text"] for r in RECORDS}
    for r in sentences.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.text
    assert any(t.startswith("=SUM") for t in sentences["text"]) and any(t.startswith("-") for t in sentences["text"])
    assert read_csv(out / "outlets.csv", "outlets")["group"].isin(["+972 Magazine"]).any()


def test_guard_covers_fullwidth_and_look_alikes_and_round_trips():
    for value in ("=1+1", "+972", "-2", "@x", "\t=1", "\r=1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20x",
                  "\u22121"):
        assert neutralise(value) == "'" + value and unneutralise(neutralise(value)) == value
    assert neutralise("'=x") == "''=x" and unneutralise("''=x") == "'=x"
    assert unneutralise("'rebels'") == "'rebels'" and neutralise("rebels") == "rebels"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_guard_is_undone_exactly(value):
    guarded = neutralise(value)
    assert unneutralise(guarded) == value
    assert not guarded.lstrip("'").startswith(("=", "+", "-", "@")) or guarded.startswith("'")


def test_hedging_measure_end_to_end(results, cli_run):
    first = next(r for r in results if r.article.article_id == "alpha-1")
    m = first.measures
    assert m["doubt_cues"] == 1 and m["hedges_own"] == 1  # "claimed"; "allegedly" in the outlet's own voice
    assert m["hedging_per_1k_words"] == pytest.approx(round(1000 * 2 / m["n_words"], 2))
    out, summary = cli_run
    articles = read_csv(out / "articles.csv", "articles").set_index("article_id")
    assert articles.loc["alpha-1", "hedging_per_1k_words"] == pytest.approx(m["hedging_per_1k_words"])
    page = (out / summary.page_links["alpha-1"]).read_text(encoding="utf-8")
    assert "hedging per 1,000 words" in page
    outlets = read_csv(out / "outlets.csv", "outlets")
    alpha = outlets[(outlets["event_group"] == "all") & (outlets["group"] == "Alpha News")].iloc[0]
    assert alpha["doubt_cues_sum"] == 1 and alpha["hedging_per_1k_words"] > 0
    assert "hedging per 1,000 words" in (out / "comparison.html").read_text(encoding="utf-8")
    book = pd.read_csv(out / "codebook.csv", keep_default_na=False)
    for file in ("articles.csv", "outlets.csv"):
        assert "hedging_per_1k_words" in set(book.loc[book["file"] == file, "column"])
    assert registry()["hedging_per_1k_words"].question


def test_voices_side_by_side_in_every_comparison_table(results):
    c = mediaeval.compare(results, by="outlet", event="event")
    assert {f"count_{v}" for v in VOICES} <= set(c.distinctive_terms.columns)
    html = c._repr_html_()
    assert html
    from mediaeval.report.comparison import render_comparison

    from markupsafe import escape

    page = render_comparison(c, {})
    for name in VOICES.values():
        assert escape(name) in page
    assert "the outlet chose those words" in page  # the Glasgow reading, in plain words


DEGENERATE = {
    "one article": RECORDS[:1],
    "one outlet": RECORDS[:2],
    "no attributions": [dict(RECORDS[3], id="w1"), dict(RECORDS[3], id="w2", outlet="Gamma")],
    "no terms": [{"id": "p1", "outlet": "A", "text": "The weather was mild on Friday."},
                 {"id": "p2", "outlet": "B", "text": "The market opened late, officials said."}],
    "no passives": [{"id": "q1", "outlet": "A", "text": "Rebels entered the city."},
                    {"id": "q2", "outlet": "B", "text": "The weather was fine on Tuesday."}],
}


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_every_comparison_table_survives_degenerate_groupings(case, tmp_path):
    from mediaeval.analyze import analyze_stream
    from mediaeval.ingest.readers import read_articles
    from mediaeval.report.comparison import write_comparison

    items = list(analyze_stream(read_articles([str(write_inputs(tmp_path, DEGENERATE[case]))])))
    c = mediaeval.compare(items)
    for table in ("outlets", "labels_by_outlet", "sources_by_outlet", "agency_by_outlet", "distinctive_terms",
                  "republished", "copy_changes", "questions"):
        frame = getattr(c, table)
        assert set(schema.dtypes(table)) <= set(frame.columns) or frame.empty, (case, table)
    assert len(c.outlets[c.outlets["event_group"] == "all"]) == len({r["outlet"] for r in DEGENERATE[case]})
    paths = write_comparison(c, tmp_path / "out", {}, worksheet=True)
    assert all(p.exists() for p in paths)


def test_the_public_names():
    assert {"to_frames", "compare", "codebook"} <= set(mediaeval.__all__)
    assert callable(mediaeval.compare) and callable(mediaeval.to_frames)
    assert schema.label("nonstate_armed") == "non-state armed groups" and schema.label("reported") == VOICES["reported"]


def test_imports_run_one_way():
    """model <- extract <- analyze <- compare <- report <- runner <- cli (relative imports, read from the source).

    The one exception is ``_repr_html_``, Jupyter's display hook, which imports the renderer when called.
    """
    import ast

    # declarations (records, codes, voices, the measure registry, the table schema) sit at the bottom
    rank = {"model": 0, "errors": 0, "voice": 0, "codes": 0, "source_types": 0, "measures": 0, "schema": 0,
            "lexicons": 1, "ingest": 1, "nlp": 1, "extract": 1, "paragraphs": 1, "component_data": 1,
            "components": 1, "analyze": 3, "engine": 3, "evaluate": 3, "frames": 4, "compare": 5, "report": 6,
            "runner": 7, "staging": 7, "parts": 7, "durable_run": 7, "distributed": 7, "cli": 8, "__main__": 8}
    root = Path(mediaeval.__file__).parent
    wrong = []
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts if path.name == "__init__.py" else parts[:-1]
        if path.name == "__init__.py":
            parts = parts[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hooks = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "_repr_html_"
                 for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level or id(node) in hooks:
                continue
            base = package[:len(package) - node.level + 1]
            targets = [base + node.module.split(".")] if node.module else [base + [a.name] for a in node.names]
            for target in targets:
                src, dst = (parts[1] if len(parts) > 1 else ""), (target[1] if len(target) > 1 else "")
                if src in rank and dst in rank and rank[dst] > rank[src]:
                    wrong.append((".".join(parts), ".".join(target)))
    assert not wrong


def test_origin_own_copy_is_declared_and_every_origin_method_has_a_plain_label(seed_text):
    from mediaeval.analyze import analyze_stream
    from mediaeval.extract.origin import RANK
    from mediaeval.model import Article
    from mediaeval.report.layers.structure import METHOD

    col = {c.name: c for c in schema.columns("articles")}["origin_own_copy"]
    assert col.dtype == "boolean" and "agency itself" in col.meaning
    assert set(RANK) <= set(METHOD) and "house style" in METHOD["house style"]
    # the Xinhua seed on Xinhua's own site: its own copy
    item = next(iter(analyze_stream([Article("xinhua", seed_text, outlet="Xinhua", title="")])))
    row = mediaeval.to_frames([item])["articles"].iloc[0]
    assert row["origin_agency"] and bool(row["origin_own_copy"]) == item.origin.own_copy
