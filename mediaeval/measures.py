"""The registry of per-article measures: each one declared once.

A ``Measure`` names a column of articles.csv and says what it means (label,
unit, method, limits), how it aggregates per group in the comparison
(``mean``: the average over articles, each article counting once; ``mean_sum``:
the average and the total, for counts; ``none``: not aggregated), where it is
shown (``panel``: the article page's figures; ``section``: the part of the
comparison page) and, optionally, a discussion question. Everything downstream
reads this registry: the CSV schema and codebook (``schema.py``), the article
page, the comparison tables and page, and the questions.

Most measures are computed by the extract layer (their ``compute`` is None and
``layer`` names the component). A measure computed from the records alone
(``TermHit``, ``Attribution``, the word count) carries its ``compute`` function
here; ``apply(analysis)`` adds all of them to ``ArticleAnalysis.measures``.

To add a measure: declare it in ``MEASURES`` below, with ``compute`` if the
records suffice (see the hedging measures), else compute it in the extract
layer under the declared name. Nothing else needs to change.

A family (``count_{category}``) is declared once and expanded over a code list
(``codes.CODES``), so each member is a column with its own label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Optional

from .codes import CODES
from .voice import VOICES

AGGREGATIONS = ("mean", "mean_sum", "none")


@dataclass(frozen=True)
class Measure:
    """One per-article measure (one column of articles.csv)."""

    name: str
    label: str
    unit: str
    method: str
    limits: str = ""
    aggregate: str = "mean"  # mean, mean_sum or none
    dtype: str = "Float64"  # pandas dtype of the column
    layer: str = ""  # extract component that computes it ("" when ``compute`` does)
    section: str = ""  # part of the comparison page that shows it
    panel: bool = False  # shown among the article page's figures
    scale: float = 1.0  # display factor (100 for shares shown as %)
    question: str = ""  # a discussion question when groups differ (see compare.questions)
    compute: Optional[Callable[[Any], Any]] = None  # ArticleAnalysis -> value, for record-derived measures
    family: str = ""  # the code list a ``{code}`` name expands over (schema.CODES key)


def _n_words(analysis) -> int:
    return int((analysis.measures or {}).get("n_words") or 0)


# ------------------------------------------------------------------ hedging (computed from the records)
DOUBT_CUES = ("doubt", "tentative")  # reporting_cues.csv classes: claim, allege, purport / suggest, estimate, seem


def _doubt_cues(analysis) -> list:
    return [a for a in analysis.attributions if a.cue_class in DOUBT_CUES]


def _hedges_own(analysis) -> list:
    """Hedge-category lexicon hits in the outlet's own voice, minus any that *are* a doubt cue
    ("allegedly" can be both), so no word is counted twice."""
    cues = [(a.cue_start, a.cue_end) for a in _doubt_cues(analysis) if a.cue_start is not None]
    return [t for t in analysis.terms if t.category == "hedge" and t.voice == "own"
            and not any(s < t.end and t.start < e for s, e in cues)]


def _per_1k(analysis, n: int):
    words = _n_words(analysis)
    return round(1000.0 * n / words, 2) if words else None


HEDGING_LIMITS = ("A word list, not a reading: 'alleged' required by law and 'claimed' used for one side only "
                  "count alike; compare outlets on the same events. A reporting verb counts only where the "
                  "sources layer found the attribution.")

MEASURES: tuple[Measure, ...] = (
    # size
    Measure("n_words", "words", "words", "Tokens that are words (not punctuation or spaces), outside credit lines "
            "and boilerplate (spaCy tokenizer).", "Hyphenated and contracted forms follow spaCy's tokenizer.",
            aggregate="mean_sum", dtype="Int64", layer="structure", panel=True),
    Measure("n_sentences", "sentences", "sentences", "Every spaCy sentence of the text: the rows of sentences.csv "
            "(paragraph breaks always start a sentence).",
            "Sentence splitting follows the parser; headlines, datelines and greyed lines count as sentences.",
            aggregate="mean_sum", dtype="Int64", layer="structure", panel=True),
    Measure("n_sentences_counted", "sentences with counted words", "sentences",
            "Sentences with at least one counted word (credit lines and boilerplate drop out): the denominator of "
            "the sentence shares.", "As n_sentences.", aggregate="mean_sum", dtype="Int64", layer="structure"),
    # sources
    Measure("attributions", "attributions", "attributions", "Attributions found (source + cue + content).",
            "Reported speech is found less reliably than direct quotes.", aggregate="mean_sum", dtype="Int64",
            layer="attribution", section="density", panel=True),
    Measure("attributions_per_1k_words", "attributions per 1,000 words", "per 1,000 words",
            "1000 × attributions / n_words.", "As attributions.", layer="attribution", section="density",
            panel=True),
    Measure("attributed_sentence_share", "share of sentences with a source", "share (0–1)",
            "Counted sentences that overlap some attribution's content / n_sentences.", "As attributions.",
            layer="attribution", section="density", scale=100),
    Measure("attributed_word_share", "share of words in sources' content", "share (0–1)",
            "Counted words inside some attribution's content / n_words.", "As attributions.",
            layer="attribution", section="density", panel=True, scale=100),
    Measure("direct_quote_word_share", "share of words in direct quotes", "share (0–1)",
            "Counted words inside direct quotes (and the quoted parts of mixed attributions) / n_words.",
            "Quotation marks the text does not balance run to the paragraph's end.", layer="attribution",
            section="density", scale=100),
    Measure("distinct_sources", "distinct sources per article", "sources",
            "Distinct resolved source names (case-folded).", "Two names for one source count twice.",
            aggregate="mean_sum", dtype="Int64", layer="attribution", section="density"),
    Measure("source_type_entropy", "variety of source types (entropy, bits)", "bits",
            "Shannon entropy of the attributions' source types.", "Types are read from the words naming the source.",
            layer="attribution", section="density"),
    Measure("anonymous_share", "share of attributions to unnamed sources", "share (0–1)",
            "Attributions whose source is unnamed / attributions.", "Unnamed is read from word patterns.",
            layer="attribution", section="density", scale=100),
    Measure("state_affiliated_share", "share of attributions to state-affiliated sources", "share (0–1)",
            "Attributions whose source is flagged state_affiliated (state media by the agency table's ownership, "
            "or named as state television, state-run media, official news agency) / attributions.",
            "Government and military sources are state actors by their type and are not flagged again.",
            layer="attribution", section="density", scale=100),
    Measure("share_source_{code}", "share of attributions to {label} sources", "share (0–1)",
            "Attributions with this source type / attributions.", "Types are read from the words naming the source.",
            layer="attribution", family="source_type"),
    # terms
    Measure("loaded_{code}", "loaded terms, {label}", "terms", "Loaded lexicon hits in this voice.",
            "Only listed words are found; voice is only as good as the quotation marks and the sources layer.",
            aggregate="mean_sum", dtype="Int64", layer="terms", family="voice"),
    Measure("loaded_per_1k_words_{code}", "loaded terms per 1,000 words, {label}", "per 1,000 words",
            "1000 × loaded lexicon hits in this voice / n_words.", "Only listed words are found; voice is only as "
            "good as the quotation marks and the sources layer.", layer="terms", section="terms", panel=True,
            family="voice"),
    Measure("count_{code}", "{label} terms", "terms", "Lexicon hits of this category (any voice).",
            "Only listed words are found.", aggregate="mean_sum", dtype="Int64", layer="terms", family="category"),
    # tone
    Measure("tone_{code}", "tone, {label} (VADER)", "VADER compound (−1 to +1)",
            "Mean VADER compound score of the sentences mostly in this voice (empty when there are none).",
            "VADER reacts to the topic more than to the stance; compare outlets on the same events.",
            layer="tone", section="tone", panel=True, family="voice"),
    # agency
    Measure("passive_clause_share", "passive clause share", "share (0–1)",
            "Passive verbal clauses / verbal clauses (nominalisations excluded).",
            "Rule-based over the dependency parse (after PassivePy).", layer="agency", section="agency",
            panel=True, scale=100),
    Measure("agentless_passive_share", "agentless passive share", "share (0–1)",
            "Passives without a by-agent / passive clauses.", "As passive_clause_share.", layer="agency",
            section="agency", scale=100),
    Measure("hidden_agent_harm_share", "harm with a hidden doer", "share (0–1)",
            "Harm/violence clauses whose doer is hidden / harm/violence clauses.", "Harm verbs come from "
            "verb_classes.csv.", layer="agency", section="agency", scale=100),
    Measure("actor1", "most mentioned actor", "name", "The actor with the most mentions.", "",
            aggregate="none", dtype="string", layer="agency"),
    Measure("actor1_agent_patient_balance", "most mentioned actor: doer minus done-to", "balance (−1 to +1)",
            "(as agent − as patient) / (as agent + as patient) for actor1.", "Which actor is first differs by "
            "article, so the group mean mixes actors.", aggregate="none", layer="agency"),
    Measure("actor2", "second most mentioned actor", "name", "The actor with the second most mentions.", "",
            aggregate="none", dtype="string", layer="agency"),
    Measure("actor2_agent_patient_balance", "second actor: doer minus done-to", "balance (−1 to +1)",
            "As actor1_agent_patient_balance, for actor2.", "As actor1_agent_patient_balance.", aggregate="none",
            layer="agency"),
    # hedging: computed here, from the records
    Measure("hedges_own", "hedges in the outlet's own voice", "words",
            "Lexicon rows of category 'hedge' (alleged, purported, supposedly, unverified …) in the outlet's own "
            "voice (TermHit.voice = own); a hedge that is itself a doubting cue is counted once, as the cue.",
            HEDGING_LIMITS, aggregate="mean_sum", dtype="Int64", section="hedging",
            compute=lambda a: len(_hedges_own(a))),
    Measure("doubt_cues", "doubting or tentative reporting words", "attributions",
            "Attributions whose reporting cue has the class 'doubt' (claim, allege, purport) or 'tentative' "
            "(suggest, estimate, seem) in reporting_cues.csv. The verb is the outlet's choice even when the "
            "content is a source's.", HEDGING_LIMITS, aggregate="mean_sum", dtype="Int64", section="hedging",
            compute=lambda a: len(_doubt_cues(a))),
    Measure("hedging_per_1k_words", "hedging per 1,000 words", "per 1,000 words",
            "1000 × (hedges_own + doubt_cues) / n_words.", HEDGING_LIMITS, section="hedging", panel=True,
            compute=lambda a: _per_1k(a, len(_hedges_own(a)) + len(_doubt_cues(a))),
            question="Which claims does each outlet cast doubt on, and whose? Read the sentences: is the doubt "
                     "applied to both sides alike?"),
)


def expand(codes: dict[str, dict[str, str]]) -> tuple[Measure, ...]:
    """Every measure, each family expanded over its code list (``schema.CODES``)."""
    out = []
    for m in MEASURES:
        if not m.family:
            out.append(m)
            continue
        for code, label in codes[m.family].items():
            out.append(replace(m, name=m.name.format(code=code), label=m.label.format(label=label), family=m.family))
    return tuple(out)


def registry() -> dict[str, Measure]:
    """Every declared measure by column name (families expanded)."""
    return {m.name: m for m in expand(CODES)}


def find(name: str) -> Optional[Measure]:
    """The declaration of a column, also for a family member whose code is not in the code list."""
    found = registry().get(name)
    if found is not None:
        return found
    for m in MEASURES:
        if m.family and re.fullmatch(re.escape(m.name).replace(r"\{code\}", r"(\w+)"), name):
            code = re.fullmatch(re.escape(m.name).replace(r"\{code\}", r"(\w+)"), name).group(1)
            return replace(m, name=name, label=m.label.format(label=code.replace("_", " ")))
    return None


def computed(analysis=None, **records) -> dict:
    """Every record-derived measure (those with ``compute``) of one article.

    Pass an ``ArticleAnalysis``, or its parts by name (``attributions``, ``terms``,
    ``measures`` …) from inside the analysis before the record is built.
    """
    from types import SimpleNamespace

    source = analysis if analysis is not None else SimpleNamespace(**records)
    return {m.name: m.compute(source) for m in MEASURES if m.compute is not None}


def apply(analysis):
    """Add the record-derived measures to ``analysis.measures`` (when the analysis hook did not); returns it."""
    missing = [m for m in MEASURES if m.compute is not None and m.name not in analysis.measures]
    if missing:
        analysis.measures.update(computed(analysis))
    return analysis


__all__ = ["Measure", "MEASURES", "VOICES", "apply", "computed", "expand", "find", "registry"]
