"""Passive voice over a spaCy dependency parse, clause by clause.

A clause is passive when its verb is a past participle whose grammatical
subject (spoken or understood) is the one acted upon. Following PassivePy
(Sepehri, Mirshafiee & Markowitz 2022, rule-based over spaCy; 0.97-0.98
accuracy on human-coded sentences) this covers:

* be/get passives in any tense or form: "was killed", "has been seized",
  "got arrested", "to be counted", "being questioned", "is expected to";
* reduced relatives: "the areas entered by X", "civilians killed in the strike",
  including those the small model reads as a finite verb ("troops diagnosed with
  X arrived", "the truce agreed last week has held", "missiles fired at Ghouta killed 82");
* participle clauses: "Killed by police, he ...", "when asked about it",
  "flanked by generals", "using tanks and assisted by militias";
* passive conjuncts sharing one auxiliary: "was shelled and captured";
* causative/experiential "have/get/leave/want/see X done": "had their homes destroyed";
* a feeling with a "by" agent, even when tagged an adjective: "are upset by X";
* absolute clauses after a quantifier ("civilians, some covered in blood") and headline
  roots ("54 Killed in Aleppo").

Not passive: adjectival (stative) participles without a "by" agent ("was
concerned", "is located", "is based", "is supposed to"; as in PassivePy's list,
"was born", "is filled with", "was led" unless "by" follows) and participles with
a degree modifier ("very worried", "most pronounced"); "as expected", "than
expected"; the perfect "has been" with no participle; "we are done";
participles of verbs that take no object ("is gone", "items belonged");
location and state participles ("positioned in", "rooted in", "holed up");
counts used as nouns ("there are 20 wounded", "reported 294 wounded");
an auxiliary before an active subject ("IS fighters have set up": the group);
"'s" + participle with an object ("she's made X a priority" = has made); datelines
("Published April 24 2017 ..."); a verb of saying after its reporting subject in
text that lost its commas ("... Deir Ezzor SANA news agency reported on Tuesday");
"become" + participle ("becomes injected with", "became known as"); past
tenses that are never participles ("IS gave up the territory");
prenominal participles ("armed forces"), which are read as adjectives; a past
tense that the model hung on a noun as a participle ("Trump called Democrats
hypocrites", "the person Oba called").

Limits: the parser decides what the participle attaches to, so a misparse
gives a wrong voice; the word lists are closed and hand-made; a resultative
state ("The shop was closed") is passive, as PassivePy's coders counted it.
"""

from __future__ import annotations

from typing import Optional

