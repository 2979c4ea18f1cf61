"""Small helpers every extractor shares: sentences, counted words, exclusion."""

from __future__ import annotations

from bisect import bisect_right

from ..model import Span, Structure


def sentence_spans(doc) -> tuple[Span, ...]:
    """Sentence spans of the doc (character offsets, trailing white space trimmed)."""
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


def counted_tokens(doc, structure: Structure) -> list:
    """Word tokens outside credit lines and boilerplate: what every measure counts."""
    excluded = structure.excluded
    if not excluded:
        return [t for t in doc if is_word(t)]
    return [t for t in doc if is_word(t) and not any(s.overlaps(t.idx, t.idx + len(t)) for s in excluded)]


def counted_sentences(doc, structure: Structure) -> list:
    """Sentences with at least one counted word (boilerplate and credit lines drop out)."""
    out = []
    for sent in doc.sents:
        if any(is_word(t) and not structure.is_excluded(t.idx, t.idx + len(t)) for t in sent):
            out.append(sent)
    return out
