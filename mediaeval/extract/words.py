"""Counted words per voice: what the comparison's distinctive-words statistics read.

Every counted word (``common.counted_tokens``: no punctuation, credit line or
boilerplate) is lower-cased and counted under its voice (the voice that covers
most of the token, ``extract.voice.VoiceMap``). An article then carries
``(voice, word, count)`` rows instead of its text, so a comparison never needs
the raw texts in memory and splits words into own voice and quoted exactly as
the term layer does.
"""

from __future__ import annotations

from collections import Counter

from ..model import Structure
from .common import counted_tokens


def voice_word_counts(doc, structure: Structure, voices) -> tuple[tuple[str, str, int], ...]:
    """``(voice, word_lowercase, count)`` over the counted words, sorted by voice then word."""
    counts: Counter = Counter()
    for t in counted_tokens(doc, structure):
        counts[(voices.span(t.idx, t.idx + len(t))[0], t.lower_)] += 1
    return tuple((v, w, n) for (v, w), n in sorted(counts.items()))
