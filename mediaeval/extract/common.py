"""What every extractor shares, computed once per doc: the sentence index, the
excluded-token mask, counted words and sentences, and the quotations.

Results are memoised per doc in a weak mapping (never in ``doc.user_data``,
which must stay plain data for ``Doc.to_bytes``), so the measures of several
layers share one pass over the tokens.
"""

from __future__ import annotations

from bisect import bisect_right
from weakref import WeakKeyDictionary

import numpy

from ..model import Span, Structure

_MEMO: "WeakKeyDictionary" = WeakKeyDictionary()


def _memo(doc, key, compute):
    """Compute once per doc: several extractors and the measures ask for the same lists."""
    memo = _MEMO.setdefault(doc, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def doc_text(doc) -> str:
    """``doc.text`` once per doc (spaCy rebuilds the string from the tokens on every access)."""
    return _memo(doc, "text", lambda: doc.text)


# ---------------------------------------------------------------- token arrays
class TokenArrays:
    """Per-token attributes of a doc as numpy arrays (``Doc.to_array``), built once per doc.

    Loops that only test attributes read these instead of creating a spaCy
    ``Token`` per token (each one is a Python object): ``idx``, ``length``,
    ``end`` (character offsets), ``pos``, ``dep``, ``tag``, ``lemma``, ``orth``,
    ``lower``, ``ent_type``, ``morph`` (string hashes), ``ent_iob`` (1 = I,
    2 = O, 3 = B), ``head`` (absolute index), ``is_punct``, ``is_space``, ``sent`` (sentence number of each token), ``sent_start`` /
    ``sent_end`` (token bounds of each sentence)."""

    COLUMNS = ("IDX", "LENGTH", "POS", "DEP", "TAG", "LEMMA", "ORTH", "LOWER", "HEAD", "IS_PUNCT", "IS_SPACE",
               "ENT_TYPE", "ENT_IOB", "MORPH")

    def __init__(self, doc):
        n = len(doc)
        table = doc.to_array(list(self.COLUMNS)) if n else numpy.zeros((0, len(self.COLUMNS)), "uint64")
        col = dict(zip(self.COLUMNS, table.T))  # uint64: string hashes use all 64 bits
        self.n = n
        self.idx, self.length = col["IDX"].astype("int64"), col["LENGTH"].astype("int64")
        self.end = self.idx + self.length
        self.pos, self.dep, self.tag = col["POS"], col["DEP"], col["TAG"]
        self.lemma, self.orth, self.lower = col["LEMMA"], col["ORTH"], col["LOWER"]
        self.ent_type, self.ent_iob, self.morph = col["ENT_TYPE"], col["ENT_IOB"], col["MORPH"]
        self.head = numpy.arange(n, dtype="int64") + col["HEAD"].astype("int64")  # offsets are stored wrapped
        self.is_punct, self.is_space = col["IS_PUNCT"].astype(bool), col["IS_SPACE"].astype(bool)
        bounds = [(s.start, s.end) for s in doc.sents] if n else []
        self.sent_start = numpy.array([b[0] for b in bounds], dtype="int64")
        self.sent_end = numpy.array([b[1] for b in bounds], dtype="int64")
        self.sent = numpy.zeros(n, dtype="int64")
        if len(bounds) > 1:
            self.sent[self.sent_start[1:]] = 1
            self.sent = numpy.cumsum(self.sent)
        self.strings = doc.vocab.strings
        self._masks: dict = {}

    def isin(self, column: str, names) -> "numpy.ndarray":
        """Per token (numpy booleans, memoised): ``column`` (``pos``, ``dep``, ``orth`` ...) is one of ``names``."""
        key = (column, tuple(names))
        if key not in self._masks:
            self._masks[key] = numpy.isin(getattr(self, column), self.hashes(key[1]))
        return self._masks[key]

    def texts(self, column: str) -> list[str]:
        """Per token, the string of ``column`` (``pos`` -> ``Token.pos_``, ``lemma`` -> ``lemma_`` ...), as a
        Python list (memoised); ``lemma_lower`` is ``lemma_.lower()``."""
        key = ("texts", column)
        if key not in self._masks:
            values = getattr(self, "lemma" if column == "lemma_lower" else column)
            unique, inverse = numpy.unique(values, return_inverse=True)
            names = [self.strings[h] if h else "" for h in unique.tolist()]
            if column == "lemma_lower":
                names = [name.lower() for name in names]
            self._masks[key] = [names[k] for k in inverse.reshape(-1).tolist()]
        return self._masks[key]

    def offsets(self) -> tuple[list[int], list[int]]:
        """(start, end) character offsets of every token, as Python lists (memoised)."""
        if "offsets" not in self._masks:
            self._masks["offsets"] = (self.idx.tolist(), self.end.tolist())
        return self._masks["offsets"]

    def heads(self) -> list[int]:
        """Per token, its head's index (a Python list, memoised)."""
        if "heads" not in self._masks:
            self._masks["heads"] = self.head.tolist()
        return self._masks["heads"]

    def children(self) -> list[list[int]]:
        """Per token, its children's indices in text order (``Token.children``), memoised."""
        if "children" not in self._masks:
            out: list[list[int]] = [[] for _ in range(self.n)]
            for i, h in enumerate(self.heads()):
                if h != i:
                    out[h].append(i)
            self._masks["children"] = out
        return self._masks["children"]

    def hashes(self, names):
        """The ids of ``names`` (part-of-speech, dependency labels, words) as a uint64 array, for
        ``numpy.isin`` against ``pos``, ``dep``, ``orth`` ..."""
        return numpy.array([self.strings.add(name) for name in names], dtype="uint64")


def token_arrays(doc) -> TokenArrays:
    """The doc's ``TokenArrays``, built once."""
    return _memo(doc, "token_arrays", lambda: TokenArrays(doc))


# ---------------------------------------------------------------- sentences
def sentence_spans(doc) -> tuple[Span, ...]:
    """The one sentence index: sentence spans of the doc (character offsets, trailing
    white space trimmed). Every ``sentence_index`` in the records counts these, and
    sentences.csv has one row per span."""
    return _memo(doc, "sentence_spans", lambda: _sentence_spans(doc))


def _sentence_spans(doc) -> tuple[Span, ...]:
    spans = []
    text, arrays = doc_text(doc), token_arrays(doc)
    for a, b in zip(arrays.sent_start.tolist(), arrays.sent_end.tolist()):
        start = int(arrays.idx[a])
        end = start + len(text[start:int(arrays.end[b - 1])].rstrip())  # = len(Span.text.rstrip())
        spans.append(Span(start, max(end, start)))
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
    return tuple(excluded_array(doc, structure).tolist())


def excluded_array(doc, structure: Structure):
    """``excluded_mask`` as a numpy boolean array: a token is excluded when it overlaps the last
    credit/boilerplate span starting at or before it, or the next one."""
    return _memo(doc, ("excluded_array", structure), lambda: _excluded_array(doc, structure))


def _excluded_array(doc, structure: Structure):
    spans = structure.excluded
    arrays = token_arrays(doc)
    if not spans:
        return numpy.zeros(arrays.n, dtype=bool)
    starts = numpy.array([s.start for s in spans] + [0], dtype="int64")
    ends = numpy.array([s.end for s in spans] + [0], dtype="int64")
    k = numpy.searchsorted(starts[:-1], arrays.idx, side="right") - 1
    here = (k >= 0) & (starts[k] < arrays.end) & (arrays.idx < ends[k])  # k = -1 reads the sentinel
    nxt = numpy.minimum(k + 1, len(spans))
    after = (k + 1 < len(spans)) & (starts[nxt] < arrays.end) & (arrays.idx < ends[nxt])
    return here | after


def is_word(token) -> bool:
    """A token that counts as a word: not punctuation, space or a symbol."""
    return not (token.is_punct or token.is_space or token.pos_ == "SYM")


def word_array(doc):
    """``is_word`` of every token as a numpy boolean array."""
    def compute():
        arrays = token_arrays(doc)
        return ~(arrays.is_punct | arrays.is_space | arrays.isin("pos", ("SYM",)))
    return _memo(doc, "word_array", compute)


def counted_array(doc, structure: Structure):
    """Per token (numpy booleans): a word outside credit lines and boilerplate (``counted_tokens``)."""
    return _memo(doc, ("counted_array", structure), lambda: word_array(doc) & ~excluded_array(doc, structure))


def counted_indices(doc, structure: Structure) -> list[int]:
    """Token indices of ``counted_tokens``, without creating the tokens."""
    return _memo(doc, ("counted_indices", structure),
                 lambda: numpy.flatnonzero(counted_array(doc, structure)).tolist())


def counted_tokens(doc, structure: Structure) -> tuple:
    """Word tokens outside credit lines and boilerplate: what every measure counts."""
    return _memo(doc, ("counted_tokens", structure), lambda: tuple(doc[i] for i in counted_indices(doc, structure)))


def counted_sentence_bounds(doc, structure: Structure) -> list[tuple[int, int]]:
    """(start_char, end_char) of ``counted_sentences``, without creating spans."""
    def compute():
        arrays = token_arrays(doc)
        if not arrays.n:
            return []
        per_sentence = numpy.add.reduceat(counted_array(doc, structure).astype("int64"), arrays.sent_start)
        keep = numpy.flatnonzero(per_sentence > 0)
        return list(zip(arrays.idx[arrays.sent_start[keep]].tolist(), arrays.end[arrays.sent_end[keep] - 1].tolist()))
    return _memo(doc, ("counted_sentence_bounds", structure), compute)


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
        quotes = doc_quotes(doc)
        idx = token_arrays(doc).idx
        if not quotes:
            return (False,) * len(idx)
        starts = numpy.array([q.start for q in quotes], dtype="int64")
        ends = numpy.array([q.end for q in quotes], dtype="int64")
        k = numpy.searchsorted(starts, idx, side="right") - 1  # as QuoteIndex.at: the last quote starting at or before
        inside = (k >= 0) & (idx < ends[k]) & (starts[k] < idx) & (idx < ends[k] - 1)
        return tuple(inside.tolist())
    return _memo(doc, "token_in_quote", compute)
