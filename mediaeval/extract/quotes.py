"""The one quotation-mark scanner: every common style, balanced or not.

Double quotation marks (kind ``double``): curly quotes (“ ” „ ‟), guillemets
(« »), straight double quotes and the doubled marks of some wire and newspaper
archives ('' ... '' and `` ... ''). A quote may run over several paragraphs (a
paragraph opens a quote without closing it and the next paragraph reopens it:
one quotation; or, when the writer left out the reopening marks, the next
quotation mark within three paragraphs can only close). An unbalanced quote
never fails: it ends at the end of its paragraph. Nested quotes inside a
double-quoted passage stay part of it: a curly mark that can only open ("a
“nested” word") inside a curly quotation, not at the start of a line, opens a
level that the next closing mark ends; straight marks nest only inside a
quotation that opens with a doubled mark ('""We ...'), since a stray straight
mark is common in running text.

Block quotes (kind ``block``): the one paragraph, without quotation marks, that
follows a paragraph ending in a colon after a word of speech or writing
("Trump lashed out on Twitter, saying:", "Read the full letter:").

Single quotation marks (kind ``single``): only a word-bounded pair within 150
characters outside double quotes ('moderate rebels', ‘liberated’), the usual
form of scare quotes and of headline quotes; an apostrophe ("Syria's",
"rebels'") never opens one.

A paragraph is a blank-line-separated block when the text has blank lines,
else a line. Everything that needs to know whether text is inside quotation
marks (attribution, voice, actors) calls ``find_quotes``; the attribution layer
reads the double quotes only (``double_quotes``), as PolNeAR's direct quotes do; block quotes
count for voice and actors.

Limits: a straight quote whose direction cannot be told from its neighbours
toggles the state, so one stray mark can pair the wrong marks up to the end of
its paragraph (never further); a single-quoted passage longer than 150
characters is not found; a block quote longer than one paragraph is found only
in its first paragraph, and a colon before an ordinary paragraph ("He said
this:") can make it a block quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_MARK = re.compile(r"''|``|[\"“”«»„‟]")
_OPEN_ONLY = {"“", "«", "„", "‟", "``"}
_CLOSE_ONLY = {"”", "»"}
_SINGLE_SPAN = 150
_RUN_ON = 3  # paragraphs an unclosed quote may run on without reopening marks, when a closing mark follows
_INTRODUCES = re.compile(r"\b(?:say|says|said|saying|wrote|writes|writing|tweet\w*|post(?:s|ed)?|reads?|"
                         r"statement|letter|rant|message|added|told|declared|announced|stated)\b[^:]*:\s*$", re.I)


@dataclass(frozen=True)
class Quote:
    """``[start, end)`` including the marks; ``closed`` is False when unbalanced; ``kind`` double or single."""

    start: int
    end: int
    closed: bool = True
    kind: str = "double"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs as ``[start, end)``: blocks between blank lines, else lines."""
    if re.search(r"\n[ \t\r]*\n", text):
        out, start = [], 0
        for m in re.finditer(r"\n[ \t\r]*\n\s*", text):
            if m.start() > start:
                out.append((start, m.start()))
            start = m.end()
        if start < len(text):
            out.append((start, len(text)))
        return out
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _direction(text: str, m: re.Match) -> str:
    mark = m.group()
    if mark in _OPEN_ONLY:
        return "open"
    if mark in _CLOSE_ONLY:
        return "close"
    before = text[m.start() - 1] if m.start() > 0 else " "
    after = text[m.end()] if m.end() < len(text) else " "
    if mark == '"' and after == '"' and (before.isspace() or before in "([{—–-/"):
        return "open"  # '""We ...': a quotation that opens with a quotation
    if mark == '"' and before == '"' and after.isalnum() and (m.start() < 2 or text[m.start() - 2].isspace()):
        return "open"
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-" or m.end() == len(text)):
        return "close"
    return "toggle"


def find_quotes(text: str) -> list[Quote]:
    """Every quotation of ``text`` in order: double ones and single-quoted scare pairs outside them."""
    doubles = double_quotes(text)
    others = _single_quotes(text, doubles) + block_quotes(text, doubles)
    return sorted(doubles + others, key=lambda q: q.start) if others else doubles


