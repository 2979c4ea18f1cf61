"""A resumable run: inputs -> batches -> committed Parquet parts -> CSV, pages and index, then publish.

``run_parts`` reads the inputs, leaves out the input records a killed run
already committed (``--resume``) or a finished run already holds
(``--append``), analyses the rest in batches on the local engine
(``analyze.analyze_stream``) or on Dask (``distributed``), and commits each
batch as it finishes (``parts.PartStore``: tables as Parquet, pages as files,
then one manifest line). Batches are committed in input order; pages get their
file names in that order, so names, rows and bytes never depend on ``jobs`` or
the engine. At the end the CSV tables, ``index.html`` and ``run.json`` are
assembled from the parts into the staging folder ``OUT.partial/`` and published
to ``OUT`` by renames; the parts stay in ``OUT/parts/`` (``read_run``).

The stamp (and so the creation time in run.json and page footers) is fixed
when a run starts and kept on resume. Limits: one process commits (workers
return tables and page HTML to it); the index lists every article on one page.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import deque
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from . import parts
from .analyze import AnalysisOptions
from .errors import MediaevalError
from .ingest.readers import ReadOptions, Skipped, find_inputs, read_articles
from .runner import RunSummary

BATCH_SIZE = 64  # input records per commit


# --- progress ---------------------------------------------------------------------------------------------

class Progress:
    """``done/total``, rate and ETA on one stderr line, only when stderr is a terminal and not quiet.

    Call it with the number of records done so far; ``close()`` ends the line.
    Redraws at most every ``interval`` seconds.
    """

    def __init__(self, total: Optional[int] = None, *, quiet: bool = False, stream=None, interval: float = 0.5,
                 force: bool = False):
        self.stream = stream or sys.stderr
        self.enabled = not quiet and (force or getattr(self.stream, "isatty", lambda: False)())
        self.total = total
        self.start = time.monotonic()
        self.first_done: Optional[int] = None
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def line(self, done: int, now: Optional[float] = None) -> str:
        """The progress text for ``done`` records (rate counted from the first call, so a resumed
        run's already-committed records do not inflate it)."""
        now = time.monotonic() if now is None else now
        if self.first_done is None:
            self.first_done, self.start = done, now
        elapsed = max(now - self.start, 1e-9)
        rate = (done - self.first_done) / elapsed
        text = f"{done:,}" + (f"/{self.total:,} ({100 * done / self.total:.0f}%)" if self.total else "") + " articles"
        if done > self.first_done:
            text += f", {rate:.1f}/s"
            if self.total and rate > 0:
                text += f", ETA {_clock((self.total - done) / rate)}"
        return text

    def __call__(self, done: int) -> None:
        text = self.line(done)
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval or done == self.total:
            self._last = now
            print("\r" + text + "\x1b[K", end="", file=self.stream, flush=True)
            self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            print(file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


# --- what a run is ----------------------------------------------------------------------------------------

def fingerprint(inputs: Sequence[str], options: AnalysisOptions, read_options: ReadOptions, html: bool,
                stamp: dict, content_hash: bool = False) -> dict:
    """Everything that decides a run's results: versions, model, lexicon hashes, options and the
    input files in order with size and mtime (or a content hash). Not jobs, engine or batch size."""
    from .lexicons import file_hash

    files = []
    for found in find_inputs(inputs):
        if isinstance(found, Skipped):
            files.append({"path": found.path, "missing": found.reason})
            continue
        stat = found.stat()
        entry = {"path": str(found), "size": stat.st_size}
        if content_hash:
            entry["sha256"] = file_hash(found)
        else:
            entry["mtime_ns"] = stat.st_mtime_ns
        files.append(entry)
    return {
        "mediaeval_version": stamp["mediaeval_version"],
        "spacy_model": stamp["spacy_model"],
        "lexicons": stamp["lexicons"],
        "options": {**_settings(options, skip=("jobs", "batch_size")), "html": html},
        "read_options": _settings(read_options, skip=("notes",)),
        "inputs": files,
    }


def _settings(options, skip: tuple) -> dict:
    """A dataclass of options as JSON-ready values, leaving out those that cannot change results."""
    from dataclasses import fields

    values = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in skip}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


# --- one batch -> tables and pages ------------------------------------------------------------------------

def batch_tables(results: list, stamp: dict, html: bool) -> dict:
    """Analysis records of one batch -> ``{"frames": table -> frame, "pages": article_id -> HTML}``.

    Runs where the analysis ran (a Dask worker, or the parent on the local
    engine): only tables and HTML text leave it, never spaCy Docs.
    """
    from .report import html as html_report

    frames = parts.frames_of(results)
    analysed = [r for r in results if not isinstance(r, Skipped)]
    frames["_texts"] = parts.frame("_texts", [{"article_id": a.article.article_id, "text": a.article.text}
                                              for a in analysed])
    pages, index = {}, []
    if html:
        for a in analysed:
            pages[a.article.article_id] = html_report.render_article(a, stamp)
            row = html_report.index_row(a, "")
            index.append({k: (v if k == "loaded" else str(v)) for k, v in row.items()})
    frames["_index"] = parts.frame("_index", index)
    return {"frames": frames, "pages": pages}


def analyze_items(items: list, options: AnalysisOptions) -> list:
    """Analyse one batch of ``Article``/``Skipped`` items in this process, in input order."""
    from . import analyze

    batch = analyze.analyze_batch
    articles = [a for a in items if not isinstance(a, Skipped)]
    found = iter(batch(articles, options) if articles else [])
    return [item if isinstance(item, Skipped) else next(found) for item in items]


# --- engines: (records, tables) per batch, in input order -------------------------------------------------

def _local(batches: Iterable[list], options: AnalysisOptions, stamp: dict, html: bool) -> Iterator[tuple]:
    from .analyze import analyze_stream

    keys: deque = deque()
    sizes: deque = deque()

    def feed():
        for batch in batches:
            sizes.append(len(batch))
            for key, item in batch:
                keys.append(key)
                yield item

    results: list = []
    for result in analyze_stream(feed(), options):
        results.append((keys.popleft(), result))
        if len(results) == sizes[0]:
            sizes.popleft()
            yield [k for k, _ in results], batch_tables([r for _, r in results], stamp, html)
            results = []


def _dask(batches: Iterable[list], options: AnalysisOptions, stamp: dict, html: bool, scheduler: Optional[str],
          jobs: int) -> Iterator[tuple]:
    from .distributed import connect, expected_versions, remote_batch

    with connect(scheduler, jobs) as client:
        expected = expected_versions(client, options)
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        in_flight: deque = deque()
        for batch in batches:
            in_flight.append(([k for k, _ in batch], client.submit(
                remote_batch, [item for _, item in batch], options, stamp, html, expected, pure=False)))
            while len(in_flight) >= window:
                keys, future = in_flight.popleft()
                yield keys, future.result()
        while in_flight:
            keys, future = in_flight.popleft()
            yield keys, future.result()


# --- the run ----------------------------------------------------------------------------------------------

@dataclass
class PartsSummary(RunSummary):
    """What a durable run did: ``runner.RunSummary`` and how much was resumed."""

    resumed_records: int = 0  # input records found already committed (resume/append)
    new_records: int = 0


def staging_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + ".partial")


