"""Morphology for lexicon matching: spelling variants, lemma and surface forms, phrase variants.

A lexicon word stands for its British/American spellings (organization /
organisation, defense / defence), its inflected forms stripped to a lemma
("organizations" -> "organization") and, for tokens the tagger calls proper
nouns (title-case headlines), its lower-case surface forms. An optional ``[its]``
slot in a phrase expands to nothing or a determiner or possessive.

Limits: rules, not a morphological analyser: irregular plurals other than
"-men" and irregular verbs are not derived (list them as variants).
"""

from __future__ import annotations

import re

_SPELLINGS = tuple((re.compile(a), b) for a, b in (
    (r"ization", "isation"), (r"isation", "ization"), (r"iz(e|ed|es|ing)$", r"is\1"), (r"is(e|ed|es|ing)$", r"iz\1"),
    (r"yze$", "yse"), (r"yse$", "yze"), (r"ense(less)?$", r"ence\1"), (r"ence(less)?$", r"ense\1"),
    (r"(?<=\w{3})our(s?)$", r"or\1"), (r"(?<=\w{3})or(s?)$", r"our\1")))
_MAX_PATTERNS = 400  # token sequences per written form; more means a pathological phrase


def spellings(word: str) -> set[str]:
    """The word and its other spelling (organization/organisation, defense/defence)."""
    out = {word}
    for pattern, repl in _SPELLINGS:
        out.add(pattern.sub(repl, word))
    return out


def lemma_forms(word: str) -> set[str]:
    """Lemmas a lexicon word stands for: itself and its forms with inflection stripped."""
    w = word.lower().replace("’", "'")
    forms = {w}
    if w.endswith("ies"):
        forms.add(w[:-3] + "y")
    elif w.endswith(("ches", "shes", "sses", "xes")):
        forms.add(w[:-2])
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.add(w[:-1])
    if w.endswith("men"):
        forms.add(w[:-3] + "man")
    if w.endswith("ied"):
        forms.add(w[:-3] + "y")
    elif w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
        forms.update((stem, stem + "e") + ((stem[:-1],) if stem[-1] == stem[-2] else ()))
    return {s for f in forms for s in spellings(f)}


def surface_forms(word: str, inflect: bool) -> set[str]:
    """Lower-case surface forms, for tokens the tagger calls proper nouns (title-case headlines)."""
    w = word.lower().replace("’", "'")
    forms = {w}
    if inflect and w[-1:].isalpha():
        stem = w[:-1] if w.endswith("e") else w
        forms.update({w + "s", w + "es", stem + "ed", stem + "ing"})
        if w.endswith("y"):
            forms.update({w[:-1] + "ies", w[:-1] + "ied"})
    return {s for f in forms for s in spellings(f)}


_SLOT_FILLERS = ("", "its", "their", "his", "her", "our", "the", "a", "all")


def _pieces(form: str, tokenizer) -> list[str]:
    out = []
    for piece in form.split():
        out.extend([piece] if piece.startswith("[") else [t.text for t in tokenizer(piece)])
    return out


def phrase_variants(form: str, tokenizer, attr: str) -> list[tuple[str, ...]]:
    """Token sequences a written form stands for, as LEMMA or LOWER values.

    An optional ``[its]`` slot expands to nothing or a determiner/possessive; a
    hyphen may be left out; each word takes each of its lemma (or surface) forms.
    """
    pieces = _pieces(form, tokenizer)
    words = [i for i, p in enumerate(pieces) if not p.startswith("[") and p != "-"]
    inflected = {words[0], words[-1]} if words else set()
    combos: list[tuple[str, ...]] = [()]
    for i, piece in enumerate(pieces):
        if piece.startswith("["):
            step = _SLOT_FILLERS
        elif piece == "-":
            step = ("", "-")
        else:
            step = tuple(sorted(lemma_forms(piece) if attr == "LEMMA" else surface_forms(piece, i in inflected)))
        combos = [c + ((s,) if s else ()) for c in combos for s in step]
        if len(combos) > _MAX_PATTERNS:
            combos = combos[:_MAX_PATTERNS]
    return combos
