"""Agency layer of the article page: doers and the done-to marked, "who?" where the doer is hidden.

Marks: the verb (or event noun) of every clause that is passive, a
nominalisation, has a hidden doer, or belongs to a conflict class (harm,
combat, movement, control); its agent ("doer") and patient ("done to"). Speech
verbs with a named speaker are left to the sources layer. Panel: one row per
actor with links to the sentences behind each figure.
"""

from __future__ import annotations

from collections import defaultdict

from ...model import ArticleAnalysis
from ..marks import Mark, Panel

CONFLICT = frozenset({"harm_violence", "combat", "military_movement", "territorial_control"})
LIMITS = (
    "Who does what is read from one automatic grammatical parse, so a misread sentence gives a wrong doer. "
    "Words like 'it', 'they', 'its forces', 'our soldiers' or 'the group' are linked to the most recent "
    "fitting name in the same paragraph only; a paragraph that starts with 'It said' is not linked, "
    "'we' and 'our' inside a quotation are given to the paragraph's speaker, and different names for the "
    "same side (for example 'HTS' and 'the rebels') stay separate unless the text writes 'Name (ABBR)' or "
    "the loaded-terms lexicon groups them. Event nouns come from a fixed list."
)


def _shown(c) -> bool:
    return c.voice == "passive" or c.nominalization or c.agent_hidden or c.verb_class in CONFLICT


def marks(analysis: ArticleAnalysis) -> list[Mark]:
    out: list[Mark] = []
    roles: dict = defaultdict(list)  # (start, end, role) -> [verb texts], actor
    actor_of: dict = {}
    for c in analysis.clauses:
        if not _shown(c):
            continue
        kind = "event noun" if c.nominalization else f"{c.voice} verb"
        details = [("clause", f"{c.verb_text} ({kind}, {c.verb_class.replace('_', ' ')})")]
        details.append(("doer", c.agent_text + (f" → {c.agent_actor}" if c.agent_actor else "")
                        if c.agent_text else "not named"))
        if c.patient_text:
            details.append(("done to", c.patient_text + (f" → {c.patient_actor}" if c.patient_actor else "")))
        if c.note:
            details.append(("note", c.note))
        css = "ag-verb" + (" ag-hidden" if c.agent_hidden else "") + (" ag-passive" if c.voice == "passive" else "") \
            + (" ag-nominal" if c.nominalization else "")
        out.append(Mark(c.verb_start, c.verb_end, css, label="who?" if c.agent_hidden else "",
                        details=tuple(details), layer="agency"))
        if c.agent_start is not None and c.agent_text and c.agent_start < c.agent_end:
            roles[(c.agent_start, c.agent_end, "agent")].append(c.verb_text)
            actor_of[(c.agent_start, c.agent_end, "agent")] = c.agent_actor
        if c.patient_start is not None and c.patient_text and c.patient_start < c.patient_end:
            roles[(c.patient_start, c.patient_end, "patient")].append(c.verb_text)
            actor_of[(c.patient_start, c.patient_end, "patient")] = c.patient_actor
    for (start, end, role), verbs in sorted(roles.items()):
        word = "doer" if role == "agent" else "done to"
        details = [(word + " of", ", ".join(dict.fromkeys(verbs)))]
        if actor_of[(start, end, role)]:
            details.append(("actor", actor_of[(start, end, role)]))
        out.append(Mark(start, end, f"ag-{role}", label=word, details=tuple(details), layer="agency"))
    return out


def panel(analysis: ArticleAnalysis) -> Panel:
    agent_s, patient_s, hidden_s = defaultdict(set), defaultdict(set), defaultdict(set)
    for c in analysis.clauses:
        if c.agent_actor:
            agent_s[c.agent_actor].add(c.sentence_index)
        if c.patient_actor:
            patient_s[c.patient_actor].add(c.sentence_index)
            if c.agent_hidden:
                hidden_s[c.patient_actor].add(c.sentence_index)
    scored = any(a.agency_score is not None or a.power_score is not None for a in analysis.actors)
    rows = []
    for a in analysis.actors:
        mention_s = tuple(int(i) for i in a.mention_sentences.split()) if a.mention_sentences else ()
        row = [a.actor, a.kind, (a.mentions, mention_s), (a.as_agent, tuple(sorted(agent_s[a.actor]))),
               (a.as_patient, tuple(sorted(patient_s[a.actor]))),
               (a.hidden_agent_events, tuple(sorted(hidden_s[a.actor])))]
        if scored:
            row += ["" if a.agency_score is None else a.agency_score, "" if a.power_score is None else a.power_score]
        rows.append(tuple(row))
    columns = ["actor", "kind", "mentions", "as doer (agent)", "as done-to (patient)", "done to by a hidden doer"]
    if scored:
        columns += ["agency score", "power score"]
    m = analysis.measures or {}
    figures = []
    for key, words in (("passive_clause_share", "passive clauses"),
                       ("agentless_passive_share", "passives without a named doer"),
                       ("hidden_agent_harm_share", "harm events without a named doer")):
        if m.get(key) is not None:
            figures.append(f"{words}: {round(100 * m[key])}%")
    intro = ("Who the grammar presents as acting and who as acted upon. A 'who?' tag marks a clause whose "
             "doer is not named: a passive without 'by' ('civilians were killed'), an event noun without "
             "its doer ('the withdrawal'), or a death without a cause ('died').")
    if figures:
        intro += " In this article: " + "; ".join(figures) + "."
    return Panel(
        title="Agency: who acts, who is acted upon", intro=intro, columns=tuple(columns), rows=tuple(rows),
        limits=LIMITS, layer="agency",
        legend=(("ag-agent", "doer (agent)"), ("ag-patient", "done to (patient)"),
                ("ag-hidden", "who? doer not named")),
    )
