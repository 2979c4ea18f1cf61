"""Source types: the codes of ``Attribution.source_type``, defined here once, with plain names.

Two levels answer two questions: the *type* says what kind of source speaks
(government, military, media, ...); ``Attribution.state_affiliated`` says whether
the source is tied to a state although its type does not say so (a state news
agency, state television). Government and military sources are state actors by
their type; the flag comes from the news-agency table (ownership
``state_controlled`` or ``state_captured``) and from the text ("state
television", "state-run media", "official news agency").
"""

from __future__ import annotations

#: Source-type codes in display order, with their plain-language names.
SOURCE_TYPES: dict[str, str] = {
    "government": "government",
    "military": "military",
    "armed_group": "non-state armed group",
    "ngo_monitor": "NGO or monitor",
    "international_org": "international organisation",
    "media": "media",
    "witness_civilian": "witness or civilian",
    "expert": "expert",
    "anonymous": "unnamed",
    "unknown": "unknown",
}
#: Agency ownership types (``lexicons/agencies.csv``) that make a source state-affiliated.
STATE_OWNERSHIP = frozenset({"state_controlled", "state_captured"})
