"""Input files -> ``Article`` records, or ``Skipped`` records that say why.

Formats (DESIGN.md, "Interfaces"): ``.txt`` (first line is the headline when a
blank line follows it; metadata in a sidecar ``NAME.meta.json``), ``.html``/``.htm``
(main text extracted with trafilatura; offsets then index the extracted text),
``.jsonl`` (one JSON object per line, split on ``\n`` only), ``.json`` (an array
of objects, or one object) and ``.csv`` (one article per record; the delimiter
is sniffed among ``, ; TAB |``; column names mapped by ``ReadOptions``). A
directory is searched recursively, following symbolic links; loops and dangling
links are reported. Output and staging folders of mediaeval runs are never read.

Readers never guess silently: a bad file or record is yielded as ``Skipped``
with what to do, and reading goes on. What was assumed (a cp1252 fallback, a
sniffed delimiter, a JSON array in a .jsonl file, replaced lone surrogates,
input fields renamed because they clash with output columns) goes to
``ReadOptions.notes``, which the run reports and stores in run.json.

Ids are unique across the run: the first record with an id keeps it; a later
one becomes ``ID@FILE:LINE`` (``FILE`` relative to the input folder given), so
the new id depends only on where the record came from, never on what came before.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..model import Article
from .decode import MAX_FILE_BYTES, check_text, decode_bytes, safe_text

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json", ".csv")
META_SUFFIX = ".meta.json"
STAGING_MARKER = ".mediaeval-run"  # the file that marks a run's staging folder (see runner.py)
RESERVED_PREFIX = "input_"
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Skipped:
    """An input that was not analysed: a row of skipped.csv."""

    path: str
    record: str
    reason: str


@dataclass(frozen=True)
class ReadOptions:
    """Which record fields hold what (``--id-column``, ``--text-column`` ...)."""

    id_column: str = "id"
    text_column: str = "text"
    title_column: str = "title"
    outlet_column: str = "outlet"
    date_column: str = "date"
    url_column: str = "url"
    outlet: str = ""  # --outlet: used where a record has none
    notes: list = field(default_factory=list, compare=False)  # what was assumed; reported by the run


Item = Union[Article, Skipped]


@lru_cache(maxsize=1)
def reserved_columns() -> frozenset:
    """Column names an input field may not take: every column of every analysis table, from the one
    table declaration (``schema``), measures included. Such fields are kept as ``input_NAME``."""
    from ..schema import ANALYSIS_TABLES, analysis_columns

    names = {name for table in ANALYSIS_TABLES for name, _ in analysis_columns(table)}
    names.update(("encoding", "text"))
    return frozenset(names)


def is_output_folder(path: Path) -> bool:
    """A mediaeval output or staging folder (never read as input)."""
    return (path / STAGING_MARKER).exists() or ((path / "run.json").is_file() and (path / "articles.csv").is_file())


def find_inputs(paths: Iterable[Union[str, Path]], exclude: Iterable[Union[str, Path]] = ()
                ) -> Iterator[Union[Path, Skipped]]:
    """Files to read, in a stable order; missing paths, loops and dangling links come back as ``Skipped``."""
    for found in _find(paths, exclude):
        yield found if isinstance(found, Skipped) else found[0]


def _find(paths, exclude) -> Iterator[Union[tuple[Path, str], Skipped]]:
    excluded = {os.path.realpath(p) for p in exclude}
    for given in paths:
        path = Path(given)
        broken = _broken_link(path)
        if broken:
            yield Skipped(str(path), "", broken)
        elif path.is_dir():
            if os.path.realpath(path) in excluded or is_output_folder(path):
                yield Skipped(str(path), "", "a mediaeval output folder is never read as input "
                                             "(give the input files or folders instead)")
                continue
            found = list(_walk(path, Path(), excluded, (os.path.realpath(path),)))
            if not any(isinstance(f, tuple) for f in found):
                found.append(Skipped(str(path), "", f"no {', '.join(SUFFIXES)} files in this directory"))
            yield from found
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path, path.name
            else:
                yield Skipped(str(path), "", f"unsupported file type {path.suffix!r}; use one of {', '.join(SUFFIXES)}")
        else:
            yield Skipped(str(path), "", "no such file or directory (check the path)")


def _broken_link(path: Path) -> str:
    if not path.is_symlink():
        return ""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link points back to itself); fix or remove the link"
        return f"dangling symbolic link (its target {os.readlink(path)!r} does not exist); fix or remove the link"
    return ""


def _walk(folder: Path, rel: Path, excluded: set, ancestors: tuple) -> Iterator:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(str(folder), "", f"cannot list the folder ({exc.strerror}); check its permissions")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue  # hidden files and folders (also spools of runs)
        broken = _broken_link(path)
        if broken:
            yield Skipped(str(path), "", broken)
            continue
        if entry.is_dir():
            real = os.path.realpath(path)
            if real in excluded:
                continue  # this run's output or staging folder
            if real in ancestors:
                yield Skipped(str(path), "", f"symbolic link loop (points back to {real}); not followed")
                continue
            if is_output_folder(path):
                yield Skipped(str(path), "", "a mediaeval output folder is never read as input "
                                             "(give its files by name to read them)")
                continue
            yield from _walk(path, rel / entry.name, excluded, ancestors + (real,))
        elif entry.is_file() and _readable_name(path):
            yield path, str(rel / entry.name)


def _readable_name(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in SUFFIXES and not name.endswith(META_SUFFIX) and not name.startswith(".")


def read_articles(paths: Iterable[Union[str, Path]], options: ReadOptions = ReadOptions(),
                  exclude: Iterable[Union[str, Path]] = ()) -> Iterator[Item]:
    """Every article in ``paths`` (files or directories), with ids unique across the run.

    ``exclude``: folders never read (the run's output and staging folders)."""
    seen: set = set()
    for found in _find(paths, exclude):
        if isinstance(found, Skipped):
            yield found
            continue
        path, rel = found
        for item in read_file(path, options):
            if isinstance(item, Article):
                item = _unique(item, rel, seen)
            yield item


def _unique(article: Article, rel: str, seen: set) -> Article:
    """The first article with an id keeps it; a later one is named after its place: ``ID@FILE:LINE``."""
    article_id = article.article_id
    if article_id in seen:
        place = rel + (":" + article.record.replace("line ", "").replace(" ", "") if article.record else "")
        while article_id in seen:
            article_id = f"{article_id}@{place}"
    seen.add(article_id)
    return article if article_id == article.article_id else replace(article, article_id=article_id)


def read_file(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Item]:
    """Articles of one file; a file that cannot be read at all gives one ``Skipped``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(str(path), f"{size:,} bytes is more than the {MAX_FILE_BYTES:,} a file may have",
                             hint="split it into smaller files")
        decoded = decode_bytes(path.read_bytes(), str(path))
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    except OSError as exc:
        yield Skipped(str(path), "", f"cannot read the file ({exc.strerror}); check that it exists and is readable")
        return
    if decoded.note:
        options.notes.append(f"{path}: {decoded.note}")
    suffix = path.suffix.lower()
    reader = {".txt": _read_txt, ".html": _read_html, ".htm": _read_html,
              ".jsonl": _read_jsonl, ".json": _read_json, ".csv": _read_csv}[suffix]
    notes = _FileNotes(path)
    yield from reader(path, decoded.text, decoded.encoding, options, notes)
    options.notes.extend(notes.summary())


class _FileNotes:
    """What was assumed while reading one file, summarised in one note per kind."""

    def __init__(self, path: Path):
        self.path = path
        self.renamed: dict[str, str] = {}
        self.surrogates: list[str] = []
        self.other: list[str] = []

    def summary(self) -> list[str]:
        out = list(self.other)
        if self.renamed:
            pairs = ", ".join(f"{k} -> {v}" for k, v in sorted(self.renamed.items()))
            out.append(f"{self.path}: input field(s) named like output columns were kept under another name "
                       f"({pairs}); use those names with --by")
        if self.surrogates:
            where = ", ".join(self.surrogates[:10]) + (f" and {len(self.surrogates) - 10} more"
                                                       if len(self.surrogates) > 10 else "")
            out.append(f"{self.path}: lone UTF-16 surrogates (broken emoji escapes) replaced with U+FFFD in {where}; "
                       "offsets are unchanged; fix the JSON escapes at the source if the text matters")
        return out

def _sidecar(path: Path) -> dict:
    meta_path = path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(meta_path), f"the metadata sidecar is not valid UTF-8 JSON ({exc})",
                         hint="fix the JSON or delete the sidecar") from None
    if not isinstance(meta, dict):
        raise InputError(str(meta_path), "the metadata sidecar must hold a JSON object", hint='e.g. {"outlet": "Xinhua"}')
    return meta


def _txt_headline(text: str) -> str:
    first, sep, rest = text.lstrip("\ufeff").partition("\n")
    if sep and rest.lstrip(" \t\r").startswith("\n") and first.strip():
        return first.strip()
    return ""


def _read_txt(path: Path, text: str, encoding: str, options: ReadOptions, notes: _FileNotes) -> Iterator[Item]:
    try:
        meta = _sidecar(path)
        check_text(text, str(path))
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    fields = {k: "" if v is None else str(v) for k, v in meta.items()}
    fields.setdefault("title", _txt_headline(text))
    yield _article(fields, text, path, "", encoding, options, notes, default_id=path.name[: -len(path.suffix)],
                   id_key="id", title_key="title", outlet_key="outlet", date_key="date", url_key="url")


def _read_html(path: Path, html: str, encoding: str, options: ReadOptions, notes: _FileNotes) -> Iterator[Item]:
    import trafilatura  # heavy: imported only for HTML input

    try:
        meta = _sidecar(path)
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        yield Skipped(str(path), "", f"the HTML could not be parsed ({type(exc).__name__}: {exc}); "
                                     "save the article text as .txt instead")
        return
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = (data.get("text") or "").strip()
    if not text:
        yield Skipped(str(path), "", "no main text found in the HTML (is it a story page?); "
                                     "save the article text as .txt instead")
        return
    try:
        check_text(text, str(path))
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    title = meta.get("title") or data.get("title") or ""
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    fields = {"title": str(title), "outlet": str(meta.get("outlet") or data.get("sitename") or ""),
              "date": str(meta.get("date") or data.get("date") or ""), "url": str(meta.get("url") or data.get("url") or ""),
              "id": str(meta.get("id") or "")}
    yield _article(fields, body, path, "", encoding, options, notes, default_id=path.stem,
                   id_key="id", title_key="title", outlet_key="outlet", date_key="date", url_key="url")


def _read_jsonl(path: Path, text: str, encoding: str, options: ReadOptions, notes: _FileNotes) -> Iterator[Item]:
    """One JSON object per line. Lines end at ``\n`` only: U+2028, U+2029 and U+0085 may stand raw inside
    JSON strings (``json.dumps(..., ensure_ascii=False)`` writes them so)."""
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        notes.other.append(f"{path}: holds a JSON array, not JSON Lines; read as an array of records "
                           "(rename it to .json to silence this note)")
        yield from _read_json(path, text, encoding, options, notes)
        return
    any_record = False
    lines = text.split("\n")
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        any_record = True
        record = f"line {line_no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            if line_no == 1 and line.strip() == "{":
                yield from _pretty_printed(path, text, encoding, options, notes)
                return
            yield Skipped(str(path), record, f"not valid JSON ({exc.msg} at column {exc.colno}); each line must "
                                             "hold one complete JSON object (fix or remove the line)")
            continue
        if not isinstance(obj, dict):
            yield Skipped(str(path), record, f"a JSONL record must be a JSON object, not a {type(obj).__name__} "
                                             '(write {"id": ..., "text": ...} on each line)')
            continue
        yield _record(obj, path, record, encoding, options, notes, f"{path.stem}-{line_no}")
    if not any_record:
        yield Skipped(str(path), "", "the JSONL file has no records (one JSON object per line is expected)")


def _pretty_printed(path, text, encoding, options, notes) -> Iterator[Item]:
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        yield Skipped(str(path), f"line {exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                                         "JSON Lines needs one complete object per line")
        return
    notes.other.append(f"{path}: holds one pretty-printed JSON document, not JSON Lines; read it as such")
    yield from _json_records(obj, path, text, encoding, options, notes)


def _read_json(path: Path, text: str, encoding: str, options: ReadOptions, notes: _FileNotes) -> Iterator[Item]:
    """A JSON array of article objects (or one object). Records are named ``item N`` (from 1)."""
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        yield Skipped(str(path), f"line {exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                                         "a .json file must hold an array of objects (or use .jsonl)")
        return
    yield from _json_records(obj, path, text, encoding, options, notes)


def _json_records(obj, path, text, encoding, options, notes) -> Iterator[Item]:
    if isinstance(obj, dict):
        yield _record(obj, path, "", encoding, options, notes, path.stem)
        return
    if not isinstance(obj, list):
        yield Skipped(str(path), "", f"the JSON holds a {type(obj).__name__}; an array of article objects "
                                     '([{"id": ..., "text": ...}, ...]) is expected')
        return
    if not obj:
        yield Skipped(str(path), "", "the JSON array is empty; nothing to analyse")
    for n, item in enumerate(obj, start=1):
        record = f"item {n}"
        if not isinstance(item, dict):
            yield Skipped(str(path), record, f"an array item must be a JSON object, not a {type(item).__name__}")
            continue
        yield _record(item, path, record, encoding, options, notes, f"{path.stem}-{n}")


def _sniff_delimiter(text: str, wanted: str) -> tuple[str, list[str]]:
    """The delimiter whose header holds the text column (else the most frequent one), and that header."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    best, best_header = ",", []
    for delimiter in DELIMITERS:
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(csv.reader([first], delimiter=delimiter))]
        except (csv.Error, StopIteration):
            continue
        if wanted in header:
            return delimiter, header
        if len(header) > len(best_header):
            best, best_header = delimiter, header
    return best, best_header


