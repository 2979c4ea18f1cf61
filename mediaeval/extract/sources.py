"""Sources of attributions: resolved past pronouns and short references, typed.

Resolution is the nearest-compatible-antecedent heuristic of ``reference.py``
(one agreement rule, shared with the actors of the agency layer), restricted to
what quotes need: a source that is a
pronoun ("it said", "he added") or a short definite reference ("the monitor",
"the statement", "the source") is taken back to the nearest earlier source (or,
failing that, named entity) that agrees with it: persons for he/she/I, non-persons
for it, groups or plurals for they/we; for "the monitor" an earlier source that
contains the noun "monitor" or whose type the noun suggests.

Typing (``lexicons/source_types.csv``): the first pattern that matches the
source phrase, its appositions or its antecedent; else spaCy's entity type;
else ``unknown``. ``anonymous`` is true for unnamed sources ("sources said", "an
official who spoke on condition of anonymity") and for cues without a source
(passives such as "it is believed", "is expected").

Limits: no trained coreference; a pronoun whose antecedent is not itself a
source or an entity stays unresolved (its own text); typing reads words, not
knowledge of who people are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..lexicons import bundled_path, one_of, read_table
from ..source_types import SOURCE_TYPES, STATE_OWNERSHIP
from .reference import RELATIVE, agrees

STATE_WORDS = re.compile(
    r"\b(?:state|state[- ](?:run|owned|controlled|funded|backed)|government[- ](?:run|owned|controlled)|official|"
    r"regime)[- ](?:(?:news|press)[- ])?(?:media|television|tv|broadcaster|radio|news agency|agency|newspaper|daily|"
    r"channel|outlet|press|news)\b", re.I)
TYPES_FILE = "source_types.csv"
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me"}
GROUP_PRONOUNS = {"they", "them", "we", "us"}
THING_PRONOUNS = {"it"}
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS
SHORT_HEADS = {"statement", "monitor", "source", "group", "army", "agency", "ministry", "military", "observatory",
               "organization", "organisation", "official", "spokesman", "spokeswoman", "spokesperson", "report",
               "command", "government", "campaign", "president", "minister", "company", "office", "department",
               "committee", "newspaper", "paper", "network", "station", "council", "court", "senator", "candidate",
               "nominee", "administration", "force", "forces", "rebels", "activists", "analyst", "expert", "study"}
PERSON_WORDS = re.compile(r"\b(spokes(man|woman|person)|official|minister|president|senator|sen\.|rep\.|governor|mayor|"
                          r"analyst|professor|expert|resident|witness|activist|reporter|journalist|candidate|nominee|"
                          r"general|commander|mr\.|mrs\.|ms\.|dr\.|secretary|chief|director|leader|adviser|advisor|aide)\b", re.I)


@lru_cache(maxsize=4)
def type_patterns(path: str | None = None) -> tuple[tuple[str, "re.Pattern", bool], ...]:
    """(type, compiled pattern, anonymous) rows of the source-type file, in order."""
    rows = read_table(Path(path) if path else bundled_path(TYPES_FILE), ["type", "pattern", "anonymous", "note"],
                      validators={"type": one_of(*SOURCE_TYPES), "anonymous": one_of("yes", "no"),
                                  "pattern": _check_regex})
    return tuple((r["type"], re.compile(r"\b(?:" + r["pattern"] + r")(?!\w)", re.I), r["anonymous"] == "yes")
                 for r in rows)


def _check_regex(value: str):
    if not value:
        return "empty; every row needs a pattern"
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


def classify(text: str, ent_label: str = "") -> tuple[str, bool]:
    """(source_type, anonymous) for a source phrase; see the module docstring."""
    if not text.strip():
        return "anonymous", True
    for kind, pattern, anonymous in type_patterns():
        if pattern.search(text):
            return kind, anonymous
    if ent_label in ("GPE", "NORP"):
        return "government", False
    return "unknown", False


def state_affiliated(text: str, agencies=None) -> bool:
    """True when a source phrase names a state-owned agency (``agencies`` table) or says
    "state television", "state-run media", "official news agency" and the like."""
    if not text:
        return False
    if STATE_WORDS.search(text):
        return True
    if agencies is not None:
        exact = agencies.resolve(text, strict=True)
        found = [exact] if exact is not None else [a for _, _, a in agencies.find(text)]
        return any(a.ownership in STATE_OWNERSHIP for a in found)
    return False


def _head(doc, span):
    toks = doc[span[0]:span[1]]
    return toks.root if len(toks) else None


def _is_person(doc, span) -> bool:
    toks = doc[span[0]:span[1]]
    if any(t.ent_type_ == "PERSON" for t in toks):
        return True
    root = toks.root
    return bool(PERSON_WORDS.search(root.text)) or root.lower_ in PERSON_PRONOUNS


def canonical(doc, span) -> str:
    """The source phrase without a trailing apposition or relative clause."""
    toks = doc[span[0]:span[1]]
    root = toks.root
    end = span[1]
    for c in root.children:
        if c.i > root.i and c.dep_ in ("appos", "relcl", "acl") and span[0] <= c.i < span[1] and c.dep_ != "acl":
            end = min(end, c.left_edge.i)
    while end > span[0] + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[span[0]:end].text


def describe_sources(doc, found, floating, lexicon) -> list:
    """[(Found, info)] for all attributions, text order; info has resolved, type, anonymous, cue_class."""
    allf = sorted(list(found) + list(floating), key=lambda f: doc[f.head].idx if f.cue else f.content[0][0])
    history: list[tuple[int, str, str, bool, bool]] = []  # (char, resolved, type, anonymous, person)
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    out = []
    for f in allf:
        cue = doc[f.head] if f.cue else None
        cue_class = lexicon.get(cue.lemma_.lower(), {}).get("class", "") if cue is not None else ""
        if cue is not None and cue.lemma_.lower() == "accord":
            cue_class = "according"
        if f.kind == "floating" and f.carried is not None:
            prev = next((i for g, i in out if g is f.carried), None)
            info = dict(prev) if prev else {"resolved": "", "type": "unknown", "anonymous": False}
            info["cue_class"] = ""
            out.append((f, info))
            continue
        if not f.source:
            impersonal = cue is not None and _impersonal(cue)
            info = {"resolved": "", "type": "anonymous" if impersonal else "unknown", "anonymous": impersonal,
                    "cue_class": cue_class}
            out.append((f, info))
            continue
        text = canonical(doc, f.source)
        full = doc[f.source[0]:f.source[1]].text
        root = _head(doc, f.source)
        start_char = doc[f.source[0]].idx
        resolved, kind, anon, person = text, None, False, _is_person(doc, f.source)
        short = root is not None and (root.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | RELATIVE
                                      or (root.lower_ in SHORT_HEADS and f.source[1] - f.source[0] <= 3
                                          and doc[f.source[0]].lower_ in ("the", "this", "that", "its", "his", "her")))
        if short and root is not None:
            ante = _antecedent(doc, root, start_char, history, ents)
            if ante is not None:
                resolved, kind, anon, person = ante[1], ante[2], ante[3], ante[4]
        if kind is None:
            ent = root.ent_type_ if root is not None else ""
            kind, anon = classify(full, ent)
            if kind == "unknown" and resolved != full:
                kind, anon = classify(resolved, ent)
        info = {"resolved": resolved, "type": kind, "anonymous": anon, "cue_class": cue_class}
        history.append((start_char, resolved, kind, anon, person))
        out.append((f, info))
    return out


def _impersonal(cue) -> bool:
    """A sourceless passive or expletive: "it is believed", "X is expected to", "reportedly"."""
    kids = list(cue.children)
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in kids) or any(c.dep_ == "expl" for c in kids):
        return True
    return cue.lower_ in ("reportedly", "allegedly") or (cue.tag_ == "VBN" and any(c.lemma_ == "be" for c in kids))


def _antecedent(doc, root, before: int, history, ents):
    """The nearest earlier compatible source (or entity) for a pronoun or short reference."""
    word = root.lower_
    if word in RELATIVE:
        head = root.head
        while head.dep_ in ("relcl", "acl") and head.head.i != head.i:
            head = head.head
        if head.i != root.i and head.pos_ in ("PROPN", "NOUN"):
            text = doc[head.left_edge.i:head.i + 1].text
            kind, anon = classify(text, head.ent_type_)
            return (head.idx, text, kind, anon, head.ent_type_ == "PERSON")
        return None
    for char, resolved, kind, anon, person in reversed(history):
        if char >= before:
            continue
        if word in PRONOUNS:
            if agrees(word, person=person):  # the one agreement rule (reference.py), shared with actors
                return (char, resolved, kind, anon, person)
        elif re.search(r"\b" + re.escape(word), resolved, re.I):
            return (char, resolved, kind, anon, person)
    for e in reversed(ents):
        if e.start_char >= before:
            continue
        if word in PRONOUNS and e.label_ in ("PERSON", "ORG", "NORP", "GPE") and agrees(word, person=e.label_ == "PERSON"):
            kind, anon = classify(e.text, e.label_)
            return (e.start_char, e.text, kind, anon, e.label_ == "PERSON")
        if before - e.start_char > 1500:
            break
    return None
