"""The loaded-term matcher: two spaCy PhraseMatchers built from a lexicon, cached.

One pattern per written form and variant (``morphology.phrase_variants``): on
LEMMA, and on LOWER for tokens tagged as proper nouns, whose lemma is their
text. Built once per (lexicon fingerprint, vocab) in each process.
"""

from __future__ import annotations

from functools import lru_cache

from .morphology import phrase_variants
from .term_lexicon import TermLexicon

_MATCHERS: dict[tuple[str, int], tuple] = {}


@lru_cache(maxsize=1)
def _tokenizer():
    """spaCy's English tokenizer rules (no model needed) to split lexicon forms like the text."""
    import spacy

    return spacy.blank("en").tokenizer


def build_matcher(lexicon: TermLexicon, vocab) -> tuple:
    """Two spaCy PhraseMatchers (on LEMMA, and on LOWER for tokens tagged as proper
    nouns, whose lemma is their text), built once per (lexicon, vocab) and cached."""
    key = (lexicon.fingerprint, id(vocab))
    if key not in _MATCHERS:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        tokenizer = _tokenizer()
        matchers = []
        for attr in ("LEMMA", "LOWER"):
            matcher = PhraseMatcher(vocab, attr=attr)
            for index, entry in enumerate(lexicon.entries):
                seqs = {seq for form in entry.forms for seq in phrase_variants(form, tokenizer, attr)}
                docs = [Doc(vocab, words=list(seq), lemmas=list(seq)) for seq in sorted(seqs) if seq]
                matcher.add(f"mediaeval_term_{index}", docs)
            matchers.append(matcher)
        _MATCHERS[key] = tuple(matchers)
    return _MATCHERS[key]