def _read_csv(path: Path, text: str, encoding: str, options: ReadOptions, notes: _FileNotes) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    if not text.strip():
        yield Skipped(str(path), "", "the CSV file has no header row (the first row must name the columns)")
        return
    delimiter, _ = _sniff_delimiter(text, options.text_column)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        yield Skipped(str(path), "line 1", f"malformed CSV header ({exc}); the first row must name the columns")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    named = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
    if options.text_column not in header:
        yield Skipped(str(path), "line 1", f"no {options.text_column!r} column (columns, split at each "
                                           f"{named[delimiter]}: {', '.join(header)}); name the text column with "
                                           "--text-column, or save the file with commas between columns")
        return
    if delimiter != ",":
        notes.other.append(f"{path}: columns are separated by a {named[delimiter]}, not a comma; read as such")
    rows = 0
    while True:
        line_no = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                yield Skipped(str(path), f"line {line_no}",
                              f"a quoted cell in the record that begins on line {line_no} is never closed, so "
                              f"lines {line_no}-{reader.line_num} were not read; close the quote (a quote inside a "
                              'quoted cell is written twice: "")')
                return
            yield Skipped(str(path), f"line {line_no}", f"malformed CSV ({exc}); quote the cell and write a quote "
                                                        'inside it twice ("")')
            continue
        if not any(c.strip() for c in cells):
            continue
        rows += 1
        record = f"line {line_no}"
        if len(cells) != len(header):
            yield Skipped(str(path), record, f"{len(cells)} cells but the header has {len(header)}; "
                                             "quote cells that contain the delimiter or line breaks")
            continue
        yield _record(dict(zip(header, cells)), path, record, encoding, options, notes, f"{path.stem}-{rows}")
    if not rows:
        yield Skipped(str(path), "", "the CSV file has a header but no records; nothing to analyse")


