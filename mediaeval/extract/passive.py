"""Passive voice over a spaCy dependency parse, clause by clause.

A clause is passive when its verb is a past participle whose grammatical
subject (spoken or understood) is the one acted upon. Following PassivePy
(Sepehri, Mirshafiee & Markowitz 2022, rule-based over spaCy; 0.97-0.98
accuracy on human-coded sentences) this covers:

* be/get passives in any tense or form: "was killed", "has been seized",
  "got arrested", "to be counted", "being questioned", "is expected to";
* reduced relatives: "the areas entered by X", "civilians killed in the strike";
* participle clauses: "Killed by police, he ...", "Asked about it, he ...",
  "using tanks and assisted by militias";
* passive conjuncts sharing one auxiliary: "was shelled and captured";
* causative/experiential "have/get/want/see X done": "had their homes destroyed".

Not passive: adjectival (stative) participles without a "by" agent ("was
concerned", "is located", "is based", "was interested", "is supposed to"), the
perfect "has been" with no participle, "we are done", participles of verbs that
take no object ("is gone"), and prenominal participles ("armed forces", "the
wounded man"), which are read as adjectives.

Limits: the parser decides what the participle attaches to, so a misparse
(a past tense read as a participle, or the reverse) gives a wrong voice; the
stative list is a closed, hand-made list (``STATIVE``) and "The shop was closed"
is read as a state unless an agent is named.
"""

from __future__ import annotations

from typing import Optional

#: Participles read as adjectives (states) unless a "by" agent is named.
STATIVE = frozenset("""
concern interest locate situate base involve worry please satisfy tire marry scare
suppose disappoint excite exhaust accustom acquaint poise entitle compose equip engage
obsess fascinate frighten terrify bore annoy puzzle confuse embarrass thrill amaze
astonish delight shock surprise stun upset disturb link relate connect affiliate ally
align stick head discourage associate belove
""".split())
#: "got started", "get lost", "got dressed": get + participle idioms that are not passives.
GET_IDIOMS = frozenset("start lose dress tire bore go marry involve".split())
#: Verbs that cannot be used without an object: "200 killed in attack" (headline style) is passive.
OBLIGATORY_TRANSITIVE = frozenset("""
kill injure wound arrest detain abduct kidnap execute behead slay massacre torture displace
""".split())
#: Participles read as states only when "to" follows: "is set to", "is committed to".
STATIVE_BEFORE_TO = frozenset("set bind commit dedicate devote tie prepare determine oppose".split())
#: Participles used as prepositions or fixed connectors ("based on", "given").
PREPOSITIONAL = frozenset("base give compare provide consider".split())
#: Participles of verbs with no object: "is gone", "are arrived".
INTRANSITIVE = frozenset("go come arrive fall rise happen become die".split())
#: Heads of causative/experiential participle complements: "had X destroyed".
CAUSATIVE_HEADS = frozenset("get have want need see find leave keep".split())
RELATIVE = frozenset("who whom which that whose".split())
_PARTICIPLE_TAGS = ("VBN", "VBD", "JJ")


