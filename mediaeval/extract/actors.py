"""Actors: the participants clauses are about, with their mentions.

An actor is a named entity (person, organisation, place, nationality), a
loaded-term ``refers_to`` group ("rebels" -> the group the lexicon says the word
names), or a bare group noun phrase ("government forces"). Names are normalised:
determiners, possessive endings and sentence-initial capitals go, so "The Syrian
army's" and "the Syrian army" are one actor, "Syrian army". A nationality or
country before a group noun makes one actor ("Syrian army", "Russian jets"); an
organisation before one is that organisation ("HTS fighters" -> "HTS"). "Name
(ACRONYM)" makes the acronym an alias of the name.

Pronouns and short descriptions are linked to the most recent compatible actor
*within the same paragraph*, by the agreement rule of ``reference.py`` (shared
with the sources of attributions; not a trained coreference model):

* "it", "its" -> a singular organisation, country or group; "they", "their" ->
  a plural group, a nationality or an organisation; "he"/"she" -> a person;
* "the group", "the army", "those groups" -> the last actor with the same head
  noun, else the last organisation or group of the same number;
* "its forces", "our soldiers" -> the actor of the possessive pronoun;
* "we"/"our" inside quotation marks -> the subject of the paragraph's speech
  verb ("said a statement issued by X" -> X).

One state's armed forces are one actor where the text supports it
(``state_forces_names``): "Syrian army", "Syrian government forces", the
"Syrian General Command of the Army and Armed Forces" (and the "our armed
forces" of its statement), and, when the article names one nationality's army,
the lexicon group of "government forces" and "troops".

``ActorIndex.mention_counts`` counts the understood subject of every further
clause one written mention serves, so no role count exceeds the mention count.

Limits: no linking across paragraphs (a paragraph that opens with "It said"
stays unlinked); gender and number come from word lists, so "the group ... they"
or a company called "it" can be missed; quotation marks come from
``quotes.find_quotes`` (a stray mark can confuse the speaker rule); aliases other than "Name (ACRONYM)" are not merged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from .common import token_in_quote
from .reference import WE, agrees, gender_of, pronoun_class, short_reference

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC"})
GROUP_NOUNS = frozenset("""
army armies force forces troops troop soldier soldiers military government governments regime
rebel rebels militant militants fighter fighters militia militias police group groups
organization organizations organisation organisations faction factions opposition authorities
authority ministry command coalition alliance jihadist jihadists insurgent insurgents terrorist
terrorists gunman gunmen unit units brigade brigades battalion battalions jets warplanes aircraft
navy administration officials official guard guards movement party parties side sides
commander commanders leadership state
""".split())
#: Heads that only refer back ("the group"): no actor of their own when unresolved.
GENERIC_HEADS = frozenset("group groups organization organizations organisation organisations side sides faction factions movement".split())
DETERMINERS = frozenset("the a an this that these those".split())
IT_KINDS = frozenset({"ORG", "GPE", "group", "refers_to"})  # what "it" can name among the actors
SPEECH = frozenset("say tell add state announce report claim confirm declare".split())
WINDOW = 40  # mentions looked back at for an antecedent (keeps the pass linear)


@dataclass
class Mention:
    actor: str
    kind: str
    plural: bool
    token: int
    start: int
    end: int
    paragraph: int
    via: str  # entity, term, group, pronoun, description, possessive, modifier
    sentence: int = -1
    head: str = ""  # lemma of the noun the mention is headed by ("groups" -> "group")
    gender: str = ""  # "f"/"m" where the text marks it ("Ms. Pelosi", "spokeswoman X"); see reference.gender_of


@dataclass
class ActorIndex:
    """Mentions and the token -> actor map the agency layer reads."""

    mentions: list = field(default_factory=list)
    token_actor: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    modifiers: dict = field(default_factory=dict)  # token -> Mention of an actor used as a modifier
    sentence_of_token: dict = field(default_factory=dict)
    current_sentence: int = -1

    def actor(self, token) -> str:
        if token is None:
            return ""
        if token.i in self.token_actor:
            return self.token_actor[token.i]
        m = self.modifiers.get(token.i)
        return m.actor if m is not None else ""

    def claim(self, token) -> None:
        """Count a modifier ("rebel" in "rebel advance") as a mention once a clause uses it."""
        m = self.modifiers.pop(token.i, None)
        if m is not None:
            self.add(m)

    def mention_counts(self, clauses) -> tuple[Counter, dict]:
        """Mentions per actor and the sentences they are in, so that no role count exceeds them.

        A written mention counts once for the first clause it fills a role in; every further clause
        it serves is an *understood* mention ("our armed forces have fought ... to repel and thwart":
        one written mention, the understood subject of "repel" and of "thwart"), and a role filled
        without a written mention counts as one. So ``as_agent`` and ``as_patient`` never exceed
        ``mentions``."""
        counts = Counter(m.actor for m in self.mentions)
        where = defaultdict(set)
        spans = defaultdict(list)
        for m in self.mentions:
            where[m.actor].add(m.sentence)
            spans[m.actor].append((m.start, m.end))
        uses = Counter()
        for n, c in enumerate(clauses):
            for actor, start, end in ((c.agent_actor, c.agent_start, c.agent_end),
                                      (c.patient_actor, c.patient_start, c.patient_end)):
                if not actor:
                    continue
                written = next(((a, b) for a, b in spans[actor] if start is not None and a < end and start < b), None)
                uses[(actor, written if written is not None else ("role", n, start))] += 1
                where[actor].add(c.sentence_index)
        for (actor, key), k in uses.items():
            counts[actor] += k if key[0] == "role" else k - 1
        return counts, where

    def rename(self, names: dict) -> None:
        """Merge actors: every mention and token of ``old`` becomes ``names[old]``."""
        if not names:
            return
        for m in self.mentions:
            m.actor = names.get(m.actor, m.actor)
        for m in self.modifiers.values():
            m.actor = names.get(m.actor, m.actor)
        self.token_actor = {i: names.get(a, a) for i, a in self.token_actor.items()}
        kinds = {}
        for actor, kind in self.kinds.items():
            kinds.setdefault(names.get(actor, actor), self.kinds.get(names.get(actor, actor), kind))
        self.kinds = kinds

    def add(self, m: Mention, tokens=()) -> None:
        self.mentions.append(m)
        self.kinds.setdefault(m.actor, m.kind)
        self.sentence_of_token.setdefault(m.token, self.current_sentence)
        if m.sentence < 0:
            m.sentence = self.sentence_of_token[m.token]
        for i in tokens or (m.token,):
            self.token_actor.setdefault(i, m.actor)


def normalise(tokens) -> str:
    """'The Syrian army’s' -> 'Syrian army'; sentence-initial 'Rebels' -> 'rebels'."""
    kept = [t for t in tokens if not t.is_space]
    while kept and (kept[0].is_punct or kept[0].lower_ in DETERMINERS):
        kept = kept[1:]
    while kept and (kept[-1].is_punct or kept[-1].tag_ == "POS" or kept[-1].dep_ == "case"):
        kept = kept[:-1]
    out = []
    for n, t in enumerate(kept):
        proper = t.pos_ == "PROPN" or t.ent_type_ in ACTOR_LABELS or t.text.isupper()
        out.append(t.text if proper else t.lower_)
        if n + 1 < len(kept) and t.whitespace_:
            out.append(" ")
    return "".join(out)


def find_actors(doc, structure, terms, excluded) -> ActorIndex:
    """One pass over the tokens: entity, term and group mentions; pronouns linked in the paragraph."""
    index = ActorIndex()
    term_at = _term_tokens(doc, terms)
    ent_at = {}
    for ent in doc.ents:
        if ent.label_ in ACTOR_LABELS:
            for t in ent:
                ent_at[t.i] = ent
    alias: dict = {}
    skip_before = structure.dateline.end if structure.dateline is not None else 0
    recent: list = []
    paragraph, speakers = 0, {}
    quoted = token_in_quote(doc)  # the one quotation scanner (extract/quotes.py)
    for tok in doc:
        if tok.is_sent_start:
            index.current_sentence += 1
        if tok.is_space and "\n" in tok.text:
            paragraph, recent = paragraph + 1, []
            continue
        in_quote = quoted[tok.i]
        if excluded[tok.i] or tok.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") or tok.idx < skip_before:
            continue
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
            m = _modifier(tok, term_at, ent_at, alias, paragraph)
            if m is not None:
                m.sentence = index.current_sentence
                index.modifiers[tok.i] = m
            continue  # a modifier: its head decides
        ent = ent_at.get(tok.i)
        if ent is not None and tok.i != ent.root.i and ent.start <= tok.head.i < ent.end:
            continue  # inside a longer name: counted once, at the name's root
        m = _resolve(tok, doc, index, term_at, ent_at, alias, recent, paragraph, in_quote, speakers)
        if m is not None:
            lo = tok.left_edge.i if tok.pos_ != "PRON" else tok.i
            index.add(m, range(lo, max(tok.i, _ent_end(tok, ent_at)) + 1))
            recent.append(m)
    index.rename(state_forces_names(index, doc))
    return index


#: A state's armed forces named with its nationality ("Syrian army", "Syrian government forces", "the Syrian
#: General Command of the Army and Armed Forces"); group 1 is the nationality.
_ARMY = re.compile(r"^(\w+) (?:(?:government|regime|state|armed) )?(?:army|military|armed forces|forces|troops|soldiers)$")
_ARMY_ANCHOR = re.compile(r"^(\w+) (?:(?:army|military|armed forces)|(?:government|regime) (?:forces|troops))$")
_ARMY_ORG = re.compile(r"^(\w+) .*\b(?:Army|Armed Forces|Military)\b")
STATE_FORCES = "state_forces"  # the loaded-term group of "government forces", "the army", "troops"


def state_forces_names(index, doc) -> dict:
    """One actor for one state's armed forces, where the text supports it.

    Names headed by army/military/armed forces/forces/troops/soldiers with the same nationality
    ("Syrian army", "Syrian government forces"), and an organisation named after that nationality's army
    ("Syrian General Command of the Army and Armed Forces", whose statement says "our armed forces"), are one
    actor, named by its first "<nationality> army|military" mention (else its first mention). When the
    article names exactly one nationality's army ("Syrian army", "Syrian government forces"; not "Kurdish
    forces"), the lexicon group ``state_forces`` ("government forces", "the army", "troops") is that army
    too. Returns {old name: new name}."""
    nationalities = {e.text for e in doc.ents if e.label_ == "NORP"}
    by_nation: dict = {}
    anchors: set = set()
    for m in index.mentions:
        found = _ARMY.match(m.actor) if m.kind == "group" else _ARMY_ORG.match(m.actor) if m.kind == "ORG" else None
        if found is None or found.group(1) not in nationalities:
            continue
        by_nation.setdefault(found.group(1), [])
        if m.actor not in by_nation[found.group(1)]:
            by_nation[found.group(1)].append(m.actor)
        if m.kind == "ORG" or _ARMY_ANCHOR.match(m.actor):
            anchors.add(found.group(1))
    names = {}
    for nation, actors in by_nation.items():
        target = next((a for a in actors if re.fullmatch(re.escape(nation) + r" (?:army|military)", a)), actors[0])
        for a in actors:
            if a != target:
                names[a] = target
        if len(anchors) == 1 and nation in anchors and len(by_nation) == 1:
            names[STATE_FORCES] = target
    return names


def _ent_end(tok, ent_at) -> int:
    ent = ent_at.get(tok.i)
    return ent.end - 1 if ent is not None else tok.i


#: Loaded-term categories whose refers_to names a group of people (an actor).
ACTOR_TERM_CATEGORIES = frozenset("actor_label dehumanizing demonizing victim_label victimizing".split())
NON_ACTOR_GROUPS = frozenset({"", "event", "place", "speech", "general"})


def _term_tokens(doc, terms) -> dict:
    out = {}
    for hit in terms:
        if hit.refers_to in NON_ACTOR_GROUPS or hit.category not in ACTOR_TERM_CATEGORIES:
            continue
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        for t in span or ():
            out.setdefault(t.i, hit)
    return out


def _mention(tok, actor, kind, plural, paragraph, via, start=None) -> Mention:
    s = start if start is not None else tok.left_edge.idx
    return Mention(actor, kind, plural, tok.i, s, tok.idx + len(tok), paragraph, via, head=tok.lemma_.lower())


def _resolve(tok, doc, index, term_at, ent_at, alias, recent, paragraph, in_quote, speakers):
    lower, plural = tok.lower_, tok.tag_ in ("NNS", "NNPS")
    if tok.pos_ == "PRON":
        ante = _antecedent(lower, doc, tok, index, recent, paragraph, in_quote, speakers, term_at, ent_at, alias)
        if ante is None:
            return None
        return Mention(ante.actor, ante.kind, ante.plural, tok.i, tok.idx, tok.idx + len(tok), paragraph, "pronoun",
                       head=ante.head, gender=ante.gender)
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
    ent = ent_at.get(tok.i)
    if ent is not None:
        name = alias.get(normalise(ent), normalise(ent))
        _note_alias(doc, ent, name, alias, ent_at)
        is_plural = plural or (ent.label_ == "NORP" and tok.text.endswith("s"))
        m = _mention(tok, name, ent.label_, is_plural, paragraph, "entity", ent.start_char)
        if ent.label_ == "PERSON":
            m.gender = gender_of([t.text for t in doc[max(0, ent.start - 3):ent.end]])
        return m
    if tok.pos_ == "PROPN" and (tok.text in alias or (tok.text.isupper() and 1 < len(tok.text) <= 6)):
        if tok.i > 0 and doc[tok.i - 1].text == "(":
            return None  # the "(HTS)" that introduces an alias
        return _mention(tok, alias.get(tok.text, tok.text), "ORG", False, paragraph, "entity", tok.idx)
    group_head = tok.lemma_.lower() in GROUP_NOUNS or lower in GROUP_NOUNS
    for c in mods if group_head else ():
        e = ent_at.get(c.i)
        if e is not None and e.label_ in ("ORG", "PERSON"):
            name = alias.get(normalise(e), normalise(e))
            return _mention(tok, name, e.label_, False, paragraph, "modifier")
        if e is not None:  # "Syrian army", "Russian jets": more specific than a lexicon group
            name = normalise([t for t in doc[tok.left_edge.i:tok.i + 1]])
            return _mention(tok, name, "group", plural, paragraph, "group")
    poss = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if poss is not None and group_head:  # "its forces", "our soldiers"
        ante = _antecedent(poss.lower_, doc, poss, index, recent, paragraph, in_quote, speakers, term_at, ent_at, alias)
        if ante is not None:
            index.token_actor.setdefault(poss.i, ante.actor)
            return _mention(tok, ante.actor, ante.kind, ante.plural, paragraph, "possessive")
    # a loaded term on the head or a modifier: the lexicon's refers_to group
    for t in [tok] + mods:
        hit = term_at.get(t.i)
        if hit is not None:
            return _mention(tok, hit.refers_to, "refers_to", plural, paragraph, "term")
    if not group_head or poss is not None:
        return None
    det = next((c.lower_ for c in tok.children if c.dep_ == "det"), "")
    if short_reference(tok, GROUP_NOUNS):  # "the group", "those groups", "the army" (shared with sources)
        head = tok.lemma_.lower()
        for m in reversed(recent[-WINDOW:]):
            if m.head in (head, lower) and m.via != "pronoun":
                return _mention(tok, m.actor, m.kind, m.plural, paragraph, "description")
        if head in GENERIC_HEADS:
            for m in reversed(recent[-WINDOW:]):
                if m.kind in ("ORG", "group", "refers_to") and m.plural == plural:
                    return _mention(tok, m.actor, m.kind, m.plural, paragraph, "description")
            return None
    if det in ("this", "that", "these", "those") and tok.lemma_.lower() in GENERIC_HEADS:
        return None
    name = normalise([t for t in doc[tok.left_edge.i:tok.i + 1] if t.dep_ not in ("poss", "nummod")])
    return _mention(tok, name, "group", plural, paragraph, "group") if name else None


def _modifier(tok, term_at, ent_at, alias, paragraph) -> Optional[Mention]:
    hit = term_at.get(tok.i)
    if hit is not None:
        return _mention(tok, hit.refers_to, "refers_to", True, paragraph, "modifier", tok.idx)
    ent = ent_at.get(tok.i)
    if ent is not None and ent.label_ in ("NORP", "ORG", "GPE", "PERSON"):
        name = alias.get(normalise(ent), normalise(ent))
        return _mention(tok, name, ent.label_, False, paragraph, "modifier", tok.idx)
    return None


def _note_alias(doc, ent, name, alias, ent_at) -> None:
    """'Hayat Tahrir al-Sham (HTS)': HTS becomes an alias of the full name."""
    j = ent.end
    if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")" and doc[j + 1].text.isupper():
        alias.setdefault(doc[j + 1].text, name)


def _antecedent(lower, doc, tok, index, recent, paragraph, in_quote, speakers, term_at, ent_at, alias):
    if lower in WE:
        if not in_quote:
            return None
        if paragraph not in speakers:
            speakers[paragraph] = _speaker(doc, tok, index, term_at, ent_at, alias, recent, paragraph)
        return speakers[paragraph]
    kind = pronoun_class(lower)
    if lower in ("i", "me"):
        return None  # the speaker of a quote, not the last person named
    for m in reversed(recent[-WINDOW:]):
        if m.token == tok.i:
            continue
        if kind == "thing" and m.kind not in IT_KINDS:
            continue
        if agrees(lower, person=m.kind == "PERSON", plural=m.plural, organisation=m.kind == "ORG", gender=m.gender):
            return m
    return None


def _speaker(doc, tok, index, term_at, ent_at, alias, recent, paragraph) -> Optional[Mention]:
    """The actor who speaks in this paragraph: the subject of its speech verb."""
    i = tok.i
    start = i
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        start -= 1
    end = i
    while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
        end += 1
    for t in doc[start:end]:
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            for acl in subj.children:  # "a statement issued by X"
                if acl.dep_ == "acl":
                    for ag in acl.children:
                        if ag.dep_ == "agent":
                            subj = next((o for o in ag.children if o.dep_ == "pobj"), subj)
            if subj.pos_ == "PRON":
                continue
            m = _resolve(subj, doc, index, term_at, ent_at, alias, recent, paragraph, False, {})
            if m is not None:
                return m
    return None
