"""A run's batches: what a run is (its fingerprint), how one batch becomes committed files, the
engines that analyse batches, and the progress line. ``runner.run_analysis`` drives them.

A batch is up to ``BATCH_SIZE`` input records. It is analysed and written where
it runs: ``BatchWriter`` turns its results into Parquet part files and article
pages inside the staging folder (``parts.batch_files``, ``parts.write_files``)
and returns only the small manifest entry, which the parent then commits in
input order (``parts.PartStore.append``). So the parent never handles tables or
HTML while the run goes on. Page names come from the article id alone
(``page_href``), so names, rows and bytes never depend on ``jobs``, the engine,
the batch size or a resume.

Engines: ``local`` (``engine.map_batches``: this process, or ``jobs`` worker
processes) and ``dask`` (``distributed``: a local cluster or a scheduler). Dask
workers that cannot see the staging folder (another machine without a shared
file system) send the files back and the client writes them.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from . import parts
from .analyze import AnalysisOptions
from .errors import MediaevalError
from .ingest.readers import ReadOptions, Skipped, find_inputs, read_articles

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

def fingerprint(inputs: Sequence[str], options: AnalysisOptions, read_options: ReadOptions, settings: dict,
                stamp: dict, content_hash: bool = False, exclude: Sequence = ()) -> dict:
    """Everything that decides a run's results: versions, model, lexicon hashes, options (and the
    run's ``settings``: html, language check, pages) and the input files in order with size and
    mtime (or a content hash). Not jobs, engine, batch size or how the index is paged."""
    from .lexicons import file_hash

    files = []
    for found in find_inputs(inputs, exclude):
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
        "options": {**_settings(options, skip=("jobs", "batch_size")), **settings},
        "read_options": _settings(read_options, skip=("notes",)),
        "inputs": files,
    }


def _settings(options, skip: tuple) -> dict:
    """A dataclass of options as JSON-ready values, leaving out those that cannot change results."""
    from dataclasses import fields

    values = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in skip}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


# --- one batch -> files in the staging folder ---------------------------------------------------------

def page_href(article_id: str) -> str:
    """The page of an article, from its id alone: ``articles/<id>.html`` when the id is a safe
    file name, else the safe name plus 8 hex digits of the id's SHA-1 (ids are unique in a run,
    so names are too, whatever the batches)."""
    import hashlib

    from .report.html import page_name

    name = page_name(article_id)
    if name != article_id:
        name = f"{name[:140]}-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:8]}"
    return f"articles/{name}.html"


def protect_measures(item, renamed: set):
    """An input field named like one of the article's measures is kept as ``input_NAME``;
    the names are added to ``renamed`` (the run notes them once)."""
    from .ingest.readers import RESERVED_PREFIX

    clash = [k for k, _ in item.article.extra if k in item.measures]
    if not clash:
        return item
    renamed.update(clash)
    extra = tuple(sorted((RESERVED_PREFIX + k if k in item.measures else k, v) for k, v in item.article.extra))
    return replace(item, article=replace(item.article, extra=extra))


@dataclass(frozen=True)
class BatchWriter:
    """Finishes a batch where it was analysed: tables, texts, index rows and pages -> files in
    ``root`` (the staging folder); returns the manifest entry. ``max_pages``: only input records
    with an ordinal below it get a page."""

    root: str
    stamp: dict = field(hash=False, compare=False)
    html: bool = True
    max_pages: Optional[int] = None

    def files(self, context: tuple, results: list) -> tuple[dict, dict]:
        """(entry, files) of a batch: ``context`` is ``(batch_no, records)``."""
        from .report import html as html_report

        batch_no, records = context
        renamed: set = set()
        results = [r if isinstance(r, Skipped) else protect_measures(r, renamed) for r in results]
        frames = parts.frames_of(results)
        analysed = [(o, r) for (o, _, _), r in zip(records, results) if not isinstance(r, Skipped)]
        frames["_texts"] = parts.frame("_texts", [{"article_id": a.article.article_id, "text": a.article.text}
                                                  for _, a in analysed])
        pages, index = {}, []
        if self.html:
            for ordinal, a in analysed:
                href = ""
                if self.max_pages is None or ordinal < self.max_pages:
                    href = page_href(a.article.article_id)
                    pages[href] = html_report.render_article(a, self.stamp)
                row = html_report.index_row(a, href)
                index.append({k: (v if k == "loaded" else str(v)) for k, v in row.items()})
        frames["_index"] = parts.frame("_index", index)
        return parts.batch_files(batch_no, frames, records, pages, renamed=sorted(renamed))

    def can_write(self) -> bool:
        """True when this process sees the run's staging folder (same machine or a shared file system)."""
        try:
            return parts.PartStore.read(Path(self.root) / "parts").stamp == self.stamp
        except (MediaevalError, OSError):
            return False

    def __call__(self, context: tuple, results: list) -> dict:
        entry, files = self.files(context, results)
        parts.write_files(Path(self.root), files)
        return entry


