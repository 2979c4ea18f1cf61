"""Every code the tables use, with the plain-language label the pages show.

Part of the one table schema (``schema.py`` re-exports ``CODES`` and ``label``);
kept in its own small module so that the measure registry, which sits below the
schema, can expand its families (``count_{category}``) over these lists.
Voices come from ``voice.VOICES``, the one voice vocabulary.
"""

from __future__ import annotations

from typing import Optional

from .source_types import SOURCE_TYPES
from .voice import VOICES

CODES: dict[str, dict[str, str]] = {
    "voice": dict(VOICES),
    "source_type": dict(SOURCE_TYPES),
    "category": {
        "actor_label": "actor label", "victim_label": "victim label", "event_label": "event label",
        "place_label": "place label", "euphemism": "euphemism", "intensifier": "intensifier",
        "demonizing": "demonizing name", "dehumanizing": "dehumanizing word", "victimizing": "victimizing word",
        "scare_marker": "scare word", "hedge": "hedge", "say_verb": "judging reporting verb",
        "frame": "slogan or framing phrase"},
    "refers_to": {
        "nonstate_armed": "non-state armed groups", "state_forces": "state forces", "government": "government",
        "police": "police", "civilians": "civilians", "casualties": "casualties", "detainees": "detainees",
        "migrants": "migrants and refugees", "protesters": "protesters", "political_opponents": "political opponents",
        "settlers": "settlers", "event": "(an event)", "place": "(a place)", "speech": "(speech)",
        "general": "(general)"},
    "cue_class": {
        "neutral": "neutral (say, tell)", "assertive": "assertive (insist, stress)", "doubt": "doubting (claim, allege)",
        "tentative": "tentative (suggest, estimate)", "admission": "admission (admit, concede)",
        "denial": "denial (deny, reject)", "emotive": "emotive (complain, slam)", "directive": "directive (urge, demand)",
        "question": "question (ask)", "warning": "warning (warn, threaten)", "promise": "promise (pledge, vow)",
        "stance": "stance (praise, accuse)", "attitude": "attitude (believe, fear)",
        "evidential": "evidential (show, reveal)", "according": "according to", "hearsay": "hearsay (reportedly)"},
    "kind": {"direct": "direct quote", "indirect": "reported speech", "mixed": "partly quoted",
             "according_to": "according to", "floating": "quote, speaker carried over"},
    "clause_voice": {"active": "active", "passive": "passive"},
    "ownership": {
        "state_controlled": "state-controlled", "state_captured": "state-captured",
        "state_public_independent": "state-funded, independent", "public_statutory": "public (statutory)",
        "private_commercial": "private commercial", "private_listed": "private, listed",
        "nonprofit_independent": "non-profit, independent", "media_cooperative": "media cooperative"},
    "origin_method": {"dateline": "dateline", "credit": "credit line", "byline": "byline",
                      "signature": "house style signature", "copyright": "copyright line",
                      "contributed": "additional reporting"},
    "level": {"type": "source type", "source": "named source"},
}


def label(code, family: Optional[str] = None) -> str:
    """The plain-language label of a code ("nonstate_armed" -> "non-state armed groups")."""
    if code is None or (isinstance(code, float) and code != code) or str(code) in ("", "<NA>"):
        return ""
    code = str(code)
    if family and code in CODES.get(family, {}):
        return CODES[family][code]
    for fam in ("refers_to", "source_type", "category", "voice", "kind", "cue_class", "ownership"):
        if code in CODES[fam]:
            return CODES[fam][code]
    return code.replace("_", " ")
