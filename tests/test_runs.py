"""Runs that never mix, exit codes, file modes, and one bad article never costing another its result
(issue 10, items 1, 4 and 6)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediaeval.cli import main

ROOT = Path(__file__).resolve().parents[1]
# Written for these tests (not taken from a publisher).
GOOD = "Rebels entered the town of {n} on Monday, the army said."


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def feed(path: Path, records) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_a_lone_surrogate_among_good_records_loses_nothing(tmp_path):
    records = [{"id": f"g{i}", "text": GOOD.format(n=i)} for i in range(19)]
    records.insert(10, '{"id":"sur","text":"Rebels left \\ud83d the city, the army said."}')
    out = tmp_path / "out"
    assert main(["analyze", str(feed(tmp_path / "feed.jsonl", records)), "-o", str(out), "-q"]) == 0
    rows = read_csv(out / "articles.csv")
    assert len(rows) == 20 and rows[10]["article_id"] == "sur"
    sentences = [r for r in read_csv(out / "sentences.csv") if r["article_id"] == "sur"]
    text = "Rebels left \ufffd the city, the army said."
    assert all(text[int(r["start"]):int(r["end"])] == r["text"] for r in sentences)
    stamp = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert stamp["complete"] is True and any("surrogate" in n for n in stamp["notes"])
    assert stamp["encodings"] == {"utf-8": 20} and {r["encoding"] for r in rows} == {"utf-8"}


def test_an_exception_in_one_article_is_a_skipped_row(tmp_path, monkeypatch):
    from mediaeval import analyze, engine
    from mediaeval.ingest.readers import Skipped
    from mediaeval.model import Article

    real = analyze.analyze_parsed

    def failing(doc, article, options=analyze.AnalysisOptions()):
        if "bridge" in article.text:
            raise RuntimeError("simulated extractor bug")
        return real(doc, article, options)

    monkeypatch.setattr(analyze, "analyze_parsed", failing)
    articles = [Article(f"a{i}", GOOD.format(n=i)) for i in range(3)]
    articles.insert(1, Article("bad", "The bridge was destroyed in an air strike."))
    results = list(engine.analyze_stream(articles, analyze.AnalysisOptions(batch_size=4)))
    assert [type(r).__name__ for r in results] == ["ArticleAnalysis", "Skipped", "ArticleAnalysis", "ArticleAnalysis"]
    assert isinstance(results[1], Skipped) and "simulated extractor bug" in results[1].reason


def test_a_failing_parse_is_retried_one_article_at_a_time(monkeypatch):
    from mediaeval import analyze, engine, nlp

    real = nlp.parse_many

    def parse_many(texts, model=None, batch_size=32):
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise ValueError("simulated parser failure")
        return real(texts, model, batch_size)

    monkeypatch.setattr(nlp, "parse_many", parse_many)
    from mediaeval.model import Article

    articles = [Article("a", GOOD.format(n=1)), Article("p", "POISON in the text, officials said."),
                Article("b", GOOD.format(n=2))]
    results = list(engine.analyze_stream(articles, analyze.AnalysisOptions()))
    assert [getattr(r, "reason", "ok")[:14] for r in results] == ["ok", "analysis faile", "ok"]
    assert "please report it" in results[1].reason


def test_a_worker_killed_by_one_article_costs_only_that_article(tmp_path, monkeypatch):
    from mediaeval import engine

    monkeypatch.setenv(engine.CRASH_TEST_ENV, "KILLS-THE-WORKER")
    records = [{"id": f"g{i}", "text": GOOD.format(n=i)} for i in range(12)]
    records.insert(5, {"id": "killer", "text": "KILLS-THE-WORKER: the army said rebels left."})
    out = tmp_path / "out"
    code = main(["analyze", str(feed(tmp_path / "feed.jsonl", records)), "-o", str(out), "-q", "--no-html",
                 "--jobs", "2"])
    assert code == 1
    assert [r["article_id"] for r in read_csv(out / "articles.csv")] == [f"g{i}" for i in range(12)]
    (skipped,) = read_csv(out / "skipped.csv")
    assert skipped["record"] == "line 6" and "worker process died" in skipped["reason"]


fuzz_text = st.text(alphabet=st.characters(codec=None, categories=None, blacklist_characters="\x00"),
                    min_size=0, max_size=300)


@pytest.fixture(scope="module")
def loaded():
    from mediaeval import analyze

    analyze.prepare()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(fuzz_text, st.sampled_from(["\ud83d", "\udfff", "\x85", "\u2028", "\x1b[31m", ":" * 50,
                                                      "\u202e", "\ufeff", "\r\n\r\n", "“", "—"])),
                min_size=1, max_size=8).map("".join))
def test_fuzz_any_text_gives_an_analysis_or_a_skipped_row(loaded, text):
    """Surrogates, control characters, any Unicode: the engine never raises and offsets stay valid."""
    from mediaeval import engine
    from mediaeval.ingest.readers import Skipped
    from mediaeval.model import Article

    (result,) = list(engine.analyze_stream([Article("fuzz", text)], language_check=False))
    if isinstance(result, Skipped):
        assert "failed" not in result.reason, result.reason  # only "empty" and such, never a crash
        return
    n = len(text)
    assert len(result.article.text) == n
    for span in result.sentences:
        assert 0 <= span.start <= span.end <= n
    for term in result.terms:
        assert result.article.text[term.start:term.end] == term.matched_text


def test_a_second_run_refuses_and_overwrite_replaces_everything(tmp_path, capsys):
    src = feed(tmp_path / "feed.jsonl", [{"id": "a", "text": GOOD.format(n=1)}, {"id": "b", "text": GOOD.format(n=2)}])
    out = tmp_path / "out"
    assert main(["analyze", str(src), "-o", str(out), "-q"]) == 0
    assert (out / "articles" / "b.html").exists()
    assert main(["analyze", str(src), "-o", str(out), "-q"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    feed(src, [{"id": "a", "text": GOOD.format(n=3)}])
    assert main(["analyze", str(src), "-o", str(out), "-q", "--overwrite"]) == 0
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["a.html"]  # the stale page is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl", "out"]  # no staging, no old, no temp
    assert not [p for p in out.rglob(".*")]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_bytes(b"PK")
    assert main(["analyze", str(src), "-o", str(tmp_path / "mine"), "-q", "--overwrite"]) == 2
    assert (tmp_path / "mine" / "thesis.docx").exists()  # never deletes what is not a mediaeval run


def test_the_output_folder_inside_the_input_folder_is_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed(corpus / "feed.jsonl", [{"id": "a", "text": GOOD.format(n=1)}])
    for _ in range(2):
        assert main(["analyze", str(corpus), "-o", str(corpus / "out"), "-q", "--overwrite"]) == 0
        assert [r["article_id"] for r in read_csv(corpus / "out" / "articles.csv")] == ["a"]


def test_files_respect_the_umask(tmp_path):
    src = feed(tmp_path / "feed.jsonl", [{"id": "a", "text": GOOD.format(n=1)}])
    old = os.umask(0o022)
    try:
        assert main(["analyze", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert set(modes.values()) == {0o644}, modes


def test_exit_codes(tmp_path, capsys):
    good = feed(tmp_path / "good.jsonl", [{"id": "a", "text": GOOD.format(n=1)}])
    bad = feed(tmp_path / "bad.jsonl", ["{broken"])
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    assert main(["analyze", str(good), "-o", str(tmp_path / "o0"), "-q", "--no-html"]) == 0
    assert main(["analyze", str(good), str(bad), "-o", str(tmp_path / "o1"), "-q", "--no-html"]) == 1
    assert main(["analyze", str(bad), "-o", str(tmp_path / "o2"), "-q", "--no-html"]) == 2
    assert main(["analyze", str(header_only), "-o", str(tmp_path / "o3"), "-q", "--no-html"]) == 2
    assert "no records" in read_csv(tmp_path / "o3" / "skipped.csv")[0]["reason"]
    assert main(["analyze", str(good), "-o", str(tmp_path / "o4"), "-q", "--jobs", "0"]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["analyze", "--no-such-option"])
    assert usage.value.code == 2


def test_an_internal_error_exits_3_and_asks_for_a_report(tmp_path, capsys, monkeypatch):
    from mediaeval.report import html

    def broken(*args, **kwargs):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(html, "render_article", broken)
    src = feed(tmp_path / "feed.jsonl", [{"id": "a", "text": GOOD.format(n=1)}])
    assert main(["analyze", str(src), "-o", str(tmp_path / "out"), "-q"]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "please report" in err.lower()
    assert not (tmp_path / "out").exists()  # nothing half-written in the output folder


def test_non_english_is_skipped_unless_the_check_is_off(tmp_path):
    # Spanish and German sentences written for this test.
    es = ("El ejército sirio se retiró de la ciudad de Hama el jueves después de varios días de combates intensos "
          "con los grupos rebeldes, según informó la agencia estatal de noticias en un comunicado oficial.")
    de = ("Die syrische Armee hat sich am Donnerstag nach tagelangen heftigen Kämpfen mit den Rebellen aus der "
          "Stadt Hama zurückgezogen, wie die staatliche Nachrichtenagentur in einer Erklärung mitteilte.")
    src = feed(tmp_path / "mixed.jsonl", [{"id": "en", "text": GOOD.format(n=1)}, {"id": "es", "text": es},
                                          {"id": "de", "text": de}])
    assert main(["analyze", str(src), "-o", str(tmp_path / "on"), "-q", "--no-html"]) == 1
    reasons = {r["record"]: r["reason"] for r in read_csv(tmp_path / "on" / "skipped.csv")}
    assert "es" in reasons["line 2"] and "de" in reasons["line 3"] and "--language-check off" in reasons["line 2"]
    assert main(["analyze", str(src), "-o", str(tmp_path / "off"), "-q", "--no-html", "--language-check", "off"]) == 0


def test_recovery_finishes_or_undoes_a_cut_off_publish(tmp_path):
    from mediaeval.runner import prepare_output, publish, recover, staging_dir

    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text('{"old": true}', encoding="utf-8")
    (out / "articles.csv").write_text("article_id\n", encoding="utf-8")
    staging = prepare_output(out, overwrite=True)
    (staging / "run.json").write_text('{"new": true}', encoding="utf-8")
    (staging / "articles.csv").write_text("article_id\n", encoding="utf-8")
    # a kill after the first rename, before the staging folder was ready: the old output comes back
    old = out.rename(tmp_path / "out.old-1")
    assert recover(out) and json.loads((out / "run.json").read_text()) == {"old": True} and not old.exists()
    # a kill after the first rename of a ready staging folder: the new output is published
    publish_ready = staging_dir(out)
    from mediaeval.staging import write_marker
    write_marker(publish_ready, "ready", out, [])
    out.rename(tmp_path / "out.old-2")
    recover(out)
    assert json.loads((out / "run.json").read_text()) == {"new": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    staging = prepare_output(out, overwrite=True)
    publish(staging, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(out.iterdir())


def _run(args, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "mediaeval", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _wait_for_commits(out: Path, proc, n: int = 1) -> None:
    """Until ``proc`` has committed ``n`` batches to the staging folder of ``out``."""
    marker = out.with_name(out.name + ".partial") / ".mediaeval-run"
    manifest = marker.parent / "parts" / "manifest.jsonl"

    def mine() -> bool:
        try:
            return json.loads(marker.read_text(encoding="utf-8"))["pid"] == proc.pid
        except (OSError, ValueError, KeyError):
            return False

    while proc.poll() is None and not (mine() and manifest.exists() and manifest.read_bytes().count(b"\n") >= n):
        time.sleep(0.1)


def test_kill_9_leaves_only_the_staging_folder_and_ctrl_c_publishes_what_is_complete(tmp_path):
    records = [{"id": f"g{i}", "text": GOOD.format(n=i)} for i in range(400)]
    src = feed(tmp_path / "feed.jsonl", records)
    out = tmp_path / "out"
    assert main(["analyze", str(feed(tmp_path / "one.jsonl", records[:1])), "-o", str(out), "-q", "--no-html"]) == 0
    before = (out / "articles.csv").read_bytes()
    proc = _run(["analyze", str(src), "-o", str(out), "-q", "--overwrite", "--batch-size", "4"])
    _wait_for_commits(out, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (out / "articles.csv").read_bytes() == before  # the old run is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl", "one.jsonl", "out", "out.partial"]
    again = _run(["analyze", str(src), "-o", str(out), "-q", "--batch-size", "4"])
    assert again.wait() == 2 and "--resume" in again.stderr.read()  # committed work is not thrown away silently

    proc = _run(["analyze", str(src), "-o", str(out), "-q", "--overwrite", "--batch-size", "4"])
    _wait_for_commits(out, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    stamp = json.loads((out / "run.json").read_text(encoding="utf-8"))
    rows = read_csv(out / "articles.csv")
    assert stamp["complete"] is False and stamp["articles_analysed"] == len(rows) and 4 <= len(rows) < 400
    assert [r["article_id"] for r in rows] == [f"g{i}" for i in range(len(rows))]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl", "one.jsonl", "out"]
    assert "--resume" in err


def test_analyze_text_survives_a_lone_surrogate():
    """Issue 10's probe, through the Python API: the broken emoji escape becomes U+FFFD, offsets unchanged."""
    import mediaeval

    text = "Rebels left \ud83d the city, the army said."
    result = mediaeval.analyze_text(text)
    assert result.article.text == text.replace("\ud83d", "\ufffd")
    assert len(result.article.text) == len(text)
    assert any(a.cue_text == "said" for a in result.attributions)


