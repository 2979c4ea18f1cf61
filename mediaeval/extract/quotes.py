"""Quotation spans: every common quotation-mark style, balanced or not.

Handles curly quotes (“ ” and « » „), straight double quotes, the doubled
apostrophes of some wire and newspaper archives ('' ... '' and `` ... ''), and
quotes that run over several paragraphs (a paragraph opens a quote without
closing it and the next paragraph reopens it: one quotation). An unbalanced
quote never fails: it ends at the end of its paragraph. Single quotes are not
treated as quotation marks (too often apostrophes); nested quotes inside a
double-quoted passage stay part of it.

Limits: a straight quote whose direction cannot be told from its neighbours
toggles the state, so one stray mark can pair the wrong marks up to the end of
its paragraph (never further).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_MARK = re.compile(r"''|``|[\"“”«»„‟]")
_OPEN_ONLY = {"“", "«", "„", "‟", "``"}
_CLOSE_ONLY = {"”", "»"}


@dataclass(frozen=True)
class Quote:
    """``[start, end)`` including the marks; ``closed`` is False when unbalanced."""

    start: int
    end: int
    closed: bool = True


def _direction(text: str, m: re.Match) -> str:
    mark = m.group()
    if mark in _OPEN_ONLY:
        return "open"
    if mark in _CLOSE_ONLY:
        return "close"
    before = text[m.start() - 1] if m.start() > 0 else " "
    after = text[m.end()] if m.end() < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-" or m.end() == len(text)):
        return "close"
    return "toggle"


def find_quotes(text: str) -> list[Quote]:
    """Top-level quotations of ``text`` in order; see the module docstring."""
    quotes: list[Quote] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    open_at = None  # offset of the opening mark of the current quote
    for p, (p_start, p_end) in enumerate(paragraphs):
        marks = list(_MARK.finditer(text, p_start, p_end))
        for k, m in enumerate(marks):
            direction = _direction(text, m)
            if open_at is None:
                if direction in ("open", "toggle"):
                    open_at = m.start()
                continue
            if direction == "open" and m.start() == _first_char(text, p_start) and open_at < p_start:
                continue  # the reopening mark of a quote that runs over paragraphs
            if direction in ("close", "toggle"):
                quotes.append(Quote(open_at, m.end()))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else None
            if nxt is not None:
                first = _MARK.match(text, _first_char(text, nxt[0]))
                if first is not None and _direction(text, first) in ("open", "toggle"):
                    continue  # the quote runs on into the next paragraph
            end = p_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            quotes.append(Quote(open_at, end, closed=False))
            open_at = None
    return quotes


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
