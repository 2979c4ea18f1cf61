"""Input files -> ``Article`` records, or ``Skipped`` records that say why.

Formats (DESIGN.md, "Interfaces"): ``.txt`` (first line is the headline when a
blank line follows it; metadata in a sidecar ``NAME.meta.json``), ``.html``/``.htm``
(main text extracted with trafilatura; offsets then index the extracted text),
``.jsonl`` and ``.csv`` (one article per record; column names mapped by
``ReadOptions``). A directory is searched recursively. A bad file or record is
yielded as ``Skipped`` and reading goes on: nothing else is lost.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..errors import InputError
from ..model import Article
from .decode import MAX_FILE_BYTES, check_text, decode_bytes

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
META_SUFFIX = ".meta.json"


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
    notes: list = field(default_factory=list, compare=False)  # decoding notes, reported by the CLI


Item = Union[Article, Skipped]


def find_inputs(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, Skipped]]:
    """Files to read, in a stable order; missing paths come back as ``Skipped``."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _readable_name(p))
            if not found:
                yield Skipped(str(path), "", f"no {', '.join(SUFFIXES)} files in this directory")
            yield from found
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path
            else:
                yield Skipped(str(path), "", f"unsupported file type {path.suffix!r}; use one of {', '.join(SUFFIXES)}")
        else:
            yield Skipped(str(path), "", "no such file or directory")


def _readable_name(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in SUFFIXES and not name.endswith(META_SUFFIX) and not name.startswith(".")


def read_articles(paths: Iterable[Union[str, Path]], options: ReadOptions = ReadOptions()) -> Iterator[Item]:
    """Every article in ``paths`` (files or directories), with unique article ids."""
    seen: dict[str, int] = {}
    for found in find_inputs(paths):
        if isinstance(found, Skipped):
            yield found
            continue
        for item in read_file(found, options):
            if isinstance(item, Article):
                item = _unique(item, seen)
            yield item


def _unique(article: Article, seen: dict[str, int]) -> Article:
    n = seen.get(article.article_id, 0) + 1
    seen[article.article_id] = n
    if n == 1:
        return article
    return replace(article, article_id=f"{article.article_id}-{n}")


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
        yield Skipped(str(path), "", f"cannot read the file ({exc.strerror})")
        return
    if decoded.note:
        options.notes.append(f"{path}: {decoded.note}")
    suffix = path.suffix.lower()
    reader = {".txt": _read_txt, ".html": _read_html, ".htm": _read_html,
              ".jsonl": _read_jsonl, ".csv": _read_csv}[suffix]
    yield from reader(path, decoded.text, decoded.encoding, options)


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


def _read_txt(path: Path, text: str, encoding: str, options: ReadOptions) -> Iterator[Item]:
    try:
        meta = _sidecar(path)
        check_text(text, str(path))
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    fields = {k: "" if v is None else str(v) for k, v in meta.items()}
    fields.setdefault("title", _txt_headline(text))
    yield _article(fields, text, path, "", encoding, options, default_id=path.name[: -len(path.suffix)],
                   id_key="id", title_key="title", outlet_key="outlet", date_key="date", url_key="url")


def _read_html(path: Path, html: str, encoding: str, options: ReadOptions) -> Iterator[Item]:
    import trafilatura  # heavy: imported only for HTML input

    try:
        meta = _sidecar(path)
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except InputError as exc:
        yield Skipped(exc.path, exc.record, exc.reason)
        return
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        yield Skipped(str(path), "", f"the HTML could not be parsed ({type(exc).__name__}: {exc})")
        return
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = (data.get("text") or "").strip()
    if not text:
        yield Skipped(str(path), "", "no main text found in the HTML (is it a story page?)")
        return
    title = meta.get("title") or data.get("title") or ""
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    fields = {"title": str(title), "outlet": str(meta.get("outlet") or data.get("sitename") or ""),
              "date": str(meta.get("date") or data.get("date") or ""), "url": str(meta.get("url") or data.get("url") or ""),
              "id": str(meta.get("id") or "")}
    yield _article(fields, body, path, "", encoding, options, default_id=path.stem,
                   id_key="id", title_key="title", outlet_key="outlet", date_key="date", url_key="url")


def _read_jsonl(path: Path, text: str, encoding: str, options: ReadOptions) -> Iterator[Item]:
    any_record = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        any_record = True
        record = f"line {line_no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(str(path), record, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield Skipped(str(path), record, "a JSONL record must be a JSON object")
            continue
        yield _record(obj, path, record, encoding, options, f"{path.stem}-{line_no}")
    if not any_record:
        yield Skipped(str(path), "", "the JSONL file has no records")


def _read_csv(path: Path, text: str, encoding: str, options: ReadOptions) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        yield Skipped(str(path), "", "the CSV file has no header row")
        return
    except csv.Error as exc:
        yield Skipped(str(path), "line 1", f"malformed CSV header ({exc})")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if options.text_column not in header:
        yield Skipped(str(path), "line 1", f"no {options.text_column!r} column (columns: {', '.join(header)}); "
                                           "name the text column with --text-column")
        return
    row_no = 0
    while True:
        line_no = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Skipped(str(path), f"line {line_no}", f"malformed CSV ({exc}); the rest of the file was not read")
            return
        if not any(c.strip() for c in cells):
            continue
        row_no += 1
        record = f"line {line_no}"
        if len(cells) != len(header):
            yield Skipped(str(path), record, f"{len(cells)} cells but the header has {len(header)}; "
                                             "quote cells that contain commas or line breaks")
            continue
        yield _record(dict(zip(header, cells)), path, record, encoding, options, f"{path.stem}-{row_no}")


def _record(obj: dict, path: Path, record: str, encoding: str, options: ReadOptions, default_id: str) -> Item:
    text = obj.get(options.text_column)
    if not isinstance(text, str):
        what = "missing" if text is None else f"a {type(text).__name__}, not text"
        return Skipped(str(path), record, f"the {options.text_column!r} field is {what}")
    try:
        check_text(text, str(path), record)
    except InputError as exc:
        return Skipped(exc.path, exc.record, exc.reason)
    fields = {k: "" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
              for k, v in obj.items() if k != options.text_column}
    return _article(fields, text, path, record, encoding, options, default_id=default_id,
                    id_key=options.id_column, title_key=options.title_column, outlet_key=options.outlet_column,
                    date_key=options.date_column, url_key=options.url_column)


def _article(fields: dict, text: str, path: Path, record: str, encoding: str, options: ReadOptions, *,
             default_id: str, id_key: str, title_key: str, outlet_key: str, date_key: str, url_key: str) -> Article:
    used = {id_key, title_key, outlet_key, date_key, url_key}
    extra = tuple(sorted((k, str(v)) for k, v in fields.items() if k not in used and k))
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
        extra=extra,
    )
