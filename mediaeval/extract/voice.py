"""The one voice function: whose words each character of an article is.

Method (Glasgow Media Group's question "whose words are these?", with the
vocabulary of ``mediaeval.voice``): a character inside quotation marks
(``quotes.find_quotes``, so direct quotes count even where attribution missed
their cue) is ``quoted`` when some attribution's content holds or overlaps the
quotation (its source is the speaker); a quotation no attribution holds is
``scare_quoted`` when it is shorter than ``SPEECH_WORDS`` words (scare quotes are
a word or a short phrase) and otherwise ``quoted`` with no speaker (a source's
words whose cue was missed: "“We will not stop,” he insisted" without a known
cue, a tweet quoted after "saying:"). A character inside an attribution's
content and outside quotation marks is ``reported`` (``direct`` and
``floating`` contents, which are quotations, stay ``quoted``). Everything else
is ``own``.

A span takes the voice that covers most of it, counted in words (each word
votes with the voice at its middle character): first inside quotation marks
(``quoted``, ``scare_quoted``) or outside them (``own``, ``reported``), by
majority, then the most common voice on that side (ties: the voice met
first); its speaker is the one most of those words have. So "Mr. de Léon said
that Democrats had made a grave mistake striking “another bargain with Donald
Trump”" is the outlet's sentence with a partial quote, not a quotation.

Limits: voice is only as good as the quotation marks and the attribution layer;
a short quotation whose speaker the attribution layer misses reads as scare
quotes, a long stretch of scare quotes as a quotation; a writer's missing
opening mark cannot be recovered. BASIL (Fan et al. 2019) shows that
annotators also mark some short partial quotes and some words wholly inside
quotation marks as not quoted (benchmarks/voice_basil.py).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from ..model import Attribution
from ..voice import OWN, QUOTED, REPORTED, SCARE_QUOTED
from .quotes import find_quotes

QUOTED_KINDS = frozenset({"direct", "floating"})
#: A quotation no attribution holds is scare quotes when shorter than this many words, else a source's words
#: whose speaker was not found (quoted, speaker ""): scare quotes are a word or a short phrase.
SPEECH_WORDS = 4
_WORD = re.compile(r"\S+")
MARKED = frozenset({QUOTED, SCARE_QUOTED})  # the voices inside quotation marks


def speaker_of(attribution) -> str:
    """The speaker an attribution gives a span: its resolved source, else its source text."""
    if attribution is None:
        return ""
    return attribution.source_resolved or attribution.source_text


class VoiceMap:
    """Voice and speaker of any character or span, from quotation marks and attributions."""

    def __init__(self, text: str, attributions: Iterable[Attribution] = (), quotes=None):
        self.text = text
        self.attributions = tuple(attributions)
        self.quotes = list(quotes) if quotes is not None else find_quotes(text)
        self.pieces = sorted(((s, e, a) for a in self.attributions for s, e in a.content_pieces if e > s),
                             key=lambda p: (p[0], p[1]))
        n = len(text)
        # per character: the attribution whose content piece holding it is the smallest (longest written first)
        self._holder: list = [None] * n
        for s, e, a in sorted(self.pieces, key=lambda p: -(p[1] - p[0])):
            e = min(e, n)
            if s < e:
                self._holder[s:e] = [a] * (e - s)
        # per character: the quotation holding it, and per quotation the attribution that overlaps it
        self._quote: list = [None] * n
        self._quote_holder: list = []
        for k, q in enumerate(self.quotes):
            e = min(q.end, n)
            if q.start < e:
                self._quote[q.start:e] = [k] * (e - q.start)
            self._quote_holder.append(next((a for s, e2, a in self.pieces if s < q.end and q.start < e2), None))
        # a quotation no attribution holds: scare quotes when short, else a quotation whose speaker was not found
        self._speech = [len(text[q.start:q.end].split()) >= SPEECH_WORDS for q in self.quotes]

    def at(self, char: int) -> tuple[str, str]:
        """(voice, speaker) of the character at ``char``."""
        if not 0 <= char < len(self.text):
            return OWN, ""
        holder = self._holder[char]
        q = self._quote[char]
        if q is not None:
            if holder is None:
                holder = self._quote_holder[q]
            if holder is not None:
                return QUOTED, speaker_of(holder)
            return (QUOTED, "") if self._speech[q] else (SCARE_QUOTED, "")
        if holder is not None:
            return (QUOTED if holder.kind in QUOTED_KINDS else REPORTED), speaker_of(holder)
        return OWN, ""

    def span(self, start: int, end: int | None = None) -> tuple[str, str]:
        """(voice, speaker) of ``[start, end)``: the voice covering most of its characters."""
        end = start + 1 if end is None or end <= start else end
        codes = self._char_codes()[start:end]
        if codes and min(codes) == max(codes):  # one voice throughout: the common case, fast
            return self._table[codes[0]]
        # one vote per word (the voice at its middle character), so long quoted words do not outvote short ones
        found = [self.at(start + (m.start() + m.end()) // 2) for m in _WORD.finditer(self.text[start:end])] \
            or [self.at(start)]
        marked = sum(1 for v, _ in found if v in MARKED)
        side = [f for f in found if (f[0] in MARKED) == (2 * marked > len(found))] or found
        voices = Counter(v for v, _ in side)
        top = max(voices.values())
        voice = next(v for v, _ in side if voices[v] == top)
        speakers = Counter(s for v, s in found if v == voice)
        return voice, speakers.most_common(1)[0][0]


    def runs(self) -> list[tuple[int, int, str]]:
        """``(start, end, voice)`` of every stretch not in the outlet's own voice, in text order."""
        codes, out = self._char_codes(), []
        start = 0
        for i in range(1, len(codes) + 1):
            if i == len(codes) or codes[i] != codes[start]:
                voice = self._table[codes[start]][0]
                if voice != OWN:
                    out.append((start, i, voice))
                start = i
        return out

    def _char_codes(self) -> list:
        """Per character, an index into ``self._table`` of (voice, speaker) pairs (built once)."""
        if getattr(self, "_codes", None) is None:
            n = len(self.text)
            cuts = sorted({0, n, *(min(max(x, 0), n) for s, e, _ in self.pieces for x in (s, e)),
                           *(min(max(x, 0), n) for q in self.quotes for x in (q.start, q.end))})
            index: dict = {}
            codes = [0] * n
            for a, b in zip(cuts, cuts[1:]):  # the voice is constant between two cuts
                if a < b:
                    codes[a:b] = [index.setdefault(self.at(a), len(index))] * (b - a)
            self._codes, self._table = codes, list(index) or [(OWN, "")]
        return self._codes


