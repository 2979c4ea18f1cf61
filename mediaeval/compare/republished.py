"""Republished and rewritten copy: which articles share sentences, what the copy changed, and whether it says so.

Method
------
1. **Sentences.** Each article's sentences (the spans the pipeline found, or a
   simple splitter on ``. ! ?`` when none are given) are lower-cased into word
   lists; sentences of fewer than ``MIN_WORDS`` words are ignored.
2. **Candidates without all pairs.** Every sentence gives word ``SHINGLE``-grams;
   a fixed sample of them (those whose first word hashes into one of ``SAMPLE``
   buckets, so two copies sample the same shingles) goes into an inverted index
   shingle -> articles. Shingles found in more than ``MAX_POSTING`` articles
   (boilerplate, stock phrases) are dropped. Two articles from different outlets
   become a candidate when they share at least ``MIN_HITS`` sampled shingles.
   Work grows with the number of shared shingles, not with the square of the
   corpus.
3. **Alignment.** For a candidate pair, each sentence of one article is matched to
   the sentence of the other with the highest word-sequence ratio
   (``difflib.SequenceMatcher`` on words) among those sharing a word trigram; a
   match of at least ``ALIGN_RATIO`` is a shared sentence. A pair is reported when
   it has at least ``MIN_SHARED`` shared sentences, or two that cover ``MIN_SHARE``
   of the shorter article (two stock background sentences alone, such as "Syria
   has been locked in a civil war since 2011 ...", do not make a copy). Articles
   more than ``WINDOW_DAYS`` apart must share ``MIN_SHARE`` of the shorter one:
   agencies reuse background paragraphs across stories weeks apart. At least
   two shared sentences must lie outside quotations (a sentence at least
   ``QUOTE_SHARE`` inside quotation marks in either article is a quotation), or
   one when five or more are shared: outlets quoting the same statement, tweet
   or press release have not copied each other. Sentences in capitals only
   ("CLICK HERE TO GET THE APP") are skipped. This finds copies that swap a few
   words, cut paragraphs, or keep only some of them.
4. **What changed.** Each shared sentence pair is compared word by word
   (``difflib`` opcodes): replaced, deleted and inserted words, e.g.
   "rebels" -> "opposition fighters".
5. **Who and credit.** The earlier article is taken as the source (same date: no
   direction). The copy *credits* the source when the copy's origin (the
   agency found in its dateline or credit lines, ``extract.origin``) is the
   source's origin agency or the source outlet itself.

Limits: translation or a full paraphrase shares no word sequences and is not
found; two copies of one wire story are reported as a pair of each other even
when neither is the original (the shared origin says so); direction by date is
a guess when both appeared the same day; sentences shorter than ``MIN_WORDS``
words (quotes of a few words, captions) are not used.
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Iterable, Optional

import numpy as np
import pandas as pd

from ..extract.quotes import double_quotes

MIN_WORDS = 6
SHINGLE = 4
SAMPLE = 3          # keep shingles whose hash % SAMPLE == 0
MAX_POSTING = 50
MIN_HITS = 5
ALIGN_RATIO = 0.6
MIN_SHARED = 3
WINDOW_DAYS = 3
QUOTE_SHARE = 0.5  # a sentence at least half inside quotation marks is a shared quote
MIN_SHARE = 0.5  # or: at least 2 shared sentences covering half of the shorter article

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n\s*\n")


@dataclass
class Doc:
    """One article as the detector needs it."""

    article_id: str
    outlet: str = ""
    date: str = ""
    text: str = ""
    spans: Optional[list[tuple[int, int]]] = None  # or an (n, 2) array of sentence offsets
    origin: str = ""  # agency id or name from extract.origin; empty when none
    sentences: list[tuple[int, int, list[str]]] = field(default_factory=list)  # (start, end, words)
    trigrams: Optional[list[set[str]]] = None
    tri_index: Optional[dict[str, list[int]]] = None
    quote_share: list[float] = field(default_factory=list)  # share of each sentence inside quotation marks


def _spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SPLIT.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _quoted(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quotation marks, from the project's one scanner (``extract.quotes``)."""
    return [(q.start, q.end) for q in double_quotes(text)]


