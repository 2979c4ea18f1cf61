"""A whole run: inputs -> analyses -> CSV, HTML and the stamp, published into one output folder.

Runs never mix. A run writes into a staging folder beside the output and
publishes it at the end; a killed run leaves only its staging folder, never a
mix of two runs in the output folder.

Staging layout (``--resume`` of issue 11 continues from it)::

    OUT.partial/                 the staging folder, beside OUT (never read as input)
      .mediaeval-run             marker, JSON: {"state": "running"|"ready", "pid", "host", "started", "out", "inputs"}
      .mediaeval-*/KIND.jsonl    table rows spooled by report.tables.TableWriter, one JSON object per row,
                                 appended as each article finishes, in input order (KIND: articles, sentences ...)
      articles/NAME.html         each article's page, written as soon as it is analysed
      KIND.csv, run.json, index.html   written at the end, from the spools; then the state becomes "ready"

Publishing is two renames: OUT -> OUT.old-STAMP (when OUT exists), then
OUT.partial -> OUT; then OUT.old-STAMP is removed. ``recover`` runs first in
every run and finishes or undoes a publish that was cut off: a "ready" staging
folder is published, otherwise the old output is put back.

An existing, non-empty OUT is refused unless ``overwrite`` (``--overwrite``);
then everything in it is replaced, stale pages included. Only an empty folder
or a mediaeval output folder (with run.json) is ever replaced. Ctrl-C publishes
what is complete, marked ``"complete": false`` in run.json. Bad inputs become
rows of ``skipped.csv`` and the run goes on. Every file is written atomically
and respects the umask.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional, Sequence

from .analyze import AnalysisOptions
from .engine import analyze_stream
from .errors import MediaevalError
from .ingest.readers import RESERVED_PREFIX, STAGING_MARKER, ReadOptions, Skipped, is_output_folder, read_articles
from .model import ArticleAnalysis

STAGING_SUFFIX = ".partial"
OLD_INFIX = ".old-"
MAX_NOTES_IN_STAMP = 1000


@dataclass
class RunSummary:
    out_dir: Path
    analysed: int = 0
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    written: list = field(default_factory=list)
    stamp: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)  # article_id -> text, when keep_texts
    page_links: dict = field(default_factory=dict)  # article_id -> href from the output folder
    complete: bool = True  # False when interrupted (Ctrl-C): what is complete was published


def staging_dir(out_dir: Path) -> Path:
    """Where a run into ``out_dir`` writes before it publishes."""
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + STAGING_SUFFIX)


def run_analysis(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                 read_options: Optional[ReadOptions] = None, html: bool = True,
                 progress: Optional[Callable[[int], None]] = None, keep_texts: bool = False,
                 comparison: bool = False, overwrite: bool = False, language_check: bool = True,
                 on_result: Optional[Callable] = None,
                 before_publish: Optional[Callable[[Path, "RunSummary"], list]] = None) -> RunSummary:
    """Analyse ``inputs`` into ``out_dir`` (through its staging folder); returns what was done.

    ``on_result`` is called with every result (``ArticleAnalysis`` or ``Skipped``), in input order;
    ``before_publish(staging, summary)`` may write more files into the staging folder (the
    comparison) and returns their paths, so they are published with the rest, atomically.
    Raises ``MediaevalError`` before any work when ``out_dir`` is not empty and ``overwrite`` is False.
    On Ctrl-C the complete part is published and ``KeyboardInterrupt`` is raised again."""
    read_options = read_options or ReadOptions()
    out_dir = Path(out_dir)
    staging = prepare_output(out_dir, inputs, overwrite)
    summary = RunSummary(out_dir=out_dir)
    try:
        _analyse_into(staging, inputs, options, read_options, html, progress, keep_texts, comparison,
                      language_check, summary, on_result)
        if before_publish is not None:
            summary.written.extend(before_publish(staging, summary))
    except KeyboardInterrupt:
        if summary.stamp:  # the tables and pages written so far are complete: publish them, marked incomplete
            publish(staging, out_dir)
        raise
    publish(staging, out_dir)
    summary.written = [out_dir / Path(p).relative_to(staging) for p in summary.written]
    return summary


def _analyse_into(staging: Path, inputs, options, read_options, html, progress, keep_texts, comparison,
                  language_check, summary: RunSummary, on_result: Optional[Callable] = None) -> None:
    from .report import html as html_report
    from .report.stamp import make_stamp, write_stamp
    from .report.tables import TableWriter, write_text

    tables = TableWriter(staging)
    index_rows, used_names = [], set()
    stamp = make_stamp(inputs, options)
    encodings: Counter = Counter()
    renamed: set = set()
    items = read_articles(inputs, read_options, exclude=[summary.out_dir, staging])
    interrupts = _Interrupts()
    try:
        for item in analyze_stream(items, options, language_check=language_check):
            interrupts.committing = True  # one article's rows and page are written whole, or not at all
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                tables.add("skipped", [{"path": item.path, "record": item.record, "reason": item.reason}])
            else:
                item = _protect_measures(item, renamed, read_options.notes)
                summary.analysed += 1
                encodings[item.article.encoding] += 1
                tables.add_analysis(item)
                if keep_texts:
                    summary.texts[item.article.article_id] = item.article.text
                if html:
                    href = _write_page(item, staging, stamp, used_names)
                    summary.page_links[item.article.article_id] = href
                    index_rows.append(html_report.index_row(item, href))
            if on_result:
                on_result(item)
            interrupts.done_committing()
            if progress:
                progress(summary.analysed + len(summary.skipped))
    except KeyboardInterrupt:
        summary.complete = False
    finally:
        interrupts.restore()
        summary.written.extend(tables.close())
    summary.notes = list(read_options.notes)
    stamp.update({
        "complete": summary.complete,
        "articles_analysed": summary.analysed,
        "inputs_skipped": len(summary.skipped),
        "encodings": dict(sorted(encodings.items())),
        "language_check": language_check,
        "notes": summary.notes[:MAX_NOTES_IN_STAMP] + ([f"... and {len(summary.notes) - MAX_NOTES_IN_STAMP} more"]
                                                        if len(summary.notes) > MAX_NOTES_IN_STAMP else []),
    })
    if not summary.complete:
        stamp["interrupted"] = "stopped by the user (Ctrl-C): the outputs hold the articles finished before that"
    summary.stamp = stamp
    summary.written.append(write_stamp(stamp, staging))
    if html:
        summary.written.append(write_text(html_report.render_index(index_rows, stamp, summary.skipped,
                                                                    comparison=comparison),
                                          staging / "index.html"))
    _write_marker(staging, "ready", summary.out_dir, inputs)
    if not summary.complete:
        raise KeyboardInterrupt


class _Interrupts:
    """Ctrl-C waits while one article is being written, so its rows and page are whole (main thread only)."""

    def __init__(self):
        import signal
        import threading

        self.committing = self.requested = False
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, frame):
        self.requested = True
        if not self.committing:
            raise KeyboardInterrupt

    def done_committing(self) -> None:
        self.committing = False
        if self.requested:
            raise KeyboardInterrupt

    def restore(self) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _protect_measures(item: ArticleAnalysis, renamed: set, notes: list) -> ArticleAnalysis:
    """An input field named like one of the article's measures is kept as ``input_NAME`` (and noted once)."""
    clash = [k for k, _ in item.article.extra if k in item.measures]
    if not clash:
        return item
    for key in clash:
        if key not in renamed:
            renamed.add(key)
            notes.append(f"input field {key!r} is named like a measure in articles.csv; kept as "
                         f"{RESERVED_PREFIX + key!r}")
    extra = tuple(sorted((RESERVED_PREFIX + k if k in item.measures else k, v) for k, v in item.article.extra))
    return replace(item, article=replace(item.article, extra=extra))