def analyze_items(items: list, options: AnalysisOptions) -> list:
    """Analyse one batch of ``Article``/``Skipped`` items in this process, in input order."""
    from . import analyze

    batch = analyze.analyze_batch
    articles = [a for a in items if not isinstance(a, Skipped)]
    found = iter(batch(articles, options) if articles else [])
    return [item if isinstance(item, Skipped) else next(found) for item in items]


# --- engines: manifest entries per batch, in input order --------------------------------------------------

def entries(batches: Iterable[tuple], options: AnalysisOptions, writer: BatchWriter, *, language_check: bool = True,
            engine: str = "local", scheduler: Optional[str] = None, jobs: int = 1) -> Iterator[dict]:
    """The manifest entry of each ``((batch_no, records), items)`` batch, in input order, its files
    written into the staging folder by whoever analysed it."""
    if engine == "local":
        from .engine import map_batches

        yield from map_batches(batches, replace(options, jobs=jobs), language_check, finish=writer)
    elif engine == "dask":
        yield from _dask(batches, options, writer, language_check, scheduler, jobs)
    else:
        raise MediaevalError(f"--engine {engine!r}: use local or dask")


def _dask(batches: Iterable[tuple], options: AnalysisOptions, writer: BatchWriter, language_check: bool,
          scheduler: Optional[str], jobs: int) -> Iterator[dict]:
    from .distributed import connect, expected_versions, remote_batch

    options = replace(options, jobs=1)
    with connect(scheduler, jobs) as client:
        expected = expected_versions(client, options)
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        in_flight: deque = deque()

        def result(future):
            entry, files = future.result()
            if files:  # a worker that could not see the staging folder sent its files back
                parts.write_files(Path(writer.root), files)
            return entry

        for context, batch in batches:
            in_flight.append(client.submit(remote_batch, context, batch, options, language_check, writer, expected,
                                           pure=False))
            while len(in_flight) >= window:
                yield result(in_flight.popleft())
        while in_flight:
            yield result(in_flight.popleft())


def batches_of(pending: Iterable, size: int, first_batch: int, workers: int = 1) -> Iterator[tuple]:
    """``((batch_no, records), items)`` from ``(record_key, item)`` pairs, ``size`` at a time.

    With several ``workers`` the short last batch is shared among them, so the run does not end
    with one worker analysing it while the others wait (the outputs do not depend on batching)."""
    iterator = iter(pending)
    number = first_batch
    while batch := list(islice(iterator, size)):
        share = -(-len(batch) // workers) if len(batch) < size else size
        for start in range(0, len(batch), share):
            piece = batch[start:start + share]
            yield (number, [k for k, _ in piece]), [item for _, item in piece]
            number += 1


def pending(items: Iterable, done: dict) -> Iterator[tuple]:
    """``((ordinal, source_path, record), item)`` for every input record not yet committed."""
    for ordinal, item in enumerate(items):
        path, record = (item.path, item.record) if isinstance(item, Skipped) else (item.source_path, item.record)
        if ordinal in done:
            if done[ordinal] != (path, record):
                raise parts.ResumeRefused(f"input record {ordinal + 1} is {path} {record} now but was "
                                          f"{done[ordinal][0]} {done[ordinal][1]}; the inputs changed")
            continue
        yield (ordinal, path, record), item


def count_inputs(inputs: Sequence[str], read_options: Optional[ReadOptions] = None) -> int:
    """How many input records there are (one cheap reading pass, for the progress total)."""
    return sum(1 for _ in read_articles(inputs, replace(read_options or ReadOptions(), notes=[])))
