"""Lexicons are data: versioned CSV files with a data sheet (.md) beside each.

``read_table`` reads a bundled or user-supplied CSV lexicon, checks it and
raises ``LexiconError`` listing every problem with its line and column. Lines
starting with ``#`` are comments. ``bundled_files`` and ``file_hash`` give what
the output stamp records (``report/stamp.py``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional

from ..errors import LexiconError

Validator = Callable[[str], Optional[str]]  # returns an error message or None


def bundled_path(filename: str) -> Path:
    """Path of a lexicon shipped in this package (``mediaeval/lexicons/<filename>``)."""
    return Path(str(resources.files(__package__).joinpath(filename)))


def bundled_names() -> list[str]:
    """Names (file stems) of the bundled CSV lexicons."""
    return sorted(p.name[:-4] for p in resources.files(__package__).iterdir() if p.name.endswith(".csv"))


def bundled_files() -> list[str]:
    """File names of every bundled data file that shapes results: CSV lexicons and JSON models."""
    return sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith((".csv", ".json")))


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_table(
    path: Path | str,
    required: Iterable[str],
    validators: Mapping[str, Validator] | None = None,
    optional: Iterable[str] = (),
) -> list[dict[str, str]]:
    """Read and check a CSV lexicon; returns rows as dicts (values stripped).

    Every problem is collected before raising, so a user fixes a file in one go.
    Each row dict also carries ``_line`` (its line number in the file).
    """
    path = Path(path)
    required = list(required)
    validators = dict(validators or {})
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(str(path), [(0, "", f"cannot read the file ({exc.strerror}); check the path")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError(str(path), [(line, "", "not UTF-8 text; save the file as UTF-8 CSV")]) from None
    if "\x00" in text:
        raise LexiconError(str(path), [(1, "", "binary data, not a CSV file")])
    lines = [(n, l) for n, l in enumerate(text.splitlines(), start=1) if l.strip() and not l.lstrip().startswith("#")]
    if not lines:
        raise LexiconError(str(path), [(1, "", f"no header row; the file needs the columns {', '.join(required)}")])
    reader = csv.reader(io.StringIO("\n".join(l for _, l in lines)))
    problems: list[tuple[int, str, str]] = []
    rows: list[dict[str, str]] = []
    header: list[str] = []
    for (line_no, _), cells in zip(lines, reader):
        if not header:
            header = [c.strip() for c in cells]
            missing = [c for c in required if c not in header]
            if missing:
                problems.append((line_no, ", ".join(missing), f"missing column(s); the header has {', '.join(header)}"))
                raise LexiconError(str(path), problems)
            continue
        if len(cells) != len(header):
            problems.append((line_no, "", f"{len(cells)} cells but the header has {len(header)}; quote cells that contain commas"))
            continue
        row = {h: c.strip() for h, c in zip(header, cells)}
        for col in required:
            if not row.get(col) and col not in validators:
                problems.append((line_no, col, "empty; every row needs a value here"))
        for col, check in validators.items():
            message = check(row.get(col, ""))
            if message:
                problems.append((line_no, col, message))
        row["_line"] = str(line_no)
        rows.append(row)
    if problems:
        raise LexiconError(str(path), problems)
    return rows


def one_of(*allowed: str) -> Validator:
    """Validator: the value must be one of ``allowed``."""
    def check(value: str) -> Optional[str]:
        return None if value in allowed else f"{value!r} is not one of: {', '.join(allowed)}"
    return check
