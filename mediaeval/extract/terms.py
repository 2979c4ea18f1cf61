"""Loaded terms and label choice, each hit in its voice (own, quoted, attributed).

Method: lexicon lookup over lemmas with spaCy's ``Matcher`` (one pattern per
written form; each word matches any token whose lower-cased lemma, with British
spellings folded to American, is one of the word's forms), so "terrorist
organizations", "terrorist organisation" and the variant "terror organization"
all count as the label "terrorist organization". Overlapping hits keep the
longest. No hit inside a name ("Martyrs' Square", "Rebel Wilson", a party
called "Freedom Fighters": a capitalised token in a named entity or a proper-noun
compound, unless the lexicon itself writes the word capitalised) nor inside a
credit line or boilerplate.

Voice follows the Glasgow Media Group's question "whose words are these?": a
hit inside quotation marks (found here in the text, so direct quotes count even
where attribution missed them) is ``quoted``; inside the content of reported
speech ``attributed``; else ``own``. The speaker is the attribution's resolved
source. One exception: a label for a group (actor or victim label, demonizing
or dehumanizing name) inside indirect speech counts as ``own``, because a
paraphrase names the sides in the outlet's words (the army's "terrorist
organizations" become the agency's "rebels" in "confirming that rebels have
entered"); a euphemism there ("announced that it has redeployed its forces")
stays ``attributed``, echoing the source's claim. Actor labels are choices to
compare across outlets, not errors; only intensifiers, dehumanizing words,
euphemisms and the like carry ``loaded``.

Limits: a lexicon finds only listed words and cannot tell who a label refers to
in context ("soldiers" of a non-state group count under state forces); irony and
negation are not detected; voice is only as good as the quotation marks and the
attribution layer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

from ..model import Attribution, Structure, TermHit
from .common import SentenceIndex, counted_tokens, sentence_spans
from .term_lexicon import BUNDLED, CATEGORIES, IGNORE, NON_GROUPS, TermEntry, TermLexicon
from .term_lexicon import check_lexicon_file, load_term_lexicon  # noqa: F401  (re-exported for analyze/cli)

NAME_ENTS = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
QUOTED_KINDS = frozenset({"direct", "floating"})
LABEL_CATEGORIES = frozenset({"actor_label", "victim_label", "demonizing", "dehumanizing"})

_SPELLINGS = tuple((re.compile(a), b) for a, b in (
    (r"ization", "isation"), (r"isation", "ization"), (r"iz(e|ed|es|ing)$", r"is\1"), (r"is(e|ed|es|ing)$", r"iz\1"),
    (r"yze$", "yse"), (r"yse$", "yze"), (r"ense(less)?$", r"ence\1"), (r"ence(less)?$", r"ense\1"),
    (r"(?<=\w{3})our(s?)$", r"or\1"), (r"(?<=\w{3})or(s?)$", r"our\1")))
_MAX_PATTERNS = 400  # token sequences per written form; more means a pathological phrase


def spellings(word: str) -> set[str]:
    """The word and its other spelling (organization/organisation, defense/defence)."""
    out = {word}
    for pattern, repl in _SPELLINGS:
        out.add(pattern.sub(repl, word))
    return out


def lemma_forms(word: str) -> set[str]:
    """Lemmas a lexicon word stands for: itself and its forms with inflection stripped."""
    w = word.lower().replace("’", "'")
    forms = {w}
    if w.endswith("ies"):
        forms.add(w[:-3] + "y")
    elif w.endswith(("ches", "shes", "sses", "xes")):
        forms.add(w[:-2])
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.add(w[:-1])
    if w.endswith("men"):
        forms.add(w[:-3] + "man")
    if w.endswith("ied"):
        forms.add(w[:-3] + "y")
    elif w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
        forms.update((stem, stem + "e") + ((stem[:-1],) if stem[-1] == stem[-2] else ()))
    return {s for f in forms for s in spellings(f)}


def surface_forms(word: str, inflect: bool) -> set[str]:
    """Lower-case surface forms, for tokens the tagger calls proper nouns (title-case headlines)."""
    w = word.lower().replace("’", "'")
    forms = {w}
    if inflect and w[-1:].isalpha():
        stem = w[:-1] if w.endswith("e") else w
        forms.update({w + "s", w + "es", stem + "ed", stem + "ing"})
        if w.endswith("y"):
            forms.update({w[:-1] + "ies", w[:-1] + "ied"})
    return {s for f in forms for s in spellings(f)}


_SLOT_FILLERS = ("", "its", "their", "his", "her", "our", "the", "a", "all")


def _pieces(form: str, tokenizer) -> list[str]:
    out = []
    for piece in form.split():
        out.extend([piece] if piece.startswith("[") else [t.text for t in tokenizer(piece)])
    return out


def phrase_variants(form: str, tokenizer, attr: str) -> list[tuple[str, ...]]:
    """Token sequences a written form stands for, as LEMMA or LOWER values.

    An optional ``[its]`` slot expands to nothing or a determiner/possessive; a
    hyphen may be left out; each word takes each of its lemma (or surface) forms.
    """
    pieces = _pieces(form, tokenizer)
    words = [i for i, p in enumerate(pieces) if not p.startswith("[") and p != "-"]
    inflected = {words[0], words[-1]} if words else set()
    combos: list[tuple[str, ...]] = [()]
    for i, piece in enumerate(pieces):
        if piece.startswith("["):
            step = _SLOT_FILLERS
        elif piece == "-":
            step = ("", "-")
        else:
            step = tuple(sorted(lemma_forms(piece) if attr == "LEMMA" else surface_forms(piece, i in inflected)))
        combos = [c + ((s,) if s else ()) for c in combos for s in step]
        if len(combos) > _MAX_PATTERNS:
            combos = combos[:_MAX_PATTERNS]
    return combos


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


# ---------------------------------------------------------------- quotation marks
_OPEN, _CLOSE = "“„«‟", "”»"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (marks included), found in the text itself.

    Double quotes (curly, guillemets, straight) pair within a paragraph; one left
    open runs to the paragraph's end (the news convention for quotes that go on).
    Single quotes count only as a word-bounded pair within 150 characters outside
    double quotes (scare quotes: 'moderate rebels'); apostrophes never open one.
    """
    spans: list[tuple[int, int]] = []
    breaks = "\n\n" if "\n\n" in text else "\n"
    start = 0
    for para in text.split(breaks):
        end = start + len(para)
        spans.extend(_paragraph_quotes(text, start, end))
        start = end + len(breaks)
    return sorted(spans)


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, open_at, single_at = [], None, None
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN or (ch == '"' and open_at is None):
            if open_at is not None:
                out.append((open_at, i))
            open_at, single_at = i, None
        elif (ch in _CLOSE or ch == '"') and open_at is not None:
            out.append((open_at, i + 1))
            open_at = None
        elif open_at is None and ch in "'‘’":
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if ch in "'‘" and (before.isspace() or before in "(—–") and after.isalnum():
                single_at = i
            elif ch in "'’" and single_at is not None and not after.isalnum() and i - single_at <= 150:
                out.append((single_at, i + 1))
                single_at = None
    if open_at is not None:
        out.append((open_at, end))
    return out


