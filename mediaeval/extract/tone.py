"""Tone: VADER compound score per sentence, averaged in the outlet's own voice and in quotes.

Method: VADER (Hutto & Gilbert 2014), a rule-based sentiment lexicon tuned on
social-media text, as shipped in the ``vaderSentiment`` package (no download).
The compound score runs from -1 (most negative) to +1 (most positive). A
sentence counts as ``quoted`` when more than half of its counted words lie inside
quotation marks or attributed content (see ``extract.terms.VoiceMap``); every
other sentence is the outlet's ``own`` voice. ``tone_own`` and ``tone_quoted``
are the plain means over those sentences (empty when there are none).

Limits: VADER was built for short informal text; on news it mostly reacts to
the topic (war, death, attack are negative whoever writes about them), not to
the writer's stance, so compare outlets on the same events, never absolute
values. Negation and irony are handled only by VADER's simple rules.
"""

from __future__ import annotations

from functools import lru_cache

from ..model import Attribution, Structure
from .common import is_word, sentence_spans
from .terms import VoiceMap


@lru_cache(maxsize=1)
def analyzer():
    """One VADER analyzer per process (it reads its bundled lexicon once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_tones(doc, article, structure: Structure, attributions: tuple[Attribution, ...] = ()) -> list[dict]:
    """One row per sentence with counted words: sentence_index, start, end, compound, voice, quoted_share.

    ``sentence_index`` counts every sentence of the doc (as ``common.sentence_spans``).
    """
    voices = VoiceMap(article.text, attributions)
    vader = analyzer()
    rows = []
    for index, (sent, span) in enumerate(zip(doc.sents, sentence_spans(doc))):
        words = [t for t in sent if is_word(t) and not structure.is_excluded(t.idx, t.idx + len(t))]
        if not words:
            continue
        inside = sum(1 for t in words if voices.at(t.idx)[0] != "own")
        share = inside / len(words)
        text = "".join(t.text_with_ws for t in sent if not structure.is_excluded(t.idx, t.idx + len(t)))
        rows.append({
            "sentence_index": index, "start": span.start, "end": span.end,
            "compound": vader.polarity_scores(text)["compound"],
            "voice": "quoted" if share > 0.5 else "own", "quoted_share": round(share, 3),
        })
    return rows


def tone_measures(doc, article, structure: Structure, attributions: tuple[Attribution, ...] = ()) -> dict:
    """tone_own and tone_quoted: mean VADER compound of own-voice and of quoted sentences."""
    rows = sentence_tones(doc, article, structure, attributions)
    out = {}
    for voice in ("own", "quoted"):
        scores = [r["compound"] for r in rows if r["voice"] == voice]
        out[f"tone_{voice}"] = round(sum(scores) / len(scores), 4) if scores else None
    return out
