"""A whole run: inputs -> batches committed as Parquet parts -> CSV, pages and index -> one output folder.

This is the one run path of ``analyze``, ``compare`` and ``demo``. Runs never
mix, and a run can always be continued:

* A run writes into a staging folder beside the output and publishes it at the
  end; the output folder never holds a mix of two runs.
* Results are committed batch by batch (``durable_run``: each batch is analysed,
  and its part files and pages written, by whoever analysed it; the parent only
  appends the manifest line, in input order). After ``kill -9`` or a power cut,
  ``resume=True`` (``--resume``) continues: committed records are not analysed
  again and none is lost. Resuming with other versions, options or inputs is
  refused, naming the difference (``parts.PartStore.open``).
* At the end the CSV files, ``run.json``, the (paged) index and the comparison
  are assembled from the parts alone, so the outputs are byte-identical whatever
  ``jobs``, engine, batch size or interruptions; only the creation time differs
  between two runs (a resumed run keeps its own).

Staging layout::

    OUT.partial/                 the staging folder, beside OUT (never read as input)
      .mediaeval-run             marker, JSON: {"state": "running"|"ready", "pid", "host", "started", "out", "inputs"}
      parts/                     fingerprint.json, manifest.jsonl, <table>/part-NNNNNN.parquet (see ``parts``)
      articles/NAME.html         each article's page, written with its batch
      KIND.csv, codebook.csv, run.json, index.html (index-2.html ...), comparison files: assembled at the end

Publishing (``staging``) is two renames, and ``recover`` finishes or undoes one that
was cut off. The parts stay in
``OUT/parts/`` (``mediaeval.read_run``; ``append`` adds inputs to a finished run).

An existing, non-empty OUT is refused unless ``overwrite`` (``--overwrite``);
then everything in it is replaced, stale pages included. Only an empty folder
or a mediaeval output folder (with run.json) is ever replaced. Ctrl-C publishes
what is committed, marked ``"complete": false`` in run.json (``--resume``
finishes it). Bad inputs become rows of ``skipped.csv`` and the run goes on.
Every file is written atomically and respects the umask.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from . import parts
from .analyze import AnalysisOptions
from .durable_run import BATCH_SIZE, BatchWriter, batches_of, entries, fingerprint, pending
from .errors import MediaevalError
from .ingest.readers import RESERVED_PREFIX, STAGING_MARKER, ReadOptions, Skipped, read_articles
from .staging import (check_paths, owner_alive, prepare_output, publish, read_marker, recover, staging_dir,
                      write_marker)

MAX_NOTES_IN_STAMP = 1000
INDEX_PAGE_SIZE = 1000  # articles listed per index page (index.html, index-2.html, ...)


@dataclass
class RunSummary:
    out_dir: Path
    analysed: int = 0
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    written: list = field(default_factory=list)
    stamp: dict = field(default_factory=dict)
    page_links: dict = field(default_factory=dict)  # article_id -> href from the output folder
    complete: bool = True  # False when interrupted (Ctrl-C): what is committed was published
    resumed_records: int = 0  # input records found already committed (resume/append)
    new_records: int = 0


def run_analysis(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                 read_options: Optional[ReadOptions] = None, *, html: bool = True,
                 progress: Optional[Callable[[int], None]] = None, overwrite: bool = False,
                 language_check: bool = True, resume: bool = False, append: bool = False, engine: str = "local",
                 scheduler: Optional[str] = None, batch_size: int = BATCH_SIZE, max_pages: Optional[int] = None,
                 index_page_size: int = INDEX_PAGE_SIZE, comparison: Optional[dict] = None,
                 content_hash: bool = False, on_results: Optional[Callable[[list], None]] = None) -> RunSummary:
    """Analyse ``inputs`` into ``out_dir`` (see the module docstring); returns what was done.

    ``resume`` continues an unfinished run (killed, or published after Ctrl-C); ``append`` adds
    inputs to a finished run (its inputs first, unchanged, then the new ones) without redoing
    them. ``engine``: ``"local"`` (``options.jobs`` processes) or ``"dask"`` (``scheduler``, else a
    local cluster of ``options.jobs`` workers). ``max_pages``: only the first N input records get
    a page. ``comparison`` (``{"by", "event", "worksheet"}``) also writes the comparison.
    ``progress`` is called with the number of input records done. ``on_results`` is handed each
    batch's results (analyses and ``Skipped``, in input order) in this process; it is only called
    with one local job (``mediaeval demo`` gives them to the lesson). Raises ``MediaevalError``
    before any work when the output is not empty (without ``overwrite``) or a resume is refused.
    On Ctrl-C what is committed is published and ``KeyboardInterrupt`` is raised again."""
    from .report.stamp import make_stamp

    if batch_size < 1 or options.jobs < 1 or index_page_size < 1 or (max_pages is not None and max_pages < 0):
        raise MediaevalError("--jobs, --batch-size and --index-page-size must be at least 1, --max-pages at least 0")
    read_options = read_options or ReadOptions()
    out_dir = Path(out_dir)
    staging = staging_dir(out_dir)
    stamp = make_stamp(inputs, options)
    settings = {"html": html, "language_check": language_check, "max_pages": max_pages}
    wanted = fingerprint(inputs, options, read_options, settings, stamp, content_hash, exclude=[out_dir, staging])
    store = open_run(out_dir, inputs, wanted, stamp, overwrite=overwrite, resume=resume, append=append)
    summary = RunSummary(out_dir=out_dir, stamp=store.stamp)
    done = store.done()
    summary.resumed_records = count = len(done)
    writer = BatchWriter(str(staging), store.stamp, html, max_pages)
    if on_results and engine == "local" and options.jobs <= 1:
        writer = _Handing(writer, on_results)
    items = read_articles(inputs, read_options, exclude=[out_dir, staging])
    batches = batches_of(pending(items, done), batch_size, store.next_batch(), workers=options.jobs)
    stream = entries(batches, options, writer, language_check=language_check, engine=engine, scheduler=scheduler,
                     jobs=options.jobs)
    interrupts = _Interrupts()
    try:
        with closing(stream):
            for entry in stream:
                interrupts.committing = True  # a batch is committed whole, or not at all
                store.append(entry)
                count += len(entry["records"])
                summary.new_records += len(entry["records"])
                interrupts.done_committing()
                if progress:
                    progress(count)
    except KeyboardInterrupt:
        summary.complete = False
        store.discard_uncommitted()  # what a batch cut short left behind
    finally:
        interrupts.restore()
    summary.notes = list(read_options.notes) + _renamed_notes(store)
    _assemble(store, staging, summary, inputs, html=html, language_check=language_check, max_pages=max_pages,
              index_page_size=index_page_size, comparison=comparison)
    publish(staging, out_dir)
    summary.written = [out_dir / Path(p).relative_to(staging) for p in summary.written]
    if not summary.complete:
        raise KeyboardInterrupt
    return summary


def run_comparison(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                   read_options: Optional[ReadOptions] = None, by: str = "outlet", event: Optional[str] = None,
                   worksheet: bool = False, **run_options) -> RunSummary:
    """``run_analysis`` plus the comparison (its CSV files and comparison.html), built from the parts."""
    return run_analysis(inputs, out_dir, options, read_options,
                        comparison={"by": by, "event": event, "worksheet": worksheet}, **run_options)


class _Handing:
    """A batch writer that also hands the batch's results to ``on_results`` (in-process runs only)."""

    def __init__(self, writer, on_results: Callable[[list], None]):
        self.writer, self.on_results = writer, on_results

    def __call__(self, context: tuple, results: list) -> dict:
        self.on_results(results)
        return self.writer(context, results)


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


