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

import numpy

from ..model import Attribution, Structure
from ..voice import SOURCE_VOICES, VOICES
from .common import counted_array, doc_text, excluded_array, sentence_spans, token_arrays
from .voice import VoiceMap


@lru_cache(maxsize=1)
def analyzer():
    """One VADER analyzer per process (it reads its bundled lexicon once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=4096)
def compound(text: str) -> float:
    """VADER's compound score of ``text`` (memoised: agency copy and boilerplate repeat sentences)."""
    return analyzer().polarity_scores(text)["compound"]


def sentence_tones(doc, article, structure: Structure, attributions: tuple[Attribution, ...] = (),
                   voices: VoiceMap | None = None) -> list[dict]:
    """One row per sentence with counted words: sentence_index, start, end, compound, voice, source_share.

    ``sentence_index`` is the one sentence index (``common.sentence_spans``);
    ``source_share`` is the share of its words in a source's voice (quoted or reported).
    The sentence's text for VADER is its tokens outside credit lines and boilerplate, each
    with its trailing white space (read from the doc's arrays, not Token objects).
    """
    if voices is None:
        voices = VoiceMap(article.text, attributions)
    arrays = token_arrays(doc)
    text = doc_text(doc)
    counted, excluded = counted_array(doc, structure), excluded_array(doc, structure)
    starts, ends = arrays.idx.tolist(), arrays.end.tolist()
    starts.append(len(text))  # token i with its white space is text[starts[i]:starts[i + 1]]
    rows = []
    bounds = zip(arrays.sent_start.tolist(), arrays.sent_end.tolist())
    for index, ((a, b), span) in enumerate(zip(bounds, sentence_spans(doc))):
        words = numpy.flatnonzero(counted[a:b]).tolist()
        if not words:
            continue
        found = [voices.span(starts[a + i], ends[a + i])[0] for i in words]
        counts = Counter(found)
        top = max(counts.values())
        voice = next(v for v in found if counts[v] == top)
        kept = numpy.flatnonzero(~excluded[a:b]).tolist()
        if len(kept) == b - a:
            sentence_text = text[starts[a]:starts[b]]
        else:
            sentence_text = "".join(text[starts[a + i]:starts[a + i + 1]] for i in kept)
        rows.append({
            "sentence_index": index, "start": span.start, "end": span.end,
            "compound": compound(sentence_text), "voice": voice,
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
