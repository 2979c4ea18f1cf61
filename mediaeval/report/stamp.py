"""The stamp every output carries: mediaeval version, spaCy model, lexicon hashes, inputs."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from .. import __version__
from ..lexicons import bundled_files, bundled_path, file_hash


def lexicon_hashes(extra_paths: Iterable[str] = ()) -> dict:
    """sha256 prefixes of every bundled lexicon and model file and every user-supplied lexicon file."""
    hashes = {name: file_hash(bundled_path(name)) for name in bundled_files()}
    for path in extra_paths:
        if path and Path(path).is_file():
            hashes[str(path)] = file_hash(Path(path))
    return hashes


def make_stamp(inputs: Iterable[str], options=None) -> dict:
    """A JSON-ready dict naming everything that shaped the outputs."""
    from .. import nlp

    model = getattr(options, "model", None)
    extra = tuple(getattr(options, "lexicon_paths", ())) + (getattr(options, "agency_lexicon_path", None) or "",
                                                            getattr(options, "agencies_path", None) or "")
    return {
        "mediaeval_version": __version__,
        "spacy_model": nlp.model_info(model, bool(getattr(options, "fast", False))),
        "lexicons": lexicon_hashes(extra),
        "inputs": [str(p) for p in inputs],
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_stamp(stamp: dict, out_dir: Path) -> Path:
    """``run.json`` beside the CSV files (CSV has no place for it in the header)."""
    from .tables import write_text

    return write_text(json.dumps(stamp, indent=2, ensure_ascii=False) + "\n", Path(out_dir) / "run.json")
