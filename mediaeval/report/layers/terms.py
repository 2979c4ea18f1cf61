"""Loaded-terms layer of the article page: every lexicon hit marked, in its voice.

Marks: each hit gets a colour per category *and* an underline style plus a small
text tag ("label", "euphemism · quoted"), so nothing relies on colour alone; the
popover gives the term, its function, whom it names, the rationale, a neutral
alternative, the voice and the speaker. Panel: the label choice per group named
with one column per voice (``mediaeval.voice.VOICES``: own voice, quoted,
reported, scare quotes), then the loaded words, each count linked to its
sentences; the legend explains the styles. The voice shown is the record's
``TermHit.voice``, so the page, the CSV and the comparison agree.
"""

from __future__ import annotations

from collections import defaultdict

from ...extract.labels import is_label
from ...extract.term_lexicon import CATEGORIES, NON_GROUPS
from ...model import ArticleAnalysis
from ...voice import OWN, VOICE_DESCRIPTIONS, VOICES
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
INTRO = (
    "Which words the article uses for each side, in its own voice, inside its sources' quotation marks, "
    "in what it reports a source said without quotation marks, and inside scare quotes. A word in reported "
    "speech is the outlet's wording of a source's claim, so it is still the outlet's word choice. "
    "Following the Glasgow Media Group, labels such as 'terrorist', 'militant', 'rebel' or 'regime forces' "
    "are choices to compare across outlets and sides, not errors; only intensifiers, euphemisms and "
    "demonizing or dehumanizing words are flagged as loaded, and even those may be fair inside a quotation."
)
LIMITS = (
    "Words come from a fixed lexicon (see 'mediaeval lexicon show loaded_terms'), matched on their dictionary "
    "form; the group a word names is the lexicon's default, not read from context, and irony or negation "
    "is not detected. Voice comes from quotation marks and the sources layer: a quote the sources layer "
    "misses and that has no quotation marks counts as the outlet's own words, and quotation marks whose "
    "speaker is not found read as scare quotes."
)


def _css(category: str) -> str:
    return f"tm-{category}"


def marks(analysis: ArticleAnalysis) -> list[Mark]:
    out = []
    for t in analysis.terms:
        voice = VOICES.get(t.voice, t.voice)
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
        label = SHORT.get(t.category, t.category) + ("" if t.voice == OWN else f" · {voice}")
        css = f"{_css(t.category)} tm tm-voice-{t.voice}" + (" tm-loaded" if t.loaded else "")
        out.append(Mark(t.start, t.end, css, label=label, details=tuple(details), layer="terms"))
    return out


def panel(analysis: ArticleAnalysis) -> Panel:
    cells: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: {v: [] for v in VOICES})
    order = {c: i for i, c in enumerate(CATEGORIES)}
    for t in analysis.terms:
        if is_label(t):
            group = t.refers_to.replace("_", " ")
        elif t.loaded:
            group = f"loaded: {SHORT.get(t.category, t.category)}"
        else:
            continue
        cells[(group, t.term)].setdefault(t.voice, []).append(t.sentence_index)

    def key(item):
        (group, term), _ = item
        loaded = group.startswith("loaded: ")
        return (loaded, order.get(group[8:], 99) if loaded else 0, group, term)

    rows = tuple(
        (group, term, *((len(v[voice]), tuple(dict.fromkeys(v[voice]))) for voice in VOICES))
        for (group, term), v in sorted(cells.items(), key=key)
    )
    used = [c for c in CATEGORIES if any(t.category == c for t in analysis.terms)] or list(CATEGORIES)
    legend = tuple((f"tm {_css(c)}", f"{SHORT[c]}: {MEANING[c]}") for c in used)
    legend += tuple((f"tm tm-voice-{v}", f"{VOICES[v]}: {VOICE_DESCRIPTIONS[v]}") for v in VOICES)
    return Panel(
        title="Labels and loaded words", intro=INTRO,
        columns=("who is named / kind", "word", *VOICES.values()),
        rows=rows, limits=LIMITS, layer="terms", legend=legend,
    )
