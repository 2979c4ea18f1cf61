"""The news-agency lexicon (``lexicons/agencies.csv``) and alias matching.

Used by ``ingest.structure`` (is this credit line or dateline an agency?) and
``extract.origin`` (which agency, with what country and ownership). Matching is
literal, on the aliases of the lexicon: acronyms match only as written (or fully
upper-case), so "AP" never matches "A.P." or "Ap"; longer names match in any case.
Short acronyms (four letters or fewer) and the aliases listed in
``ambiguous_aliases`` ("AP" Andhra Pradesh, "PA" Pennsylvania, "AA", "CNA" ...)
count only in a *strict* position: a dateline's parentheses, a credit line that
is nothing but the agency, a byline. Limits: an agency missing from the lexicon
is never found; two agencies sharing an alias ("APS") resolve to the one listed
first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import LexiconError
from ..lexicons import bundled_path, one_of, read_table

OWNERSHIP_TYPES = (
    "state_controlled", "state_captured", "captured_private", "state_public_independent", "public_statutory",
    "media_cooperative", "private_commercial", "private_listed", "nonprofit_independent",
)
REQUIRED = ("agency_id", "name", "aliases", "country", "ownership", "classification_source", "as_of")


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
    aliases: tuple[str, ...]
    ambiguous: frozenset
    country: str
    ownership: str
    smm_typology: str
    classification_source: str
    as_of: str
    verified: str
    notes: str
    signature: Optional[re.Pattern] = None

    def is_ambiguous(self, alias: str) -> bool:
        return alias in self.ambiguous or (len(alias) <= 4 and alias.replace("Č", "C").isalpha())


def _regex_ok(value: str) -> Optional[str]:
    if not value:
        return None
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


def _pattern(pattern: str, what: str):
    def check(v: str) -> Optional[str]:
        return None if re.fullmatch(pattern, v) else f"{v!r} is not {what}"
    return check


def _is_acronym(alias: str) -> bool:
    return len(alias) <= 5 and " " not in alias and (alias.isupper() or alias.islower())


class AgencyTable:
    """All agencies of a lexicon, with alias look-up and search."""

    def __init__(self, agencies: list[Agency]):
        self.agencies = tuple(agencies)
        self._exact: dict[str, tuple[str, Agency]] = {}
        self._folded: dict[str, tuple[str, Agency]] = {}
        for agency in self.agencies:
            for alias in agency.aliases:
                if _is_acronym(alias):
                    for form in (alias, alias.upper()):
                        self._exact.setdefault(form, (alias, agency))
                else:
                    self._folded.setdefault(alias.casefold(), (alias, agency))
        names = sorted({*self._exact, *(a for ag in self.agencies for a in ag.aliases if not _is_acronym(a))},
                       key=len, reverse=True)
        self._search = re.compile(
            r"(?<![\w.\-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w\-]|\.\w)", re.IGNORECASE)

    def lookup(self, name: str) -> Optional[tuple[str, Agency]]:
        """(alias, agency) when ``name`` is exactly an alias, else None."""
        name = name.strip()
        return self._exact.get(name) or self._folded.get(name.casefold())

    def resolve(self, name: str, strict: bool) -> Optional[Agency]:
        """The agency ``name`` names; ambiguous aliases only when ``strict`` (credit/dateline position)."""
        hit = self.lookup(name)
        if hit is None:
            return None
        alias, agency = hit
        return agency if strict or not agency.is_ambiguous(alias) else None

    def find(self, text: str, strict: bool = False) -> list[tuple[int, int, Agency]]:
        """Agency aliases inside ``text``: (start, end, agency), ambiguous aliases only when ``strict``."""
        out = []
        for m in self._search.finditer(text):
            agency = self.resolve(m.group(1), strict)
            if agency is not None:
                out.append((m.start(1), m.end(1), agency))
        return out


def _load(path: Path) -> AgencyTable:
    rows = read_table(path, REQUIRED, validators={
        "ownership": one_of(*OWNERSHIP_TYPES),
        "country": _pattern(r"[A-Z]{2}", "an ISO 3166-1 alpha-2 code such as CN"),
        "as_of": _pattern(r"\d{4}(-\d{2}(-\d{2})?)?", "a date YYYY, YYYY-MM or YYYY-MM-DD"),
        "signature": _regex_ok,
    })
    seen: dict[str, str] = {}
    problems = []
    for row in rows:
        if row["agency_id"] in seen:
            problems.append((int(row["_line"]), "agency_id", f"{row['agency_id']!r} already used on line {seen[row['agency_id']]}"))
        seen[row["agency_id"]] = row["_line"]
    if problems:
        raise LexiconError(str(path), problems)
    agencies = []
    for row in rows:
        aliases = tuple(dict.fromkeys(a.strip() for a in [row["name"], *row["aliases"].split("|")] if a.strip()))
        signature = row.get("signature", "")
        agencies.append(Agency(
            agency_id=row["agency_id"], name=row["name"], aliases=aliases,
            ambiguous=frozenset(a.strip() for a in row.get("ambiguous_aliases", "").split("|") if a.strip()),
            country=row["country"], ownership=row["ownership"], smm_typology=row.get("smm_typology", ""),
            classification_source=row["classification_source"], as_of=row["as_of"],
            verified=row.get("verified", ""), notes=row.get("notes", ""),
            signature=re.compile(signature, re.MULTILINE) if signature else None))
    return AgencyTable(agencies)


@lru_cache(maxsize=8)
def load_agencies(path: Optional[str] = None) -> AgencyTable:
    """The agency table from ``path`` (a user's CSV) or the bundled ``agencies.csv``; cached."""
    return _load(Path(path) if path else bundled_path("agencies.csv"))
