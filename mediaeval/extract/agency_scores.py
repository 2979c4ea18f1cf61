"""Per-actor roles and scores, and the per-article agency measures.

``load_agency_lexicon`` reads a user-supplied connotation-frame lexicon in the
format of Sap et al. 2017 ("Connotation Frames of Power and Agency in Modern
Films", EMNLP): ``verb,agency,power`` with agency ``agency_pos|agency_neg|
agency_equal`` and power ``power_agent|power_theme|power_equal`` (either may be
empty). That lexicon is GPL-3.0, so mediaeval never ships it; pass your copy.

Scores, per actor, in [-1, 1]:

* ``agency_score``: mean over the clauses in which the actor is the *agent* of a
  lexicon verb of +1 (agency_pos), -1 (agency_neg) or 0 (agency_equal);
* ``power_score``: mean over the clauses in which the actor is agent or theme of
  a lexicon verb: +1 when the frame gives that role the power, -1 when it gives
  it to the other role, 0 for power_equal.

Unlike Riveter (Antoniak et al. 2023), which reads only nsubj/dobj, a passive
subject counts as the theme and a "by" phrase as the agent ("the city was
captured by rebels": rebels agent, city theme). Event nouns are not scored.
Limits: the frames are context-free verb averages from crowd ratings of films'
scripts; verbs outside the lexicon do not count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Mapping, Optional

from ..lexicons import read_table
from ..model import ActorRole

_AGENCY = {"agency_pos": 1.0, "agency_neg": -1.0, "agency_equal": 0.0}
_POWER = {"power_agent": 1.0, "power_theme": -1.0, "power_equal": 0.0}


@dataclass(frozen=True)
class AgencyLexicon:
    """verb lemma -> (agency label, power label); labels may be ""."""

    path: str
    frames: Mapping[str, tuple[str, str]]

    def get(self, lemma: str) -> Optional[tuple[str, str]]:
        return self.frames.get(lemma)


def _label(allowed):
    def check(value: str) -> Optional[str]:
        if value == "" or value in allowed:
            return None
        return f"{value!r} is not one of: {', '.join(allowed)} (or empty)"
    return check


def load_agency_lexicon(path) -> AgencyLexicon:
    """Read and check a ``verb,agency,power`` file; errors name file, line and column."""
    rows = read_table(path, ("verb", "agency", "power"),
                      {"agency": _label(tuple(_AGENCY)), "power": _label(tuple(_POWER))})
    frames = {}
    for r in rows:
        verb = r["verb"].lower()
        frames[verb] = (r["agency"], r["power"])
        base = _base_form(verb)
        if base != verb:
            frames.setdefault(base, (r["agency"], r["power"]))
    return AgencyLexicon(str(path), frames)


def _base_form(verb: str) -> str:
    """The published file lists 3rd-person forms in places ("abandons"): strip the -s."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def actor_roles(index, clauses, lexicon: Optional[AgencyLexicon] = None) -> tuple[ActorRole, ...]:
    """One ActorRole per actor, most mentioned first (ties: first mention first)."""
    mentions, where = index.mention_counts(clauses)  # understood mentions included (extract/actors.py)
    first = {}
    for n, m in enumerate(index.mentions):
        first.setdefault(m.actor, n)
    as_agent, as_patient, hidden = Counter(), Counter(), Counter()
    agency, power = defaultdict(list), defaultdict(list)
    for c in clauses:
        if c.agent_actor:
            as_agent[c.agent_actor] += 1
        if c.patient_actor:
            as_patient[c.patient_actor] += 1
            if c.agent_hidden:
                hidden[c.patient_actor] += 1
        frame = lexicon.get(c.verb_lemma) if lexicon is not None and not c.nominalization else None
        if frame is None:
            continue
        a_label, p_label = frame
        if c.agent_actor and a_label in _AGENCY:
            agency[c.agent_actor].append(_AGENCY[a_label])
        if p_label in _POWER:
            if c.agent_actor:
                power[c.agent_actor].append(_POWER[p_label])
            if c.patient_actor and c.patient_actor != c.agent_actor:
                power[c.patient_actor].append(-_POWER[p_label])
    names = set(mentions) | set(as_agent) | set(as_patient)
    order = sorted(names, key=lambda a: (-mentions[a], first.get(a, 1 << 30), a))
    score = lexicon is not None
    return tuple(
        ActorRole(actor=a, mentions=mentions[a], as_agent=as_agent[a], as_patient=as_patient[a],
                  hidden_agent_events=hidden[a], kind=index.kinds.get(a, ""),
                  agency_score=_mean(agency[a]) if score else None,
                  power_score=_mean(power[a]) if score else None,
                  mention_sentences=" ".join(str(i) for i in sorted(where[a]) if i >= 0))
        for a in order
    )


def _mean(values) -> Optional[float]:
    return round(sum(values) / len(values), 4) if values else None


def _share(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def agency_measures(doc, article, structure, clauses, actors) -> dict:
    """Per-article figures for articles.csv (None when the share has no denominator)."""
    verbal = [c for c in clauses if not c.nominalization]
    passive = [c for c in verbal if c.voice == "passive"]
    harm = [c for c in clauses if c.verb_class == "harm_violence"]
    out = {
        "passive_clause_share": _share(len(passive), len(verbal)),
        "agentless_passive_share": _share(sum(c.agent_hidden for c in passive), len(passive)),
        "hidden_agent_harm_share": _share(sum(c.agent_hidden for c in harm), len(harm)),
    }
    for n in (1, 2):
        role = actors[n - 1] if len(actors) >= n else None
        out[f"actor{n}"] = role.actor if role else ""
        both = (role.as_agent + role.as_patient) if role else 0
        out[f"actor{n}_agent_patient_balance"] = (
            round((role.as_agent - role.as_patient) / both, 4) if both else None)
    return out