def _renamed_notes(store) -> list[str]:
    """One note per input field kept as ``input_NAME`` because a measure has its name (input order)."""
    seen: dict = {}
    for entry in store._ordered():
        for key in entry.get("renamed", []):
            seen.setdefault(key, None)
    return [f"input field {key!r} is named like a measure in articles.csv; kept as {RESERVED_PREFIX + key!r}"
            for key in seen]


# --- opening a run ---------------------------------------------------------------------------------------

def open_run(out_dir: Path, inputs: Sequence[str], wanted: dict, stamp: dict, *, overwrite: bool = False,
             resume: bool = False, append: bool = False):
    """The part store a run commits to, in its staging folder: fresh, resumed or appended to."""
    out_dir = Path(out_dir)
    recover(out_dir)
    staging = staging_dir(out_dir)
    check_paths(out_dir, staging, inputs)
    parts_dir = staging / "parts"
    if staging.exists():
        owner = read_marker(staging)
        if owner_alive(owner):
            raise MediaevalError(f"another run (process {owner.get('pid')}) is writing {out_dir} now; "
                                 "wait for it to finish or choose another -o folder")
        if (parts_dir / parts.FINGERPRINT).exists():
            if resume:
                store = parts.PartStore.open(parts_dir, wanted, append=append)
                write_marker(staging, "running", out_dir, inputs)
                return store
            if not overwrite:
                committed = len(parts.PartStore.read(parts_dir).done())
                raise MediaevalError(f"{staging} holds an unfinished run ({committed} input record(s) committed); "
                                     "continue it with --resume (same inputs and options), or pass --overwrite "
                                     "to start again")
        shutil.rmtree(staging)
    finished = out_dir / "parts" / parts.FINGERPRINT
    if resume or append:
        if not finished.exists():
            raise MediaevalError(f"no run to {'append to' if append else 'resume'} in {out_dir} (no {staging} and "
                                 f"no {out_dir}/parts/); run without --resume/--append")
        if not append and _complete(out_dir):
            raise MediaevalError(f"the run in {out_dir} is finished; nothing to resume (use --append to add inputs)")
        _copy_run(out_dir, staging)
        write_marker(staging, "running", out_dir, inputs)
        return parts.PartStore.open(parts_dir, wanted, append=append)
    prepare_output(out_dir, inputs, overwrite)
    return parts.PartStore.create(parts_dir, wanted, stamp)


