"""Draft loaded-terms rows from a corpus: words and phrases one group of outlets uses and another avoids.

Method. Articles are grouped (``--by outlet``); each group is contrasted with one
other group (``--against``) or with the rest of the corpus.

* Candidates: single words, and two- and three-word phrases that NLTK's
  ``BigramCollocationFinder``/``TrigramCollocationFinder`` find within sentences
  (no phrase crosses punctuation) with a frequency filter (``min_count``) and
  Dunning's (1993) log-likelihood ratio ≥ 10.83 (χ², 1 df, p < .001): a phrase is
  kept only when its words occur together more often than apart would explain.
  Plural nouns are folded to the singular (spaCy lemma), as the lexicon matcher does.
* Contrast: the log-odds ratio with an informative Dirichlet prior of Monroe,
  Colaresi & Quinn (2008), the same function as the distinctive-words table; a
  candidate is suggested for a group when z ≥ 1.96, it occurs ≥ ``min_count`` times
  there and, in a group of several articles, in at least two of them.
* Never suggested: function words (spaCy's English stop words at either end of a
  phrase), numbers (digits and number words), the group names themselves, and names: a candidate that
  holds a word that is a proper noun (spaCy tag PROPN) or inside a PERSON, GPE,
  LOC, FAC, DATE or TIME entity in at least half of its uses; a single word that is
  mostly a NORP or ORG entity ("Syrian", "Kurdish": a nationality alone names
  people). The small English model often tags places as NORP ("Aleppo"), hence the
  proper-noun test; it also drops organisation names ("al Qaeda", "Free Syrian
  Army"): names are not label choices the lexicon can suggest. A nationality
  adjective inside a phrase stays ("Syrian army" against "regime forces" is a label
  choice). Phrases must end in a noun in most uses.
* Proposals: ``refers_to`` is the bundled lexicon's group whose labels end in the
  candidate's last word (its head: "armed terrorist groups" → nonstate_armed), else
  ``general``; category and function come from that label, or from a bundled
  single-word term inside the candidate ("terrorist attack" → delegitimizing), else
  ``frame``/``descriptive``. Every row is ``source=suggested`` with an empty
  rationale and ``loaded=false``: a person decides.

Limits: the z-scores rank, they do not prove (thousands of candidates are tested
at once); topic differences (which events a group covered) surface as readily as
framing; NER misses some names and tags some labels as names; the guessed
category and group are only a starting point. Terms the bundled lexicon already
holds (same words after folding plurals) are listed apart, with their contrast.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .compare.distinctive import log_odds

LLR_MIN = 10.83
Z_MIN = 1.96
ALPHA0 = 1000.0
NAME_LABELS = {"PERSON", "GPE", "LOC", "FAC", "DATE", "TIME"}
_WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$|^[a-z]$")
DRAFT_COLUMNS = ["term", "variants", "category", "function", "refers_to", "neutral_alternative", "rationale",
                 "source", "loaded"]


@dataclass
class Sentence:
    article_id: str
    index: int
    text: str
    chunks: list  # runs of word forms without punctuation between them
    flags: list   # per chunk, per word: (entity label, POS tag)


@dataclass
class Suggestion:
    term: str
    group: str
    against: str
    count_group: int
    count_against: int
    words_group: int
    words_against: int
    articles: int
    z: float
    delta: float
    association: Optional[float]  # log-likelihood ratio of a phrase; None for a single word
    category: str = "frame"
    function: str = "descriptive"
    refers_to: str = "general"
    neutral_alternative: str = ""
    known: bool = False
    evidence: list = field(default_factory=list)  # (article_id, sentence_index, text)
    by_group: dict = field(default_factory=dict)  # every group -> uses


@dataclass
class SuggestResult:
    suggestions: list
    known: list
    groups: dict  # group -> articles
    draft_path: Optional[Path] = None
    evidence_path: Optional[Path] = None


def _stop_words() -> frozenset:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "mr", "ms", "also"}


def _fold(term: str) -> str:
    """Lexicon forms compared with candidates: lower case, each word's plural ending cut
    (forces → force, militias → militia); crude, for matching only."""
    words = []
    for w in term.lower().replace("’", "'").split():
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and len(w) > 3:
            w = w[:-1]
        words.append(w)
    return " ".join(words)


def _form(token) -> str:
    word = token.lower_.replace("’", "'")
    if token.tag_ in ("NNS", "NNPS") and token.lemma_:
        word = token.lemma_.lower().replace("’", "'")
    return word


def sentences_of(doc, article_id: str, structure=None) -> list[Sentence]:
    """Word chunks (lower-cased, plurals folded) and entity flags of each sentence of a parsed doc;
    sentences touching a credit line or boilerplate (``structure``) are left out."""
    out = []
    for index, sent in enumerate(doc.sents):
        if structure is not None and structure.is_excluded(sent.start_char, sent.end_char):
            continue
        chunks, flags, run, run_flags = [], [], [], []
        for tok in sent:
            form = _form(tok)
            if _WORD.match(form) and not tok.like_num:  # "million", "ten" break a phrase like digits
                run.append(form)
                run_flags.append((tok.ent_type_, tok.pos_))
                continue
            if run:
                chunks.append(run), flags.append(run_flags)
            run, run_flags = [], []
        if run:
            chunks.append(run), flags.append(run_flags)
        out.append(Sentence(article_id, index, sent.text.strip(), chunks, flags))
    return out


def _ngrams(sentences: Sequence[Sentence], n: int):
    for s in sentences:
        for chunk, flag in zip(s.chunks, s.flags):
            for k in range(len(chunk) - n + 1):
                yield tuple(chunk[k:k + n]), flag[k:k + n], s


def _candidates(sentences: Sequence[Sentence], min_count: int, stop: frozenset) -> dict:
    """n-gram -> log-likelihood ratio (None for single words) of one group's candidates."""
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

    chunks = [c for s in sentences for c in s.chunks]
    words = Counter(w for c in chunks for w in c)
    out: dict = {(w,): None for w, n in words.items() if n >= min_count and w not in stop and len(w) >= 3}
    for finder_cls, measure in ((BigramCollocationFinder, BigramAssocMeasures.likelihood_ratio),
                                (TrigramCollocationFinder, TrigramAssocMeasures.likelihood_ratio)):
        finder = finder_cls.from_documents(chunks)
        finder.apply_freq_filter(min_count)
        finder.apply_ngram_filter(lambda *w: w[0] in stop or w[-1] in stop or len(w[-1]) < 3)
        for gram, score in finder.score_ngrams(measure):
            if score >= LLR_MIN:
                out[gram] = round(score, 2)
    return out


