"""Agency: who acts and who is acted upon, clause by clause.

Every verb and every event noun from ``lexicons/event_nouns.csv`` ("withdrawal",
"attack", "rise", "killing") becomes a ``Clause`` with its voice, its agent (the
doer) and patient (the one acted upon), the actor each belongs to, and whether
the doer is hidden:

* an agentless passive ("civilians were killed");
* an event noun with no possessor, "by", agent-"of" or actor modifier
  ("the withdrawal" versus "the Syrian army's withdrawal");
* a verb whose subject is the one harmed ("died", "perished") — a death with
  no one named as its cause.

Voice follows ``passive.py`` (PassivePy-style rules over the spaCy parse);
actors and pronoun linking follow ``actors.py``; verb classes (harm_violence,
combat, military_movement, territorial_control, speech, other) come from
``lexicons/verb_classes.csv``. A verb covered by a loaded-term euphemism hit
("redeployed", "neutralised") takes the class of the term's plain word, so the
loaded-terms and agency layers agree, and says so in ``Clause.note``.

Limits: participants come from one dependency parse (sm model), so attachment
errors give wrong agents; prenominal participles ("armed forces") are read as
adjectives, not clauses; event nouns are a closed list; subjects of infinitives
and conjuncts are inherited by rule (controller of "managed to enter", subject
of the first conjunct) and can be wrong.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ..lexicons import bundled_path, one_of, read_table
from ..model import Article, Clause, Structure, TermHit
from . import actors as actors_mod
from .common import doc_text, excluded_array, excluded_mask, token_arrays
from .agency_scores import AgencyLexicon, actor_roles, agency_measures, load_agency_lexicon
from .passive import agent_of, passive_kind, passive_subject, relative_head

__all__ = ["extract_agency", "agency_measures", "load_agency_lexicon", "AgencyLexicon", "verb_classes"]

VERB_CLASSES = ("harm_violence", "combat", "military_movement", "territorial_control", "speech", "other")
LIGHT_VERBS = frozenset("launch carry conduct stage mount wage commit perpetrate unleash".split())
OBJECT_CONTROL = frozenset("force order urge ask allow compel push lead prompt tell call".split())


@lru_cache(maxsize=1)
def verb_classes() -> tuple[dict, dict]:
    """(verbs, event nouns): lemma -> row dict, read once from the bundled lexicons."""
    check = {"verb_class": one_of(*VERB_CLASSES)}
    verbs = read_table(bundled_path("verb_classes.csv"), ("lemma", "verb_class", "subject_role"),
                       {**check, "subject_role": one_of("agent", "patient")}, ("euphemism", "note"))
    nouns = read_table(bundled_path("event_nouns.csv"), ("noun", "verb_class", "of_role"),
                       {**check, "of_role": one_of("agent", "patient")}, ("euphemism", "note"))
    return {r["lemma"]: r for r in verbs}, {r["noun"]: r for r in nouns}


def extract_agency(doc, article: Article, structure: Structure, terms: tuple[TermHit, ...],
                   agency_lexicon: Optional[AgencyLexicon] = None):
    """Clauses and actor roles of one parsed article (see the module docstring)."""
    verbs, nouns = verb_classes()
    excluded = excluded_mask(doc, structure)
    index = actors_mod.find_actors(doc, structure, terms, excluded)
    euphemisms = _euphemism_tokens(doc, terms)
    clauses = []
    sentence = token_arrays(doc).sent
    for i in _clause_candidates(doc, excluded_array(doc, structure), nouns):
        tok, si = doc[i], int(sentence[i])
        clause = None
        if tok.pos_ == "VERB" and tok.dep_ != "amod" or (tok.pos_ == "ADJ" and passive_kind(tok)):
            clause = _verb_clause(tok, si, verbs, index, euphemisms.get(tok.i))
        elif tok.pos_ == "NOUN" and tok.dep_ != "compound":
            row = nouns.get(_two_word(tok)) or nouns.get(tok.lemma_.lower())
            if row is not None:
                clause = _noun_clause(tok, si, row, index, euphemisms.get(tok.i), verbs, nouns)
        if clause is not None:
            clauses.append(clause)
    return tuple(clauses), actor_roles(index, clauses, agency_lexicon)


def _clause_candidates(doc, excluded, nouns: dict) -> list[int]:
    """Indices of the tokens that can head a clause, in text order, tested on the doc's arrays
    (no Token objects): not excluded, and a verb (not ``amod``), an adjective, or a noun (not
    ``compound``) whose lemma ends some event-noun entry ("attack", "air strike")."""
    import numpy

    a = token_arrays(doc)
    ends = set()
    for key in nouns:
        ends.add(key)
        ends.update(key[j + 1:] for j, ch in enumerate(key) if ch == " ")
    strings = a.strings
    noun = a.isin("pos", ("NOUN",)) & ~a.isin("dep", ("compound",))
    lemmas = [h for h in numpy.unique(a.lemma[noun]).tolist() if strings[h].lower() in ends]
    noun &= numpy.isin(a.lemma, numpy.array(lemmas, dtype="uint64"))
    verb = a.isin("pos", ("VERB",)) & ~a.isin("dep", ("amod",))
    keep = (verb | a.isin("pos", ("ADJ",)) | noun) & ~excluded
    return numpy.flatnonzero(keep).tolist()


def _euphemism_tokens(doc, terms) -> dict:
    out = {}
    for hit in terms:
        if "euphem" in (hit.function + " " + hit.category).lower():
            for t in doc.char_span(hit.start, hit.end, alignment_mode="expand") or ():
                out.setdefault(t.i, hit)
    return out


def _two_word(tok) -> str:
    left = tok.nbor(-1) if tok.i > 0 else None
    return f"{left.lower_} {tok.lemma_.lower()}" if left is not None and left.dep_ in ("compound", "amod") else ""


def _phrasal(tok) -> str:
    prt = next((c for c in tok.children if c.dep_ == "prt"), None)
    return f"{tok.lemma_.lower()} {prt.lower_}" if prt is not None else ""


def _class_from_hit(hit, verbs, nouns, fallback: str) -> tuple[str, str]:
    """The class of a euphemism's plain word ("withdrawal" -> military_movement), and a note."""
    note = f"euphemism (loaded-terms lexicon: {hit.term!r}); plain word: {hit.neutral_alternative}"
    for word in (hit.neutral_alternative or "").replace(";", " ").replace("/", " ").replace(",", " ").lower().split():
        for cand in (word, word[:-2], word[:-1], word[:-2] + "e", word[:-3] if word.endswith("ing") else word):
            row = verbs.get(cand) or nouns.get(cand) or nouns.get(word)
            if row is not None and row["verb_class"] != "other":
                return row["verb_class"], note
    return fallback, note