def _prepare(doc: Doc) -> Doc:
    spans = [(int(s), int(e)) for s, e in doc.spans] if doc.spans is not None and len(doc.spans) \
        else _spans(doc.text)
    quotes = _quoted(doc.text)
    starts = [q[0] for q in quotes]
    doc.sentences, doc.quote_share = [], []
    lower = doc.text.lower()
    for s, e in spans:
        words = _WORD.findall(lower, s, e)
        if len(words) >= MIN_WORDS and not doc.text[s:e].isupper():
            doc.sentences.append((s, e, words))
            k = max(0, bisect.bisect_right(starts, s) - 1)
            inside = 0
            while k < len(quotes) and quotes[k][0] < e:
                inside += max(0, min(e, quotes[k][1]) - max(s, quotes[k][0]))
                k += 1
            doc.quote_share.append(inside / max(1, e - s))
    return doc


_IDS: dict[str, int] = {}


def _word_hash(w: str) -> int:
    h = _IDS.get(w)
    if h is None:
        h = _IDS[w] = zlib.crc32(w.encode())
    return h


def _sampled_shingles(words: list[str], n: int = SHINGLE) -> set[int]:
    """CRC32 of the word ``n``-grams whose first word hashes into the sample (1 in ``SAMPLE``).

    Sampling by the first word is deterministic and content-based, so two copies of a
    sentence keep the same shingles.
    """
    get = _IDS.get
    ids = [get(w) or _word_hash(w) for w in words]
    return {zlib.crc32(" ".join(words[i:i + n]).encode()) for i in range(max(1, len(words) - n + 1))
            if ids[i] % SAMPLE == 0}


def candidate_pairs(docs: Iterable[Doc]) -> dict[tuple[int, int], int]:
    """``{(i, j): shared sampled shingles}`` for prepared documents from different outlets (i < j).

    The inverted index is two flat arrays (shingle hash, document number), so it costs 8 bytes a
    posting; a document's sentences may be dropped once it has been indexed."""
    hashes, owners, outlets = [], [], []
    for i, d in enumerate(docs):
        keys = set()
        for _, _, words in d.sentences:
            keys |= _sampled_shingles(words)
        hashes.append(np.fromiter(keys, dtype=np.uint32, count=len(keys)))
        owners.append(np.full(len(keys), i, dtype=np.int64))
        outlets.append(d.outlet)
    if not hashes:
        return {}
    h, o = np.concatenate(hashes), np.concatenate(owners)
    del hashes, owners
    order = np.lexsort((o, h))
    h, o = h[order], o[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(h)) + 1)) if len(h) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.concatenate((starts, [len(h)])))
    codes, n = [], len(outlets)
    for k in range(2, MAX_POSTING + 1):  # postings of k documents give k(k-1)/2 pairs each
        first = starts[sizes == k]
        if not len(first):
            continue
        members = o[first[:, None] + np.arange(k)]
        left, right = np.triu_indices(k, 1)
        codes.append((members[:, left] * n + members[:, right]).ravel())
    if not codes:
        return {}
    pairs, hits = np.unique(np.concatenate(codes), return_counts=True)
    out = {}
    for code, v in zip(pairs[hits >= MIN_HITS].tolist(), hits[hits >= MIN_HITS].tolist()):
        i, j = divmod(code, n)
        if not (outlets[i] and outlets[i] == outlets[j]):
            out[(i, j)] = v
    return out


def _trigrams(doc: Doc) -> list[set[str]]:
    if doc.trigrams is None:
        doc.trigrams = [{" ".join(w[k:k + 3]) for k in range(len(w) - 2)} for _, _, w in doc.sentences]
    return doc.trigrams


