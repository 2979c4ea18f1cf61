"""Line numbers of an article's text: the numbering students see on the worksheet.

Definition: line ``n`` (1-based) is the ``n``-th piece of ``text.split("\\n")``,
where ``text`` is the article's original text (after decoding, before any
cleaning; the same text every offset in mediaeval points into). Every line is
numbered, blank lines included, so a printed worksheet and the marks file agree
whatever the layout. A line's span ``[start, end)`` excludes its newline and a
trailing carriage return ("\\r\\n" files).

In a ``.txt`` input the headline is line 1 and the blank line after it line 2.
"""

from __future__ import annotations

from bisect import bisect_right


def line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line; index ``k`` holds line ``k + 1``."""
    spans, start = [], 0
    for piece in text.split("\n"):
        end = start + len(piece)
        spans.append((start, end - 1 if piece.endswith("\r") else end))
        start = end + 1
    return spans


def line_offsets(text: str, line: int) -> tuple[int, int]:
    """Character offsets ``[start, end)`` of 1-based ``line``; ``ValueError`` outside the text."""
    spans = line_spans(text)
    if not 1 <= line <= len(spans):
        raise ValueError(f"line {line} is outside the text, which has lines 1 to {len(spans)}")
    return spans[line - 1]


def line_of(text: str, offset: int) -> int:
    """The 1-based line holding character ``offset``."""
    starts = [s for s, _ in line_spans(text)]
    return max(bisect_right(starts, offset), 1)


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line text) for every line, blank ones included."""
    return [(k, text[s:e]) for k, (s, e) in enumerate(line_spans(text), start=1)]