def _lexicon_note(row) -> str:
    if row is not None and row.get("euphemism"):
        return f"euphemism for {row['euphemism']!r}: {row.get('note', '')}".rstrip(": ")
    return ""


def active_subject(verb, depth: int = 0):
    """The doer of an active verb: its subject, or the one it inherits by rule."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return relative_head(c, verb)
    if depth > 6:
        return None
    head, dep = verb.head, verb.dep_
    if head is verb:
        return None
    if dep == "xcomp" or (dep == "advcl" and verb.tag_ in ("VB", "VBG")) or dep == "conj":
        kind = passive_kind(head)
        if kind:
            return passive_subject(head, kind)
        if dep == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        return active_subject(head, depth + 1) if head.pos_ in ("VERB", "AUX") else None
    if dep == "acl" and verb.tag_ == "VBG":
        return head
    if dep == "relcl":
        return head
    return None


def _span(tok):
    """(text, start, end) of the noun phrase a participant token heads, trimmed."""
    if tok is None:
        return "", None, None
    doc = tok.doc
    a = token_arrays(doc)
    lo = tok.left_edge.i if tok.pos_ != "PRON" else tok.i
    hi = tok.i
    if tok.ent_type_:
        while hi + 1 < a.n and a.ent_iob[hi + 1] == 1:  # ent_iob_ "I"
            hi += 1
    punct, space, tags = a.is_punct, a.is_space, a.texts("tag")
    while lo < hi and (punct[lo] or space[lo]):
        lo += 1
    while hi > lo and (punct[hi] or tags[hi] == "POS" or space[hi]):
        hi -= 1
    starts, ends = a.offsets()
    start, end = starts[lo], ends[hi]
    return doc_text(doc)[start:end], start, end  # = doc[lo:hi + 1].text


def _verb_clause(tok, si, verbs, index, hit) -> Clause:
    lemma = tok.lemma_.lower()
    row = verbs.get(_phrasal(tok)) or verbs.get(lemma)
    verb_class = row["verb_class"] if row else "other"
    note = _lexicon_note(row)
    if hit is not None:
        verb_class, note = _class_from_hit(hit, verbs, verb_classes()[1], verb_class)
    kind = passive_kind(tok)
    if kind:
        agent, patient, hidden = agent_of(tok), passive_subject(tok, kind), agent_of(tok) is None
    else:
        agent = active_subject(tok)
        patient = next((relative_head(c, tok) for c in tok.children if c.dep_ == "dobj"), None)
        hidden = False
        if row is not None and row["subject_role"] == "patient" and patient is None:
            agent, patient = None, agent
            hidden = not _has_by(tok)
    return _clause(tok, si, lemma, verb_class, "passive" if kind else "active", agent, patient, hidden, False, index, note)


def _has_by(tok) -> bool:
    return any(c.dep_ in ("agent", "prep") and c.lower_ == "by" for c in tok.children)


def _noun_clause(tok, si, row, index, hit, verbs, nouns) -> Clause:
    agent = patient = None
    for c in tok.children:
        if c.dep_ == "poss" and agent is None:
            agent = c
        elif c.dep_ in ("prep", "agent") and c.lower_ in ("by", "of", "on", "against"):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is None:
                continue
            if c.lower_ == "by" or (c.lower_ == "of" and row["of_role"] == "agent"):
                agent = agent or obj
            else:
                patient = patient or obj
        elif c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i and agent is None and index.actor(c):
            agent = c  # "rebel advance", "Israeli strikes"
            index.claim(c)
    if agent is None:
        agent = _light_verb_agent(tok)
    verb_class, note = row["verb_class"], _lexicon_note(row)
    if hit is not None:
        verb_class, note = _class_from_hit(hit, verbs, nouns, verb_class)
    return _clause(tok, si, tok.lemma_.lower(), verb_class, "", agent, patient, agent is None, True, index, note)


def _light_verb_agent(noun):
    """"attacks launched by X", "X carried out the attack": the light verb's doer."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in LIGHT_VERBS:
        return agent_of(head) if passive_kind(head) else active_subject(head)
    for c in noun.children:
        if c.dep_ == "acl" and c.lemma_.lower() in LIGHT_VERBS:
            return agent_of(c)
    return None


def _clause(tok, si, lemma, verb_class, voice, agent, patient, hidden, nominal, index, note) -> Clause:
    a_text, a_start, a_end = _span(agent)
    p_text, p_start, p_end = _span(patient)
    return Clause(
        sentence_index=si, verb_text=tok.text, verb_lemma=lemma, verb_start=tok.idx,
        verb_end=tok.idx + len(tok), verb_class=verb_class, voice=voice,
        agent_text=a_text, agent_start=a_start, agent_end=a_end, agent_actor=index.actor(agent),
        patient_text=p_text, patient_start=p_start, patient_end=p_end, patient_actor=index.actor(patient),
        agent_hidden=hidden, nominalization=nominal, note=note,
    )