class _Guesser:
    """Category, function, refers_to and neutral alternative from the bundled lexicon."""

    def __init__(self, lexicon):
        from .extract.term_lexicon import IGNORE, NON_GROUPS
        from .extract.labels import LABEL_CATEGORIES

        self.labels, self.words = {}, {}
        for e in lexicon.entries:
            if e.category == IGNORE or "[" in e.term:
                continue
            for form in e.forms:
                folded = _fold(form)
                if e.refers_to not in NON_GROUPS and e.category in LABEL_CATEGORIES:
                    self.labels.setdefault(folded, e)
                if " " not in folded:
                    self.words.setdefault(folded, e)

    def _head(self, gram: tuple):
        """The longest ending of the candidate that is a bundled group label ("armed terrorist group"
        ends in "terrorist group"; "government force" is itself one)."""
        for k in range(len(gram)):
            entry = self.labels.get(_fold(" ".join(gram[k:])))
            if entry is not None:
                return entry
        return None

    def guess(self, gram: tuple) -> tuple[str, str, str, str]:
        head = self._head(gram)
        inner = next((self.words[_fold(w)] for w in gram if _fold(w) in self.words), None)
        if head is not None:  # the more marked function of the label and a listed word inside it
            basis = inner if inner is not None and inner.refers_to == head.refers_to \
                and head.function == "descriptive" else head
            return head.category, basis.function, head.refers_to, basis.neutral_alternative
        if inner is not None:
            return "frame", inner.function, "general", inner.neutral_alternative
        return "frame", "descriptive", "general", ""