def agent_of(verb) -> Optional[object]:
    """The noun inside a "by" agent phrase of ``verb`` (``agent`` dependency), or None."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and _by_is_agent(child)):
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    return obj
    return None


def _by_is_agent(prep) -> bool:
    """A "by" phrase the parser left as a plain preposition but which names a doer."""
    for obj in prep.children:
        if obj.dep_ == "pobj":
            return obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or obj.tag_ in ("PRP", "NNS", "NNPS")
    return False


def _has(token, *deps: str) -> bool:
    return any(c.dep_ in deps for c in token.children)


def _stative(verb) -> bool:
    lemma = verb.lemma_.lower()
    if lemma == "use":  # "used to" + noun/gerund is a state; "was used to kill" is passive
        nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            after = verb.nbor(2) if verb.i + 2 < len(verb.doc) else None
            return not (after is not None and after.tag_ == "VB")
        return False
    if lemma == "do":  # "we are done" (a state of a person); "the work was done" stays passive
        subj = next((c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        return subj is not None and subj.lower_ in ("i", "we", "you", "they", "he", "she")
    if lemma in STATIVE_BEFORE_TO:
        return verb.i + 1 < len(verb.doc) and verb.nbor(1).lower_ == "to"
    return lemma in STATIVE or lemma in INTRANSITIVE


def passive_kind(verb) -> str:
    """Why ``verb`` heads a passive clause ("be", "reduced_relative", "participle_clause",
    "conjunct", "causative"), or "" when it does not."""
    tag, dep = verb.tag_, verb.dep_
    if verb.lemma_ == "be" or tag not in _PARTICIPLE_TAGS:
        return ""
    if tag == "JJ" and not _has(verb, "auxpass", "nsubjpass"):
        return ""
    has_agent = agent_of(verb) is not None
    lemma = verb.lemma_.lower()
    aux = next((c for c in verb.children if c.dep_ == "auxpass"), None)
    if aux is not None and aux.lemma_.lower() == "get":  # "got killed", "gets connected"; not "got started"
        return "" if lemma in GET_IDIOMS or (lemma == "use" and _stative(verb)) else "be"
    if not has_agent and _stative(verb):
        return ""
    if aux is not None or (_has(verb, "nsubjpass") and tag != "JJ" and not _has(verb, "nsubj", "dobj")):
        return "be"
    if _has(verb, "dobj", "aux") and not has_agent:
        return ""  # a participle with its own object or auxiliary is active
    if _has(verb, "nsubj"):
        if lemma in OBLIGATORY_TRANSITIVE and tag in ("VBN", "VBD") and not _has(verb, "dobj", "aux", "ccomp", "xcomp"):
            return "headline"  # "more than 200 killed in gas attack"
        subj = next(c for c in verb.children if c.dep_ == "nsubj")
        head_lemma = verb.head.lemma_.lower()
        if (dep in ("ccomp", "xcomp") and not _has(verb, "mark") and subj.tag_ not in ("WP", "WDT")
                and (head_lemma in ("want", "need", "have") and tag in ("VBN", "VBD")
                     or head_lemma == "see" and tag == "VBN")):
            return "causative"  # "want police supported", "had their homes destroyed", "see people moved"
        return ""
    if dep == "acl" and tag == "VBD" and not _has(verb, "nsubj", "dobj"):
        tag = "VBN"  # "the strategy outlined that day": a participle the tagger read as a past tense
    if tag != "VBN":
        return ""
    if dep == "acomp" and verb.head.lemma_ == "be":
        return "be"
    if dep == "acl":
        return "" if lemma in PREPOSITIONAL and not has_agent else "reduced_relative"
    if dep == "advcl":
        if lemma in PREPOSITIONAL and not has_agent:
            return ""
        return "participle_clause"
    if dep == "conj":
        head = verb.head
        if head.pos_ in ("VERB", "AUX") and passive_kind(head):
            return "conjunct"
        if has_agent and head.tag_ in ("VBG", "VB"):
            return "participle_clause"
        return ""
    if dep in ("xcomp", "ccomp", "oprd") and verb.head.lemma_.lower() in CAUSATIVE_HEADS:
        return "causative"
    return ""


def passive_subject(verb, kind: str):
    """The one acted upon in a passive clause (its grammatical or understood subject)."""
    for child in verb.children:
        if child.dep_ == "nsubjpass" or (kind in ("causative", "headline") and child.dep_ in ("nsubj", "dobj")):
            return relative_head(child, verb)
    if kind == "reduced_relative":
        return verb.head
    if kind == "participle_clause":
        return next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if kind == "conjunct":
        return passive_subject(verb.head, passive_kind(verb.head) or "be")
    if kind == "causative":
        return next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    return None


def relative_head(token, verb):
    """Resolve a relative pronoun ("who", "which", "that") to the noun its clause modifies."""
    if token.lower_ in RELATIVE and verb.dep_ == "relcl":
        return verb.head
    return token