def _complete(out_dir: Path) -> bool:
    try:
        return json.loads((out_dir / "run.json").read_text(encoding="utf-8")).get("complete", True) is not False
    except (OSError, ValueError):
        return True


def _copy_run(out_dir: Path, staging: Path) -> None:
    """Parts and pages of a published run into a new staging folder (hard links: they never change)."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    staging.mkdir(parents=True)
    shutil.copytree(out_dir / "parts", staging / "parts", copy_function=link)
    for name in (parts.MANIFEST, parts.FINGERPRINT):  # rewritten in place, so copies, not links
        os.unlink(staging / "parts" / name)
        shutil.copy2(out_dir / "parts" / name, staging / "parts" / name)
    if (out_dir / "articles").is_dir():
        shutil.copytree(out_dir / "articles", staging / "articles", copy_function=link)


# --- assembling the outputs from the parts ---------------------------------------------------------------

def _assemble(store, staging: Path, summary: RunSummary, inputs, *, html: bool, language_check: bool,
              max_pages: Optional[int], index_page_size: int, comparison: Optional[dict]) -> None:
    """CSV files, run.json, the index pages and the comparison, from the committed parts alone."""
    from .report.stamp import write_stamp
    from .report.tables import write_csv, write_rows
    from .schema import codebook

    for stale in staging.iterdir():  # what an assembly cut short (kill -9) left: made again from the parts
        if stale.name not in ("parts", "articles", STAGING_MARKER):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    for table in parts.TABLES:
        names = store.table_schema(table).names
        summary.written.append(write_rows(staging / f"{table}.csv", names, _rows_of(store.arrow_parts(table))))
    summary.written.append(write_csv(codebook(), staging / "codebook.csv"))
    summary.skipped = [Skipped(r["path"], r["record"], r["reason"]) for r in _dicts(store.read_table("skipped"))]
    summary.analysed = sum(e["rows"].get("articles", 0) for e in store.entries)
    encodings = Counter(v for t in store.arrow_parts("articles", ["encoding"]) for v in t.column(0).to_pylist())
    notes = summary.notes
    stamp = dict(store.stamp, inputs=[str(i) for i in inputs])
    stamp.update({
        "complete": summary.complete,
        "articles_analysed": summary.analysed,
        "inputs_skipped": len(summary.skipped),
        "encodings": dict(sorted(encodings.items())),
        "language_check": language_check,
        "notes": notes[:MAX_NOTES_IN_STAMP] + ([f"... and {len(notes) - MAX_NOTES_IN_STAMP} more"]
                                               if len(notes) > MAX_NOTES_IN_STAMP else []),
    })
    if max_pages is not None and html:
        stamp["pages"] = f"article pages for the first {max_pages:,} input records only (--max-pages)"
    if not summary.complete:
        stamp["interrupted"] = ("stopped by the user (Ctrl-C): the outputs hold the articles committed before that; "
                                "run the same command with --resume to finish")
    summary.stamp = stamp
    summary.written.append(write_stamp(stamp, staging))
    if html:
        summary.written.extend(_write_index(store, staging, summary, index_page_size, max_pages,
                                            comparison is not None))
    if comparison is not None:
        summary.written.extend(_compare(store, staging, summary, comparison))
    write_marker(staging, "ready", summary.out_dir, inputs)


def _rows_of(arrow_tables):
    for arrow_table in arrow_tables:
        for batch in arrow_table.to_batches():
            yield from zip(*(column.to_pylist() for column in batch.columns))


def _dicts(frame) -> list[dict]:
    """A frame's rows as dicts, missing values as ``""`` (as the templates expect)."""
    return frame.astype(object).where(frame.notna(), "").to_dict("records")


