"""Durable runs: Parquet parts + manifest, resume after kill -9, append, refusal, read_run, progress.

The corpus is the seeds (the Xinhua seed and the FA-KES sample in seeds/), plus
the first FA-KES articles from ../shared/data when it is present. The kill test
runs the real command in a subprocess and kills it at random points.
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
from mediaeval.durable_run import Progress, run_parts
from mediaeval.errors import MediaevalError
from mediaeval.ingest.readers import ReadOptions

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
    """The seeds, plus 24 FA-KES articles when ../shared/data is present (text stays in tmp)."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEEDS / "xinhua_hama_withdrawal.txt", folder)
    shutil.copy(SEEDS / "xinhua_hama_withdrawal.meta.json", folder)
    shutil.copy(SEEDS / "fakes_syria_sample.jsonl", folder)
    if FAKES.exists():
        with open(FAKES, encoding="utf-8") as src, open(folder / "fakes_more.jsonl", "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= 24:
                    break
                out.write(line)
    return [str(folder)]


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """An uninterrupted run, through today's runner (the tables and pages every other run must equal)."""
    from mediaeval.runner import run_analysis

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

def test_parts_run_equals_todays_runner_byte_for_byte(corpus, reference, tmp_path):
    out = tmp_path / "out"
    summary = run_parts(corpus, out, batch_size=5)
    assert _tables(out) == _tables(reference)
    assert _pages(out) == _pages(reference)
    assert summary.analysed == len(parts.read_run(out)["articles"]) and not (tmp_path / "out.partial").exists()


def test_append_adds_new_articles_without_redoing_old_ones(corpus, reference, tmp_path):
    folder = Path(corpus[0])
    first = [str(folder / "fakes_syria_sample.jsonl")]
    rest = sorted(str(p) for p in folder.iterdir() if p.suffix in (".jsonl", ".txt") and str(p) not in first)
    out = tmp_path / "out"
    before = run_parts(first, out, html=False)
    finished = _tables(out)

    def interrupt(done):
        if done > 10:
            raise KeyboardInterrupt  # Ctrl-C after the first new batch is committed

    with pytest.raises(KeyboardInterrupt):
        run_parts(first + rest, out, html=False, append=True, batch_size=4, progress=interrupt)
    assert _tables(out) == finished  # the finished run is untouched meanwhile
    after = run_parts(first + rest, out, html=False, resume=True, batch_size=4)  # the interrupted append goes on
    from mediaeval import read_articles

    total = len(list(read_articles(first + rest)))
    assert before.new_records == 10 and after.resumed_records >= 10 + min(4, total - 10)
    assert after.resumed_records + after.new_records == total
    one_go = tmp_path / "one"
    run_parts(first + rest, one_go, html=False)
    assert _tables(out) == _tables(one_go)
    with pytest.raises(MediaevalError, match="--append"):
        run_parts(first, out)


def test_resume_refused_when_an_input_changed(corpus, tmp_path):
    source = tmp_path / "in.jsonl"
    shutil.copy(SEEDS / "fakes_syria_sample.jsonl", source)
    out = tmp_path / "out"
    (tmp_path / "out.partial" / "parts").mkdir(parents=True)
    from mediaeval.durable_run import fingerprint
    from mediaeval.report.stamp import make_stamp

    stamp = make_stamp([str(source)])
    parts.PartStore.create(tmp_path / "out.partial" / "parts",
                           fingerprint([str(source)], AnalysisOptions(), ReadOptions(), True, stamp), stamp)
    with open(source, "a") as handle:
        handle.write('{"id": "new", "text": "Rebels left the city, the army said."}\n')
    with pytest.raises(parts.ResumeRefused, match=r"inputs\[0\]\.size"):
        run_parts([str(source)], out, resume=True)
    with pytest.raises(MediaevalError, match="--resume"):
        run_parts([str(source)], out)


def test_read_run_gives_typed_tables_without_csv_apostrophes(tmp_path):
    text = (SEEDS / "xinhua_hama_withdrawal.txt").read_text(encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x1", "outlet": "+972 Magazine", "text": text}) + "\n", encoding="utf-8")
    run_parts([str(source)], tmp_path / "out", html=False)
    assert "'+972 Magazine" in (tmp_path / "out" / "articles.csv").read_text(encoding="utf-8")
    frames = parts.read_run(tmp_path / "out", texts=True)
    assert frames["articles"].loc[0, "outlet"] == "+972 Magazine"
    sentences = frames["sentences"]
    assert all(text[s:e] == t for s, e, t in zip(sentences["start"], sentences["end"], sentences["text"]))
    assert frames["texts"].loc[0, "text"] == text
    assert str(frames["attributions"]["anonymous"].dtype) == "boolean"


def _run_cli(corpus, out, *extra) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "mediaeval", "analyze", *corpus, "-o", str(out), "-q",
                             "--parts", "--batch-size", "2", *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _manifest_lines(out: Path) -> int:
    manifest = out.with_name(out.name + ".partial") / "parts" / parts.MANIFEST
    return manifest.read_bytes().count(b"\n") if manifest.exists() else 0


def test_kill_9_at_random_points_then_resume_gives_the_uninterrupted_outputs(corpus, reference, tmp_path):
    seed = int(os.environ.get("MEDIAEVAL_KILL_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    out = tmp_path / "out"
    from mediaeval import read_articles

    total = len(list(read_articles(corpus)))
    n_batches = -(-total // 2)
    kills = 0
    for attempt in range(3):
        proc = _run_cli(corpus, out, *(["--resume"] if attempt else []))
        target = _manifest_lines(out) + rng.randint(1, max(1, n_batches // 3))
        while proc.poll() is None and _manifest_lines(out) < target:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.4))  # anywhere in the next batch: parse, parquet, pages or manifest
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 1, f"seed {seed}: the run finished before any kill"
    if not out.exists():
        proc = _run_cli(corpus, out, "--resume")
        _, err = proc.communicate()
        assert proc.returncode == 0, err.decode()
    assert _tables(out) == _tables(reference), f"seed {seed}"
    assert _pages(out) == _pages(reference), f"seed {seed}"
    manifest = [json.loads(line) for line in (out / "parts" / parts.MANIFEST).read_text().splitlines()]
    ordinals = [o for entry in manifest for o, _, _ in entry["records"]]
    assert sorted(ordinals) == list(range(total)), f"seed {seed}: an input record was lost or analysed twice"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers and not out.with_name("out.partial").exists()


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


def test_compare_through_parts_equals_todays_compare(tmp_path):
    """``compare`` on parts (texts read back from the parts) writes what ``run_comparison`` writes."""
    from mediaeval.runner import run_comparison

    inputs = [str(SEEDS)]
    run_comparison(inputs, tmp_path / "ref", by="outlet", event="event")
    summary = run_parts(inputs, tmp_path / "out", comparison={"by": "outlet", "event": "event", "worksheet": False})
    assert summary.analysed == 11
    ref, out = _tables(tmp_path / "ref"), _tables(tmp_path / "out")
    assert "outlets.csv" in out and out == ref
    assert (tmp_path / "out" / "comparison.html").exists()