def run_parts(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
              read_options: Optional[ReadOptions] = None, *, html: bool = True, resume: bool = False,
              append: bool = False, engine: str = "local", scheduler: Optional[str] = None, jobs: int = 1,
              batch_size: int = BATCH_SIZE, progress: Optional[Callable[[int], None]] = None,
              comparison: Optional[dict] = None, content_hash: bool = False) -> PartsSummary:
    """Analyse ``inputs`` into ``out_dir`` through committed parts (see the module docstring).

    ``resume`` continues a killed run from ``OUT.partial``; ``append`` adds the
    inputs after the finished run's own (its inputs must come first, unchanged)
    without redoing them. ``engine`` is ``"local"`` (``jobs`` worker processes) or
    ``"dask"`` (``scheduler`` address, else a local cluster of ``jobs`` workers).
    ``comparison`` (``{"by": ..., "event": ..., "worksheet": ...}``) also writes the
    comparison, as ``compare`` does. Refuses, with the reason, to continue a run
    made with other versions, options or inputs.
    """
    from .report.stamp import make_stamp

    if engine not in ("local", "dask"):
        raise MediaevalError(f"--engine {engine!r}: use local or dask")
    read_options = read_options or ReadOptions()
    options = replace(options, jobs=jobs if engine == "local" else 1)
    out_dir, staging = Path(out_dir), staging_dir(out_dir)
    stamp = make_stamp(inputs, options)
    wanted = fingerprint(inputs, options, read_options, html, stamp, content_hash)
    store = _open_store(out_dir, staging, wanted, stamp, resume, append)
    summary = PartsSummary(out_dir=out_dir, stamp=store.stamp)

    done = store.done()
    summary.resumed_records = len(done)
    used_names = {Path(h).stem for h in _hrefs(store)}
    pending = _pending(read_articles(inputs, read_options), done)
    batches = _batches(pending, batch_size)
    if engine == "local":
        stream = _local(batches, options, store.stamp, html)
    else:
        stream = _dask(batches, options, store.stamp, html, scheduler, jobs)
    count = len(done)
    for keys, tables in stream:
        pages = _name_pages(tables["frames"], tables["pages"], used_names) if html else {}
        store.commit(store.next_batch(), tables["frames"], keys, pages)
        count += len(keys)
        summary.new_records += len(keys)
        if progress:
            progress(count)
    summary.notes = list(read_options.notes)
    _finish(store, staging, summary, html, comparison)
    _publish(staging, out_dir, replace=_extends(store, out_dir))
    summary.written = [out_dir / p.relative_to(staging) for p in summary.written]
    return summary