def _write_index(store, staging: Path, summary: RunSummary, page_size: int, max_pages: Optional[int],
                 comparison: bool) -> list:
    """index.html (and index-2.html ... for more than ``page_size`` articles), streamed from the parts."""
    from .report import html as html_report
    from .report.tables import write_text

    total = summary.analysed
    n_pages = max(1, -(-total // page_size))
    names = ["index.html"] + [f"index-{n}.html" for n in range(2, n_pages + 1)]
    limited = max_pages is not None and any(not r["href"] for r in _index_rows(store, ["href"]))
    written, chunk, page = [], [], 0

    def flush():
        nonlocal chunk, page
        pager = {"page": page + 1, "pages": names, "first": page * page_size + 1, "total": total,
                 "max_pages": max_pages if limited else None}
        written.append(write_text(html_report.render_index(chunk, summary.stamp, summary.skipped if not page else [],
                                                           comparison=comparison, pager=pager),
                                  staging / names[page]))
        chunk, page = [], page + 1

    for row in _index_rows(store):
        if row["href"]:
            summary.page_links[row["article_id"]] = row["href"]
        chunk.append(row)
        if len(chunk) == page_size:
            flush()
    if chunk or page == 0:
        flush()
    return written


def _index_rows(store, columns=None):
    for arrow_table in store.arrow_parts("_index", columns):
        for row in arrow_table.to_pylist():
            yield {k: ("" if v is None else v) for k, v in row.items()}


def _compare(store, staging: Path, summary: RunSummary, settings: dict) -> list:
    """The comparison from the typed tables of the parts (nothing read back from CSV).

    Arrow memory comes from the C allocator here: the default (mimalloc) keeps what the
    comparison frees, which at 256 ABP articles raised the peak from 294 MB to 354 MB."""
    import pyarrow as pa

    from .compare import build_comparison
    from .report.comparison import write_comparison

    pa.set_memory_pool(pa.system_memory_pool())
    by, event = settings.get("by") or "outlet", settings.get("event")
    columns = store.table_schema("articles").names
    if by not in columns and summary.analysed:
        text_columns = [c for c in columns if str(store.table_schema("articles").field(c).type) == "string"]
        raise MediaevalError(f"--by {by!r}: no such column in the articles; group by one of: "
                             f"{', '.join(text_columns)} (the analysis itself is kept in {staging}; "
                             "run again with --resume and another --by)")
    if event and event not in columns:
        summary.notes.append(f"no {event!r} column in the inputs; same-event groups found by text similarity")
        event = None
    result = build_comparison(parts.Tables(store), by=by, event=event)
    return write_comparison(result, staging, summary.stamp, worksheet=settings.get("worksheet", False),
                            article_links=summary.page_links)


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