class VoiceMap:
    """Voice and speaker of any character span, from quotation marks and attributions."""

    def __init__(self, text: str, attributions: tuple[Attribution, ...] = ()):
        self.quotes = quote_spans(text)
        self._qstarts = [q[0] for q in self.quotes]
        self.attributions = [a for a in attributions
                             if a.content_start is not None and a.content_end is not None]

    def _quote_at(self, char: int):
        i = bisect_right(self._qstarts, char) - 1
        if i >= 0 and self.quotes[i][0] <= char < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def at(self, start: int, end: int | None = None) -> tuple[str, str]:
        """(voice, speaker) at ``start``: quoted, attributed or own."""
        holders = [a for a in self.attributions if a.content_start <= start < a.content_end]
        holder = min(holders, key=lambda a: a.content_end - a.content_start) if holders else None
        quote = self._quote_at(start)
        if quote is not None:
            if holder is None:
                holder = next((a for a in self.attributions
                               if a.content_start < quote[1] and quote[0] < a.content_end), None)
            return "quoted", _speaker(holder)
        if holder is not None:
            return ("quoted" if holder.kind in QUOTED_KINDS else "attributed"), _speaker(holder)
        return "own", ""


def _speaker(attribution) -> str:
    if attribution is None:
        return ""
    return attribution.source_resolved or attribution.source_text


