"""Errors mediaeval raises on purpose, each with a stable code (in the manner of
spaCy's E-codes). Every message starts with its code, says what was wrong,
where (file, line, column when there is one) and what to do about it.

Codes: E001 no spaCy model, E002 a pipeline without a parser, E101 an input
file or record that cannot be read, E102 a missing file, E201 a malformed
lexicon, E301 unreadable gold data, E401 an option that does not exist or has
a wrong type, E402 a span outside the text.
"""

from __future__ import annotations


class MediaevalError(Exception):
    """Base class: the CLI prints these as one clear line and exits 2. ``code`` is stable."""

    code = "E000"

    def __init__(self, message: str = ""):
        super().__init__(f"[{self.code}] {message}" if message and not message.startswith("[E") else message)


class InputError(MediaevalError):
    """An input file or record cannot be read as an article."""

    code = "E101"

    def __init__(self, path: str, reason: str, record: str = "", hint: str = "", code: str = ""):
        if code:
            self.code = code
        self.path = str(path)
        self.record = record
        self.reason = f"{reason} ({hint})" if hint else reason
        where = f"{self.path}" + (f", {record}" if record else "")
        super().__init__(f"{where}: {self.reason}")


class LexiconError(MediaevalError):
    """A lexicon file is malformed. ``problems`` lists every (line, column, message)."""

    code = "E201"

    def __init__(self, path: str, problems: list[tuple[int, str, str]]):
        self.path = str(path)
        self.problems = list(problems)
        lines = [f"{self.path}:{line}: column {col!r}: {msg}" if col else f"{self.path}:{line}: {msg}"
                 for line, col, msg in self.problems]
        super().__init__(f"{len(self.problems)} problem(s) in lexicon {self.path} (fix each line listed, "
                         "then check it with 'mediaeval lexicon check FILE'):\n" + "\n".join(lines))


class ModelNotFoundError(MediaevalError):
    """No spaCy English pipeline could be loaded."""

    code = "E001"


class PipelineError(MediaevalError):
    """A spaCy pipeline lacks what a mediaeval layer needs (a parser, a tagger)."""

    code = "E002"


class GoldDataError(MediaevalError):
    """A gold annotation file (brat standoff, metadata) cannot be read."""

    code = "E301"


class OptionError(MediaevalError, TypeError):
    """An option that does not exist, or a value of the wrong type."""

    code = "E401"


class SpanError(MediaevalError, ValueError):
    """A span that is not ``0 <= start <= end``."""

    code = "E402"

    def __init__(self, start: int, end: int):
        super().__init__(f"bad span [{start}, {end}): give character offsets with 0 <= start <= end "
                         "into the article's text")


def input_missing(path: str, what: str = "file") -> InputError:
    """E102: a file that is not there."""
    return InputError(path, f"no such {what}", hint="check the path; it is read relative to the current folder",
                      code="E102")
