"""The one run path: Parquet parts + manifest, resume after kill -9, append, refusal, read_run,
determinism across jobs and batch sizes, the paged index, progress.

The corpus is the seeds (the Xinhua seed and the FA-KES sample in seeds/), plus
the first FA-KES articles from ../shared/data when it is present. The kill tests
run the real command in a subprocess and kill it after a committed batch, at a
random point, and during the assembly of the outputs.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mediaeval import parts
from mediaeval.analyze import AnalysisOptions
from mediaeval.durable_run import Progress
from mediaeval.errors import MediaevalError
from mediaeval.ingest.readers import ReadOptions
from mediaeval.runner import run_analysis, run_comparison

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FAKES = ROOT.parent / "shared" / "data" / "fakes_syria" / "fakes_articles.jsonl"


def _tables(out: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def _pages(out: Path) -> dict:
    """Page HTML with the creation time taken out (the only part that may differ between runs)."""
    import re

    created = json.loads((out / "run.json").read_text())["created"]
    return {p.relative_to(out).as_posix(): re.sub(re.escape(created), "CREATED", p.read_text())
            for p in sorted(list(out.glob("articles/*.html")) + [out / "index.html"])}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The seeds, plus 6 FA-KES articles when ../shared/data is present (text stays in tmp)."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEEDS / "xinhua_hama_withdrawal.txt", folder)
    shutil.copy(SEEDS / "xinhua_hama_withdrawal.meta.json", folder)
    shutil.copy(SEEDS / "fakes_syria_sample.jsonl", folder)
    if FAKES.exists():
        with open(FAKES, encoding="utf-8") as src, open(folder / "fakes_more.jsonl", "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= 6:
                    break
                out.write(line)
    return [str(folder)]


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """An uninterrupted run with one job (the tables and pages every other run must equal)."""
    out = tmp_path_factory.mktemp("ref") / "out"
    run_analysis(corpus, out)
    return out


# --- the store ------------------------------------------------------------------------------------------

def _frames(n: int, first: int) -> dict:
    frames = {t: parts.frame(t, []) for t in parts.TABLES}
    frames["articles"] = parts.frame("articles", [{"article_id": f"a{first + i}", "n_words": 10 * (first + i),
                                                   "tone_own": None if i % 2 else 0.5} for i in range(n)])
    return frames


def _fingerprint(**change) -> dict:
    base = {"mediaeval_version": "0.1.0", "spacy_model": "en_core_web_sm 3.8.0", "lexicons": {"terms.csv": "ab12"},
            "options": {"html": True}, "inputs": [{"path": "a.jsonl", "size": 10, "mtime_ns": 1}]}
    base.update(change)
    return base


def test_commit_order_does_not_change_row_order_and_empty_parts_concatenate(tmp_path):
    store = parts.PartStore.create(tmp_path / "parts", _fingerprint(), {"created": "now"})
    store.commit(0, _frames(2, 2), [(2, "a.jsonl", "line 3"), (3, "a.jsonl", "line 4")])
    store.commit(1, _frames(2, 0), [(0, "a.jsonl", "line 1"), (1, "a.jsonl", "line 2")])
    store.commit(2, _frames(0, 4), [(4, "a.jsonl", "line 5")])  # only a skipped record: no rows anywhere
    articles = store.read_table("articles")
    assert list(articles["article_id"]) == ["a0", "a1", "a2", "a3"]
    assert str(articles["n_words"].dtype) == "Int64"
    assert articles["tone_own"].isna().tolist() == [False, True, False, True]
    terms = store.read_table("terms")  # no part at all: the declared schema
    assert len(terms) == 0 and "voice" in terms.columns and str(terms["start"].dtype) == "Int64"
    assert set(store.done()) == {0, 1, 2, 3, 4}


def test_torn_manifest_line_and_unnamed_parts_are_discarded(tmp_path):
    root = tmp_path / "parts"
    store = parts.PartStore.create(root, _fingerprint(), {})
    store.commit(0, _frames(2, 0), [(0, "a.jsonl", "line 1"), (1, "a.jsonl", "line 2")])
    store.commit(1, _frames(2, 2), [(2, "a.jsonl", "line 3"), (3, "a.jsonl", "line 4")])
    # a kill during batch 2: its part was renamed into place but the manifest line was cut short
    shutil.copy(root / "articles" / "part-000001.parquet", root / "articles" / "part-000002.parquet")
    with open(root / parts.MANIFEST, "a") as manifest:
        manifest.write('{"batch":2,"records":[[4,"a.jsonl","li')
    reopened = parts.PartStore.open(root, _fingerprint())
    assert sorted(reopened.done()) == [0, 1, 2, 3]
    assert not (root / "articles" / "part-000002.parquet").exists()
    assert (root / parts.MANIFEST).read_bytes().endswith(b"}\n")
    assert reopened.next_batch() == 2


def test_resume_with_other_settings_is_refused_naming_what_differs(tmp_path):
    parts.PartStore.create(tmp_path / "parts", _fingerprint(), {})
    with pytest.raises(parts.ResumeRefused, match=r"lexicons\.terms\.csv: 'ab12' before, 'cd34' now"):
        parts.PartStore.open(tmp_path / "parts", _fingerprint(lexicons={"terms.csv": "cd34"}))
    with pytest.raises(parts.ResumeRefused, match=r"inputs\[0\]\.size: 10 before, 11 now"):
        parts.PartStore.open(tmp_path / "parts", _fingerprint(inputs=[{"path": "a.jsonl", "size": 11, "mtime_ns": 1}]))
    more = [{"path": "a.jsonl", "size": 10, "mtime_ns": 1}, {"path": "b.jsonl", "size": 5, "mtime_ns": 2}]
    with pytest.raises(parts.ResumeRefused, match=r"inputs: 1 item\(s\) before, 2 now"):
        parts.PartStore.open(tmp_path / "parts", _fingerprint(inputs=more))
    assert parts.PartStore.open(tmp_path / "parts", _fingerprint(inputs=more), append=True).fingerprint["inputs"] == more


# --- whole runs -----------------------------------------------------------------------------------------

def test_two_jobs_and_other_batches_give_the_same_bytes_in_input_order(corpus, reference, tmp_path):
    out = tmp_path / "out"
    summary = run_analysis(corpus, out, AnalysisOptions(jobs=2), batch_size=5)
    assert _tables(out) == _tables(reference)
    assert _pages(out) == _pages(reference)
    from mediaeval import read_articles

    ids = [a.article_id for a in read_articles(corpus) if hasattr(a, "article_id")]
    assert list(parts.read_run(out)["articles"]["article_id"]) == ids  # rows follow input order
    assert summary.analysed == len(ids) and not (tmp_path / "out.partial").exists()


def test_the_index_is_paged_and_pages_can_be_limited(tmp_path):
    out = tmp_path / "out"
    run_analysis([str(SEEDS)], out, max_pages=3, index_page_size=4, batch_size=4)
    assert len(list((out / "articles").iterdir())) == 3  # only the first 3 input records have a page
    index = [out / "index.html", out / "index-2.html", out / "index-3.html"]  # 11 articles, 4 a page
    assert all(p.exists() for p in index) and not (out / "index-4.html").exists()
    first, last = (p.read_text(encoding="utf-8") for p in (index[0], index[2]))
    assert "first 3 input records only" in first and 'href="index-2.html"' in first and "Codebook" in first
    assert "Articles 9–11 of 11" in last and "Codebook" not in last
    assert first.count('href="articles/') == 3


def test_append_adds_new_articles_without_redoing_old_ones(corpus, reference, tmp_path):
    folder = Path(corpus[0])
    first = [str(folder / "fakes_syria_sample.jsonl")]
    rest = sorted(str(p) for p in folder.iterdir() if p.suffix in (".jsonl", ".txt") and str(p) not in first)
    out = tmp_path / "out"
    before = run_analysis(first, out, html=False)
    finished = _tables(out)

    def interrupt(done):
        if done > 10:
            raise KeyboardInterrupt  # Ctrl-C after the first new batch is committed

    with pytest.raises(KeyboardInterrupt):
        run_analysis(first + rest, out, html=False, append=True, batch_size=4, progress=interrupt)
    assert json.loads((out / "run.json").read_text())["complete"] is False  # published, marked incomplete
    after = run_analysis(first + rest, out, html=False, resume=True, batch_size=4)  # the interrupted append goes on
    from mediaeval import read_articles

    total = len(list(read_articles(first + rest)))
    assert before.new_records == 10 and after.resumed_records >= 10 + min(4, total - 10)
    assert after.resumed_records + after.new_records == total
    one_go = tmp_path / "one"
    run_analysis(first + rest, one_go, html=False)
    assert _tables(out) == _tables(one_go) and finished != _tables(out)
    with pytest.raises(MediaevalError, match="--append"):
        run_analysis(first, out)


def test_resume_refused_when_an_input_changed(corpus, tmp_path):
    source = tmp_path / "in.jsonl"
    shutil.copy(SEEDS / "fakes_syria_sample.jsonl", source)
    out = tmp_path / "out"
    (tmp_path / "out.partial" / "parts").mkdir(parents=True)
    from mediaeval.durable_run import fingerprint
    from mediaeval.report.stamp import make_stamp

    stamp = make_stamp([str(source)])
    settings = {"html": True, "language_check": True, "max_pages": None}
    parts.PartStore.create(tmp_path / "out.partial" / "parts",
                           fingerprint([str(source)], AnalysisOptions(), ReadOptions(), settings, stamp), stamp)
    with pytest.raises(parts.ResumeRefused, match=r"options\.language_check: True before, False now"):
        run_analysis([str(source)], out, resume=True, language_check=False)
    with open(source, "a") as handle:
        handle.write('{"id": "new", "text": "Rebels left the city, the army said."}\n')
    with pytest.raises(parts.ResumeRefused, match=r"inputs\[0\]\.size"):
        run_analysis([str(source)], out, resume=True)
    with pytest.raises(MediaevalError, match="--resume"):
        run_analysis([str(source)], out)


def test_read_run_gives_typed_tables_without_csv_apostrophes(tmp_path):
    text = (SEEDS / "xinhua_hama_withdrawal.txt").read_text(encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x1", "outlet": "+972 Magazine", "text": text}) + "\n", encoding="utf-8")
    run_analysis([str(source)], tmp_path / "out", html=False)
    assert "'+972 Magazine" in (tmp_path / "out" / "articles.csv").read_text(encoding="utf-8")
    frames = parts.read_run(tmp_path / "out", texts=True)
    assert frames["articles"].loc[0, "outlet"] == "+972 Magazine"
    sentences = frames["sentences"]
    assert all(text[s:e] == t for s, e, t in zip(sentences["start"], sentences["end"], sentences["text"]))
    assert frames["texts"].loc[0, "text"] == text
    assert str(frames["attributions"]["anonymous"].dtype) == "boolean"


def _run_cli(command, corpus, out, *extra) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "mediaeval", command, *corpus, "-o", str(out), "-q",
                             "--batch-size", "2", *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _manifest_lines(out: Path) -> int:
    manifest = out.with_name(out.name + ".partial") / "parts" / parts.MANIFEST
    return manifest.read_bytes().count(b"\n") if manifest.exists() else 0


def _assembling(out: Path) -> bool:
    """True once the run has started writing its CSV files from the parts (the last stage)."""
    staging = out.with_name(out.name + ".partial")
    return staging.is_dir() and any(p.suffix == ".csv" or ".csv." in p.name for p in staging.iterdir())


def _kill_when(proc, ready) -> bool:
    while proc.poll() is None and not ready():
        time.sleep(0.01)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True
    return False


def _finish(command, corpus, out, *extra) -> None:
    proc = _run_cli(command, corpus, out, "--resume", *extra)
    _, err = proc.communicate()
    assert proc.returncode == 0, err.decode()


def _check_resumed(out: Path, reference: Path, total: int, seed) -> None:
    assert _tables(out) == _tables(reference), f"seed {seed}"
    assert _pages(out) == _pages(reference), f"seed {seed}"
    manifest = [json.loads(line) for line in (out / "parts" / parts.MANIFEST).read_text().splitlines()]
    ordinals = [o for entry in manifest for o, _, _ in entry["records"]]
    assert sorted(ordinals) == list(range(total)), f"seed {seed}: an input record was lost or analysed twice"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers and not out.with_name(out.name + ".partial").exists()


def test_kill_9_after_a_commit_at_a_random_point_and_in_assembly_then_resume(corpus, reference, tmp_path):
    """kill -9 (1) right after the first batch is committed, (2) at a random point of a later batch
    (parse, Parquet, pages or manifest), (3) while the CSV files are assembled; each time
    --resume goes on, and the outputs equal the uninterrupted run's byte for byte."""
    seed = int(os.environ.get("MEDIAEVAL_KILL_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    out = tmp_path / "out"
    from mediaeval import read_articles

    total = len(list(read_articles(corpus)))
    kills = [_kill_when(_run_cli("analyze", corpus, out), lambda: _manifest_lines(out) >= 1)]
    target = _manifest_lines(out) + 1
    proc = _run_cli("analyze", corpus, out, "--resume")
    kills.append(_kill_when(proc, lambda: _manifest_lines(out) >= target))
    time.sleep(rng.uniform(0, 0.5))
    kills.append(_kill_when(_run_cli("analyze", corpus, out, "--resume"), lambda: _assembling(out)))
    assert kills[0], "the run finished before the first kill"
    if not out.exists():
        _finish("analyze", corpus, out)
    _check_resumed(out, reference, total, seed)


def test_compare_resumes_the_same_way(tmp_path):
    inputs = [str(SEEDS)]
    run_comparison(inputs, tmp_path / "ref", by="outlet", event="event")
    out = tmp_path / "out"
    assert _kill_when(_run_cli("compare", inputs, out, "--event", "event"), lambda: _manifest_lines(out) >= 2)
    refused = _run_cli("compare", inputs, out, "--event", "event", "--resume", "--language-check", "off")
    assert refused.wait() == 2 and b"language_check: True before, False now" in refused.stderr.read()
    _finish("compare", inputs, out, "--event", "event")
    ref, got = _tables(tmp_path / "ref"), _tables(out)
    assert "outlets.csv" in got and got == ref
    assert (out / "comparison.html").exists()


# --- progress -------------------------------------------------------------------------------------------

def test_progress_shows_done_rate_and_eta_only_on_a_terminal():
    progress = Progress(total=1000, stream=io.StringIO())
    assert progress.line(100, now=50.0) == "100/1,000 (10%) articles"  # a resumed run starts at 100
    assert progress.line(300, now=150.0) == "300/1,000 (30%) articles, 2.0/s, ETA 5:50"
    assert not progress.enabled  # a StringIO is not a terminal
    forced = Progress(total=10, stream=io.StringIO(), force=True, interval=0)
    forced(10)
    forced.close()
    assert forced.stream.getvalue().startswith("\r10/10 (100%) articles") and forced.stream.getvalue().endswith("\n")
    quiet = Progress(total=10, stream=io.StringIO(), force=True, quiet=True)
    quiet(5)
    assert quiet.stream.getvalue() == ""