def count_inputs(inputs: Sequence[str], read_options: Optional[ReadOptions] = None) -> int:
    """How many input records there are (one cheap reading pass, for the progress total)."""
    return sum(1 for _ in read_articles(inputs, replace(read_options or ReadOptions(), notes=[])))


def _open_store(out_dir: Path, staging: Path, wanted: dict, stamp: dict, resume: bool, append: bool):
    parts_dir = staging / "parts"
    if staging.exists() and (parts_dir / parts.FINGERPRINT).exists():
        if not resume:
            raise MediaevalError(f"{staging} holds an unfinished run; continue it with --resume"
                                 f"{' --append' if append else ''}, or delete that folder to start again")
        return parts.PartStore.open(parts_dir, wanted, append=append)
    if resume and not append:
        if (out_dir / "parts" / parts.FINGERPRINT).exists():
            raise MediaevalError(f"the run in {out_dir} is finished; nothing to resume (use --append to add inputs)")
        raise MediaevalError(f"no unfinished run to resume ({staging} does not exist); run without --resume")
    if append:
        if not (out_dir / "parts" / parts.FINGERPRINT).exists():
            raise MediaevalError(f"--append needs a finished run in {out_dir} (with {out_dir}/parts/); "
                                 "run without --append first")
        _clear(staging)
        _copy_run(out_dir, staging)
        return parts.PartStore.open(parts_dir, wanted, append=True)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise MediaevalError(f"{out_dir} is not empty; choose a new output folder, use --append to add inputs "
                             "to the run in it, or --overwrite to replace it")
    _clear(staging)
    return parts.PartStore.create(parts_dir, wanted, stamp)


