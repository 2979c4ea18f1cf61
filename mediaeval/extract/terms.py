"""Loaded terms and label choice: every lexicon hit, in its voice.

Method: lexicon lookup over lemmas with spaCy's ``PhraseMatcher``
(``term_matcher``; word forms from ``morphology``), so "terrorist
organizations", "terrorist organisation" and the variant "terror organization"
all count as the label "terrorist organization". Overlapping hits keep the
longest. No hit inside a name ("Martyrs' Square", "Rebel Wilson", a party
called "Freedom Fighters": a capitalised token in a named entity or a proper-noun
compound, unless the lexicon itself writes the word capitalised) nor inside a
credit line or boilerplate.

Voice is the one voice function (``extract.voice.VoiceMap``, vocabulary in
``mediaeval.voice``): ``own``, ``quoted``, ``reported`` or ``scare_quoted``,
with the speaker for the two voices of a source. There is no special rule by
category: the army's "rebels" in "confirming that rebels have entered" is
``reported`` like the "fierce" and "intense" beside it; the label table shows the
voices side by side and explains that reported words are the outlet's wording.
Actor labels are choices to compare across outlets, not errors; only
intensifiers, dehumanizing words, euphemisms and the like carry ``loaded``.

Limits: a lexicon finds only listed words and cannot tell who a label refers to
in context ("soldiers" of a non-state group count under state forces); irony and
negation are not detected; voice is only as good as the quotation marks and the
attribution layer.
"""

from __future__ import annotations

import re

from ..model import Attribution, Structure, TermHit
from .common import excluded_mask, sentence_of
from .morphology import lemma_forms, surface_forms
from .term_lexicon import BUNDLED, IGNORE, TermEntry, TermLexicon
from .term_matcher import build_matcher
from .voice import VoiceMap

NAME_ENTS = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def _capitalised_words(entry: TermEntry) -> set[str]:
    """Lemmas of the words the lexicon itself writes capitalised ("Assad regime", "Daesh")."""
    words = [w for form in entry.forms for w in re.split(r"[\s\-]+", form) if w[:1].isupper()]
    return {f for w in words for f in lemma_forms(w) | surface_forms(w, True)}


def _in_name(span, entry: TermEntry, title_headline) -> bool:
    """True when a word the lexicon writes in lower case is capitalised as part of a name.

    In a title-case headline capitals say nothing (and the tagger's names there are
    unreliable), so a hit there is a name only if the body has it capitalised too.
    """
    expected = _capitalised_words(entry)
    doc = span.doc
    for token in span:
        if not token.text[:1].isupper() or token.lower_ in expected or token.lemma_.lower() in expected:
            continue
        if title_headline is not None and title_headline.contains(token.idx, token.idx):
            if span.text in doc.text[title_headline.end:]:
                return True
            continue
        if token.ent_type_ in NAME_ENTS:
            return True
        if token.pos_ == "PROPN":
            for j in (token.i - 1, token.i + 1):
                if 0 <= j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                    return True
    return False


def _title_case_headline(doc, structure: Structure):
    head = structure.headline
    if head is None:
        return None
    words = [w for w in doc.text[head.start:head.end].split() if w[:1].isalpha()]
    if words and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
        return head
    return None


def extract_terms(doc, article, structure: Structure, attributions: tuple[Attribution, ...],
                  lexicon: TermLexicon, voices: VoiceMap | None = None) -> tuple[TermHit, ...]:
    """Every lexicon hit outside names and excluded spans, with voice and speaker.

    ``voices`` is the article's VoiceMap (built from the text and ``attributions`` when not given)."""
    matchers = build_matcher(lexicon, doc.vocab)
    strings = doc.vocab.strings
    title_headline = _title_case_headline(doc, structure)
    excluded = excluded_mask(doc, structure)
    candidates = []
    matches = {m for matcher in matchers for m in matcher(doc)}
    for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[2])):
        index = int(strings[match_id].rsplit("_", 1)[1])
        entry = lexicon.entries[index]
        span = doc[start:end]
        if any(excluded[start:end]) or _in_name(span, entry, title_headline):
            continue
        exact = span.text.lower() in {f.lower() for f in entry.forms}
        user = entry.origin != BUNDLED
        candidates.append((-(end - start), not user, not exact, index, start, end, entry))
    candidates.sort(key=lambda c: c[:4])
    taken: set[int] = set()
    if voices is None:
        voices = VoiceMap(article.text, attributions)
    sentence = sentence_of(doc)
    hits = []
    for *_, start, end, entry in candidates:
        if taken.intersection(range(start, end)):
            continue
        taken.update(range(start, end))
        if entry.category == IGNORE:
            continue
        span = doc[start:end]
        voice, speaker = voices.span(span.start_char, span.end_char)
        hits.append(TermHit(
            term=entry.term, matched_text=span.text, start=span.start_char, end=span.end_char,
            sentence_index=sentence(span.start_char), category=entry.category, function=entry.function,
            refers_to=entry.refers_to, voice=voice, speaker=speaker,
            neutral_alternative=entry.neutral_alternative, rationale=entry.rationale,
            source=entry.source, loaded=entry.loaded,
        ))
    return tuple(sorted(hits, key=lambda h: h.start))
