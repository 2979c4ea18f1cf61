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
from .common import counted_indices, token_arrays


def voice_word_counts(doc, structure: Structure, voices) -> tuple[tuple[str, str, int], ...]:
    """``(voice, word_lowercase, count)`` over the counted words, sorted by voice then word."""
    arrays = token_arrays(doc)
    keep = counted_indices(doc, structure)
    strings = arrays.strings
    counts: Counter = Counter()
    for start, end, lower in zip(arrays.idx[keep].tolist(), arrays.end[keep].tolist(), arrays.lower[keep].tolist()):
        counts[(voices.span(start, end)[0], lower)] += 1
    counts = Counter({(v, strings[h]): n for (v, h), n in counts.items()})
    return tuple((v, w, n) for (v, w), n in sorted(counts.items()))
