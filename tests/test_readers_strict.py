"""Readers that never guess silently (issue 10, item 2) and ids and columns that joins can trust (item 3)."""

from __future__ import annotations

import json
import os

from mediaeval.ingest.decode import safe_text
from mediaeval.ingest.readers import ReadOptions, Skipped, read_articles
from mediaeval.model import Article

# Written for these tests (not taken from a publisher).
STORY = "Police said on Monday that 12 protesters were detained near the parliament."


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_lone_surrogate_is_replaced_one_for_one_and_noted(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id":"sur","text":"Rebels left \\ud83d the city, the army said."}\n'
                    + json.dumps({"id": "ok", "text": STORY}) + "\n", encoding="utf-8")
    options = ReadOptions()
    good, bad = split(read_articles([path], options))
    assert not bad and [a.article_id for a in good] == ["sur", "ok"]
    assert good[0].text == "Rebels left \ufffd the city, the army said."
    assert len(good[0].text) == len("Rebels left X the city, the army said.")  # offsets unchanged
    assert any("surrogate" in n and "line 1" in n for n in options.notes)
    assert safe_text("a\udc00b\U0001F600") == ("a\ufffdb\U0001F600", 1)  # real emoji are kept


def test_jsonl_is_split_on_newline_only(tmp_path):
    path = tmp_path / "feed.jsonl"
    texts = [f"{STORY}\u2028Second line.", f"{STORY}\u2029Next paragraph.", f"{STORY}\x85NEL."]
    path.write_text("\n".join(json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False)
                              for i, t in enumerate(texts)) + "\n", encoding="utf-8")
    good, bad = split(read_articles([path]))
    assert not bad
    assert [(a.article_id, a.record, a.text) for a in good] == \
        [(f"r{i}", f"line {i + 1}", t) for i, t in enumerate(texts)]


def test_unclosed_csv_quote_names_the_line_and_loses_nothing_silently(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(f'id,text\na,{STORY}\nb,"The army said it left\nc,Rebels entered the town.\nd,Another row.\n',
                    encoding="utf-8")
    good, bad = split(read_articles([path]))
    assert [a.article_id for a in good] == ["a"]
    (problem,) = bad
    assert problem.record == "line 3" and "never closed" in problem.reason and "lines 3-5" in problem.reason
    assert '""' in problem.reason  # says what to do


def test_header_only_csv_is_reported(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("id,text\n", encoding="utf-8")
    (problem,) = list(read_articles([path]))
    assert isinstance(problem, Skipped) and "no records" in problem.reason


def test_semicolon_csv_is_sniffed_and_noted(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(f"id;outlet;text\ns1;AP;{STORY}\n", encoding="utf-8")
    options = ReadOptions()
    (article,) = list(read_articles([path], options))
    assert (article.article_id, article.outlet, article.text) == ("s1", "AP", STORY)
    assert any("semicolon" in n for n in options.notes)


def test_wrong_delimiter_is_named(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(f"id;body\ns1;{STORY}\n", encoding="utf-8")
    (problem,) = list(read_articles([path]))
    assert "semicolon" in problem.reason and "--text-column" in problem.reason


def test_json_array_is_read_as_records(tmp_path):
    records = [{"id": "a1", "outlet": "AP", "text": STORY}, {"id": "a2", "text": "Rebels entered the town."}]
    (tmp_path / "array.json").write_text(json.dumps(records, indent=2), encoding="utf-8")
    (tmp_path / "array.jsonl").write_text(json.dumps(records, indent=2).replace("a1", "b1").replace("a2", "b2"),
                                          encoding="utf-8")
    options = ReadOptions()
    good, bad = split(read_articles([tmp_path], options))
    assert not bad
    assert [(a.article_id, a.record) for a in good] == [("a1", "item 1"), ("a2", "item 2"),
                                                       ("b1", "item 1"), ("b2", "item 2")]
    assert any("array.jsonl" in n and "JSON array" in n for n in options.notes)


def test_random_binary_without_nul_bytes_is_refused(tmp_path):
    import random

    rng = random.Random(7)
    blob = bytes(b for b in (rng.randrange(1, 256) for _ in range(20_000)))
    (tmp_path / "noise.txt").write_bytes(blob)
    (problem,) = list(read_articles([tmp_path / "noise.txt"]))
    assert isinstance(problem, Skipped) and "binary" in problem.reason


def test_encoding_is_recorded_per_article(tmp_path):
    (tmp_path / "win.txt").write_bytes("Caf\u00e9 owners said the \u201ccurfew\u201d hurt trade.".encode("cp1252"))
    (article,) = list(read_articles([tmp_path]))
    assert article.encoding == "cp1252"


def test_symlink_loops_and_dangling_links_are_listed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "s.txt").write_text(STORY, encoding="utf-8")
    os.symlink(corpus, corpus / "loop")
    os.symlink(tmp_path / "gone.txt", corpus / "dangling.txt")
    os.symlink(corpus / "self.txt", corpus / "self.txt")
    good, bad = split(read_articles([corpus]))
    assert [a.article_id for a in good] == ["s"]
    reasons = {os.path.basename(s.path): s.reason for s in bad}
    assert "dangling" in reasons["dangling.txt"] and "loop" in reasons["loop"] and "loop" in reasons["self.txt"]


def test_output_folders_are_never_input(tmp_path):
    (tmp_path / "s.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text("{}", encoding="utf-8")
    (out / "articles.csv").write_text(f"article_id,text\nx,{STORY}\n", encoding="utf-8")
    good, bad = split(read_articles([tmp_path], exclude=[out]))
    assert [a.article_id for a in good] == ["s"] and not bad
    good, bad = split(read_articles([tmp_path]))  # another run's output folder: listed, not read
    assert [a.article_id for a in good] == ["s"] and "never read as input" in bad[0].reason


def test_fields_named_like_output_columns_are_kept_under_a_prefix(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps({"id": "h1", "text": STORY, "article_id": "evil", "origin_agency": "Fake",
                                "source_path": "/etc", "record": "r", "headline": "H", "input_headline": "kept"})
                    + "\n", encoding="utf-8")
    options = ReadOptions()
    (article,) = list(read_articles([path], options))
    assert article.article_id == "h1" and article.source_path == str(path) and article.record == "line 1"
    extra = dict(article.extra)
    assert extra == {"input_article_id": "evil", "input_origin_agency": "Fake", "input_source_path": "/etc",
                     "input_record": "r", "input_input_headline": "H", "input_headline": "kept"}
    assert any("input_article_id" in n for n in options.notes)


def test_messages_say_what_to_do(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{broken\n{"id": "x", "body": "no text field"}\n', encoding="utf-8")
    bad = list(read_articles([path]))
    assert "fix or remove the line" in bad[0].reason
    assert "--text-column" in bad[1].reason and "body" in bad[1].reason


def test_texts_beyond_the_cost_limits_are_refused_with_what_to_do(tmp_path):
    from mediaeval.ingest.decode import MAX_ARTICLE_CHARS, MAX_RUN_WORDS

    path = tmp_path / "costly.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "run", "text": "rebels " * (MAX_RUN_WORDS + 50)},
        {"id": "long", "text": (STORY + " ") * (MAX_ARTICLE_CHARS // len(STORY) + 1)},
        {"id": "ok", "text": (STORY + " ") * 100}]) + "\n", encoding="utf-8")
    good, bad = split(read_articles([path]))
    assert [a.article_id for a in good] == ["ok"]
    assert "sentence punctuation" in bad[0].reason and "split" in bad[1].reason