# ---------------------------------------------------------------- extraction
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
                  lexicon: TermLexicon) -> tuple[TermHit, ...]:
    """Every lexicon hit outside names and excluded spans, with voice and speaker."""
    matchers = build_matcher(lexicon, doc.vocab)
    strings = doc.vocab.strings
    title_headline = _title_case_headline(doc, structure)
    candidates = []
    matches = {m for matcher in matchers for m in matcher(doc)}
    for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[2])):
        index = int(strings[match_id].rsplit("_", 1)[1])
        entry = lexicon.entries[index]
        span = doc[start:end]
        if structure.is_excluded(span.start_char, span.end_char) or _in_name(span, entry, title_headline):
            continue
        exact = span.text.lower() in {f.lower() for f in entry.forms}
        user = entry.origin != BUNDLED
        candidates.append((-(end - start), not user, not exact, index, start, end, entry))
    candidates.sort(key=lambda c: c[:4])
    taken: set[int] = set()
    voices = VoiceMap(article.text, attributions)
    sentence_of = SentenceIndex(sentence_spans(doc))
    hits = []
    for *_, start, end, entry in candidates:
        if taken.intersection(range(start, end)):
            continue
        taken.update(range(start, end))
        if entry.category == IGNORE:
            continue
        span = doc[start:end]
        voice, speaker = voices.at(span.start_char, span.end_char)
        if voice == "attributed" and entry.category in LABEL_CATEGORIES:
            voice, speaker = "own", ""  # a paraphrase names the groups in the outlet's words
        hits.append(TermHit(
            term=entry.term, matched_text=span.text, start=span.start_char, end=span.end_char,
            sentence_index=sentence_of(span.start_char), category=entry.category, function=entry.function,
            refers_to=entry.refers_to, voice=voice, speaker=speaker,
            neutral_alternative=entry.neutral_alternative, rationale=entry.rationale,
            source=entry.source, loaded=entry.loaded,
        ))
    return tuple(sorted(hits, key=lambda h: h.start))


def term_measures(doc, article, structure: Structure, terms: tuple[TermHit, ...]) -> dict:
    """Loaded terms per 1,000 counted words (own voice; quoted + attributed) and counts per category.

    Both rates share one denominator, the article's counted words (credit lines and
    boilerplate excluded), so they add up to the article's loaded-term rate.
    """
    n_words = len(counted_tokens(doc, structure))
    own = sum(1 for t in terms if t.loaded and t.voice == "own")
    quoted = sum(1 for t in terms if t.loaded and t.voice != "own")
    rate = (lambda n: round(1000.0 * n / n_words, 2)) if n_words else (lambda n: None)
    measures = {"loaded_own": own, "loaded_quoted": quoted,
                "loaded_per_1k_words_own": rate(own), "loaded_per_1k_words_quoted": rate(quoted)}
    counts = Counter(t.category for t in terms)
    for category in sorted(set(CATEGORIES) | set(counts)):
        measures[f"count_{category}"] = counts.get(category, 0)
    return measures


def label_counts(terms: tuple[TermHit, ...]) -> list[dict]:
    """Label choice: one row per (refers_to group, label, voice) with its count.

    Only words that name a group of people count: actor and victim labels and
    demonizing or dehumanizing names, with a refers_to group (not event/place/speech/general).
    ``voice`` is own, quoted or attributed.
    """
    counts = Counter((t.refers_to, t.term, t.voice) for t in terms
                     if t.category in LABEL_CATEGORIES and t.refers_to not in NON_GROUPS)
    return [{"refers_to": g, "label": label, "voice": voice, "count": n}
            for (g, label, voice), n in sorted(counts.items())]