#: Participles read as adjectives (states) unless a "by" agent is named.
STATIVE = frozenset("""
concern interest locate situate base involve worry please satisfy tire marry scare
suppose disappoint excite exhaust accustom acquaint poise compose equip engage
obsess fascinate frighten terrify bore annoy puzzle confuse embarrass thrill amaze
astonish delight shock surprise stun upset disturb link relate connect affiliate ally
align stick head discourage associate belove mire clad center centre pronounce
deceased dedicate enamor enamour inclined disinclined perplex baffle bewilder dismay outrage irritate
frustrate convince relieve intrigue overwhelm impress entrench wed rid
infuriate enrage incense anger horrify appal appall position root hole
complicate heat reserve screw overrate bear fill lead
""".split())  # last row + associate involve exhaust base stun = PassivePy's by-only verbs ("was born": not passive)
#: Verbs spelt with "un-"/"under-"; other "un-" participles are adjectives ("undocumented", "unarmed").
UN_VERBS = frozenset("""
unveil uncover unleash undo unearth unfold unlock unload unpack unite unify undermine undertake understand
undergo unseat unravel unplug unmask unsettle untie unwrap unzip unionize unfreeze unblock unseal underline
underscore underestimate undercut underpin underwrite
""".split())
#: "got started", "get lost", "got dressed": get + participle idioms that are not passives.
GET_IDIOMS = frozenset("start lose dress tire bore go marry involve rid".split())
#: Verbs that cannot be used without an object: "200 killed in attack" (headline style) is passive.
OBLIGATORY_TRANSITIVE = frozenset("""
kill injure wound arrest detain abduct kidnap execute behead slay massacre torture displace
""".split())
#: Participles read as states only when "to" follows: "is set to", "is committed to".
STATIVE_BEFORE_TO = frozenset("set bind commit dedicate devote tie prepare determine oppose entitle".split())
#: Participles read as states only when "with" follows: "guards armed with assault rifles".
STATIVE_BEFORE_WITH = frozenset({"arm"})
#: Participles used as prepositions or fixed connectors ("based on", "given").
PREPOSITIONAL = frozenset("base give compare provide consider center centre oppose".split())
#: Verbs with no object: "is gone", "items belonged in", "a riot ensued".
INTRANSITIVE = frozenset("""
go come arrive fall rise happen become die belong exist remain occur appear emerge arise ensue
vanish disappear consist matter stem originate seem persist prevail elapse lie sit collapse
""".split())
#: Irregular past tenses that are never participles ("IS gave up the territory": "IS" is a name, not "is").
PAST_ONLY = frozenset("""
gave took went wrote ate saw knew drove rode rose spoke broke chose froze stole woke began drank sang swam ran
came became did threw grew blew drew flew fell forgot hid shook tore wore bit forbade forgave forsook overtook
undertook withdrew mistook
""".split())
#: Participles that open a dateline: "Published April 24 2017 ...".
DATELINE = frozenset("publish update post modify".split())
#: Verbs of saying whose subject, in text that lost its commas, the model hangs on a noun before them,
#: and the nouns (besides names) that report: "... in Deir Ezzor SANA news agency reported on Tuesday".
SPEECH = frozenset("say report add tell state announce claim confirm note".split())
SPEAKERS = frozenset("""
agency television tv media observatory activist source outlet official monitor group coalition ministry
correspondent reporter channel network police witness spokesman spokeswoman resident
""".split())
#: Entity types of a bare noun phrase that is a time, not an object: "the blast heard Saturday evening".
TIME_ENTS = frozenset({"DATE", "TIME"})
#: Negative adverbs that invert subject and auxiliary: "Never before have they ...".
INVERTING = frozenset("never rarely seldom hardly scarcely nor neither nowhere".split())
#: Heads of causative/experiential participle complements: "had X destroyed".
CAUSATIVE_HEADS = frozenset("get have want need see find leave keep like".split())
#: Heads that take a past-tense-tagged complement as a participle ("want police supported").
CAUSATIVE_VBD = frozenset("get have want need leave see".split())
#: Adverbs that make a participle a gradable adjective: "very concerned", "most pronounced".
DEGREE = frozenset("""
very too so most more less least quite extremely rather fairly pretty somewhat increasingly
utterly highly
""".split())
#: Subordinators of elliptical passive clauses: "when asked", "if convicted", "once elected".
SUBORDINATORS = frozenset("when whenever while if unless once until though although after before because".split())
#: Heads of "by" phrases that give a measure or a means, not a doer.
NOT_AGENTS = frozenset("""
margin percent % point hundred thousand million dozen far way mistake accident chance hand phone telephone
email e-mail mail text video default design nature comparison contrast time end
""".split())
#: Negative contractions whose apostrophe was lost ("isn believed", "don like"), as in scraped or
#: crowd-sourced text: auxiliaries, never participles; the "be" ones act as a passive auxiliary.
STRIPPED_NEG = frozenset("don didn doesn isn aren wasn weren hasn haven hadn couldn wouldn shouldn mustn".split())
STRIPPED_BE = frozenset("isn aren wasn weren".split())
RELATIVE = frozenset("who whom which that whose".split())
#: Quantifiers that open an absolute participle clause: "civilians, some covered in blood".
QUANTIFIERS = frozenset("some many most all several both each one none few half".split())
NOMINATIVE = frozenset("i he she we they".split())
ACCUSATIVE = frozenset("me him her us them".split())
_PARTICIPLE_TAGS = ("VBN", "VBD", "JJ")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
_BREAKS = frozenset(", ; : — – - and or but".split())


