"""Tables -> CSV (UTF-8, header row, one file per kind of record), and back.

Which tables and columns exist, and their dtypes, is ``mediaeval.schema``'s;
this module only writes and reads files. ``write_rows`` streams rows (the run
feeds it from its Parquet parts, batch by batch) into one CSV file, written
atomically, so memory does not grow with the number of articles.

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
import os
import tempfile
from pathlib import Path
from typing import Iterable

from .. import frames, schema

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


def write_rows(path: Path, columns: list[str], rows: Iterable) -> Path:
    """Write rows (sequences of values, in ``columns`` order) as a CSV file, atomically: the one
    writer of the analysis tables (booleans as true/false, floats to 6 significant digits,
    formula-like text guarded)."""
    with atomic_open(path) as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    return Path(path)


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
