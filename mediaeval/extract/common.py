"""Small helpers every extractor shares: sentences, counted words, exclusion.

The lists are memoised on the doc (``doc.user_data``), so the measures of
several layers share one pass over the tokens.
"""

from __future__ import annotations

from bisect import bisect_right

from ..model import Span, Structure


def _memo(doc, key, compute):
    """Compute once per doc: several extractors and the measures ask for the same lists."""
    memo = doc.user_data.setdefault("mediaeval.memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def sentence_spans(doc) -> tuple[Span, ...]:
    """Sentence spans of the doc (character offsets, trailing white space trimmed)."""
    return _memo(doc, "sentence_spans", lambda: _sentence_spans(doc))


def _sentence_spans(doc) -> tuple[Span, ...]:
    spans = []
    for sent in doc.sents:
        text = sent.text
        end = sent.start_char + len(text.rstrip())
        spans.append(Span(sent.start_char, max(end, sent.start_char)))
    return tuple(spans)


class SentenceIndex:
    """Maps a character offset to the index of the sentence that holds it."""

    def __init__(self, sentences: tuple[Span, ...]):
        self.sentences = sentences
        self._starts = [s.start for s in sentences]

    def __call__(self, char: int) -> int:
        return max(bisect_right(self._starts, char) - 1, 0) if self._starts else -1


def is_word(token) -> bool:
    """A token that counts as a word: not punctuation, space or a symbol."""
    return not (token.is_punct or token.is_space or token.pos_ == "SYM")


def counted_tokens(doc, structure: Structure) -> tuple:
    """Word tokens outside credit lines and boilerplate: what every measure counts."""
    return _memo(doc, ("counted_tokens", structure), lambda: _counted_tokens(doc, structure))


def _counted_tokens(doc, structure: Structure) -> tuple:
    excluded = structure.excluded
    if not excluded:
        return tuple(t for t in doc if is_word(t))
    return tuple(t for t in doc if is_word(t) and not any(s.overlaps(t.idx, t.idx + len(t)) for s in excluded))


def counted_sentences(doc, structure: Structure) -> tuple:
    """Sentences with at least one counted word (boilerplate and credit lines drop out)."""
    return _memo(doc, ("counted_sentences", structure), lambda: _counted_sentences(doc, structure))


def _counted_sentences(doc, structure: Structure) -> tuple:
    return tuple(sent for sent in doc.sents
                 if any(is_word(t) and not structure.is_excluded(t.idx, t.idx + len(t)) for t in sent))
