"""Ingestion: every format, every encoding, and every bad-input case loses nothing else."""

from __future__ import annotations

import codecs
import json

from mediaeval.ingest.readers import ReadOptions, Skipped, read_articles
from mediaeval.model import Article

# Written for these tests (not taken from a publisher).
STORY = "Police said on Monday that 12 protesters were detained near the parliament."


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def skipped(items):
    return [i for i in items if isinstance(i, Skipped)]


def test_seed_txt_with_sidecar(seed_path, seed_text):
    (article,) = list(read_articles([seed_path]))
    assert article.article_id == "xinhua_hama_withdrawal"
    assert article.outlet == "Xinhua"
    assert article.date == "2024-12-05"
    assert article.title.startswith("Syrian army withdraws from Hama")
    assert article.text == seed_text  # the original text, nothing removed
    assert dict(article.extra)["event"] == "hama-withdrawal-2024-12"


def test_txt_headline_from_first_line_without_sidecar(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(f"Protesters detained\n\n{STORY}\n", encoding="utf-8")
    (article,) = list(read_articles([path], ReadOptions(outlet="Test Wire")))
    assert article.title == "Protesters detained"
    assert article.article_id == "story"
    assert article.outlet == "Test Wire"


def test_txt_without_blank_line_has_no_headline(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(STORY + "\nA second line.\n", encoding="utf-8")
    (article,) = list(read_articles([path]))
    assert article.title == ""


def test_encodings(tmp_path):
    text = "Café owners said the “curfew” hurt trade."
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "win.txt").write_bytes(text.encode("cp1252"))
    options = ReadOptions()
    found = {a.article_id: a for a in articles(read_articles([tmp_path], options))}
    assert found["bom8"].text == text and found["bom8"].encoding == "utf-8-sig"
    assert found["u16"].text == text and found["u16"].encoding == "utf-16"
    assert found["win"].text == text and found["win"].encoding == "cp1252"
    assert any("win.txt" in n and "cp1252" in n for n in options.notes)  # the fallback is reported


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "outlet": "AP", "date": "2024-01-02", "title": "T", "text": STORY, "topic": "protest"}),
        "{not json",
        json.dumps({"id": "a2", "text": ""}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "a3", "text": 42}),
        json.dumps({"id": "a4", "outlet": None, "text": STORY}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_articles([path]))
    good = articles(items)
    assert [a.article_id for a in good] == ["a1", "a4"]
    assert good[0].outlet == "AP" and good[0].meta("topic") == "protest"
    assert good[0].record == "line 1"
    bad = {s.record: s.reason for s in skipped(items)}
    assert set(bad) == {"line 2", "line 3", "line 4", "line 6"}
    assert "not valid JSON" in bad["line 2"]
    assert "empty" in bad["line 3"]
    assert "JSON object" in bad["line 4"]
    assert "int" in bad["line 6"]


def test_csv_with_column_mapping_and_bad_rows(tmp_path):
    path = tmp_path / "sentences.csv"
    path.write_text('sid,body,paper\ns1,"The city was shelled, residents said.",X\ns2,too,many,cells\n'
                    's3,"Rebels entered the town.",Y\n', encoding="utf-8")
    options = ReadOptions(id_column="sid", text_column="body", outlet_column="paper")
    items = list(read_articles([path], options))
    good = articles(items)
    assert [(a.article_id, a.outlet) for a in good] == [("s1", "X"), ("s3", "Y")]
    assert good[0].text == "The city was shelled, residents said."
    (bad,) = skipped(items)
    assert bad.record == "line 3" and "4 cells" in bad.reason


def test_csv_without_text_column_says_what_to_do(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    (bad,) = list(read_articles([path]))
    assert isinstance(bad, Skipped) and "--text-column" in bad.reason


def test_one_sentence_per_row_gives_one_article_per_sentence(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("id,text\n1,The bill was passed by the senate.\n2,The senate passed the bill.\n", encoding="utf-8")
    good = articles(read_articles([path]))
    assert [a.article_id for a in good] == ["1", "2"]


def test_empty_binary_missing_and_unsupported(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    items = list(read_articles([tmp_path / "empty.txt", tmp_path / "blob.txt", tmp_path / "notes.docx",
                                tmp_path / "missing.txt"]))
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped(items)}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["blob.txt"]
    assert "unsupported" in reasons["notes.docx"]
    assert "no such file" in reasons["missing.txt"]


def test_huge_article_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "word " * 300_000}) + "\n" +
                    json.dumps({"id": "ok", "text": STORY}) + "\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert [a.article_id for a in articles(items)] == ["ok"]
    assert "split it" in skipped(items)[0].reason


def test_html_main_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Curfew extended</title></head><body><nav>Home | World</nav>"
                    "<article><h1>Curfew extended</h1><p>" + STORY + "</p><p>The interior ministry said the "
                    "curfew would stay in place until Friday, according to a statement.</p></article>"
                    "<footer>Subscribe to our newsletter</footer></body></html>", encoding="utf-8")
    (article,) = articles(read_articles([path]))
    assert "12 protesters were detained" in article.text
    assert "Home | World" not in article.text
    assert article.title == "Curfew extended"


def test_duplicate_ids_are_named_after_their_place_and_stay_unique(tmp_path):
    path = tmp_path / "dupes.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": STORY}) for i in ("dup", "dup", "dup-2")), encoding="utf-8")
    ids = [a.article_id for a in articles(read_articles([path]))]
    assert ids == ["dup", "dup@dupes.jsonl:2", "dup-2"]
    # any partition of the input gives the same ids: the renamed id depends only on file and line
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "dupes.jsonl").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [a.article_id for a in articles(read_articles([tmp_path / "part"]))] == ids


def test_directory_is_searched_recursively_and_sidecars_are_not_articles(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "s.txt").write_text(STORY, encoding="utf-8")
    (sub / "s.meta.json").write_text('{"outlet": "Reuters"}', encoding="utf-8")
    (article,) = articles(read_articles([tmp_path]))
    assert article.outlet == "Reuters"


def test_broken_sidecar_is_reported(tmp_path):
    (tmp_path / "s.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "s.meta.json").write_text("{outlet: Reuters", encoding="utf-8")
    (bad,) = list(read_articles([tmp_path]))
    assert isinstance(bad, Skipped) and bad.path.endswith("s.meta.json") and "JSON" in bad.reason
