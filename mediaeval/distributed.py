"""The Dask engine (``dask.distributed``): analysis on many processes or machines.

Two entries:

* ``analyze_dask(articles, options=...)`` takes a ``dask.bag.Bag`` of records
  (dicts as in a JSONL file, or ``Article``) or a ``dask.dataframe.DataFrame`` of
  articles (one row per article, as in a CSV file) and returns one lazy dask
  DataFrame per table. Each partition is read, analysed and turned into tables
  on a worker, so a corpus never has to fit in one process; the ``meta`` schemas
  come from the table declaration (``parts``), so all-empty partitions concatenate.
* ``runner.run_analysis(..., engine="dask")`` (``mediaeval analyze --engine dask
  [--scheduler ADDRESS]``) sends batches to workers; each writes its batch's parts
  and pages into the staging folder when it can see it (a local cluster, a shared
  file system) and returns the small manifest entry, else returns the files.

Tasks return tables, files or manifest entries, never spaCy Docs (a pickled Doc
carries its whole vocabulary). Each worker process loads the model and lexicons
once: ``nlp.load`` and ``analyze._layers`` are per-process caches keyed by the
options. Before any work, and again in every task, a worker compares its
mediaeval, spaCy, model and lexicon versions with the client's and refuses to
run when they differ.

Limits: ``analyze_dask`` cannot make duplicate ids unique across partitions
(records should carry unique ids; default ids name the partition and row);
metadata columns not seen in the first record (bag) or the frame's columns are
dropped from ``articles``. Compute the tables together (``dask.compute(*tables.values())``)
or persist them, else each table re-runs the analysis.
"""

from __future__ import annotations

import operator
from contextlib import contextmanager
from functools import lru_cache
from typing import Optional

from . import parts
from .analyze import AnalysisOptions
from .errors import MediaevalError
from .ingest.readers import ReadOptions


class VersionMismatch(MediaevalError):
    """A worker runs other mediaeval, spaCy, model or lexicon versions than the client."""


PROBE_TEXT = ("Rebels entered the city on Monday, the army said. \"We will hold it,\" a commander told Reuters. "
              "Dozens of homes were destroyed.")


# --- versions ---------------------------------------------------------------------------------------------

def local_versions(options: AnalysisOptions) -> dict:
    """What this process would analyse with: versions of mediaeval, spaCy and the model, lexicon hashes."""
    import spacy

    from . import __version__, nlp
    from .report.stamp import lexicon_hashes

    extra = tuple(options.lexicon_paths) + (options.agency_lexicon_path or "", options.agencies_path or "")
    return {"mediaeval": __version__, "spacy": spacy.__version__, "model": nlp.model_info(options.model),
            "lexicons": lexicon_hashes(extra)}


@lru_cache(maxsize=8)
def _checked(options: AnalysisOptions, expected_json: str) -> bool:
    import json

    from . import analyze

    mine = local_versions(options)
    problems = parts.differences(json.loads(expected_json), mine, names=("on the client", "on this worker"))
    if problems:
        import socket

        raise VersionMismatch(f"worker {socket.gethostname()} (pid {__import__('os').getpid()}) differs from the "
                              f"client: {'; '.join(problems[:4])}. Install the same mediaeval, spaCy model and "
                              "lexicons on every worker.")
    analyze.prepare(options)  # model and lexicons loaded once per worker process
    return True


def check_here(options: AnalysisOptions, expected: dict) -> None:
    """Refuse (``VersionMismatch``) when this process differs from ``expected``; load the model once."""
    import json

    _checked(options, json.dumps(expected, sort_keys=True))


def expected_versions(client, options: AnalysisOptions) -> dict:
    """The client's versions, checked now on every worker of ``client`` (late joiners are checked per task)."""
    expected = local_versions(options)
    client.run(check_here, options, expected)  # raises the worker's VersionMismatch here
    return expected