def agent_of(verb) -> Optional[object]:
    """The noun inside a "by" agent phrase of ``verb`` (``agent`` dependency), or None;
    not measures and means ("by a wide margin", "by 5 percent", "by the hundreds", "by email")."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and _by_is_agent(child)):
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    return None if obj.pos_ == "NUM" or obj.lemma_.lower() in NOT_AGENTS else obj
    return None


def _by_is_agent(prep) -> bool:
    """A "by" phrase the parser left as a plain preposition but which names a doer."""
    for obj in prep.children:
        if obj.dep_ == "pobj":
            return obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or obj.tag_ in ("PRP", "NNS", "NNPS")
    return False


def _has(token, *deps: str) -> bool:
    return any(c.dep_ in deps for c in token.children)


def _child(token, *deps: str):
    return next((c for c in token.children if c.dep_ in deps), None)


def _stems(verb) -> set:
    """The lemma, plus stems of an "-ed" form the tagger left as an adjective ("worried" -> "worry")."""
    lemma, word = verb.lemma_.lower(), verb.lower_
    out = {lemma, word}
    if verb.tag_ == "JJ" and word.endswith("ed"):
        out |= {word[:-1], word[:-2], word[:-3] + "y", word[:-3]}
    return out


def _next_lower(token, k: int = 1) -> str:
    j = token.i + k
    return token.doc[j].lower_ if j < len(token.doc) else ""


def _stative(verb) -> bool:
    stems = _stems(verb)
    if "use" in stems:  # "used to" + noun/gerund is a state; "was used to kill" is passive
        if _next_lower(verb) == "to":
            after = verb.doc[verb.i + 2] if verb.i + 2 < len(verb.doc) else None
            return not (after is not None and after.tag_ == "VB")
        return False
    if "do" in stems:  # "we are done" (a state of a person); "the work was done" stays passive
        subj = _child(verb, "nsubjpass", "nsubj")
        return subj is not None and subj.lower_ in ("i", "we", "you", "they", "he", "she")
    if stems & STATIVE_BEFORE_TO and _next_lower(verb) == "to":
        return True
    if stems & STATIVE_BEFORE_WITH and _next_lower(verb) == "with":
        return True  # "guards armed with rifles", like "equipped with"; "staff to be armed" stays passive
    if verb.dep_ not in ("acl", "advcl") and any(c.dep_ == "advmod" and c.lower_ in DEGREE and c.i == verb.i - 1
                                                 for c in verb.children):
        return True  # not "goods, most assembled abroad" (a quantifier)
    return bool(stems & STATIVE or stems & INTRANSITIVE)


def _between_has_break(a, b) -> bool:
    lo, hi = sorted((a.i, b.i))
    return any(t.lower_ in _BREAKS or t.dep_ == "cc" for t in a.doc[lo + 1:hi])


def _misread_main_verb(verb) -> bool:
    """A reduced relative the model took for a finite verb: "Troops diagnosed with X arrived",
    "The truce agreed last week has largely held", "missiles fired at Eastern Ghouta killed 82" (a noun
    subject before it, no object, and the next verb is finite with no subject of its own, nothing between)."""
    subj = _child(verb, "nsubj")
    if subj is None or subj.pos_ not in ("NOUN", "PROPN") or subj.i > verb.i:
        return False
    if _has(verb, "aux", "auxpass", "attr", "oprd", "dative", "xcomp") or any(
            c.dep_ == "dobj" and c.ent_type_ not in TIME_ENTS for c in verb.children):
        return False
    sent = verb.sent
    nxt = next((t for t in verb.doc[verb.i + 1:sent.end] if t.pos_ in ("VERB", "AUX")), None)
    if nxt is None or nxt.tag_ not in ("VBD", "VBZ", "VBP", "MD"):
        return False
    clause = nxt.head if nxt.dep_ in ("aux", "auxpass") else nxt
    return (clause is not verb and clause.dep_ in ("ROOT", "conj", "ccomp") and not _has(clause, *_SUBJECTS, "mark")
            and not _between_has_break(verb, nxt)
            and not any(t.dep_ in _SUBJECTS or t.tag_ in ("WDT", "WP") for t in verb.doc[verb.i + 1:nxt.i]))


def _finite_misread_as_participle(verb) -> bool:
    """A past tense hung on a noun as "acl": "Trump called Democrats hypocrites" (the sentence's
    root is a noun and no verb comes before), "the person Oba called", "the deal Trump struck"."""
    head = verb.head
    before = verb.doc[verb.i - 1] if verb.i > 0 else head
    if (verb.lemma_.lower() in SPEECH and before is not head and before.dep_ != "compound"
            and (before.ent_type_ in ("ORG", "PERSON", "NORP") or before.lemma_.lower() in SPEAKERS)
            and _next_lower(verb) not in ("to", "dead") and not _has(verb, "agent")):
        return True  # "... in Deir Ezzor SANA news agency reported on Tuesday" (its subject read as a pobj)
    if any(c.i < verb.i and (c.pos_ in ("PROPN", "PRON") and c.dep_ in ("nsubj", "advmod", "npadvmod")
                             or c.pos_ == "NOUN" and c.dep_ == "nsubj") for c in verb.children):
        return True  # a relative clause with its own subject and no "that"
    if verb.tag_ == "VBD" and (head.pos_ in ("PROPN", "PRON") or _has(verb, "oprd")):
        return True
    sent = verb.sent
    if sent.root.pos_ in ("NOUN", "PROPN", "PRON") and head.i < verb.i and not _between_has_break(head, verb):
        start = max(sent.start, verb.i - 25)
        if not any(t.pos_ in ("VERB", "AUX") for t in verb.doc[start:verb.i]):
            return verb.lemma_.lower() not in OBLIGATORY_TRANSITIVE  # "Civilians killed in raid" stays passive
    return False


def passive_kind(verb) -> str:
    """Why ``verb`` heads a passive clause ("be", "reduced_relative", "participle_clause",
    "conjunct", "causative", "headline"), or "" when it does not."""
    tag, dep, lemma = verb.tag_, verb.dep_, verb.lemma_.lower()
    if (lemma in ("be", "have") or tag not in _PARTICIPLE_TAGS or not verb.is_alpha
            or verb.lower_ in STRIPPED_NEG or verb.lower_ in PAST_ONLY):
        return ""
    if verb.i == verb.sent.start and lemma in DATELINE and verb.i + 1 < len(verb.doc) and (
            verb.doc[verb.i + 1].ent_type_ in TIME_ENTS or verb.doc[verb.i + 1].lower_ in ("at", "on")) \
            and agent_of(verb) is None:
        return ""  # a dateline, "Published October 29 2014 ...", "Last updated at ..." (not "Posted ... by X")
    if verb.lower_.startswith("un") and lemma not in UN_VERBS and not lemma.startswith("under"):
        return ""  # "is undocumented", "remained unchanged": no verb "undocument"
    if tag == "JJ" and not _has(verb, "auxpass", "nsubjpass") and not (dep == "acomp" and _has(verb, "agent")):
        return ""  # but "are especially upset by political correctness" (a feeling with a "by" agent)
    has_agent = agent_of(verb) is not None
    aux = _child(verb, "auxpass") or _stripped_be(verb)
    if aux is not None and any(c.dep_ == "nsubj" and aux.i < c.i < verb.i for c in verb.children):
        aux = None  # "IS fighters have now set up": the group's name, not "is", before an active subject
    if aux is not None and aux.lower_ in ("become", "becomes", "became", "becoming"):
        return ""  # "becomes injected with politics": a change of state (coding rule), not a passive
    if aux is not None and aux.lower_ in ("'s", "’s") and (lemma == "get" or _has(verb, "dobj") or any(
            c.dep_ == "xcomp" and c.tag_ == "VBG" for c in verb.children)):
        return ""  # "he's got", "she's made expanding X a priority": "'s" = has
    if aux is not None and aux.lemma_.lower() == "get":  # "got killed", "gets connected"; not "got started"
        if lemma in GET_IDIOMS or ("use" in _stems(verb) and _stative(verb)):
            return ""
        return "be"
    if not has_agent and _stative(verb):
        return ""
    if aux is not None or (_has(verb, "nsubjpass") and tag != "JJ" and not _has(verb, "nsubj", "dobj")):
        return "be"
    subj = _child(verb, "nsubj")
    if subj is not None and subj.lower_ in ACCUSATIVE and tag == "VBN" and not _has(verb, "dobj"):
        return "causative"  # "Have him removed", "wants them punished"
    if (_has(verb, "aux") or any(c.dep_ == "dobj" and c.ent_type_ not in TIME_ENTS for c in verb.children)) \
            and not has_agent:
        return ""  # a participle with its own object or auxiliary is active
    if _has(verb, "nsubj"):
        return _with_subject(verb, tag, dep, lemma)
    if dep == "acl" and _finite_misread_as_participle(verb) and not has_agent:
        return ""
    if tag == "JJ" and dep == "acomp" and has_agent:
        tag = "VBN"  # "are especially upset by X"
    if tag == "VBD" and (dep == "acl" or has_agent
                         or dep == "advcl" and any(c.lower_ in SUBORDINATORS for c in verb.children if c.i < verb.i)):
        tag = "VBN"  # "the strategy outlined that day", "when asked": a participle read as a past tense
    if tag != "VBN":
        return ""
    if dep == "acomp" and verb.head.lemma_ == "be":
        return "be"
    if dep == "acl":
        num = verb.head
        if (num.pos_ == "NUM" and not any(True for _ in verb.children) and num.dep_ in ("attr", "dobj")
                and num.head.lemma_.lower() not in CAUSATIVE_HEADS):
            return ""  # "There are around 20 wounded", "reported 294 wounded": a noun ("left 150 wounded" stays)
        return "" if lemma in PREPOSITIONAL and not has_agent else "reduced_relative"
    if dep == "ROOT" and lemma in OBLIGATORY_TRANSITIVE and not _has(verb, "dobj", "aux"):
        return "headline"  # "54 Killed in Aleppo as ...": the number hung elsewhere
    if dep == "advcl":
        mark = next((c.lower_ for c in verb.children if c.dep_ in ("mark", "advmod") and c.i < verb.i), "")
        if not has_agent and (lemma in PREPOSITIONAL or mark in ("as", "than")):
            return ""  # "given the speed", "as expected", "than expected"
        return "participle_clause"
    if dep == "conj":
        head = verb.head
        if head.pos_ in ("VERB", "AUX", "ADJ") and passive_kind(head):
            return "conjunct"
        if _opens_clause(verb):
            return "participle_clause"  # "...; taken together, they show"
    if has_agent and not (dep == "conj" and (verb.tag_ == "VBD" or _active_finite(verb.head))):
        return "participle_clause"  # "flanked by generals", "accepted and loved by all"
    if dep in ("xcomp", "ccomp", "oprd") and verb.head.lemma_.lower() in CAUSATIVE_HEADS:
        return "causative"
    return ""


def _stripped_be(verb):
    """"isn/wasn" + participle ("Science isn believed", "it wasn finished"), which the parser misreads."""
    j = verb.i - 1
    while j >= 0 and verb.doc[j].pos_ == "ADV":
        j -= 1
    return verb.doc[j] if j >= 0 and verb.doc[j].lower_ in STRIPPED_BE and verb.tag_ in ("VBN", "VBD") else None


def _opens_clause(verb) -> bool:
    """A bare participle between punctuation: "; taken together, ..." (no subject, object or auxiliary)."""
    doc, left, right = verb.doc, verb.left_edge.i, verb.right_edge.i
    return (left == verb.i and left > 0 and doc[left - 1].lower_ in (";", ",", "—", "–", ":")
            and right + 1 < len(doc) and doc[right + 1].lower_ == ","
            and not _has(verb, *_SUBJECTS, "aux", "dobj", "cc"))


def _active_finite(verb) -> bool:
    """A perfect or past active verb, whose "aux" a conjunct shares: "has fired and hired them by ..."."""
    if _has(verb, "auxpass", "nsubjpass") or verb.lemma_ == "be":
        return False
    return verb.tag_ == "VBD" or any(a.dep_ == "aux" and a.lemma_ == "have" for a in verb.children)


def _with_subject(verb, tag: str, dep: str, lemma: str) -> str:
    """A participle with an active-looking subject: headline, causative, misread reduced relative, or active."""
    if lemma in OBLIGATORY_TRANSITIVE and tag in ("VBN", "VBD") and not _has(verb, "ccomp", "xcomp"):
        return "headline"  # "more than 200 killed in gas attack"
    subj = _child(verb, "nsubj")
    prev = verb.doc[subj.i - 1] if subj.i > 0 else None
    if (dep in ("relcl", "acl", "advcl") and tag == "VBN" and subj.lower_ in QUANTIFIERS and subj.i == verb.i - 1
            and prev is not None and (prev.pos_ in ("NOUN", "PROPN") or prev.text in ",;—–")):
        return "reduced_relative"  # "civilians some covered in blood", "goods, most assembled abroad"
    head_lemma = verb.head.lemma_.lower()
    if (dep in ("ccomp", "xcomp") and not _has(verb, "mark") and subj.tag_ not in ("WP", "WDT")
            and verb.head.i < subj.i < verb.i
            and subj.lower_ not in NOMINATIVE and lemma not in INTRANSITIVE
            and (head_lemma in CAUSATIVE_VBD and tag in ("VBN", "VBD") or head_lemma in CAUSATIVE_HEADS and tag == "VBN")
            and not _inverted_perfect(verb.head)):
        return "causative"  # "want police supported", "had their homes destroyed", "got his leg broken"
    if lemma not in INTRANSITIVE and _misread_main_verb(verb):
        return "reduced_relative"
    return ""


def _inverted_perfect(head) -> bool:
    """"Never before have media executives revolved into politics", "Have they arrived?": a perfect "have"
    before its subject (after a negative adverb, or in a question), not a causative "have X done"."""
    if head.lemma_.lower() != "have" or _has(head, "nsubj"):
        return False
    sent = head.sent
    if sent[-1].text == "?" or (len(sent) > 1 and sent[-2].text == "?"):
        return True
    return any(t.lower_ in INVERTING for t in head.doc[sent.start:head.i])


def passive_subject(verb, kind: str):
    """The one acted upon in a passive clause (its grammatical or understood subject)."""
    for child in verb.children:
        if child.dep_ == "nsubjpass" or (kind in ("causative", "headline", "reduced_relative") and child.dep_ in ("nsubj", "dobj")):
            return relative_head(child, verb)
    if kind == "reduced_relative":
        return verb.head if verb.head is not verb else None
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
