"""Bytes -> text, with the encoding named and nothing silently mangled.

Order: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8; otherwise
cp1252, which always succeeds on text files and is *reported* (``Decoded.note``)
because it may be a guess. Binary files (NUL bytes without a UTF-16 BOM) and
empty files are refused with a message that says what to do.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..errors import InputError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ARTICLE_CHARS = 1_000_000


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str = ""


def decode_bytes(raw: bytes, path: str) -> Decoded:
    """Decode a whole file; raises ``InputError`` for empty or binary input."""
    if not raw.strip():
        raise InputError(path, "the file is empty", hint="nothing to analyse; remove it or add text")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(name), name)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {name} byte-order mark but byte {exc.start} is not {name}",
                                 hint="re-save the file as UTF-8") from None
    if b"\x00" in raw[:8192]:
        raise InputError(path, "looks binary (it contains NUL bytes)",
                         hint="give mediaeval text, HTML, JSONL or CSV; save UTF-16 files with a byte-order mark")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        return Decoded(text, "cp1252", f"not valid UTF-8 (line {line}); read as cp1252 (Windows-1252)")


def check_text(text: str, path: str, record: str = "") -> None:
    """Refuse article text that is empty or too large to parse in one piece."""
    if not text.strip():
        raise InputError(path, "the article text is empty", record, "fill the text field or drop the record")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(path, f"the article text has {len(text):,} characters, more than {MAX_ARTICLE_CHARS:,}",
                         record, "split it into separate articles")
    if "\x00" in text:
        raise InputError(path, "the article text contains NUL bytes (binary data)", record,
                         "check that the field holds text")
