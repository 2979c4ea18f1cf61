"""Loaded-terms layer of the article page: every lexicon hit marked, in its voice.

Marks: each hit gets a colour per category *and* an underline style plus a small
text tag ("label", "euphemism · quoted"), so nothing relies on colour alone; the
popover gives the term, its function, whom it names, the rationale, a neutral
alternative, the voice and the speaker. Panel: the label choice per group named
(own voice against quoted or attributed), then the loaded words, each count
linked to its sentences; the legend explains the styles.
"""

from __future__ import annotations

from collections import defaultdict

from ...extract.term_lexicon import CATEGORIES, NON_GROUPS
from ...model import ArticleAnalysis
from ..marks import Mark, Panel

SHORT = {
    "actor_label": "label", "victim_label": "victim label", "event_label": "event", "place_label": "place",
    "euphemism": "euphemism", "intensifier": "intensifier", "demonizing": "demonizing",
    "dehumanizing": "dehumanizing", "victimizing": "victimizing", "scare_marker": "scare word",
    "hedge": "hedge", "say_verb": "say-verb", "frame": "frame",
}
MEANING = {
    "actor_label": "names an actor: a choice to compare, not an error",
    "victim_label": "names the dead, hurt or held",
    "event_label": "names an event",
    "place_label": "names a place or territory",
    "euphemism": "softens or hides (loaded)",
    "intensifier": "tells the reader what to feel (loaded)",
    "demonizing": "name-calling (loaded)",
    "dehumanizing": "strips people of humanity (loaded)",
    "victimizing": "shows people only as helpless (loaded)",
    "scare_marker": "distances the writer from a name",
    "hedge": "casts doubt",
    "say_verb": "reporting verb that judges the speaker",
    "frame": "slogan or framing phrase",
}
VOICE = {"own": "the outlet's own words", "quoted": "inside quotation marks", "attributed": "reported speech"}
INTRO = (
    "Which words the article uses for each side, in its own voice and inside what it quotes or reports. "
    "Following the Glasgow Media Group, labels such as 'terrorist', 'militant', 'rebel' or 'regime forces' "
    "are choices to compare across outlets and sides, not errors; only intensifiers, euphemisms and "
    "demonizing or dehumanizing words are flagged as loaded, and even those may be fair inside a quotation."
)
LIMITS = (
    "Words come from a fixed lexicon (see 'mediaeval lexicon show loaded_terms'), matched on their dictionary "
    "form; the group a word names is the lexicon's default, not read from context, and irony or negation "
    "is not detected. Voice comes from quotation marks and the sources layer: a quote the sources layer "
    "misses and that has no quotation marks counts as the outlet's own words."
)


def _css(category: str) -> str:
    return f"tm-{category}"


def marks(analysis: ArticleAnalysis) -> list[Mark]:
    out = []
    for t in analysis.terms:
        voice = VOICE.get(t.voice, t.voice)
        details = [
            ("term", t.term + (f" (as “{t.matched_text}”)" if t.matched_text.lower() != t.term.lower() else "")),
            ("category", t.category.replace("_", " ") + (", loaded" if t.loaded else "")),
            ("function", t.function.replace("_", " ")),
        ]
        if t.refers_to not in NON_GROUPS:
            details.append(("names", t.refers_to.replace("_", " ")))
        details += [("voice", voice + (f": {t.speaker}" if t.speaker else ""))]
        details += [("why it matters", t.rationale), ("neutral alternative", t.neutral_alternative)]
        if t.source:
            details.append(("guidance", t.source.replace(";", ", ")))
        label = SHORT.get(t.category, t.category) + ("" if t.voice == "own" else f" · {t.voice}")
        css = f"{_css(t.category)} tm tm-voice-{t.voice}" + (" tm-loaded" if t.loaded else "")
        out.append(Mark(t.start, t.end, css, label=label, details=tuple(details), layer="terms"))
    return out


def panel(analysis: ArticleAnalysis) -> Panel:
    cells: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: {"own": [], "other": []})
    order = {c: i for i, c in enumerate(CATEGORIES)}
    for t in analysis.terms:
        if t.category in ("actor_label", "victim_label", "demonizing", "dehumanizing") and t.refers_to not in NON_GROUPS:
            group = t.refers_to.replace("_", " ")
        elif t.loaded:
            group = f"loaded: {SHORT.get(t.category, t.category)}"
        else:
            continue
        cells[(group, t.term)]["own" if t.voice == "own" else "other"].append(t.sentence_index)

    def key(item):
        (group, term), _ = item
        loaded = group.startswith("loaded: ")
        return (loaded, order.get(group[8:], 99) if loaded else 0, group, term)

    rows = tuple(
        (group, term, (len(v["own"]), tuple(dict.fromkeys(v["own"]))),
         (len(v["other"]), tuple(dict.fromkeys(v["other"]))))
        for (group, term), v in sorted(cells.items(), key=key)
    )
    used = [c for c in CATEGORIES if any(t.category == c for t in analysis.terms)] or list(CATEGORIES)
    legend = tuple((f"tm {_css(c)}", f"{SHORT[c]}: {MEANING[c]}") for c in used)
    return Panel(
        title="Labels and loaded words", intro=INTRO,
        columns=("who is named / kind", "word", "own voice", "quoted or reported"),
        rows=rows, limits=LIMITS, layer="terms", legend=legend,
    )
