"""Tone: VADER compound score per sentence, averaged per voice.

Method: VADER (Hutto & Gilbert 2014), a rule-based sentiment lexicon tuned on
social-media text, as shipped in the ``vaderSentiment`` package (no download).
The compound score runs from -1 (most negative) to +1 (most positive). A
sentence takes the voice (``mediaeval.voice``) of most of its counted words
(``extract.voice.VoiceMap``, the same voice the terms and word counts use);
``tone_<voice>`` is the plain mean over the sentences of that voice (empty when
there are none): ``tone_own``, ``tone_quoted``, ``tone_reported``,
``tone_scare_quoted``.

Limits: VADER was built for short informal text; on news it mostly reacts to
the topic (war, death, attack are negative whoever writes about them), not to
the writer's stance, so compare outlets on the same events, never absolute
values. Negation and irony are handled only by VADER's simple rules.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ..model import Attribution, Structure
from ..voice import SOURCE_VOICES, VOICES
from .common import excluded_mask, is_word, sentence_spans
from .voice import VoiceMap


@lru_cache(maxsize=1)
def analyzer():
    """One VADER analyzer per process (it reads its bundled lexicon once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_tones(doc, article, structure: Structure, attributions: tuple[Attribution, ...] = (),
                   voices: VoiceMap | None = None) -> list[dict]:
    """One row per sentence with counted words: sentence_index, start, end, compound, voice, source_share.

    ``sentence_index`` is the one sentence index (``common.sentence_spans``);
    ``source_share`` is the share of its words in a source's voice (quoted or reported).
    """
    if voices is None:
        voices = VoiceMap(article.text, attributions)
    mask = excluded_mask(doc, structure)
    vader = analyzer()
    rows = []
    for index, (sent, span) in enumerate(zip(doc.sents, sentence_spans(doc))):
        words = [t for t in sent if is_word(t) and not mask[t.i]]
        if not words:
            continue
        found = [voices.span(t.idx, t.idx + len(t))[0] for t in words]
        counts = Counter(found)
        top = max(counts.values())
        voice = next(v for v in found if counts[v] == top)
        text = "".join(t.text_with_ws for t in sent if not mask[t.i])
        rows.append({
            "sentence_index": index, "start": span.start, "end": span.end,
            "compound": vader.polarity_scores(text)["compound"], "voice": voice,
            "source_share": round(sum(counts[v] for v in SOURCE_VOICES) / len(words), 3),
        })
    return rows


def tone_measures(doc, article, structure: Structure, attributions: tuple[Attribution, ...] = (),
                  voices: VoiceMap | None = None) -> dict:
    """tone_<voice>: mean VADER compound of the sentences in each voice (None when there are none)."""
    rows = sentence_tones(doc, article, structure, attributions, voices)
    out = {}
    for voice in VOICES:
        scores = [r["compound"] for r in rows if r["voice"] == voice]
        out[f"tone_{voice}"] = round(sum(scores) / len(scores), 4) if scores else None
    return out
