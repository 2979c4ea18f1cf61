"""The loaded-terms lexicon: loading, checking, merging user files, listing.

The bundled ``lexicons/loaded_terms.csv`` (data sheet ``loaded_terms.md``) is
read with ``lexicons.read_table``; user files with the same columns add entries
or override a bundled entry with the same term (case-insensitive). Every problem
in a file is reported with its line and column, so a user fixes it in one go.

A ``TermLexicon`` is plain data (picklable for worker processes); the spaCy
matchers built from it are cached in ``extract.terms`` by its fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import LexiconError
from ..lexicons import bundled_names, bundled_path, file_hash, one_of, read_table

BUNDLED = "loaded_terms.csv"
REQUIRED = ("term", "category", "function", "refers_to", "neutral_alternative", "rationale", "source", "loaded")
OPTIONAL = ("variants",)

CATEGORIES = (
    "actor_label", "victim_label", "event_label", "place_label", "euphemism", "intensifier",
    "demonizing", "dehumanizing", "victimizing", "scare_marker", "hedge", "say_verb", "frame",
)
FUNCTIONS = (
    "descriptive", "delegitimizing", "legitimizing", "honorific", "softening", "agentless",
    "sensational", "intensifying", "demonizing", "dehumanizing", "victimizing", "criminalizing",
    "distancing", "doubt_casting", "presupposing", "false_symmetry", "side_specific", "justifying",
)
IGNORE = "ignore"  # rows that only shadow a shorter term inside them ("fighter jet"); never reported
# refers_to values that name no group of people: left out of the label-choice table
NON_GROUPS = frozenset({"event", "place", "speech", "general"})

_WORD = r"(?:\[[A-Za-z']+\]|[A-Za-z0-9][A-Za-z0-9.'’-]*)"
_TERM = re.compile(rf"^{_WORD}(?: {_WORD})*$")
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class TermEntry:
    """One lexicon row. ``variants`` are other written forms counted as ``term``."""

    term: str
    category: str
    function: str
    refers_to: str
    neutral_alternative: str
    rationale: str
    source: str
    loaded: bool
    variants: tuple[str, ...] = ()
    origin: str = BUNDLED  # file the row comes from
    line: int = 0

    @property
    def key(self) -> str:
        return normal_term(self.term)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term,) + self.variants


@dataclass(frozen=True)
class TermLexicon:
    """The merged entries (user files override bundled rows) and the files read."""

    entries: tuple[TermEntry, ...]
    files: tuple[str, ...] = (BUNDLED,)
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.fingerprint:
            digest = hashlib.sha256(repr(self.entries).encode("utf-8")).hexdigest()[:16]
            object.__setattr__(self, "fingerprint", digest)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, term: str) -> Optional[TermEntry]:
        key = normal_term(term)
        return next((e for e in self.entries if e.key == key), None)


def normal_term(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


def _check_term(value: str) -> Optional[str]:
    if not value:
        return "empty; write the word or phrase to match"
    words = value.split()
    if not _TERM.match(" ".join(words)):
        return (f"{value!r} is not a word or phrase: use letters, digits, hyphens, apostrophes, "
                "and [its] for one optional determiner or possessive")
    if words[0].startswith("[") or words[-1].startswith("["):
        return f"{value!r}: an optional [slot] must sit between two words"
    return None


def _check_variants(value: str) -> Optional[str]:
    for variant in (v.strip() for v in value.split(";")):
        if variant:
            problem = _check_term(variant)
            if problem:
                return "variant " + problem
    return None


def _check_slug(value: str) -> Optional[str]:
    if not _SLUG.match(value):
        return f"{value!r} is not a group name: lower-case letters, digits and _ (e.g. nonstate_armed)"
    return None


def _check_source(value: str) -> Optional[str]:
    codes = [c.strip() for c in value.split(";")]
    if not value or not all(_CODE.match(c) for c in codes):
        return f"{value!r}: give the guidance as basis codes separated by ';' (e.g. BBC;AP;GMG)"
    return None


def _check_loaded(value: str) -> Optional[str]:
    return None if value.lower() in ("true", "false") else f"{value!r} must be true or false"


VALIDATORS = {
    "term": _check_term,
    "variants": _check_variants,
    "category": one_of(*CATEGORIES, IGNORE),
    "function": one_of(*FUNCTIONS),
    "refers_to": _check_slug,
    "source": _check_source,
    "loaded": _check_loaded,
    "rationale": lambda value: None,  # checked per row in _rows_to_entries (a draft row may leave it empty)
}
SUGGESTED = "suggested"  # source code of rows drafted by `mediaeval lexicon suggest`, to be reviewed


def _suggested(row) -> bool:
    return SUGGESTED in (c.strip() for c in row.get("source", "").split(";"))


def lexicon_warnings(path) -> list[tuple[int, str, str]]:
    """Warnings (line, column, message) for draft rows (source ``suggested``) with an empty rationale."""
    try:
        rows = read_table(Path(path), REQUIRED, VALIDATORS, optional=OPTIONAL)
    except LexiconError:
        return []
    return [(int(r["_line"]), "rationale", "empty in a suggested row; write why the term is loaded (with its "
             "source) before the row leaves draft") for r in rows if not r["rationale"] and _suggested(r)]


def _rows_to_entries(rows: list[dict[str, str]], origin: str) -> tuple[list[TermEntry], list[tuple[int, str, str]]]:
    entries, problems, seen = [], [], {}
    for row in rows:
        line = int(row["_line"])
        if not row["rationale"] and not _suggested(row):
            problems.append((line, "rationale", "empty; every row needs a value here (a draft row may leave it "
                             "empty only with source 'suggested')"))
        variants = tuple(v.strip() for v in row.get("variants", "").split(";") if v.strip())
        entry = TermEntry(
            term=" ".join(row["term"].split()), category=row["category"], function=row["function"],
            refers_to=row["refers_to"], neutral_alternative=row["neutral_alternative"],
            rationale=row["rationale"], source=row["source"], loaded=row["loaded"].lower() == "true",
            variants=variants, origin=origin, line=line,
        )
        for form in entry.forms:
            key = normal_term(form)
            if key in seen:
                problems.append((line, "term" if form == entry.term else "variants",
                                 f"{form!r} is already listed on line {seen[key]}; keep one row per form"))
            else:
                seen[key] = line
        entries.append(entry)
    return entries, problems


def _read(path: Path, origin: str) -> list[TermEntry]:
    rows = read_table(path, REQUIRED, VALIDATORS, optional=OPTIONAL)
    entries, problems = _rows_to_entries(rows, origin)
    if problems:
        raise LexiconError(str(path), problems)
    return entries


@lru_cache(maxsize=8)
def _read_cached(path: str, digest: str, origin: str) -> tuple[TermEntry, ...]:
    return tuple(_read(Path(path), origin))


def load_term_lexicon(extra_paths: tuple[str, ...] = ()) -> TermLexicon:
    """The bundled lexicon plus user files (same columns) that add or override entries.

    A user row whose term equals a bundled term (case-insensitive) replaces it;
    later files win over earlier ones. Raises ``LexiconError`` listing every
    problem with line and column.
    """
    merged: dict[str, TermEntry] = {}
    files = [BUNDLED]
    bundled = bundled_path(BUNDLED)
    for entry in _read_cached(str(bundled), file_hash(bundled), BUNDLED):
        merged[entry.key] = entry
    for extra in extra_paths:
        path = Path(extra)
        digest = file_hash(path) if path.is_file() else ""
        for entry in _read_cached(str(path), digest, str(path)):
            merged.pop(entry.key, None)
            merged[entry.key] = entry
        files.append(str(path))
    return TermLexicon(entries=tuple(merged.values()), files=tuple(files))


def check_lexicon_file(path) -> list[tuple[int, str, str]]:
    """Every problem in a user loaded-terms file as (line, column, message); [] when fine.

    Cell problems and repeated terms are both reported, even when both occur.
    """
    try:
        _read(Path(path), str(path))
    except LexiconError as exc:
        problems = set(exc.problems) | set(_loose_duplicates(Path(path)))
        return sorted(problems, key=lambda p: (p[0], p[1], p[2]))
    return []


def _loose_duplicates(path: Path) -> list[tuple[int, str, str]]:
    """Repeated terms, read without checking anything else (for files with other problems)."""
    import csv
    import io

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    lines = [(n, l) for n, l in enumerate(text.splitlines(), 1) if l.strip() and not l.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(l for _, l in lines)))
    rows, header = [], None
    for (line, _), cells in zip(lines, reader):
        if header is None:
            header = [c.strip() for c in cells]
        elif "term" in header and len(cells) == len(header):
            row = dict(zip(header, (c.strip() for c in cells)))
            rows.append({"term": row["term"], "variants": row.get("variants", ""), "category": "", "function": "",
                         "refers_to": "", "neutral_alternative": "", "rationale": "-", "source": "",
                         "loaded": "false", "_line": str(line)})
    return _rows_to_entries(rows, str(path))[1]


def lexicon_list() -> list[dict[str, str]]:
    """One row per bundled lexicon: name, entries, version, sha256, description."""
    out = []
    for name in bundled_names():
        csv_path = bundled_path(name + ".csv")
        n = sum(1 for l in csv_path.read_text(encoding="utf-8-sig").splitlines()
                if l.strip() and not l.lstrip().startswith("#")) - 1
        version, description = _sheet_summary(bundled_path(name + ".md"))
        out.append({"name": name, "entries": str(max(n, 0)), "version": version,
                    "sha256": file_hash(csv_path), "description": description})
    return out


def _sheet_summary(md: Path) -> tuple[str, str]:
    if not md.is_file():
        return "", ""
    text = md.read_text(encoding="utf-8")
    version = re.search(r"(?im)^\W*version\W*\s*([0-9][\w.\-]*)", text)
    body = [l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#") and not l.startswith("|")]
    first = re.sub(r"^\*\*[^*]+\*\*\s*", "", body[0]) if body else ""
    first = re.split(r"(?<=[.:;])\s", first, maxsplit=1)[0]
    return (version.group(1) if version else ""), (first if len(first) <= 90 else first[:87] + "...")


def format_lexicon_list() -> str:
    """Text for ``mediaeval lexicon list``: one line per bundled lexicon."""
    rows = lexicon_list()
    width = max((len(r["name"]) for r in rows), default=4)
    lines = [f"{'name':<{width}}  entries  version  sha256            description"]
    for r in rows:
        lines.append(f"{r['name']:<{width}}  {r['entries']:>7}  {r['version'] or '-':<7}  {r['sha256']}  {r['description']}")
    return "\n".join(lines)


def format_lexicon(name: str) -> str:
    """Text for ``mediaeval lexicon show NAME`` (see ``lexicon_show``)."""
    return lexicon_show(name)


def lexicon_show(name: str) -> str:
    """Text for ``mediaeval lexicon show NAME``: the data sheet, then the rows (loaded_terms by category)."""
    stem = name[:-4] if name.endswith(".csv") else name
    if stem not in bundled_names():
        raise LexiconError(name, [(0, "", f"no bundled lexicon called {name!r}; "
                                   f"choose one of: {', '.join(bundled_names())}")])
    md = bundled_path(stem + ".md")
    parts = [md.read_text(encoding="utf-8").rstrip()] if md.is_file() else [stem]
    if stem + ".csv" == BUNDLED:
        lexicon = load_term_lexicon()
        for category in CATEGORIES + (IGNORE,):
            rows = [e for e in lexicon.entries if e.category == category]
            if not rows:
                continue
            parts.append(f"\n## {category} ({len(rows)})")
            for e in rows:
                flag = " [loaded]" if e.loaded else ""
                also = f" (also: {'; '.join(e.variants)})" if e.variants else ""
                parts.append(f"- {e.term}{also}: {e.function}, refers to {e.refers_to}{flag}; "
                             f"instead: {e.neutral_alternative} [{e.source}]")
    else:
        parts.append("\n" + bundled_path(stem + ".csv").read_text(encoding="utf-8-sig").rstrip())
    return "\n".join(parts) + "\n"