def _record(obj: dict, path: Path, record: str, encoding: str, options: ReadOptions, notes: _FileNotes,
            default_id: str) -> Item:
    text = obj.get(options.text_column)
    if not isinstance(text, str):
        what = "missing" if text is None else f"a {type(text).__name__}, not text"
        columns = ", ".join(str(k) for k in list(obj)[:12])
        return Skipped(str(path), record, f"the {options.text_column!r} field is {what} (fields: {columns}); "
                                          "name the text field with --text-column")
    try:
        check_text(text, str(path), record)
    except InputError as exc:
        return Skipped(exc.path, exc.record, exc.reason)
    fields = {k: "" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
              for k, v in obj.items() if k != options.text_column}
    return _article(fields, text, path, record, encoding, options, notes, default_id=default_id,
                    id_key=options.id_column, title_key=options.title_column, outlet_key=options.outlet_column,
                    date_key=options.date_column, url_key=options.url_column)


def _safe(value: str, counter: list) -> str:
    value, n = safe_text(value)
    counter[0] += n
    return value


def _article(fields: dict, text: str, path: Path, record: str, encoding: str, options: ReadOptions,
             notes: _FileNotes, *, default_id: str, id_key: str, title_key: str, outlet_key: str, date_key: str,
             url_key: str) -> Article:
    replaced = [0]
    text = _safe(text, replaced)
    fields = {_safe(str(k), replaced): _safe(str(v), replaced) for k, v in fields.items()}
    if replaced[0]:
        notes.surrogates.append(record or "the text")
    used = {id_key, title_key, outlet_key, date_key, url_key}
    reserved = reserved_columns()
    extra = []
    for key, value in fields.items():
        if key in used or not key:
            continue
        if key in reserved:
            new = RESERVED_PREFIX + key
            while new in fields or new in reserved:
                new = RESERVED_PREFIX + new
            notes.renamed[key] = new
            key = new
        extra.append((key, value))
    return Article(
        article_id=str(fields.get(id_key) or "").strip() or default_id,
        text=text,
        outlet=str(fields.get(outlet_key) or "").strip() or options.outlet,
        date=str(fields.get(date_key) or "").strip(),
        title=str(fields.get(title_key) or "").strip(),
        url=str(fields.get(url_key) or "").strip(),
        source_path=str(path),
        record=record,
        encoding=encoding,
        extra=tuple(sorted(extra)),
    )