_MAPS: dict = {}


def doc_voice_map(doc, attributions, attribution_data=None) -> VoiceMap:
    """The VoiceMap of a Doc, built once per doc and attribution layer (``attribution_data``
    is the layer's plain data on the Doc, whose identity keys the cache)."""
    from .common import _memo, doc_quotes, doc_text

    key = ("voices", id(attribution_data) if attribution_data is not None else None)
    return _memo(doc, key, lambda: VoiceMap(doc_text(doc), attributions, doc_quotes(doc)))


def voice_map(result) -> VoiceMap:
    """The VoiceMap of an ``ArticleAnalysis`` or of a Doc that ran the mediaeval pipeline (cached)."""
    hit = _MAPS.get(id(result))
    if hit is not None and hit[0] is result:
        return hit[1]
    if hasattr(result, "attributions") and hasattr(result, "article"):
        vm = VoiceMap(result.article.text, result.attributions)
    else:
        from .layers import attributions_from_doc
        from .common import doc_quotes, doc_text
        vm = VoiceMap(doc_text(result), attributions_from_doc(result), doc_quotes(result))
    if len(_MAPS) > 16:
        _MAPS.clear()
    _MAPS[id(result)] = (result, vm)
    return vm


def voice_of(result, start: int, end: int | None = None) -> tuple[str, str]:
    """``(voice, speaker)`` of ``[start, end)`` in an analysed article.

    ``result`` is an ``ArticleAnalysis`` (or a spaCy Doc that went through the
    ``mediaeval`` pipeline). The voice is one of ``VOICES``; the speaker is the
    resolved source for ``quoted`` and ``reported`` spans, else "".
    """
    end = start + 1 if end is None else end
    if end < start:
        from ..errors import SpanError
        raise SpanError(start, end)
    return voice_map(result).span(start, end)
