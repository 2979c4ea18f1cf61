"""Tables -> CSV (UTF-8, header row, one file per kind of record), and back.

Which tables and columns exist, and their dtypes, is ``mediaeval.schema``'s;
this module only writes and reads files. ``TableWriter`` streams: each analysis
is appended to a JSON-lines spool as it arrives, and ``close()`` turns the
spools into CSV files (the declared columns first, then any others seen, such
as input metadata), written atomically, plus ``codebook.csv``. Memory does not
grow with the number of articles.

Spreadsheet safety (OWASP "CSV injection"): a text cell that starts with
``= + - @``, a tab or a carriage return, or a fullwidth or small look-alike
(＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫, and the minus sign −), gets a leading ``'``. So that
the project reads its own CSV back unchanged, a cell that already starts with
apostrophes before such a character gets one more; ``unneutralise`` removes
exactly the one added. Only the CSV is guarded: frames in memory and the HTML
keep the original text.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .. import frames, schema
from ..model import ArticleAnalysis

KINDS = schema.ANALYSIS_TABLES
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62",
                 "\ufe63", "\ufe6b", "\u2212")


def _guarded(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_START)


def neutralise(value):
    """Make a cell safe for spreadsheets: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def unneutralise(value):
    """Undo ``neutralise`` exactly (a cell read back from a mediaeval CSV)."""
    if isinstance(value, str) and value.startswith("'") and _guarded(value):
        return value[1:]
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def _declared(kind: str) -> list[str]:
    return [name for name, _ in schema.analysis_columns(kind)] if kind in KINDS else []


class TableWriter:
    """Streams rows to spools in ``out_dir`` and writes the CSV files on ``close``."""

    def __init__(self, out_dir: Path, kinds: Iterable[str] = KINDS):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._spool_dir = Path(tempfile.mkdtemp(prefix=".mediaeval-", dir=self.out_dir))
        self._spools = {k: open(self._spool_dir / f"{k}.jsonl", "w", encoding="utf-8") for k in kinds}
        self._columns = {k: _declared(k) for k in kinds}
        self.counts = {k: 0 for k in kinds}

    def add(self, kind: str, rows: Iterable[dict]) -> None:
        spool, columns = self._spools[kind], self._columns[kind]
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
            spool.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            self.counts[kind] += 1

    def add_analysis(self, analysis: ArticleAnalysis) -> None:
        for kind, rows in frames.rows_for(analysis).items():
            if kind in self._spools:
                self.add(kind, rows)

    def close(self) -> list[Path]:
        written = []
        for kind, spool in self._spools.items():
            spool.close()
            path = self.out_dir / f"{kind}.csv"
            with atomic_open(path) as out:
                writer = csv.writer(out)
                writer.writerow(self._columns[kind])
                for row in _read_spool(self._spool_dir / f"{kind}.jsonl"):
                    writer.writerow([_cell(row.get(c)) for c in self._columns[kind]])
            written.append(path)
        for spool_file in self._spool_dir.iterdir():
            spool_file.unlink()
        self._spool_dir.rmdir()
        written.append(write_csv(schema.codebook(), self.out_dir / "codebook.csv"))
        return written


def _read_spool(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as spool:
        for line in spool:
            yield json.loads(line)


class atomic_open:
    """Write a text file via a temporary file and ``os.replace``: readers never see half a file."""

    def __init__(self, path: Path, newline: str = ""):
        self.path = Path(path)
        self.newline = newline

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.chmod(self.tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the file gets the mode open() would give
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline=self.newline)
        return self.file

    def __exit__(self, exc_type, exc, tb):
        self.file.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
        return False


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def write_csv(frame, path: Path) -> Path:
    """Write a pandas DataFrame as UTF-8 CSV, formula-neutralised and atomic (booleans as true/false)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    safe = frame.copy()
    for column in safe.columns:
        if is_bool_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: "" if v is None or v != v or str(v) == "<NA>"
                                            else ("true" if v else "false"), na_action="ignore")
        elif not is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise, na_action="ignore")
    with atomic_open(path) as out:
        safe.to_csv(out, index=False)
    return Path(path)


def read_csv(path: Path, table: str):
    """A mediaeval CSV file back as the typed frame ``schema`` declares (guard apostrophes removed)."""
    import pandas as pd

    path = Path(path)
    if not path.exists():
        return frames.typed(table)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, low_memory=False)
    for column in raw.columns:
        raw[column] = raw[column].map(unneutralise, na_action="ignore")
    return frames.typed(table, raw)


def write_text(text: str, path: Path) -> Path:
    """Write a text file (HTML, JSON) atomically."""
    with atomic_open(path, newline="\n") as out:
        out.write(text)
    return Path(path)