def _write_page(analysis: ArticleAnalysis, out_dir: Path, stamp: dict, used: set) -> str:
    from .report import html as html_report
    from .report.tables import write_text

    name = html_report.page_name(analysis.article.article_id)
    unique, n = name, 1
    while unique in used:
        n += 1
        unique = f"{name}-{n}"
    used.add(unique)
    path = out_dir / "articles" / f"{unique}.html"
    write_text(html_report.render_article(analysis, stamp), path)
    return f"articles/{unique}.html"


# --- staging and publishing ----------------------------------------------------------------------------

def prepare_output(out_dir: Path, inputs: Sequence[str] = (), overwrite: bool = False) -> Path:
    """Check that a run may write to ``out_dir`` and make its fresh staging folder (returned)."""
    out_dir = Path(out_dir)
    recover(out_dir)
    staging = staging_dir(out_dir)
    real_out = os.path.realpath(out_dir)
    for given in inputs:
        real = os.path.realpath(given)
        if real == real_out or real.startswith(real_out + os.sep) or real.startswith(os.path.realpath(staging)):
            raise MediaevalError(f"the input {given} is inside the output folder {out_dir}; "
                                 "choose another -o folder (outputs are never read as input)")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise MediaevalError(f"{out_dir} exists and is not a folder; choose another -o")
        if any(out_dir.iterdir()):
            if not overwrite:
                raise MediaevalError(f"{out_dir} is not empty (an earlier run?); pass --overwrite to replace "
                                     "everything in it, or choose another -o folder")
            if not is_output_folder(out_dir):
                raise MediaevalError(f"{out_dir} is not empty and holds no mediaeval run (no run.json); "
                                     "--overwrite only replaces mediaeval output folders; choose another -o folder")
    if staging.exists():
        owner = _marker(staging)
        if _alive(owner):
            raise MediaevalError(f"another run (process {owner.get('pid')}) is writing {out_dir} now; "
                                 "wait for it to finish or choose another -o folder")
        shutil.rmtree(staging)  # an unfinished earlier run (killed); a fresh run starts clean
    staging.mkdir(parents=True)
    _write_marker(staging, "running", out_dir, inputs)
    return staging


