"""Durable runs: results committed batch by batch as Parquet part files plus a manifest.

Layout, inside the staging folder ``OUT.partial/`` while a run is going and
inside ``OUT/`` once it is published::

    parts/fingerprint.json              what the run is (versions, model, lexicon hashes,
                                        options, inputs with size and mtime) and its stamp
    parts/manifest.jsonl                one JSON line per committed batch
    parts/<table>/part-<batch:06d>.parquet

A batch's files (``batch_files``) are written by whoever analysed it
(``write_files``: each to a temporary name, fsynced, renamed); then the one
committing process appends one manifest line and fsyncs it (``PartStore.append``:
batch number, the input records it covers as ``[ordinal, source_path, record]``
in input order, its part files and pages). A part or page is valid only when a manifest line
names it: after ``kill -9`` or a power cut, a torn last line and unnamed files
are discarded when the store is opened again, so a batch is either wholly
committed or not at all.

Tables are declared in one place, ``schema.analysis_columns`` (record fields
and registry measures with their dtypes), and Arrow types follow those dtypes. Columns that
only some inputs carry (metadata ``extra`` fields, per-article measures) keep
the type pandas infers and are unified across parts when assembled, so empty
and all-null parts still concatenate. Limits: one process appends to the
manifest (workers only write files); parts are never rewritten, so a store only grows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from collections.abc import Mapping
from typing import Iterable, Iterator, Optional

from .errors import MediaevalError

TABLES = ("articles", "attributions", "terms", "agency", "actors", "labels", "sentences", "skipped")
INTERNAL = ("_index", "_texts")  # index.html rows and article texts (for compare and read_run)
FINGERPRINT = "fingerprint.json"
MANIFEST = "manifest.jsonl"


class ResumeRefused(MediaevalError):
    """The stored run and the requested one differ; the message says where."""


# --- the table declaration -------------------------------------------------------------------------------

_PYTHON = {"string": str, "Int64": int, "Float64": float, "float64": float, "boolean": bool}


def _declared() -> dict[str, list[tuple[str, type]]]:
    """``(column, python type)`` per table, from the one table declaration (``schema.analysis_columns``)."""
    from .schema import analysis_columns

    declared = {table: [(name, _PYTHON.get(dtype, str)) for name, dtype in analysis_columns(table)]
                for table in TABLES}
    declared["_index"] = [("article_id", str), ("href", str), ("title", str), ("outlet", str), ("date", str),
                          ("origin", str), ("n_words", str), ("attributions", str), ("loaded", int),
                          ("passive", str)]
    declared["_texts"] = [("article_id", str), ("text", str)]
    return declared


_DECLARED: Optional[dict] = None


def columns(table: str) -> list[tuple[str, type]]:
    """The declared ``(column, python type)`` pairs of a table, in column order."""
    global _DECLARED
    if _DECLARED is None:
        _DECLARED = _declared()
    return _DECLARED[table]


def schema(table: str):
    """The declared columns of ``table`` as a ``pyarrow.Schema`` (every field nullable)."""
    import pyarrow as pa

    arrow = {int: pa.int64(), float: pa.float64(), bool: pa.bool_(), str: pa.string()}
    return pa.schema([pa.field(name, arrow[kind]) for name, kind in columns(table)])


_PANDAS_DTYPES = {int: "Int64", float: "float64", bool: "boolean", str: "string"}


def empty_frame(table: str):
    """A zero-row pandas frame with the declared columns and dtypes (dask ``meta``)."""
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=_PANDAS_DTYPES[kind]) for name, kind in columns(table)})


def frame(table: str, rows: list[dict]):
    """Rows (dicts) -> a pandas frame: declared columns first, with declared dtypes, then the rest as seen."""
    import pandas as pd

    names = [name for name, _ in columns(table)]
    seen = set(names)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                names.append(key)
    out = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
    for name, kind in columns(table):
        out[name] = out[name].astype(_PANDAS_DTYPES[kind])
    return out


# --- the seam: analysis records -> frames ---------------------------------------------------------------

def frames_of(results: Iterable) -> dict:
    """``ArticleAnalysis`` / ``Skipped`` records -> one pandas frame per table, rows in input order.

    Rows come from the one row builder of the table schema (``frames.rows_for``).
    """
    from .frames import rows_for
    from .ingest.readers import Skipped

    rows: dict[str, list] = {t: [] for t in TABLES}
    for item in results:
        if isinstance(item, Skipped):
            rows["skipped"].append({"path": item.path, "record": item.record, "reason": item.reason})
            continue
        for table, table_rows in rows_for(item).items():
            rows[table].extend(table_rows)
    return {table: frame(table, rows[table]) for table in TABLES}


# --- Arrow helpers ----------------------------------------------------------------------------------------

def to_arrow(table: str, df):
    """A pandas frame -> an Arrow table whose declared columns have the declared types."""
    import pyarrow as pa

    declared = schema(table)
    arrays, fields_ = [], []
    for name in df.columns:
        column = df[name]
        index = declared.get_field_index(name)
        if index >= 0:
            kind = declared.field(index).type
            arrays.append(pa.array(column.astype(object).where(column.notna(), None).tolist(), type=kind))
        else:
            arrays.append(pa.array(column.astype(object).where(column.notna(), None).tolist(), from_pandas=True))
        fields_.append(pa.field(name, arrays[-1].type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields_))


def conform(arrow_table, target):
    """Reorder, cast and null-fill ``arrow_table`` to the schema ``target``."""
    import pyarrow as pa

    arrays = []
    for field in target:
        if field.name in arrow_table.column_names:
            arrays.append(arrow_table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(arrow_table.num_rows, type=field.type))
    return pa.Table.from_arrays(arrays, schema=target)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _durable_write(path: Path, write, sync_dir: bool = True) -> None:
    """Write through ``write(tmp_path)`` to a temporary name, fsync, rename; readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    if sync_dir:
        _fsync_dir(path.parent)


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def batch_files(batch_no: int, frames: dict, records: list, pages: Optional[dict] = None,
                **extra) -> tuple[dict, dict]:
    """One batch -> its manifest entry and its files (path relative to the run folder -> bytes).

    ``frames``: table -> pandas frame; ``records``: ``(ordinal, source_path, record)`` of the
    input records it covers, in input order; ``pages``: path relative to the run folder -> HTML.
    Runs where the batch was analysed, so only this small entry need travel back.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    files, part_names = {}, {}
    for table, df in frames.items():
        if df is None or not len(df):
            continue
        sink = pa.BufferOutputStream()
        pq.write_table(to_arrow(table, df), sink, compression="zstd")
        part_names[table] = f"{table}/part-{batch_no:06d}.parquet"
        files[f"parts/{part_names[table]}"] = sink.getvalue().to_pybytes()
    for relative, text in sorted((pages or {}).items()):
        files[relative] = text.encode("utf-8")
    entry = {"batch": batch_no, "records": [[int(o), str(p), str(r)] for o, p, r in records],
             "parts": part_names, "pages": sorted((pages or {})),
             "rows": {t: int(len(frames[t])) for t in frames if frames[t] is not None}, **extra}
    return entry, files


def write_files(run_root: Path, files: dict) -> None:
    """Write a batch's files durably into ``run_root`` (the staging folder), which must exist:
    a worker that outlives its run never recreates a published or removed staging folder."""
    run_root = Path(run_root)
    if not run_root.is_dir():
        raise FileNotFoundError(f"{run_root} is gone (the run was published or removed)")
    folders = set()
    for relative, data in files.items():
        _durable_write(run_root / relative, lambda tmp, d=data: _write_bytes(tmp, d), sync_dir=False)
        folders.add((run_root / relative).parent)
    for folder in sorted(folders):
        _fsync_dir(folder)


# --- the store --------------------------------------------------------------------------------------------

def differences(old, new, where: str = "", names: tuple = ("before", "now")) -> list[str]:
    """Human-readable differences between two fingerprints, e.g. ``inputs[2].size: 10 before, 12 now``."""
    a, b = names
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in list(old) + [k for k in new if k not in old]:
            label = f"{where}.{key}" if where else str(key)
            if key not in new:
                out.append(f"{label}: {old[key]!r} {a}, absent {b}")
            elif key not in old:
                out.append(f"{label}: absent {a}, {new[key]!r} {b}")
            else:
                out.extend(differences(old[key], new[key], label, names))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i, (x, y) in enumerate(zip(old, new)):
            out.extend(differences(x, y, f"{where}[{i}]", names))
        if len(old) != len(new):
            out.append(f"{where}: {len(old)} item(s) {a}, {len(new)} {b}")
        return out
    return [] if old == new else [f"{where}: {old!r} {a}, {new!r} {b}"]


class PartStore:
    """A run's committed batches (see the module docstring). Open with ``create``, ``open`` or ``read``."""

    def __init__(self, root: Path, fingerprint: dict, stamp: dict, entries: list[dict]):
        self.root = Path(root)
        self.fingerprint = fingerprint
        self.stamp = stamp
        self.entries = entries
        self._schemas: dict = {}

    # opening
    @classmethod
    def create(cls, root: Path, fingerprint: dict, stamp: dict) -> "PartStore":
        root = Path(root)
        if (root / FINGERPRINT).exists():
            raise ResumeRefused(f"{root} already holds a run; resume it or remove it")
        root.mkdir(parents=True, exist_ok=True)
        _write_json(root / FINGERPRINT, {"fingerprint": fingerprint, "stamp": stamp})
        (root / MANIFEST).touch()
        _fsync_dir(root)
        return cls(root, fingerprint, stamp, [])

    @classmethod
    def open(cls, root: Path, fingerprint: Optional[dict] = None, *, append: bool = False) -> "PartStore":
        """Open a store to continue it. ``fingerprint`` must equal the stored one; with ``append``
        the stored inputs need only be the first inputs of the new list (new inputs after them)."""
        root = Path(root)
        stored = _read_fingerprint(root)
        if fingerprint is not None:
            problems = _compare(stored["fingerprint"], fingerprint, append)
            if problems:
                raise ResumeRefused(f"the run in {root.parent} was made with different settings or inputs, so it "
                                    f"cannot be continued: {'; '.join(problems[:5])}"
                                    f"{f' (and {len(problems) - 5} more)' if len(problems) > 5 else ''}. "
                                    "Run again without --resume/--append into a new output folder.")
            if fingerprint != stored["fingerprint"]:
                _write_json(root / FINGERPRINT, {"fingerprint": fingerprint, "stamp": stored["stamp"]})
                stored["fingerprint"] = fingerprint
        store = cls(root, stored["fingerprint"], stored["stamp"], _read_manifest(root / MANIFEST, repair=True))
        store.discard_uncommitted()
        return store

    @classmethod
    def read(cls, root: Path) -> "PartStore":
        """Open read-only (no repair): for ``read_run``."""
        root = Path(root)
        stored = _read_fingerprint(root)
        return cls(root, stored["fingerprint"], stored["stamp"], _read_manifest(root / MANIFEST, repair=False))

    def discard_uncommitted(self) -> None:
        """Delete part files, pages and temporary files no manifest line names (left by a killed batch)."""
        named = {p for e in self.entries for p in e["parts"].values()}
        for table in TABLES + INTERNAL:
            folder = self.root / table
            if folder.is_dir():
                for path in folder.iterdir():
                    if f"{table}/{path.name}" not in named:
                        path.unlink()
        pages = self.root.parent / "articles"
        if pages.is_dir():
            named = {p for e in self.entries for p in e.get("pages", [])}
            for path in pages.iterdir():
                if f"articles/{path.name}" not in named:
                    path.unlink()

    # state
    def done(self) -> dict[int, tuple[str, str]]:
        """Input ordinal -> (source_path, record) of every committed input record."""
        return {ordinal: (path, record) for e in self.entries for ordinal, path, record in e["records"]}

    def next_batch(self) -> int:
        return max((e["batch"] for e in self.entries), default=-1) + 1

    # writing
    def commit(self, batch_no: int, frames: dict, records: list, pages: Optional[dict] = None) -> dict:
        """Write one batch here and commit it (``batch_files``, ``write_files``, ``append``)."""
        if any(e["batch"] == batch_no for e in self.entries):
            raise ValueError(f"batch {batch_no} is already committed")
        entry, files = batch_files(batch_no, frames, records, pages)
        write_files(self.root.parent, files)
        return self.append(entry)

    def append(self, entry: dict) -> dict:
        """Commit a batch whose files are written: one manifest line, fsynced. Returns the entry."""
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        with open(self.root / MANIFEST, "a", encoding="utf-8") as manifest:
            manifest.write(line)
            manifest.flush()
            os.fsync(manifest.fileno())
        self.entries.append(entry)
        self._schemas.clear()
        return entry

    # reading
    def _ordered(self) -> list[dict]:
        """Entries in input order (by their first ordinal), whatever order they were committed in."""
        return sorted((e for e in self.entries if e["records"]), key=lambda e: e["records"][0][0])

    def table_schema(self, table: str):
        """The declared schema widened by every committed part (extra columns unified)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if table not in self._schemas:
            found = [pq.read_schema(self.root / e["parts"][table]) for e in self._ordered() if table in e["parts"]]
            merged = pa.unify_schemas([schema(table)] + [s.remove_metadata() for s in found],
                                      promote_options="permissive")
            self._schemas[table] = merged
        return self._schemas[table]

    def _target(self, table: str, columns: Optional[list] = None):
        """The schema parts of ``table`` are read into (only ``columns``, those the table has, when given)."""
        import pyarrow as pa

        target = self.table_schema(table)
        return target if columns is None else pa.schema([target.field(c) for c in columns if c in target.names])

    def _read_part(self, entry: dict, table: str, target):
        import pyarrow.parquet as pq

        path = self.root / entry["parts"][table]
        have = set(pq.read_schema(path).names)
        return conform(pq.read_table(path, columns=[c for c in target.names if c in have]), target)

    def arrow_parts(self, table: str, columns: Optional[list] = None) -> Iterator:
        """Arrow tables of ``table``, one per committed batch, in input order, all in one schema
        (only ``columns``, those of them the table has, when given)."""
        target = self._target(table, columns)
        for entry in self._ordered():
            if table in entry["parts"]:
                yield self._read_part(entry, table, target)

    def arrow_part(self, table: str, k: int, columns: Optional[list] = None):
        """The ``k``-th committed part of ``table`` (in input order), as ``arrow_parts`` gives it."""
        entry = [e for e in self._ordered() if table in e["parts"]][k]
        return self._read_part(entry, table, self._target(table, columns))

    def assemble(self, table: str, columns: Optional[list] = None) -> Iterator:
        """pandas frames of ``table`` in input order (rows follow input order whatever the commit order)."""
        for arrow_table in self.arrow_parts(table, columns):
            yield arrow_table.to_pandas(types_mapper=_types_mapper)

    def read_table(self, table: str, columns: Optional[list] = None):
        """The whole of ``table`` (or only ``columns``) as one typed pandas frame."""
        import pyarrow as pa

        pieces = list(self.arrow_parts(table, columns))
        if pieces:
            whole = pa.concat_tables(pieces)
        else:
            target = self.table_schema(table)
            whole = (target if columns is None else pa.schema([target.field(c) for c in columns
                                                               if c in target.names])).empty_table()
        return whole.to_pandas(types_mapper=_types_mapper)

    def pages(self) -> list[str]:
        return [p for e in self._ordered() for p in e.get("pages", [])]


class Tables(Mapping):
    """A run's tables by name (and ``texts``), read from the parts each time they are asked for and
    never kept: code that takes each table once (``compare.build_comparison``) holds it only
    while it uses it. ``columns`` restricts what is read, per table."""

    def __init__(self, store: "PartStore", columns: Optional[dict] = None):
        self.store, self.columns = store, columns or {}

    def __getitem__(self, name: str):
        if self._stored(name) not in TABLES + ("_texts",):
            raise KeyError(name)
        return self.read(name, self.columns.get(name))

    @staticmethod
    def _stored(name: str) -> str:
        return "_texts" if name == "texts" else name  # the texts are an internal table of the parts

    def read(self, name: str, columns: Optional[list] = None):
        """``name`` whole, only ``columns`` (those it has) when given."""
        return self.store.read_table(self._stored(name), columns)

    def piece(self, name: str, k: int, columns: Optional[list] = None):
        """The ``k``-th committed part of ``name`` (in input order) as a typed pandas frame."""
        return self.store.arrow_part(self._stored(name), k, columns).to_pandas(types_mapper=_types_mapper)

    def batches(self, name: str, columns: Optional[list] = None) -> Iterator:
        """``name`` (only ``columns``, those it has) as typed pandas frames, one per committed batch:
        for code that aggregates a table piece by piece and never holds all of it."""
        return self.store.assemble(self._stored(name), columns)

    def __iter__(self):
        return iter(TABLES + ("texts",))

    def __len__(self) -> int:
        return len(TABLES) + 1


def _types_mapper(arrow_type):
    import pandas as pd
    import pyarrow as pa

    return {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.string(): pd.StringDtype()}.get(arrow_type)


def _compare(stored: dict, wanted: dict, append: bool) -> list[str]:
    if not append:
        return differences(stored, wanted)
    problems = differences({k: v for k, v in stored.items() if k != "inputs"},
                           {k: v for k, v in wanted.items() if k != "inputs"})
    old, new = stored.get("inputs", []), wanted.get("inputs", [])
    problems += differences(old, new[:len(old)], "inputs")
    if len(old) > len(new):
        problems.append(f"inputs: {len(old)} file(s) before, {len(new)} now (--append only adds inputs)")
    return problems


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
    os.chmod(path, _umask_mode())


def _write_json(path: Path, data: dict) -> None:
    _durable_write(path, lambda tmp: _write_text(tmp, json.dumps(data, indent=1, ensure_ascii=False) + "\n"))


def _read_fingerprint(root: Path) -> dict:
    path = root / FINGERPRINT
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MediaevalError(f"no run to continue in {root.parent} (no {path.name}); start it without --resume") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise MediaevalError(f"{path} cannot be read ({exc}); start the run again in a new output folder") from None


def _read_manifest(path: Path, repair: bool) -> list[dict]:
    """Committed entries; a torn last line (a kill during the append) is dropped, and cut off when ``repair``."""
    if not path.exists():
        return []
    data = path.read_bytes()
    entries, good_end, start = [], 0, 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            break
        try:
            entries.append(json.loads(data[start:end]))
        except json.JSONDecodeError:
            break
        good_end = start = end + 1
    if repair and good_end < len(data):
        with open(path, "rb+") as handle:
            handle.truncate(good_end)
            os.fsync(handle.fileno())
    return entries


# --- runs as data -----------------------------------------------------------------------------------------

def find_parts(out_dir) -> Path:
    """The parts folder of a run: ``OUT/parts`` (published), else ``OUT.partial/parts`` (unfinished)."""
    out_dir = Path(out_dir)
    for candidate in (out_dir / "parts", out_dir, out_dir.with_name(out_dir.name + ".partial") / "parts"):
        if (candidate / FINGERPRINT).exists():
            return candidate
    raise MediaevalError(f"{out_dir} holds no parts of a run (no parts/{FINGERPRINT}); "
                         "was it made by a version of mediaeval that writes parts?")


def read_run(out_dir, tables: Iterable[str] = TABLES, texts: bool = False) -> dict:
    """The typed tables of a run, read from its Parquet parts (no CSV formula apostrophes).

    ``read_run("out")["articles"]`` is a pandas frame with nullable integer,
    boolean and string columns. ``texts=True`` adds ``texts`` (article_id, text).
    An unfinished run (``OUT.partial``) gives what is committed so far.
    """
    store = PartStore.read(find_parts(out_dir))
    frames = {table: store.read_table(table) for table in tables}
    if texts:
        frames["texts"] = store.read_table("_texts")
    return frames
