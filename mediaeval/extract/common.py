"""What every extractor shares, computed once per doc: the sentence index, the
excluded-token mask, counted words and sentences, and the quotations.

Results are memoised per doc in a weak mapping (never in ``doc.user_data``,
which must stay plain data for ``Doc.to_bytes``), so the measures of several
layers share one pass over the tokens.
"""

from __future__ import annotations

from bisect import bisect_right
from weakref import WeakKeyDictionary

from ..model import Span, Structure

_MEMO: "WeakKeyDictionary" = WeakKeyDictionary()


def _memo(doc, key, compute):
    """Compute once per doc: several extractors and the measures ask for the same lists."""
    memo = _MEMO.setdefault(doc, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def doc_text(doc) -> str:
    return _memo(doc, "text", lambda: doc.text)


# ---------------------------------------------------------------- sentences
def sentence_spans(doc) -> tuple[Span, ...]:
    """The one sentence index: sentence spans of the doc (character offsets, trailing
    white space trimmed). Every ``sentence_index`` in the records counts these, and
    sentences.csv has one row per span."""
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


def sentence_of(doc) -> SentenceIndex:
    """The sentence index of ``doc`` as a function of a character offset."""
    return _memo(doc, "sentence_of", lambda: SentenceIndex(sentence_spans(doc)))


# ---------------------------------------------------------------- excluded tokens
def excluded_mask(doc, structure: Structure) -> tuple[bool, ...]:
    """The one excluded-token test: per token, True inside a credit line or boilerplate."""
    return _memo(doc, ("excluded", structure), lambda: _excluded_mask(doc, structure))


def _excluded_mask(doc, structure: Structure) -> tuple[bool, ...]:
    spans = structure.excluded
    if not spans:
        return (False,) * len(doc)
    starts = [s.start for s in spans]
    mask = []
    for t in doc:
        k = bisect_right(starts, t.idx) - 1
        mask.append((k >= 0 and spans[k].overlaps(t.idx, t.idx + len(t)))
                    or (k + 1 < len(spans) and spans[k + 1].overlaps(t.idx, t.idx + len(t))))
    return tuple(mask)


def is_word(token) -> bool:
    """A token that counts as a word: not punctuation, space or a symbol."""
    return not (token.is_punct or token.is_space or token.pos_ == "SYM")


def counted_tokens(doc, structure: Structure) -> tuple:
    """Word tokens outside credit lines and boilerplate: what every measure counts."""
    def compute():
        mask = excluded_mask(doc, structure)
        return tuple(t for t in doc if is_word(t) and not mask[t.i])
    return _memo(doc, ("counted_tokens", structure), compute)


def counted_sentences(doc, structure: Structure) -> tuple:
    """Sentences with at least one counted word (boilerplate and credit lines drop out)."""
    def compute():
        mask = excluded_mask(doc, structure)
        return tuple(sent for sent in doc.sents if any(is_word(t) and not mask[t.i] for t in sent))
    return _memo(doc, ("counted_sentences", structure), compute)


# ---------------------------------------------------------------- quotations
def doc_quotes(doc) -> list:
    """The quotations of the doc's text (``quotes.find_quotes``), found once."""
    from .quotes import find_quotes

    return _memo(doc, "quotes", lambda: find_quotes(doc_text(doc)))


def token_in_quote(doc) -> tuple[bool, ...]:
    """Per token: inside a quotation (any kind, marks excluded)."""
    def compute():
        from .quotes import QuoteIndex
        index = QuoteIndex(doc_quotes(doc))
        return tuple(index.inside(t.idx) for t in doc)
    return _memo(doc, "token_in_quote", compute)
