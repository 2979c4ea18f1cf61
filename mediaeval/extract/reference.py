"""Pronouns and the one agreement rule that links them to an antecedent.

Shared by the sources of attributions (``sources.py``: "it said" -> the
statement's source) and the actors of the agency layer (``actors.py``: "its
forces" -> the army). A nearest-compatible-antecedent heuristic in the spirit of
Hobbs (1978) and Lappin & Leass (1994): the caller walks its candidates from the
nearest back and takes the first one that ``agrees``:

* he, she, his, her, I, me -> a person;
* it, its -> a singular non-person (an organisation, a country, a group);
* they, them, their, we, us, our -> a non-person that is plural or an
  organisation (when the candidate's number is unknown, any non-person).

Limits: gender and number come from word lists and the tagger, so a company
called "it" or "the group ... they" can be missed; no trained coreference.
"""

from __future__ import annotations

from typing import Optional

PERSON = frozenset("he she him her his hers himself herself i me".split())
THING = frozenset("it its itself".split())
GROUP = frozenset("they them their theirs themselves".split())
WE = frozenset("we us our ours ourselves".split())
RELATIVE = frozenset("who which that whom".split())


def pronoun_class(word: str) -> str:
    """person, thing, group, we, or "" for a word that is not one of these pronouns."""
    w = word.lower()
    for name, words in (("person", PERSON), ("thing", THING), ("group", GROUP), ("we", WE)):
        if w in words:
            return name
    return ""


def is_pronoun(word: str) -> bool:
    return bool(pronoun_class(word))


def agrees(word: str, *, person: bool, plural: Optional[bool] = None, organisation: bool = False) -> bool:
    """True when the pronoun ``word`` can refer to a candidate with these features."""
    kind = pronoun_class(word)
    if kind == "person":
        return person
    if kind == "thing":
        return not person and not plural
    if kind in ("group", "we"):
        return not person and (plural is None or plural or organisation)
    return False
