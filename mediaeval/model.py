"""The records mediaeval passes between its layers: frozen dataclasses, no behaviour.

Every offset is a character offset into ``Article.text``, the article's original
text after decoding and before any cleaning (DESIGN.md, "Offsets are sacred").
A span is half-open: ``text[start:end]``. ``None`` offsets mean "none" (for
example an attribution without a named source) and become empty CSV cells.

Field names match the CSV columns in DESIGN.md so that ``report.tables`` can turn
records into rows with ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class Span:
    """``[start, end)`` in the article's original text, with an optional label."""

    start: int
    end: int
    label: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Article:
    """One news text with its metadata.

    ``record`` locates the article inside its file ("line 12" of a JSONL file,
    "row 4" of a CSV) so that errors and ``skipped.csv`` can point back to it.
    ``extra`` keeps every other metadata column of the input (sorted pairs), so
    ``compare --by COLUMN`` can group on anything the input carried.
    """

    article_id: str
    text: str
    outlet: str = ""
    date: str = ""
    title: str = ""
    url: str = ""
    source_path: str = ""
    record: str = ""
    encoding: str = "utf-8"
    extra: tuple[tuple[str, str], ...] = ()

    def meta(self, name: str, default: str = "") -> str:
        """A metadata value by column name: a named field or one of ``extra``."""
        if name in ("article_id", "outlet", "date", "title", "url", "source_path"):
            return getattr(self, name)
        return dict(self.extra).get(name, default)


@dataclass(frozen=True)
class Structure:
    """Where the parts of an article are: spans, never deletions.

    ``credit`` and ``boilerplate`` are excluded from every measure and greyed in
    the HTML; ``headline`` and ``dateline`` stay part of the text.
    """

    headline: Optional[Span] = None
    dateline: Optional[Span] = None
    dateline_city: str = ""
    dateline_agency: str = ""
    credit: tuple[Span, ...] = ()
    boilerplate: tuple[Span, ...] = ()

    @property
    def excluded(self) -> tuple[Span, ...]:
        return tuple(sorted(self.credit + self.boilerplate, key=lambda s: s.start))

    def is_excluded(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a credit line or boilerplate."""
        return any(s.overlaps(start, end) for s in self.excluded)


@dataclass(frozen=True)
class Origin:
    """The news agency the copy comes from, with the evidence for the claim."""

    agency_id: str
    agency: str
    country: str
    ownership: str
    as_of: str
    classification_source: str
    method: str  # dateline, credit, byline, signature (house style), copyright, contributed
    evidence_start: int
    evidence_end: int
    evidence_text: str
    own_copy: bool = False  # the outlet is the agency itself (Reuters copy on reuters.com)


@dataclass(frozen=True)
class Attribution:
    """Source + cue + content (PARC/PolNeAR style); see extract/attribution.py."""

    attribution_id: str
    kind: str  # direct, indirect, mixed, according_to, floating
    source_text: str = ""
    source_start: Optional[int] = None
    source_end: Optional[int] = None
    source_resolved: str = ""
    source_type: str = "unknown"  # a code of mediaeval.source_types.SOURCE_TYPES
    anonymous: bool = False
    cue_text: str = ""
    cue_start: Optional[int] = None
    cue_end: Optional[int] = None
    cue_class: str = ""
    content_text: str = ""
    content_start: Optional[int] = None
    content_end: Optional[int] = None
    sentence_index: int = -1
    content_segments: str = ""  # "s-e;s-e" when the content is split (", he said, " inside it)
    state_affiliated: bool = False  # a state-owned agency or "state television" (see mediaeval.source_types)

    @property
    def content_pieces(self) -> tuple[tuple[int, int], ...]:
        """The content as spans: the ``content_segments`` pieces, else ``[content_start, content_end)``."""
        if self.content_segments:
            return tuple(tuple(int(x) for x in part.split("-")) for part in self.content_segments.split(";"))
        if self.content_start is None or self.content_end is None:
            return ()
        return ((self.content_start, self.content_end),)


@dataclass(frozen=True)
class TermHit:
    """One loaded-term match, with the voice it appears in."""

    term: str
    matched_text: str
    start: int
    end: int
    sentence_index: int
    category: str
    function: str
    refers_to: str
    voice: str  # own, quoted, reported, scare_quoted (mediaeval.voice.VOICES)
    speaker: str
    neutral_alternative: str
    rationale: str = ""
    source: str = ""
    loaded: bool = False


@dataclass(frozen=True)
class Clause:
    """One verb (or event noun) with its participants: a row of agency.csv."""

    sentence_index: int
    verb_text: str
    verb_lemma: str
    verb_start: int
    verb_end: int
    verb_class: str
    voice: str  # active, passive
    agent_text: str = ""
    agent_start: Optional[int] = None
    agent_end: Optional[int] = None
    agent_actor: str = ""
    patient_text: str = ""
    patient_start: Optional[int] = None
    patient_end: Optional[int] = None
    patient_actor: str = ""
    agent_hidden: bool = False
    nominalization: bool = False
    note: str = ""  # e.g. "euphemism for 'withdraw'" (agency layer)


@dataclass(frozen=True)
class ActorRole:
    """One actor in one article and how the grammar presents it: a row of actors.csv."""

    actor: str
    mentions: int
    as_agent: int
    as_patient: int
    hidden_agent_events: int
    kind: str = ""  # entity label or refers_to group
    agency_score: Optional[float] = None
    power_score: Optional[float] = None
    mention_sentences: str = ""  # space-separated sentence indexes of the mentions (agency layer)


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything mediaeval found in one article.

    ``sentences`` are the sentence spans the ``sentence_index`` fields refer to
    (one row each in sentences.csv); ``measures`` are the per-article figures that
    go to articles.csv; ``word_counts`` counts every counted word per voice (see
    ``mediaeval.voice``), for comparisons that never need the raw text.
    """

    article: Article
    structure: Structure
    sentences: tuple[Span, ...]
    origin: Optional[Origin] = None
    attributions: tuple[Attribution, ...] = ()
    terms: tuple[TermHit, ...] = ()
    clauses: tuple[Clause, ...] = ()
    actors: tuple[ActorRole, ...] = ()
    measures: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    word_counts: tuple[tuple[str, str, int], ...] = ()  # (voice, word_lowercase, count) over counted words

    # The Jupyter view (``_repr_html_``) is attached by ``mediaeval/__init__.py``, so that
    # this module imports nothing from the report layer (imports run one way).
