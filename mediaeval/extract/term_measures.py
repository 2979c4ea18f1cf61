"""Per-article loaded-term measures: counts per voice and per category, rates per 1,000 words.

``loaded_<voice>`` counts the hits flagged ``loaded`` in each voice of
``mediaeval.voice.VOICES`` (own, quoted, reported, scare_quoted);
``loaded_per_1k_words_<voice>`` divides by the article's counted words (credit
lines and boilerplate excluded), so the rates add up to the article's
loaded-term rate. ``count_<category>`` counts every hit per lexicon category.

Limits: a rate over a short article moves a lot with one word.
"""

from __future__ import annotations

from collections import Counter

from ..model import Structure, TermHit
from ..voice import VOICES
from .common import counted_indices
from .term_lexicon import CATEGORIES


def term_measures(doc, article, structure: Structure, terms: tuple[TermHit, ...]) -> dict:
    """Loaded terms per voice (counts and per 1,000 counted words) and counts per category."""
    n_words = len(counted_indices(doc, structure))
    by_voice = Counter(t.voice for t in terms if t.loaded)
    rate = (lambda n: round(1000.0 * n / n_words, 2)) if n_words else (lambda n: None)
    measures: dict = {}
    for voice in VOICES:
        measures[f"loaded_{voice}"] = by_voice.get(voice, 0)
    for voice in VOICES:
        measures[f"loaded_per_1k_words_{voice}"] = rate(by_voice.get(voice, 0))
    counts = Counter(t.category for t in terms)
    for category in sorted(set(CATEGORIES) | set(counts)):
        measures[f"count_{category}"] = counts.get(category, 0)
    return measures
