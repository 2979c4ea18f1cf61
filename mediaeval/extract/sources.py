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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..lexicons import bundled_path, one_of, read_table
from ..source_types import SOURCE_TYPES, STATE_OWNERSHIP
from .reference import RELATIVE, agrees, gender_of, pronoun_gender, short_reference

STATE_WORDS = re.compile(
    r"\b(?:state|state[- ](?:run|owned|controlled|funded|backed)|government[- ](?:run|owned|controlled)|official|"
    r"regime)[- ](?:(?:news|press)[- ])?(?:media|television|tv|broadcaster|radio|news agency|agency|newspaper|daily|"
    r"channel|outlet|press|news)\b", re.I)
MEDIA_CONTEXT = re.compile(r"\b(?:news|agency|television|tv|radio|media|broadcaster|reporter|correspondent)\b", re.I)
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
SOURCE_POSSESSIVES = frozenset("its his her".split())  # "its spokesman said"
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
    """True when a source phrase names a state-owned agency (``agencies`` table; a short alias such as "SANA"
    counts alone or beside a media word: "the official SANA news agency") or says "state television",
    "state-run media", "official news agency" and the like."""
    if not text:
        return False
    if STATE_WORDS.search(text):
        return True
    if agencies is not None:
        exact = agencies.resolve(text, strict=True)
        # a short alias ("SANA", "TASS") is ambiguous in running text, not beside "news agency" in a source phrase
        found = [exact] if exact is not None else [a for _, _, a in agencies.find(text, strict=bool(
            MEDIA_CONTEXT.search(text)))]
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
    for f in allf:
        if f.source:
            f.source = trim_evaluation(doc, f.source)
    history: list[Candidate] = []
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    genders: dict = {}  # a name's last word -> "f"/"m", once the text marks it
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
        plural = root is not None and (root.tag_ in ("NNS", "NNPS") or root.lower_ in GROUP_PRONOUNS)
        organisation = root is not None and root.ent_type_ in ("ORG", "NORP", "GPE")
        gender = _gender(doc, f.source[0], f.source[1], genders) if person else ""
        short = root is not None and (root.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | RELATIVE
                                      or (f.source[1] - f.source[0] <= 3
                                          and short_reference(root, SHORT_HEADS, SOURCE_POSSESSIVES)))
        if short and root is not None:
            ante = _antecedent(doc, root, start_char, history, ents, genders)
            if ante is not None:
                resolved, kind, anon, person = ante.resolved, ante.kind, ante.anonymous, ante.person
                plural, organisation, gender = ante.plural, ante.organisation, ante.gender
                if pronoun_gender(root.lower_) and not ante.gender and ante.resolved.split():
                    genders[ante.resolved.split()[-1]] = pronoun_gender(root.lower_)  # "Arabi ... he" marks Arabi
        if kind is None:
            ent = root.ent_type_ if root is not None else ""
            kind, anon = classify(full, ent)
            if kind == "unknown" and resolved != full:
                kind, anon = classify(resolved, ent)
        info = {"resolved": resolved, "type": kind, "anonymous": anon, "cue_class": cue_class}
        history.append(Candidate(start_char, resolved, kind, anon, person, plural, organisation, gender))
        out.append((f, info))
    return out


def _impersonal(cue) -> bool:
    """A sourceless passive or expletive: "it is believed", "X is expected to", "reportedly"."""
    kids = list(cue.children)
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in kids) or any(c.dep_ == "expl" for c in kids):
        return True
    return cue.lower_ in ("reportedly", "allegedly") or (cue.tag_ == "VBN" and any(c.lemma_ == "be" for c in kids))


@dataclass(frozen=True)
class Candidate:
    """An earlier source (or entity) a pronoun or short reference may resolve to."""

    char: int
    resolved: str
    kind: str
    anonymous: bool
    person: bool
    plural: bool = False
    organisation: bool = False
    gender: str = ""  # "f", "m" or "" where the text does not mark it

    def takes(self, word: str) -> bool:
        return agrees(word, person=self.person, plural=self.plural,
                      organisation=self.organisation or self.kind in ORGANISATION_TYPES, gender=self.gender)


