"""Bytes -> text, with the encoding named and nothing silently mangled.

Order: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8; otherwise
cp1252, which always succeeds on text files and is *reported* (``Decoded.note``,
the article's ``encoding`` column and run.json) because it may be a guess.
Binary files are refused with a message that says what to do: NUL bytes without
a UTF-16 BOM, or more than 1 % control characters (C0 other than tab and line
breaks, C1, undefined cp1252 bytes) in the first 64 KB of the decoded text.

``safe_text`` makes any string safe for the parser and for UTF-8 output: lone
UTF-16 surrogates (which JSON's ``\\ud83d`` escapes can produce) become U+FFFD,
one code point for one, so every character offset stays valid.

Limit (issue 10, "bounded cost"): an article may have at most
``MAX_ARTICLE_CHARS`` characters (about 17,000 words, above the longest
newspaper features). Longer texts are refused with the advice to split them:
the parse and the extractors then stay within about 10 s per 10k words and 1 GB
(``benchmarks/pathological.py``). Likewise a stretch of more than
``MAX_RUN_WORDS`` words and marks (a word, or one non-space symbol each, roughly
spaCy's tokens) without sentence punctuation (``. ! ? ;``) or a line break is
refused: sentence-level layers (VADER's tone) cost the square of a sentence's
length, and a run like ``":" * 8000`` is no article. The longest such stretch
in the 21,870 development texts (../shared/data, ABP included) has 468.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import InputError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ARTICLE_CHARS = 100_000
MAX_RUN_WORDS = 1_000
BINARY_SAMPLE_CHARS = 65_536
BINARY_CONTROL_SHARE = 0.01

_SURROGATE = re.compile("[\ud800-\udfff]")
_RUN = re.compile(r"[^.!?;\n]+")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str = ""


def safe_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD (1:1, offsets unchanged), and how many there were."""
    if text.isascii():
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def decode_bytes(raw: bytes, path: str) -> Decoded:
    """Decode a whole file; raises ``InputError`` for empty or binary input."""
    if not raw.strip():
        raise InputError(path, "the file is empty", hint="nothing to analyse; remove it or add text")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                decoded = Decoded(raw.decode(name), name)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {name} byte-order mark but byte {exc.start} is not {name}",
                                 hint="re-save the file as UTF-8") from None
            _refuse_binary(decoded.text, path)
            return decoded
    if b"\x00" in raw[:8192]:
        raise InputError(path, "looks binary (it contains NUL bytes)",
                         hint="give mediaeval text, HTML, JSONL or CSV; save UTF-16 files with a byte-order mark")
    try:
        decoded = Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        decoded = Decoded(text, "cp1252", f"not valid UTF-8 (first bad byte on line {line}); read as cp1252 "
                                          "(Windows-1252); re-save it as UTF-8 if that is wrong")
    _refuse_binary(decoded.text, path)
    return decoded


def _refuse_binary(text: str, path: str) -> None:
    sample = text[:BINARY_SAMPLE_CHARS]
    controls = len(_CONTROL.findall(sample))
    if sample and controls > BINARY_CONTROL_SHARE * len(sample):
        raise InputError(path, f"looks binary ({controls:,} control characters in the first {len(sample):,})",
                         hint="give mediaeval text, HTML, JSONL or CSV; convert documents (PDF, Word) to text first")


def too_costly(text: str) -> str:
    """Why ``text`` is beyond the documented limits (see the module docstring), or ''."""
    if len(text) > MAX_ARTICLE_CHARS:
        return (f"the article text has {len(text):,} characters, more than the {MAX_ARTICLE_CHARS:,} one article "
                "may have (split it into separate articles)")
    longest = max((len(_TOKEN.findall(run)) for run in _RUN.findall(text) if len(run) > MAX_RUN_WORDS), default=0)
    if longest > MAX_RUN_WORDS:
        return (f"the text has a stretch of {longest:,} words and marks without sentence punctuation (. ! ? ;) or a "
                f"line break, more than {MAX_RUN_WORDS:,} (add sentence punctuation or line breaks, or split it)")
    return ""


def check_text(text: str, path: str, record: str = "") -> None:
    """Refuse article text that is empty, binary or too costly to analyse in one piece."""
    if not text.strip():
        raise InputError(path, "the article text is empty", record, "fill the text field or drop the record")
    reason = too_costly(text)
    if reason:
        raise InputError(path, reason, record)
    if "\x00" in text:
        raise InputError(path, "the article text contains NUL bytes (binary data)", record,
                         "check that the field holds text")
