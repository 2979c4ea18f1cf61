"""Pronouns and the one agreement rule that links them to an antecedent.

Shared by the sources of attributions (``sources.py``: "it said" -> the
statement's source) and the actors of the agency layer (``actors.py``: "its
forces" -> the army). A nearest-compatible-antecedent heuristic in the spirit of
Hobbs (1978) and Lappin & Leass (1994): the caller walks its candidates from the
nearest back and takes the first one that ``agrees``:

* he, she, his, her, I, me -> a person;
* it, its -> a singular non-person (an organisation, a country, a group);
* they, them, their, we, us, our -> a non-person that is plural or an
  organisation (when the candidate's number is unknown, any non-person);
* gender, where the text marks it: he/him/his never take a candidate marked
  female, she/her never one marked male. ``gender_of`` reads the marks: a title
  or gendered noun in the phrase or just before the name ("Mr.", "Ms.",
  "spokeswoman", "chairman"), and a gendered pronoun already linked to it.
  Unmarked candidates agree with both.

Limits: gender and number come from word lists and the tagger (no list of
first names), so a company called "it" or "the group ... they" can be missed;
no trained coreference.
"""

from __future__ import annotations

from typing import Optional

PERSON = frozenset("he she him her his hers himself herself i me".split())
THING = frozenset("it its itself".split())
GROUP = frozenset("they them their theirs themselves".split())
WE = frozenset("we us our ours ourselves".split())
RELATIVE = frozenset("who which that whom".split())
FEMININE = frozenset("she her hers herself".split())
MASCULINE = frozenset("he him his himself".split())
_FEMALE_WORDS = frozenset("""ms ms. mrs mrs. miss madam lady woman women spokeswoman chairwoman congresswoman
businesswoman councilwoman anchorwoman sister mother wife daughter queen princess actress girl grandmother
widow duchess""".split())
_MALE_WORDS = frozenset("""mr mr. sir man men spokesman chairman congressman businessman councilman anchorman
brother father husband son king prince actor boy grandfather widower duke""".split())


def pronoun_gender(word: str) -> str:
    """"f" for she/her, "m" for he/his, "" otherwise."""
    w = word.lower()
    return "f" if w in FEMININE else "m" if w in MASCULINE else ""


def gender_of(words) -> str:
    """"f", "m" or "" from the gendered titles and nouns among ``words`` (strings); "" when marks disagree."""
    found = {("f" if w.lower() in _FEMALE_WORDS else "m") for w in words
             if w.lower() in _FEMALE_WORDS or w.lower() in _MALE_WORDS}
    return found.pop() if len(found) == 1 else ""


def pronoun_class(word: str) -> str:
    """person, thing, group, we, or "" for a word that is not one of these pronouns."""
    w = word.lower()
    for name, words in (("person", PERSON), ("thing", THING), ("group", GROUP), ("we", WE)):
        if w in words:
            return name
    return ""


def is_pronoun(word: str) -> bool:
    return bool(pronoun_class(word))


def agrees(word: str, *, person: bool, plural: Optional[bool] = None, organisation: bool = False,
           gender: str = "") -> bool:
    """True when the pronoun ``word`` can refer to a candidate with these features (``gender``: "f", "m" or
    "" when the text does not mark it)."""
    kind = pronoun_class(word)
    if kind == "person":
        wanted = pronoun_gender(word)
        return person and not (wanted and gender and gender != wanted)
    if kind == "thing":
        return not person and not plural
    if kind in ("group", "we"):
        return not person and (plural is None or plural or organisation)
    return False


#: Determiners that make a noun phrase refer back ("the monitor", "those groups"); possessives for sources.
ANAPHORIC_DETERMINERS = frozenset("the this that these those".split())


def short_reference(tok, heads, possessives=()) -> str:
    """The head lemma when ``tok`` heads a short description that refers back to an earlier participant,
    else "". Shared by sources ("the monitor said" -> the Syrian Observatory) and actors ("the army" -> the
    Syrian army): the head is one of ``heads``, its determiner is anaphoric (or one of ``possessives``: "its
    spokesman"), and no modifier names anyone ("the Syrian army", "the UN monitor" and "the 2 groups" are
    descriptions in their own right; "the same source" still refers back)."""
    lemma = tok.lemma_.lower()
    if lemma not in heads and tok.lower_ not in heads:
        return ""
    det = next((c for c in tok.children if c.dep_ in ("det", "poss") and c.i < tok.i), None)
    if det is None or (det.lower_ not in ANAPHORIC_DETERMINERS and det.lower_ not in possessives):
        return ""
    for c in tok.children:
        if c.i < tok.i and c is not det and (c.pos_ in ("PROPN", "NUM") or c.ent_type_):
            return ""
    return lemma if lemma in heads else tok.lower_