def suggest(sentences: dict, groups: dict, against: Optional[str] = None, top: int = 25, min_count: int = 3,
            lexicon=None) -> tuple[list, list]:
    """``sentences``: article_id -> [Sentence]; ``groups``: group -> [article_id].
    Returns (suggestions, already in the lexicon), each ranked by z within its group."""
    from .extract.term_lexicon import load_term_lexicon

    lexicon = lexicon or load_term_lexicon()
    known_forms = {_fold(f) for e in lexicon.entries for f in e.forms}
    guesser = _Guesser(lexicon)
    stop = _stop_words()
    group_words = {w for g in groups for w in re.findall(r"[a-z]+", g.lower())}
    by_group = {g: [s for a in ids for s in sentences.get(a, [])] for g, ids in groups.items()}
    counts = {g: {n: Counter(gram for gram, _, _ in _ngrams(ss, n)) for n in (1, 2, 3)} for g, ss in by_group.items()}
    words = {g: sum(counts[g][1].values()) for g in groups}
    suggestions, known = [], []
    targets = [g for g in groups if g != against] + ([against] if against in groups else [])
    for g in targets:
        ref = [against] if against in groups and g != against else [h for h in groups if h != g]
        if not ref or not by_group[g]:
            continue
        n_i, n_j = words[g], sum(words[h] for h in ref)
        total_n = n_i + n_j
        alpha0 = min(ALPHA0, total_n)
        cands = _candidates(by_group[g], min_count, stop)
        rows = []
        for gram, llr in cands.items():
            n = len(gram)
            y_i = counts[g][n][gram]
            y_j = sum(counts[h][n][gram] for h in ref)
            if y_i < min_count or any(w in group_words for w in gram):
                continue
            delta, z = log_odds(y_i, y_j, n_i, n_j, alpha0 * (y_i + y_j) / total_n, alpha0)
            if float(z) < Z_MIN:
                continue
            rows.append((float(z), float(delta), gram, llr, y_i, y_j))
        rows.sort(key=lambda r: -r[0])
        label = against if g != against and against in groups else "rest"
        taken: Counter = Counter()
        for z, delta, gram, llr, y_i, y_j in rows:
            term = " ".join(gram)
            is_known = _fold(term) in known_forms
            quota = (is_known, len(gram) > 1)  # words and phrases each get ``top`` places
            if taken[quota] >= top:
                continue
            found = _occurrences(by_group[g], gram)
            if len({s.article_id for s, _ in found}) < (2 if len(groups[g]) >= 2 else 1):
                continue
            if not is_known and (_is_name(found) or (len(gram) > 1 and not _ends_in_noun(found))):
                continue
            category, function, refers_to, alternative = guesser.guess(gram)
            item = Suggestion(term, g, label, y_i, y_j, n_i, n_j, len({s.article_id for s, _ in found}),
                              round(z, 2), round(delta, 3), llr, category, function, refers_to,
                              alternative or "to review: a neutral alternative", is_known,
                              _evidence(found), {h: counts[h][len(gram)][gram] for h in groups})
            (known if is_known else suggestions).append(item)
            taken[quota] += 1
    return suggestions, known


def _occurrences(sentences: Sequence[Sentence], gram: tuple) -> list:
    n = len(gram)
    return [(s, flag) for g2, flag, s in _ngrams(sentences, n) if g2 == gram] if n else []


def _is_name(found: list) -> bool:
    """A word of it is mostly a proper noun or part of a person, place or date entity; or, a single
    word, mostly part of a nationality or organisation entity ("Syrian" alone names people)."""
    if not found:
        return True
    n = len(found[0][1])
    for k in range(n):
        if 2 * sum(1 for _, flags in found if flags[k][0] in NAME_LABELS or flags[k][1] == "PROPN") >= len(found):
            return True
    return n == 1 and 2 * sum(1 for _, flags in found if flags[0][0] in ("NORP", "ORG")) >= len(found)


def _ends_in_noun(found: list) -> bool:
    """A phrase is kept when its last word is a noun in most uses ("rocket attack", not "injured in terrorist")."""
    return 2 * sum(1 for _, flags in found if flags[-1][1] in ("NOUN", "PROPN")) > len(found)


def _evidence(found: list, k: int = 3) -> list:
    """Up to ``k`` sentences, from different articles first."""
    out, seen, articles = [], set(), set()
    for distinct in (True, False):
        for s, _ in found:
            if len(out) == k:
                return out
            if (s.article_id, s.index) in seen or (distinct and s.article_id in articles):
                continue
            seen.add((s.article_id, s.index))
            articles.add(s.article_id)
            out.append((s.article_id, s.index, s.text))
    return out


def draft_rows(suggestions: Sequence[Suggestion]) -> list[dict]:
    """Rows in the bundled loaded_terms.csv format, one per term (the first, highest-z group wins)."""
    rows, seen = [], set()
    for s in sorted(suggestions, key=lambda s: -s.z):
        if s.term in seen:
            continue
        seen.add(s.term)
        rows.append({"term": s.term, "variants": "", "category": s.category, "function": s.function,
                     "refers_to": s.refers_to, "neutral_alternative": s.neutral_alternative, "rationale": "",
                     "source": "suggested", "loaded": "false"})
    return rows