def align(a: Doc, b: Doc) -> list[tuple[int, int, float]]:
    """Shared sentences ``(index in a, index in b, ratio)``, each sentence used once, best first.

    A sentence of ``b`` is compared (``SequenceMatcher`` on words) only with the few sentences of
    ``a`` that share the most word trigrams with it and pass a word-set overlap filter.
    """
    if a.tri_index is None:
        a.tri_index = {}
        for i, grams in enumerate(_trigrams(a)):
            for g in grams:
                a.tri_index.setdefault(g, []).append(i)
    tri = a.tri_index
    words_a = [set(w) for _, _, w in a.sentences]
    scored = []
    for j, grams in enumerate(_trigrams(b)):
        counts: dict[int, int] = {}
        for g in grams:
            for i in tri.get(g, ()):
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            continue
        words = b.sentences[j][2]
        wset = set(words)
        for i in sorted(counts, key=counts.get, reverse=True)[:3]:
            if 2 * len(words_a[i] & wset) / (len(words_a[i]) + len(wset)) < ALIGN_RATIO - 0.1:
                continue
            r = SequenceMatcher(None, a.sentences[i][2], words, autojunk=False).ratio()
            if r >= ALIGN_RATIO:
                scored.append((r, i, j))
    used_a, used_b, out = set(), set(), []
    for r, i, j in sorted(scored, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, round(r, 3)))
    return sorted(out, key=lambda t: t[1])