def _clear(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def _copy_run(out_dir: Path, staging: Path) -> None:
    """Parts and pages of a finished run into a new staging folder (hard links: parts never change)."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    staging.mkdir(parents=True)
    shutil.copytree(out_dir / "parts", staging / "parts", copy_function=link)
    os.unlink(staging / "parts" / parts.MANIFEST)  # appended to, so a copy, not a link
    shutil.copy2(out_dir / "parts" / parts.MANIFEST, staging / "parts" / parts.MANIFEST)
    os.unlink(staging / "parts" / parts.FINGERPRINT)
    shutil.copy2(out_dir / "parts" / parts.FINGERPRINT, staging / "parts" / parts.FINGERPRINT)
    if (out_dir / "articles").is_dir():
        shutil.copytree(out_dir / "articles", staging / "articles", copy_function=link)


def _pending(items: Iterable, done: dict) -> Iterator[tuple]:
    """``((ordinal, source_path, record), item)`` for every input record not yet committed."""
    for ordinal, item in enumerate(items):
        path, record = (item.path, item.record) if isinstance(item, Skipped) else (item.source_path, item.record)
        if ordinal in done:
            if done[ordinal] != (path, record):
                raise parts.ResumeRefused(f"input record {ordinal + 1} is {path} {record} now but was "
                                          f"{done[ordinal][0]} {done[ordinal][1]}; the inputs changed")
            continue
        yield (ordinal, path, record), item


def _batches(pending: Iterable, size: int) -> Iterator[list]:
    iterator = iter(pending)
    while batch := list(islice(iterator, size)):
        yield batch


def _hrefs(store) -> list[str]:
    if not store.entries:
        return []
    index = store.read_table("_index")
    return [h for h in index["href"].dropna()] if len(index) else []


def _name_pages(frames: dict, pages: dict, used: set) -> dict:
    """Page file names, unique across the run and given in input order; fills ``_index.href``."""
    import pandas as pd

    from .report.html import page_name

    named, hrefs = {}, []
    for article_id in frames["_index"]["article_id"]:
        name = page_name(article_id)
        unique, n = name, 1
        while unique in used:
            n += 1
            unique = f"{name}-{n}"
        used.add(unique)
        href = f"articles/{unique}.html"
        named[href] = pages[article_id]
        hrefs.append(href)
    frames["_index"]["href"] = pd.array(hrefs, dtype="string")
    return named


def write_csv_table(store, table: str, path: Path) -> Path:
    """One table's CSV from its parts, streamed, formatted exactly as ``report.tables.TableWriter``."""
    import csv

    from .report.tables import _cell, atomic_open

    target = store.table_schema(table)
    with atomic_open(path) as out:
        writer = csv.writer(out)
        writer.writerow(target.names)
        for arrow_table in store.arrow_parts(table):
            for batch in arrow_table.to_batches():
                for row in zip(*(column.to_pylist() for column in batch.columns)):
                    writer.writerow([_cell(v) for v in row])
    return Path(path)


def _finish(store, staging: Path, summary: PartsSummary, html: bool, comparison: Optional[dict]) -> None:
    from .report import html as html_report
    from .report.stamp import write_stamp
    from .report.tables import write_text

    from .report.tables import write_csv
    from .schema import codebook

    for table in parts.TABLES:
        summary.written.append(write_csv_table(store, table, staging / f"{table}.csv"))
    summary.written.append(write_csv(codebook(), staging / "codebook.csv"))
    summary.skipped = [Skipped(r["path"], r["record"], r["reason"]) for r in _rows(store.read_table("skipped"))]
    summary.analysed = sum(e["rows"].get("articles", 0) for e in store.entries)
    summary.written.append(write_stamp(store.stamp, staging))
    if html:
        rows = _rows(store.read_table("_index"))
        summary.page_links = {r["article_id"]: r["href"] for r in rows}
        summary.written.append(write_text(html_report.render_index(rows, store.stamp, summary.skipped,
                                                                    comparison=comparison is not None),
                                          staging / "index.html"))
    if comparison is not None:
        summary.written.extend(_compare(store, staging, summary, comparison))


def _rows(frame) -> list[dict]:
    """A frame's rows as dicts, missing values as ``""`` (as the templates expect)."""
    return frame.astype(object).where(frame.notna(), "").to_dict("records")


def _compare(store, staging: Path, summary: PartsSummary, settings: dict) -> list:
    """The comparison from the typed tables of the parts (nothing read back from CSV) and the stored texts."""
    from .compare import build_comparison
    from .report.comparison import write_comparison

    frames = {table: store.read_table(table) for table in parts.TABLES}
    frames["texts"] = store.read_table("_texts")
    by, event = settings.get("by", "outlet"), settings.get("event")
    articles = frames["articles"]
    if by not in articles.columns and summary.analysed:
        raise MediaevalError(f"--by {by!r}: no such column in the articles (the analysis is kept in {staging})")
    if event and event not in articles.columns:
        summary.notes.append(f"no {event!r} column in the inputs; same-event groups found by text similarity")
        event = None
    result = build_comparison(frames, by=by, event=event)
    return write_comparison(result, staging, store.stamp, worksheet=settings.get("worksheet", False),
                            article_links=summary.page_links)


def _extends(store, out_dir: Path) -> bool:
    """True when ``out_dir`` holds the finished run this store was appended to (same stamp)."""
    try:
        return parts.PartStore.read(out_dir / "parts").stamp == store.stamp
    except MediaevalError:
        return False


def _publish(staging: Path, out_dir: Path, replace: bool) -> None:
    """Staging -> output by renames (an old output is moved aside first and removed after).

    The hardening work owns publishing (with recovery at start-up); this is its minimal form."""
    old = out_dir.with_name(out_dir.name + ".old")
    if out_dir.exists():
        if not replace and any(out_dir.iterdir()):
            raise MediaevalError(f"{out_dir} appeared during the run; the results are in {staging}")
        _clear(old)
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    _clear(old)


def add_scale_options(p) -> None:
    """The flags of durable runs, for the CLI's analyze and compare parsers."""
    p.add_argument("--resume", action="store_true", help="continue a killed run from OUT.partial")
    p.add_argument("--append", action="store_true", help="add these inputs to the finished run in OUT "
                   "(list the run's inputs first, then the new ones)")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="where to analyse (default local)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786); "
                   "default: a local cluster of --jobs workers")
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                   help=f"input records per committed batch (default {BATCH_SIZE})")


def run_from_args(args, read_options) -> PartsSummary:
    """``run_parts`` with the options of a parsed ``analyze``/``compare`` command line."""
    from .analyze import AnalysisOptions

    if args.jobs < 1 or args.batch_size < 1:
        raise MediaevalError("--jobs and --batch-size must be at least 1")
    options = AnalysisOptions(model=args.model, lexicon_paths=tuple(args.lexicon),
                              agency_lexicon_path=args.agency_lexicon, agencies_path=args.agencies, jobs=args.jobs)
    total = count_inputs(args.inputs, read_options) if not args.quiet and sys.stderr.isatty() else None
    progress = Progress(total, quiet=args.quiet)
    comparison = ({"by": args.by, "event": args.event, "worksheet": args.worksheet}
                  if args.command == "compare" else None)
    try:
        return run_parts(args.inputs, args.out, options, read_options, html=not getattr(args, "no_html", False),
                         resume=args.resume, append=args.append, engine=args.engine, scheduler=args.scheduler,
                         jobs=args.jobs, batch_size=args.batch_size, progress=progress, comparison=comparison)
    finally:
        progress.close()
