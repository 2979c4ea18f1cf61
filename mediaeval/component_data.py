"""Lexicon data held by the mediaeval components, so that it travels with the pipeline.

A component keeps the *contents* of its user files (term lexicons, a news-agency
table, an agency/power verb file), writes them with ``to_disk`` / ``to_bytes``
and reads them back with ``from_disk`` / ``from_bytes``: a saved pipeline needs
no paths. Loaded lexicons are built from the files once and cached.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import srsly


class LexiconData:
    """User data files held as their contents: written by to_disk/to_bytes, read back by from_*."""

    KEYS: tuple[str, ...] = ()

    def __init__(self):
        self.files: dict[str, list] = {}  # key -> [[file name, text], ...]
        self._dir = None
        self._local: dict[str, tuple[str, ...]] = {}  # key -> the paths the files were read from
        self.reset()

    def set_files(self, key: str, paths) -> None:
        from .errors import input_missing

        items = []
        for p in paths or ():
            path = Path(p)
            if not path.is_file():
                raise input_missing(str(path), "lexicon file")
            items.append([path.name, path.read_text(encoding="utf-8")])
        self.files[key] = items
        self._local[key] = tuple(str(p) for p in paths or ())
        self.reset()

    def paths(self, key: str) -> tuple[str, ...]:
        """Local paths of the held files (written once to a private temporary folder)."""
        items = self.files.get(key) or []
        if not items:
            return ()
        local = getattr(self, "_local", {}).get(key)
        if local and all(Path(p).is_file() for p in local):
            return local
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="mediaeval-")
        out = []
        for k, (name, text) in enumerate(items):
            path = Path(self._dir) / f"{key}-{k}-{name}"
            if not path.exists():
                path.write_text(text, encoding="utf-8")
            out.append(str(path))
        return tuple(out)

    def reset(self) -> None:
        """Drop what was built from the files (subclasses cache their loaded lexicons)."""

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"files": self.files})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self.files = srsly.msgpack_loads(data)["files"]
        self._dir, self._local = None, {}
        self.reset()
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "files.json", self.files)

    def from_disk(self, path, *, exclude=tuple()):
        f = Path(path) / "files.json"
        if f.exists():
            self.files = srsly.read_json(f)
            self._dir, self._local = None, {}
            self.reset()
        return self

    def __getstate__(self):
        return {"files": self.files, "local": getattr(self, "_local", {}), "name": getattr(self, "name", "")}

    def __setstate__(self, state):
        self.files, self._dir, self._local, self.name = state["files"], None, state["local"], state["name"]
        self.reset()


class AgencyTableData(LexiconData):
    def reset(self) -> None:
        self._agencies = None

    @property
    def agencies(self):
        if getattr(self, "_agencies", None) is None:
            from .ingest.agencies import load_agencies
            paths = self.paths("agencies")
            self._agencies = load_agencies(paths[0] if paths else None)
        return self._agencies


class TermLexiconData(LexiconData):
    def reset(self) -> None:
        self._lexicon = None

    @property
    def lexicon(self):
        if getattr(self, "_lexicon", None) is None:
            from .extract.term_lexicon import load_term_lexicon
            self._lexicon = load_term_lexicon(self.paths("lexicons"))
        return self._lexicon


class AgencyLexiconData(LexiconData):
    def reset(self) -> None:
        self._lexicon = None

    @property
    def agency_lexicon(self):
        if getattr(self, "_lexicon", None) is None:
            paths = self.paths("agency_lexicon")
            if paths:
                from .extract.agency import load_agency_lexicon
                self._lexicon = load_agency_lexicon(paths[0])
        return getattr(self, "_lexicon", None)