def word_changes(old: str, new: str) -> list[tuple[str, str, str]]:
    """``(operation, old words, new words)`` turning ``old`` into ``new``, word by word."""
    a, b = old.split(), new.split()
    norm = [re.sub(r"^\W+|\W+$", "", w).lower() for w in a], [re.sub(r"^\W+|\W+$", "", w).lower() for w in b]
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, norm[0], norm[1], autojunk=False).get_opcodes():
        if op != "equal":
            out.append((op, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out


def is_copy(shared: int, shorter: int, days_apart: Optional[float] = None) -> bool:
    """The reporting rule.

    ``MIN_SHARED`` shared sentences, or two covering ``MIN_SHARE`` of the shorter text; more than
    ``WINDOW_DAYS`` apart, only a pair sharing ``MIN_SHARE`` of the shorter text counts (agencies
    reuse background paragraphs across stories weeks apart).
    """
    half = shared >= 2 and shared >= MIN_SHARE * shorter
    if days_apart is not None and days_apart > WINDOW_DAYS:
        return half
    return shared >= MIN_SHARED or half


def _norm_name(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(s).lower())


def _credit(source: Doc, copy: Doc) -> str:
    if not copy.origin:
        return "no credit found"
    names = {_norm_name(source.origin), _norm_name(source.outlet)} - {""}
    if _norm_name(copy.origin) in names or any(n and n in _norm_name(copy.origin) for n in names):
        return f"credits {copy.origin}"
    return f"credits {copy.origin}, not the source"


def _str(value) -> str:
    """A text field; missing values (None, NaN, NaT) are empty."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _docs(articles) -> list[Doc]:
    """Unprepared documents (text and sentence spans as given; ``_prepare`` splits them into words)."""
    if isinstance(articles, pd.DataFrame):
        articles = articles.to_dict("records")
    out = []
    for r in articles:
        if isinstance(r, Doc):
            out.append(r)
            continue
        spans = r.get("spans", r.get("sentence_spans"))
        out.append(Doc(article_id=str(r["article_id"]), outlet=_str(r.get("outlet")), date=_str(r.get("date")),
                       text=_str(r.get("text")), origin=_str(r.get("origin")),
                       spans=spans if spans is not None and len(spans) else None))
    return out


def _prepared(doc: Doc, text_of=None) -> Doc:
    """A prepared copy of ``doc`` (the original keeps only its text and spans; with ``text_of``, the
    text is read only now)."""
    text = doc.text if text_of is None else text_of(doc.article_id)
    return _prepare(Doc(article_id=doc.article_id, outlet=doc.outlet, date=doc.date, text=text,
                        spans=doc.spans, origin=doc.origin))


class _Prepared:
    """Prepared documents on demand, the ``size`` most recently used kept (pairs come sorted by their
    first document, so it is prepared once; a document's word lists cost far more than its text)."""

    def __init__(self, docs: list[Doc], size: int = 32, text_of=None):
        from collections import OrderedDict

        self.docs, self.size, self.kept, self.text_of = docs, size, OrderedDict(), text_of

    def __getitem__(self, i: int) -> Doc:
        if i in self.kept:
            self.kept.move_to_end(i)
        else:
            self.kept[i] = _prepared(self.docs[i], self.text_of)
            if len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return self.kept[i]


def records_from_analyses(analyses) -> list[dict]:
    """Detector input from ``ArticleAnalysis`` objects: their sentence spans and the origin agency."""
    return [{"article_id": a.article.article_id, "outlet": a.article.outlet, "date": a.article.date,
             "text": a.article.text, "spans": [(s.start, s.end) for s in a.sentences],
             "origin": a.origin.agency if a.origin else ""} for a in analyses]


PAIR_COLUMNS = ["source_id", "copy_id", "source_outlet", "copy_outlet", "source_date", "copy_date", "direction",
                "shared_sentences", "shared_quotes", "source_sentences", "copy_sentences", "share_of_copy",
                "mean_ratio",
                "words_changed", "source_origin", "copy_origin", "credit"]
CHANGE_COLUMNS = ["source_id", "copy_id", "copy_sentence_start", "copy_sentence_end", "ratio", "operation",
                  "source_words", "copy_words"]


def republished(articles: Iterable, text_of=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Republished or rewritten copy across outlets.

    ``articles``: a DataFrame or records with ``article_id``, ``outlet``, ``date``, ``text`` and
    optionally ``spans`` (or ``sentence_spans``: sentence ``(start, end)`` offsets) and ``origin``
    (the agency found by ``extract.origin``); ``records_from_analyses`` builds them from analyses.
    ``text_of`` (article id -> text) stands for the ``text`` field, read when a document is
    prepared, so the texts of a large corpus need not be held at once.
    Returns ``(pairs, changes)``: one row per article pair that shares
    sentences (columns ``PAIR_COLUMNS``) and one row per word-level change in a shared sentence
    (columns ``CHANGE_COLUMNS``).
    """
    raw = _docs(articles)
    dates = pd.to_datetime(pd.Series([d.date for d in raw], dtype="object"), errors="coerce", format="mixed")
    candidates = candidate_pairs(_prepared(d, text_of) for d in raw)  # words dropped once indexed
    docs = _Prepared(raw, text_of=text_of)
    pairs, changes = [], []
    for (i, j) in sorted(candidates):
        a, b = docs[i], docs[j]
        shared = align(a, b)
        da, db = dates.iloc[i], dates.iloc[j]
        gap = abs((da - db).days) if pd.notna(da) and pd.notna(db) else None
        quotes = sum(max(a.quote_share[x], b.quote_share[y]) >= QUOTE_SHARE for x, y, _ in shared)
        own = len(shared) - quotes  # shared sentences outside quotation marks
        if not (own >= 2 or (len(shared) >= 5 and own >= 1)) \
                or not is_copy(len(shared), min(len(a.sentences), len(b.sentences)), gap):
            continue
        if pd.notna(da) and pd.notna(db) and da != db:
            direction = "earlier -> later"
            if db < da:
                a, b, shared = b, a, [(y, x, r) for x, y, r in shared]
        else:
            direction = "same date or unknown: no direction"
        n_changed = 0
        for x, y, r in sorted(shared, key=lambda t: t[1]):
            sa, sb = a.sentences[x], b.sentences[y]
            for op, old, new in word_changes(a.text[sa[0]:sa[1]], b.text[sb[0]:sb[1]]):
                n_changed += max(len(old.split()), len(new.split()))
                changes.append([a.article_id, b.article_id, sb[0], sb[1], r, op, old, new])
        pairs.append([a.article_id, b.article_id, a.outlet, b.outlet, a.date, b.date, direction, len(shared), quotes,
                      len(a.sentences), len(b.sentences), round(len(shared) / max(1, len(b.sentences)), 3),
                      round(sum(r for _, _, r in shared) / len(shared), 3), n_changed, a.origin, b.origin,
                      _credit(a, b)])
    p = pd.DataFrame(pairs, columns=PAIR_COLUMNS).sort_values(["shared_sentences", "mean_ratio"],
                                                              ascending=False, ignore_index=True)
    return p, pd.DataFrame(changes, columns=CHANGE_COLUMNS)