#: Source types that speak as an organisation ("they said" can name them).
ORGANISATION_TYPES = frozenset({"government", "military", "armed_group", "ngo_monitor", "international_org", "media"})
#: Evaluations that can open a source phrase when a comma is lost ("... are totally false state news agency SANA
#: said"); never part of a source name.
EVALUATIONS = frozenset("""false untrue true baseless groundless unfounded fabricated fake incorrect inaccurate
wrong absurd ridiculous so-called self-styled self-proclaimed""".split())


QUANTITIES = frozenset("few many several numerous most more fewer less other same only".split())


def trim_evaluation(doc, span):
    """The source span without a leading evaluation: "totally false state news agency SANA" -> "state news
    agency SANA". An adverb and the plain adjective it grades, or an adjective of ``EVALUATIONS``; never the head,
    a comparative ("far fewer publications") or a quantity."""
    start, end = span
    i = start
    while i < end - 1 and doc[i].pos_ == "ADV" and doc[i + 1].pos_ in ("ADV", "ADJ"):
        i += 1
    graded = i > start
    adjectives = 0
    while i < end - 1 and doc[i].pos_ == "ADJ" and doc[i].tag_ == "JJ" and not doc[i].ent_type_ \
            and doc[i].lower_ not in QUANTITIES and (graded or doc[i].lower_ in EVALUATIONS):
        i += 1
        adjectives += 1
        graded = False
    if not adjectives or doc[i].pos_ in ("ADP", "CCONJ", "PUNCT") or doc[start:end].root.i < i:
        return span
    return (i, end)


def _gender(doc, start: int, end: int, genders: dict) -> str:
    """The gender the text marks for a person phrase: titles and gendered nouns in it or just before it, or
    a pronoun already linked to the same name."""
    words = [t.text for t in doc[max(0, start - 3):end] if not t.is_space]
    found = gender_of(words[-(end - start) - 3:])
    if found:
        last = doc[start:end][-1].text
        genders.setdefault(last, found)
        return found
    return genders.get(doc[start:end][-1].text, "") if end > start else ""


def _antecedent(doc, root, before: int, history, ents, genders=None):
    """The nearest earlier compatible source (or entity) for a pronoun or short reference.

    Pronouns take the nearest earlier source that agrees in number, person and marked gender; a person
    named closer to the pronoun whose gender the text marks as the pronoun's ("government spokeswoman
    Najat Vallaud-Belkacem ... she added") wins over an earlier source of unmarked gender."""
    genders = {} if genders is None else genders
    word = root.lower_
    if word in RELATIVE:
        head = root.head
        while head.dep_ in ("relcl", "acl") and head.head.i != head.i:
            head = head.head
        if head.i != root.i and head.pos_ in ("PROPN", "NOUN"):
            text = doc[head.left_edge.i:head.i + 1].text
            kind, anon = classify(text, head.ent_type_)
            return Candidate(head.idx, text, kind, anon, head.ent_type_ == "PERSON")
        return None
    found = None
    for cand in reversed(history):
        if cand.char >= before:
            continue
        if word in PRONOUNS:
            if cand.takes(word):  # the one agreement rule (reference.py), shared with actors
                found = cand
                break
        elif re.search(r"\b" + re.escape(word), cand.resolved, re.I):
            return cand
    wanted = pronoun_gender(word)
    for e in reversed(ents):
        if e.start_char >= before:
            continue
        if before - e.start_char > 1500 or (found is not None and e.start_char <= found.char):
            break
        if word not in PRONOUNS:
            continue
        person = e.label_ == "PERSON"
        gender = _gender(doc, e.start, e.end, genders) if person else ""
        if found is not None and not (wanted and gender == wanted):
            continue  # an earlier source stays the antecedent unless the text marks this person as the pronoun's
        if agrees(word, person=person, organisation=not person, gender=gender):
            kind, anon = classify(e.text, e.label_)
            return Candidate(e.start_char, e.text, kind, anon, person, False, not person, gender)
    return found