def publish(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging`` by two renames (see the module docstring)."""
    _write_marker(staging, "ready", out_dir, _marker(staging).get("inputs", []))
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f"{out_dir.name}{OLD_INFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    (out_dir / STAGING_MARKER).unlink()
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Finish or undo a publish that was cut off (a kill between its two renames); returns what was done."""
    out_dir = Path(out_dir)
    done = []
    if out_dir.is_dir() and (out_dir / STAGING_MARKER).exists():
        (out_dir / STAGING_MARKER).unlink()  # cut off after the second rename
        done.append(f"finished publishing {out_dir}")
    if not out_dir.parent.is_dir():
        return done
    prefix = out_dir.name + OLD_INFIX
    for old in sorted(p for p in out_dir.parent.iterdir() if p.name.startswith(prefix)):
        if not out_dir.exists():
            staging = staging_dir(out_dir)
            if staging.is_dir() and _marker(staging).get("state") == "ready":
                os.rename(staging, out_dir)
                (out_dir / STAGING_MARKER).unlink()
                done.append(f"published the finished run in {staging}")
            else:
                os.rename(old, out_dir)
                done.append(f"restored {out_dir} from {old.name}")
                continue
        shutil.rmtree(old, ignore_errors=True)
    return done


def _write_marker(staging: Path, state: str, out_dir: Path, inputs) -> None:
    from .report.tables import write_text

    info = {"state": state, "pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "out": str(out_dir),
            "inputs": [str(i) for i in inputs]}
    write_text(json.dumps(info, indent=1) + "\n", staging / STAGING_MARKER)


def _marker(staging: Path) -> dict:
    try:
        return json.loads((staging / STAGING_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _alive(owner: dict) -> bool:
    """True when the process that wrote the marker still runs (on this host)."""
    pid = owner.get("pid")
    if owner.get("state") != "running" or not isinstance(pid, int) or owner.get("host") != socket.gethostname():
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_frames(out_dir: Path, texts: Optional[dict] = None) -> dict:
    """The CSV files of an analysis run as typed pandas frames (plus ``texts`` when given).

    Types and guard apostrophes are handled by ``report.tables.read_csv`` from the one
    schema, so the frames equal ``mediaeval.to_frames`` of the same results (floats to
    the 6 significant digits the CSV keeps).
    """
    import pandas as pd

    from .report.tables import KINDS, read_csv

    frames = {kind: read_csv(Path(out_dir) / f"{kind}.csv", kind) for kind in KINDS}
    if texts is not None:
        frames["texts"] = pd.DataFrame({"article_id": pd.Series(list(texts), dtype="string"),
                                        "text": pd.Series(list(texts.values()), dtype="string")})
    return frames


def run_comparison(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                   read_options: Optional[ReadOptions] = None, by: str = "outlet", event: Optional[str] = None,
                   worksheet: bool = False, progress: Optional[Callable[[int], None]] = None,
                   **run_options) -> RunSummary:
    """Analyse ``inputs`` into ``out_dir`` and add the comparison (CSV and comparison.html).

    The comparison is built in memory from the same results the analysis wrote
    (``mediaeval.compare``); nothing is read back from the CSV files. It is written
    into the run's staging folder, so it is published together with the analysis.
    """
    from .compare import compare
    from .errors import MediaevalError
    from .frames import FrameCollector
    from .report.comparison import write_comparison

    collector = FrameCollector()

    def add_comparison(staging: Path, summary: RunSummary) -> list:
        nonlocal event
        frames = collector.frames()
        articles = frames["articles"]
        if by not in articles.columns and summary.analysed:
            text_columns = [c for c in articles.columns if articles[c].dtype == "string"]
            raise MediaevalError(f"--by {by!r}: no such column in the articles; group by one of: "
                                 f"{', '.join(text_columns)} (the analysis itself is kept in {staging})")
        if event and event not in articles.columns:
            summary.notes.append(f"no {event!r} column in the inputs; same-event groups found by text similarity")
            event = None
        comparison = compare(frames, by=by, event=event)
        return write_comparison(comparison, staging, summary.stamp, worksheet=worksheet,
                                article_links=summary.page_links)

    return run_analysis(inputs, out_dir, options, read_options, progress=progress, comparison=True,
                        on_result=collector.add, before_publish=add_comparison, **run_options)
