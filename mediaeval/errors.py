"""Errors mediaeval raises on purpose. Every message says what was wrong, where
(file, line, column when there is one) and what to do about it."""

from __future__ import annotations


class MediaevalError(Exception):
    """Base class: the CLI prints these as one clear line and exits 2."""


class InputError(MediaevalError):
    """An input file or record cannot be read as an article."""

    def __init__(self, path: str, reason: str, record: str = "", hint: str = ""):
        self.path = str(path)
        self.record = record
        self.reason = f"{reason} ({hint})" if hint else reason
        where = f"{self.path}" + (f", {record}" if record else "")
        super().__init__(f"{where}: {self.reason}")


class LexiconError(MediaevalError):
    """A lexicon file is malformed. ``problems`` lists every (line, column, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str, str]]):
        self.path = str(path)
        self.problems = list(problems)
        lines = [f"{self.path}:{line}: column {col!r}: {msg}" if col else f"{self.path}:{line}: {msg}"
                 for line, col, msg in self.problems]
        super().__init__(f"{len(self.problems)} problem(s) in lexicon {self.path}:\n" + "\n".join(lines))


class ModelNotFoundError(MediaevalError):
    """No spaCy English pipeline could be loaded."""


class GoldDataError(MediaevalError):
    """A gold annotation file (brat standoff, metadata) cannot be read."""
