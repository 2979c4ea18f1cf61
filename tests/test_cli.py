"""End to end: `mediaeval analyze` on the seed and on bad input; stamps; escaping; jobs."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from mediaeval.cli import main

# Written for these tests (not taken from a publisher).
HOSTILE = ("Officials said the <script>alert(1)</script> tag and <img src=x onerror=alert(1)> were found "
           "in a leaked memo on Tuesday.")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, seed_path):
    out = tmp_path_factory.mktemp("seed")
    code = main(["analyze", str(seed_path), "-o", str(out), "-q"])
    return code, out


def test_seed_articles_csv(seed_run, seed_text, nlp):
    code, out = seed_run
    assert code == 0
    (row,) = read_csv(out / "articles.csv")
    assert row["article_id"] == "xinhua_hama_withdrawal"
    assert row["headline"] == "Syrian army withdraws from Hama after rebel advance, vows counteroffensive"
    assert row["dateline_city"] == "DAMASCUS"
    assert row["origin_agency"].startswith("Xinhua")
    assert row["origin_country"] == "CN"
    assert row["origin_ownership"] == "state_controlled"
    # boilerplate ("You cannot copy content of this page", 8 tokens) and the credit "XINHUA" are not counted
    all_words = [t for t in nlp(seed_text) if not (t.is_punct or t.is_space or t.pos_ == "SYM")]
    assert int(row["n_words"]) == len(all_words) - 9  # "cannot" is two tokens
    assert read_csv(out / "skipped.csv") == []


def test_seed_outputs_are_stamped(seed_run, seed_path):
    _, out = seed_run
    stamp = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert stamp["mediaeval_version"]
    assert "sm" in stamp["spacy_model"]
    assert "loaded_terms.csv" in stamp["lexicons"] and "agencies.csv" in stamp["lexicons"]
    assert stamp["inputs"] == [str(seed_path)]
    page = (out / "articles" / "xinhua_hama_withdrawal.html").read_text(encoding="utf-8")
    assert stamp["spacy_model"] in page and "loaded_terms.csv" in page
    assert "xinhua_hama_withdrawal" in (out / "index.html").read_text(encoding="utf-8")


def test_seed_page_marks_structure(seed_run):
    _, out = seed_run
    page = (out / "articles" / "xinhua_hama_withdrawal.html").read_text(encoding="utf-8")
    assert "You cannot copy content of this page" in page  # shown (greyed), never deleted
    assert 'id="s0"' in page and "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_article_text_is_escaped(tmp_path):
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps({"id": "hostile", "title": "<b>bold</b> title", "text": HOSTILE}) + "\n", encoding="utf-8")
    assert main(["analyze", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    page = (tmp_path / "out" / "articles" / "hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page and "<b>bold" not in page
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<b>bold" not in index and "&lt;b&gt;bold" in index


def test_corpus_run_skips_bad_records_and_says_so(tmp_path, capsys):
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join([json.dumps({"id": "ok", "text": "Rebels entered the city, the army said."}),
                              "{broken", json.dumps({"id": "empty", "text": " "})]), encoding="utf-8")
    code = main(["analyze", str(src), "-o", str(tmp_path / "out")])
    assert code == 1
    skipped = read_csv(tmp_path / "out" / "skipped.csv")
    assert [(s["record"], "JSON" in s["reason"] or "empty" in s["reason"]) for s in skipped] == \
        [("line 2", True), ("line 3", True)]
    assert [r["article_id"] for r in read_csv(tmp_path / "out" / "articles.csv")] == ["ok"]
    assert "line 2" in capsys.readouterr().err


def test_jobs_give_the_same_tables(tmp_path):
    src = tmp_path / "three.jsonl"
    texts = ["Rebels entered the city, the army said.", "The bridge was destroyed in an air strike.",
             "“We will not leave,” a resident told reporters."]
    src.write_text("\n".join(json.dumps({"id": f"t{i}", "text": t}) for i, t in enumerate(texts)), encoding="utf-8")
    assert main(["analyze", str(src), "-o", str(tmp_path / "one"), "-q", "--no-html"]) == 0
    assert main(["analyze", str(src), "-o", str(tmp_path / "two"), "-q", "--no-html", "--jobs", "2"]) == 0
    for name in ("articles.csv", "attributions.csv", "terms.csv", "agency.csv"):
        assert read_csv(tmp_path / "one" / name) == read_csv(tmp_path / "two" / name), name


def test_import_and_help_stay_light():
    code = ("import sys, mediaeval, mediaeval.cli; mediaeval.cli.build_parser(); "
            "print(any(m.split('.')[0] in ('spacy', 'pandas', 'sklearn', 'trafilatura') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_missing_input_and_bad_jobs(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"), "-q"]) == 2  # nothing analysed
    assert "no such file" in read_csv(tmp_path / "out" / "skipped.csv")[0]["reason"]


def test_lexicon_check_reports_lines_and_columns(tmp_path, capsys):
    bad = tmp_path / "mine.csv"
    bad.write_text("term,category,function,refers_to,neutral_alternative,rationale,source,loaded\n"
                   "freedom fighters,actor_label,legitimizing,nonstate_armed,armed group,Praises them.,GMG,false\n"
                   "thugs,actor_label,delegitimizing\n"
                   "goons,slur,delegitimizing,protesters,protesters,Belittles them.,GMG,maybe\n", encoding="utf-8")
    assert main(["lexicon", "check", str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"{bad}:3:" in out
    assert f"{bad}:4: column 'category'" in out and f"{bad}:4: column 'loaded'" in out
    assert main(["analyze", "seeds", "-o", str(tmp_path / "out"), "-q", "--lexicon", str(bad)]) == 2
    assert "mine.csv:3" in capsys.readouterr().err


def test_one_sentence_per_row_csv_gives_clauses_per_sentence(tmp_path):
    src = tmp_path / "coded.csv"
    src.write_text("id,text\np1,The bridge was destroyed.\np2,Soldiers destroyed the bridge.\n", encoding="utf-8")
    assert main(["analyze", str(src), "-o", str(tmp_path / "out"), "-q", "--no-html"]) == 0
    articles = {r["article_id"]: r for r in read_csv(tmp_path / "out" / "articles.csv")}
    assert float(articles["p1"]["passive_clause_share"]) == 1.0
    assert float(articles["p2"]["passive_clause_share"]) == 0.0
    clauses = [r for r in read_csv(tmp_path / "out" / "agency.csv") if r["verb_lemma"] == "destroy"]
    assert [(c["article_id"], c["voice"], c["agent_hidden"]) for c in clauses] == \
        [("p1", "passive", "true"), ("p2", "active", "false")]


def test_article_renders_in_a_notebook(seed_analysis):
    html = seed_analysis._repr_html_()
    assert html.startswith("<iframe") and "srcdoc=" in html and "sandbox" in html
    assert "&lt;!DOCTYPE html&gt;" in html  # the page is escaped into the attribute


def test_user_agency_table(tmp_path):
    from mediaeval.lexicons import bundled_path

    bundled = bundled_path("agencies.csv").read_text(encoding="utf-8")
    header = [line for line in bundled.splitlines() if line and not line.startswith("#")][0]
    columns = header.split(",")
    row = {c: "" for c in columns}
    row.update({"agency_id": "vpa", "name": "Valley Press Agency", "aliases": "Valley Press Agency|VPA",
                "country": "NZ", "ownership": "private_commercial", "classification_source": "written for this test",
                "as_of": "2026-01", "verified": "no"})
    table = tmp_path / "agencies.csv"
    table.write_text(header + "\n" + ",".join(row[c] for c in columns) + "\n", encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text("Flood closes bridge\n\nNELSON (VPA) — The river rose overnight, police said.\n", encoding="utf-8")
    assert main(["analyze", str(story), "-o", str(tmp_path / "out"), "-q", "--no-html", "--agencies", str(table)]) == 0
    (row_out,) = read_csv(tmp_path / "out" / "articles.csv")
    assert (row_out["origin_agency"], row_out["origin_country"], row_out["dateline_city"]) == \
        ("Valley Press Agency", "NZ", "NELSON")