@contextmanager
def connect(scheduler: Optional[str] = None, jobs: int = 1):
    """A ``Client`` of ``scheduler`` (``tcp://host:8786``), else of a loopback ``LocalCluster``
    with ``jobs`` single-threaded worker processes and no dashboard, closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


# --- tasks ------------------------------------------------------------------------------------------------

def remote_batch(context, items: list, options: AnalysisOptions, language_check: bool, writer, expected: dict):
    """A run's batch on a worker: analyse it (``engine.work``), then ``writer`` writes its parts
    and pages into the staging folder when this worker sees it, else the files go back to the
    client. Returns ``(manifest entry, files or None)``; never Docs."""
    from .engine import run_batch

    check_here(options, expected)
    if writer.can_write():
        return run_batch(context, items, options, language_check, writer), None
    return run_batch(context, items, options, language_check, writer.files)


def _as_items(records, partition: int, source: str, read_options: ReadOptions) -> list:
    from .ingest import readers
    from .model import Article

    from pathlib import Path

    items = []
    notes = readers._FileNotes(Path(source))  # renamed fields and replaced surrogates, as the file readers note them
    for row, record in enumerate(records):
        if isinstance(record, Article):
            items.append(record)
            continue
        where = f"partition {partition} row {row + 1}"
        if not isinstance(record, dict):
            items.append(readers.Skipped(source, where, "a record must be a mapping of fields"))
            continue
        clean = {k: v for k, v in record.items() if v is not None and not (isinstance(v, float) and v != v)}
        items.append(readers._record(clean, Path(source), where, "utf-8", read_options, notes,
                                     f"{source}-{partition}-{row + 1}"))
    return items


def _partition_tables(records, partition: int, source: str, options: AnalysisOptions, read_options: ReadOptions,
                      expected: dict, meta_columns: dict) -> dict:
    """One input partition -> its tables, conformed to the ``meta`` columns and dtypes."""
    from .durable_run import analyze_items

    if hasattr(records, "to_dict"):  # a pandas partition of a dask DataFrame
        records = records.to_dict("records")
    check_here(options, expected)
    frames = parts.frames_of(analyze_items(_as_items(list(records), partition, source, read_options), options))
    out = {}
    for table, frame in frames.items():
        names, dtypes = meta_columns[table]
        frame = frame.reindex(columns=names)
        out[table] = frame.astype(dict(zip(names, dtypes)))
    return out


# --- the Python entry -------------------------------------------------------------------------------------

def table_meta(options: AnalysisOptions = AnalysisOptions(), extra_columns=()) -> dict:
    """The ``meta`` of every table: declared columns and dtypes; for ``articles`` also the given
    metadata columns and the per-article measures (found by analysing a short probe text here)."""
    import pandas as pd

    from .analyze import analyze_article
    from .model import Article

    meta = {table: parts.empty_frame(table) for table in parts.TABLES}
    probe = parts.frames_of([analyze_article(Article(article_id="probe", text=PROBE_TEXT), options)])["articles"]
    articles = meta["articles"]
    for column in extra_columns:
        if column not in articles.columns:
            articles[column] = pd.Series([], dtype="string")
    for column in probe.columns:
        if column not in articles.columns:
            kind = probe[column].dtype
            articles[column] = pd.Series([], dtype="float64" if kind == object else kind)
    return meta


def analyze_dask(articles, *, options: AnalysisOptions = AnalysisOptions(),
                 read_options: ReadOptions = ReadOptions(), source: str = "dask", extra_columns=None,
                 client=None) -> dict:
    """Analyse a dask bag or dataframe of articles; returns ``{table: dask.dataframe.DataFrame}``.

    Records hold the fields of a JSONL record (``id``, ``text``, ``outlet``,
    ``date``, ``title``, ``url`` and any metadata; renamed by ``read_options``).
    ``extra_columns`` lists the metadata columns to keep in ``articles``
    (default: the frame's columns, or the fields of the bag's first record).
    With ``client`` (or a default client) the workers' versions are checked first.
    The client loads the model too: it names the versions and finds the measure
    columns by analysing a short probe text.
    """
    import dask
    import dask.dataframe as dd

    used = {read_options.id_column, read_options.text_column, read_options.title_column,
            read_options.outlet_column, read_options.date_column, read_options.url_column}
    if extra_columns is None:
        if isinstance(articles, dd.DataFrame):
            extra_columns = [c for c in articles.columns if c not in used]
        else:
            first = articles.take(1, npartitions=-1)
            extra_columns = sorted(k for k in (first[0] if first and isinstance(first[0], dict) else {})
                                   if k not in used)
    expected = local_versions(options)
    if client is None:
        try:
            from distributed import default_client
            client = default_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        expected = expected_versions(client, options)
    meta = table_meta(options, extra_columns)
    meta_columns = {t: (list(m.columns), [str(d) for d in m.dtypes]) for t, m in meta.items()}
    partitions = list(articles.to_delayed())
    task = dask.delayed(_partition_tables, pure=True)
    results = [task(part, i, source, options, read_options, expected, meta_columns)
               for i, part in enumerate(partitions)]
    pick = dask.delayed(operator.getitem, pure=True)
    return {table: dd.from_delayed([pick(r, table) for r in results], meta=meta[table], verify_meta=False)
            for table in parts.TABLES}