def test_ctrl_c_with_worker_processes_stops_them_and_resume_finishes_the_run(tmp_path):
    """With --jobs 2 the batches in flight are dropped at once (workers killed, their files discarded);
    --resume then analyses only what was not committed, and the rows are those of the whole input."""
    records = [{"id": f"g{i}", "text": GOOD.format(n=i)} for i in range(60)]
    src = feed(tmp_path / "feed.jsonl", records)
    out = tmp_path / "out"
    proc = _run(["analyze", str(src), "-o", str(out), "-q", "--jobs", "2", "--batch-size", "2", "--no-html"])
    _wait_for_commits(out, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl", "out"]
    assert not [p for p in out.rglob(".*")]
    committed = len(read_csv(out / "articles.csv"))
    assert main(["analyze", str(src), "-o", str(out), "-q", "--resume", "--no-html"]) == 0
    assert [r["article_id"] for r in read_csv(out / "articles.csv")] == [f"g{i}" for i in range(60)]
    manifest = [json.loads(line) for line in (out / "parts" / "manifest.jsonl").read_text().splitlines()]
    assert sum(len(e["records"]) for e in manifest) == 60 and committed >= 2


def test_a_run_hands_its_analyses_to_the_caller_in_input_order(tmp_path):
    """What ``mediaeval demo`` gives its lesson, so the seeds are not analysed twice."""
    from mediaeval.ingest.readers import Skipped
    from mediaeval.runner import run_analysis

    records = [{"id": f"g{i}", "text": GOOD.format(n=i)} for i in range(5)]
    records.insert(2, '{"id": "broken", "text": ')  # a bad line is handed over as Skipped, in its place
    got: list = []
    summary = run_analysis([str(feed(tmp_path / "feed.jsonl", records))], tmp_path / "out", html=False,
                           batch_size=2, on_results=got.extend)
    assert summary.analysed == 5
    assert [getattr(r, "article", None) and r.article.article_id for r in got if not isinstance(r, Skipped)] == \
        ["g0", "g1", "g2", "g3", "g4"]
    assert [r for r in got if isinstance(r, Skipped)] == summary.skipped


def test_the_short_last_batch_is_shared_among_the_workers():
    """150 records in batches of 64: one job takes 64, 64, 22; two jobs end with 11 each, so neither
    worker analyses the tail alone. Batch numbers stay consecutive and every record is taken once."""
    from mediaeval.durable_run import batches_of

    records = [((i, "corpus.jsonl", i + 1), f"article {i}") for i in range(150)]
    one = list(batches_of(records, 64, 0))
    two = list(batches_of(records, 64, 3, workers=2))
    assert [len(items) for _, items in one] == [64, 64, 22]
    assert [len(items) for _, items in two] == [64, 64, 11, 11]
    assert [number for (number, _), _ in two] == [3, 4, 5, 6]
    assert [key for (_, keys), _ in two for key in keys] == [key for key, _ in records]
    assert [len(items) for _, items in batches_of(records[:5], 64, 0, workers=4)] == [2, 2, 1]