def double_quotes(text: str) -> list[Quote]:
    """Top-level double quotations of ``text`` in order; see the module docstring."""
    quotes: list[Quote] = []
    paragraphs = paragraph_spans(text)
    open_at = None  # offset of the opening mark of the current quote
    depth = 0  # curly marks opened inside the current quote and not yet closed
    for p, (p_start, p_end) in enumerate(paragraphs):
        for m in _MARK.finditer(text, p_start, p_end):
            direction = _direction(text, m)
            if open_at is None:
                if direction in ("open", "toggle"):
                    open_at, depth = m.start(), 0
                continue
            if direction == "open" and m.start() == _first_char(text, p_start) and open_at < p_start:
                continue  # the reopening mark of a quote that runs over paragraphs
            if direction == "open" and _nests(text, open_at, m) and text[m.start() - 1] != "\n":
                depth += 1  # “a “nested” quote” stays one quotation (marks of the opening mark's family only)
                continue
            if depth and direction in ("close", "toggle"):
                depth -= 1
                continue
            if direction in ("close", "toggle"):
                quotes.append(Quote(open_at, m.end()))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else None
            if nxt is not None:
                first = _MARK.match(text, _first_char(text, nxt[0]))
                if first is not None and _direction(text, first) in ("open", "toggle"):
                    continue  # the quote runs on into the next paragraph
                if _closes_later(text, paragraphs, p + 1):
                    continue  # a quote over paragraphs whose writer left out the reopening marks
            end = p_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            quotes.append(Quote(open_at, end, closed=False))
            open_at = None
    return quotes


def _nests(text: str, open_at: int, m: re.Match) -> bool:
    """Whether an opening mark inside the quotation opened at ``open_at`` starts a nested quotation: curly
    or angled marks inside a curly or angled quotation; straight marks only inside a quotation that opens
    with a doubled mark ('""We ...'), since a stray straight mark is common in running text."""
    if m.group() != '"':
        return text[open_at] != '"'
    return text.startswith('""', open_at)


def _closes_later(text: str, paragraphs, first: int) -> bool:
    """True when the next quotation mark, within ``_RUN_ON`` paragraphs from ``first``, can only close."""
    for p_start, p_end in paragraphs[first:first + _RUN_ON]:
        m = _MARK.search(text, p_start, p_end)
        if m is not None:
            return _direction(text, m) == "close"
    return False


def block_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """Paragraphs quoted without marks: the one paragraph after a paragraph that ends in a colon and names
    speech or writing ("And Trump lashed out on Twitter, saying:"), when it holds no double quotation."""
    out: list[Quote] = []
    paragraphs = paragraph_spans(text)
    inside = QuoteIndex(doubles)
    for (a_start, a_end), (b_start, b_end) in zip(paragraphs, paragraphs[1:]):
        if not text[a_start:a_end].rstrip().endswith(":") or not _INTRODUCES.search(text, a_start, a_end):
            continue
        if _MARK.search(text, b_start, b_end) is None and inside.at(b_start) is None:
            out.append(Quote(b_start, b_end, closed=False, kind="block"))
    return out


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """Word-bounded single-quote pairs within a paragraph, outside double quotes."""
    out: list[Quote] = []
    inside = QuoteIndex(doubles)
    for p_start, p_end in paragraph_spans(text):
        open_at = None
        for m in re.finditer(r"['‘’]", text[p_start:p_end]):
            i = p_start + m.start()
            ch = text[i]
            if inside.at(i) is not None:
                open_at = None
                continue
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            if ch in "'‘" and (before.isspace() or before in "(—–[") and after.isalnum():
                open_at = i
            elif ch in "'’" and open_at is not None and not after.isalnum() and i - open_at <= _SINGLE_SPAN:
                out.append(Quote(open_at, i + 1, kind="single"))
                open_at = None
    return out


def _first_char(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\r":
        start += 1
    return start


class QuoteIndex:
    """Which quotation (if any) holds a character offset."""

    def __init__(self, quotes: list[Quote]):
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, char: int):
        i = bisect_right(self._starts, char) - 1
        if i >= 0 and self.quotes[i].start <= char < self.quotes[i].end:
            return i
        return None

    def inside(self, char: int) -> bool:
        """True for characters strictly inside a quotation (not its marks)."""
        i = self.at(char)
        return i is not None and self.quotes[i].start < char < self.quotes[i].end - 1