def evidence_rows(suggestions: Sequence[Suggestion], known: Sequence[Suggestion]) -> list[dict]:
    rows = []
    for s in list(suggestions) + list(known):
        row = {"status": "already in the lexicon" if s.known else "suggested", "group": s.group,
               "against": s.against, "term": s.term, "count_group": s.count_group, "count_against": s.count_against,
               "per_1k_group": round(1000 * s.count_group / max(s.words_group, 1), 3),
               "per_1k_against": round(1000 * s.count_against / max(s.words_against, 1), 3),
               "articles_with_term": s.articles,
               "uses_by_group": "; ".join(f"{g} {n}" for g, n in sorted(s.by_group.items(), key=lambda x: -x[1])), "z": s.z, "delta": s.delta, "log_likelihood_ratio": s.association,
               "category": s.category, "function": s.function, "refers_to": s.refers_to}
        for k in range(3):
            a, i, text = s.evidence[k] if k < len(s.evidence) else ("", "", "")
            row[f"evidence_{k + 1}"] = f"{a}#s{i}: {text}" if a else ""
        rows.append(row)
    return rows


def _csv(rows: list[dict], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def run_suggest(inputs: Sequence[str], out: Path, by: str = "outlet", against: Optional[str] = None,
                groups: Sequence[str] = (), top: int = 25, min_count: int = 3, read_options=None,
                model: Optional[str] = None) -> SuggestResult:
    """Read and parse the corpus, suggest, and write the draft lexicon ``out`` and
    ``<out stem>.evidence.csv`` (every candidate with counts, z and three evidence sentences)."""
    from . import nlp
    from .errors import MediaevalError
    from .ingest.readers import ReadOptions, Skipped, read_articles
    from .ingest.structure import detect_structure
    from .report.tables import write_text

    wanted = {g.lower() for g in groups}
    articles = [a for a in read_articles(inputs, read_options or ReadOptions()) if not isinstance(a, Skipped)]
    articles = [a for a in articles if a.meta(by) and (not wanted or a.meta(by).lower() in wanted)]
    members: dict = defaultdict(list)
    for a in articles:
        members[a.meta(by)].append(a.article_id)
    if len(members) < 2:
        raise MediaevalError(f"--by {by}: found {len(members)} group(s) ({', '.join(members) or 'none'}); "
                             "a contrast needs at least two")
    if against and against not in members:
        raise MediaevalError(f"--against {against!r}: no such {by}; choose one of {', '.join(sorted(members))}")
    sentences = {}
    for article, doc in zip(articles, nlp.parse_many((a.text for a in articles), model)):
        sentences[article.article_id] = sentences_of(doc, article.article_id,
                                                     detect_structure(article.text, article.title))
    found, known = suggest(sentences, dict(members), against, top, min_count)
    out = Path(out)
    write_text(_csv(draft_rows(found), DRAFT_COLUMNS), out)
    evidence = out.with_name(out.stem + ".evidence.csv")
    rows = evidence_rows(found, known)
    write_text(_csv(rows, list(rows[0]) if rows else ["status", "group", "term"]), evidence)
    return SuggestResult(found, known, dict(members), out, evidence)


def format_suggestions(result: SuggestResult, per_group: int = 12) -> str:
    """Plain text: per group the top suggestions, then the terms already in the lexicon."""
    lines = []
    for g in result.groups:
        mine = [s for s in result.suggestions if s.group == g]
        known = [s for s in result.known if s.group == g]
        if not mine and not known:
            continue
        against = (mine or known)[0].against
        lines.append(f"{g} (against {against}): {len(mine)} suggested, {len(known)} already in the lexicon")
        phrases, words = [s for s in mine if " " in s.term], [s for s in mine if " " not in s.term]
        for s in phrases[:per_group] + words[:per_group]:
            lines.append(f"  {s.term:<32} z={s.z:5.2f}  {s.count_group:>4} vs {s.count_against:<4} "
                         f"{s.category}/{s.refers_to}")
        if known:
            lines.append("  already in the lexicon: " + ", ".join(f"{s.term} (z={s.z:.1f})" for s in known[:per_group]))
    lines.append(f"draft lexicon: {result.draft_path} (source=suggested, rationale empty: review every row); "
                 f"evidence: {result.evidence_path}")
    return "\n".join(lines)
