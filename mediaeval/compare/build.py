"""The same measures across outlets (or any grouping): the comparison as data.

``compare(results_or_frames)`` (and ``build_comparison(frames)``) turn the typed
tables of ``mediaeval analyze`` (``frames.to_frames``; the CLI passes the same
frames in memory and reads nothing back from CSV) into a ``Comparison``: pandas frames, one per question a
teacher or researcher asks (what each outlet calls whom, who speaks, who acts,
which words set an outlet apart, which articles republish another's sentences and what they changed). Rendering
lives in ``report/comparison.py``; nothing here writes files.

Honest statistics: a group with fewer than ``min_articles`` articles is marked
``small_group`` and never ranked in the summary; per-article measures are
averaged with each article counting once (a long article does not outweigh a
short one); every count carries the number of articles it comes from; evidence
columns name the sentences behind a figure as ``article_id#s<sentence_index>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..frames import to_frames, typed
from ..errors import MediaevalError
from . import grouping
from .republished import republished
from .tables import agency_table, evidence_links, label_table, measure_columns, outlet_table, source_table

__all__ = ["Comparison", "build_comparison", "compare", "evidence_links"]

#: Comparison attribute -> schema table (and CSV file name stem, except groups -> event_groups)
TABLES = {"groups": "event_groups", "outlets": "outlets", "labels_by_outlet": "labels_by_outlet",
          "sources_by_outlet": "sources_by_outlet", "agency_by_outlet": "agency_by_outlet",
          "distinctive_terms": "distinctive_terms", "republished": "republished", "copy_changes": "copy_changes"}


@dataclass
class Comparison:
    """The comparison as pandas frames (each becomes a CSV; see ``write_comparison``).

    ``inputs`` keeps the analysis tables the figures were computed from (articles,
    sentences without their text, terms, attributions, labels, actors) so reports can quote the
    evidence, with ``texts`` (``Texts``: ``.get(article_id)``) and ``sentence_text``
    (``SentenceTexts``: ``.get((article_id, sentence_index))``), which read a run's parts when asked.
    """

    by: str
    event: str | None
    min_articles: int
    groups: pd.DataFrame
    outlets: pd.DataFrame
    labels_by_outlet: pd.DataFrame
    sources_by_outlet: pd.DataFrame
    agency_by_outlet: pd.DataFrame
    distinctive_terms: pd.DataFrame
    republished: pd.DataFrame
    copy_changes: pd.DataFrame
    questions: pd.DataFrame
    settings: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict, repr=False)

    @property
    def group_names(self) -> list[str]:
        o = self.outlets
        return [] if o.empty else list(o.loc[o["event_group"] == "all", "group"])

    def _repr_html_(self) -> str:
        from ..report.comparison import render_notebook

        return render_notebook(self)


#: the columns of each analysis table the comparison and its page read (the others are never loaded
#: from a run's parts); agency is read a batch at a time for its evidence and not kept
COLUMNS = {
    "sentences": ["article_id", "sentence_index", "start", "end", "text"],
    "terms": ["article_id", "term", "matched_text", "start", "end", "sentence_index", "category", "refers_to",
              "voice"],
    "attributions": ["article_id", "attribution_id", "kind", "source_text", "source_start", "source_end", "source_resolved",
                     "source_type", "anonymous", "content_start", "content_end", "sentence_index",
                     "content_segments", "state_affiliated"],
    "labels": None,
    "actors": ["article_id", "actor", "mentions", "as_agent", "as_patient", "hidden_agent_events", "kind"],
    "agency": ["article_id", "sentence_index", "agent_actor", "patient_actor", "agent_hidden"],
}


def _read(frames, name: str, columns: list | None = None):
    """One analysis table, typed: from a run's parts (``parts.Tables``) only ``columns``; from frames
    in memory as given."""
    if hasattr(frames, "read"):
        return typed(name, frames.read(name, columns), columns)
    return typed(name, frames.get(name), columns)


def _batches(frames, name: str, columns: list | None = None):
    """One analysis table piece by piece: a run's committed batches one at a time, else the one frame."""
    if hasattr(frames, "batches"):
        for f in frames.batches(name, columns):
            yield typed(name, f, columns)
    else:
        yield typed(name, frames.get(name), columns)


class SentenceTexts:
    """``(article_id, sentence_index)`` -> the sentence's text, without holding every sentence twice:
    cut from the article's text where the article's sentence spans were checked to fit it (``fitted``),
    else the sentences table's own text (kept only for those rows)."""

    def __init__(self, sentences: pd.DataFrame, texts: dict[str, str], own: dict):
        self.sentences, self.texts, self.own = sentences, texts, own
        self.rows = sentences.groupby("article_id", sort=False).indices if len(sentences) else {}

    def get(self, key, default: str = "") -> str:
        if key in self.own:
            return self.own[key]
        a, i = key
        found = self.sentences.iloc[self.rows[a]] if a in self.rows else None
        if found is None:
            return default
        found = found[found["sentence_index"] == i]
        if found.empty or pd.isna(found["start"].iloc[-1]) or pd.isna(found["end"].iloc[-1]):
            return default
        return self.texts.get(a, "")[int(found["start"].iloc[-1]):int(found["end"].iloc[-1])]


class Texts:
    """Each article's text: the texts table's, else its sentences joined (``join``), else its title.

    ``get`` gives one; ``batches`` all of them in article order, a batch at a time. From a run's
    parts (``parts.Tables``) a text is read from its part when asked, the last few parts kept, so
    the texts are never all held at once; only the texts made here (sentences joined) are."""

    KEEP = 4  # parts kept

    def __init__(self, frames, articles: pd.DataFrame):
        self.frames = frames
        self.titles = {a: ("" if pd.isna(t) else t) for a, t in zip(articles["article_id"], articles["title"])}
        self.joined: dict[str, str] = {}
        self.part_ids: list[list[str]] = []
        self.part_of: dict[str, int] = {}
        self.kept: dict = {}
        self.held = None
        if hasattr(frames, "piece"):
            for k, f in enumerate(frames.batches("texts", ["article_id"])):
                self.part_ids.append(list(f["article_id"]))
                for a in self.part_ids[-1]:
                    self.part_of[a] = k  # the last row of an id wins, as in a dict of the whole table
        else:
            texts = frames.get("texts")
            self.held = {} if texts is None or texts.empty else dict(zip(texts["article_id"],
                                                                         texts["text"].fillna("")))

    def has(self, a: str) -> bool:
        """Whether the texts table has a row for ``a``."""
        return a in (self.part_of if self.held is None else self.held)

    def join(self, a: str, text: str) -> None:
        """``a``'s sentences joined: its text when the texts table has none."""
        if not self.has(a):
            self.joined.setdefault(a, text)

    def _own(self, a: str) -> str:
        if self.held is not None:
            return self.held.get(a, "")
        k = self.part_of.get(a)
        if k is None:
            return ""
        if k not in self.kept:
            f = self.frames.piece("texts", k)
            self.kept[k] = dict(zip(f["article_id"], f["text"].fillna("")))
            if len(self.kept) > self.KEEP:
                del self.kept[next(iter(self.kept))]
        return self.kept[k].get(a, "")

    def get(self, a: str, default: str = "") -> str:
        text = self.joined.get(a, "") if a in self.joined else self._own(a)
        return text or self.titles.get(a, default)

    def batches(self, ids: list[str]):
        """``(article_id, text)`` frames covering ``ids`` in their order: a part at a time when the
        parts hold them in that order, else one frame."""
        flat = [a for k, part in enumerate(self.part_ids) for a in part if self.part_of.get(a) == k and a in self.titles]
        if self.held is None and flat == list(ids):
            for k, part in enumerate(self.part_ids):
                mine = [a for a in part if self.part_of.get(a) == k and a in self.titles]
                if mine:
                    yield pd.DataFrame({"article_id": mine, "text": [self.get(a) for a in mine]})
        else:
            yield pd.DataFrame({"article_id": list(ids), "text": [self.get(a) for a in ids]})


def _sentences(frames, texts: Texts, tag) -> tuple:
    """The sentences table without its text column, each article's sentence spans when every one fits
    its text (``text[start:end]`` is the sentence), and the sentence texts (``SentenceTexts``); the
    texts of articles the texts table lacks are their sentences joined (``Texts.join``).

    The sentences are read a batch at a time (an article's sentences lie in one batch), so their
    text is held only for the rows whose spans do not fit."""
    kept, spans, own = [], {}, {}
    for batch in _batches(frames, "sentences", COLUMNS["sentences"]):
        batch = tag(batch)
        if batch.empty:
            continue
        missing = batch[~batch["article_id"].map(texts.has).astype(bool)]  # articles without a text of their own
        if len(missing):
            joined = missing.sort_values(["article_id", "sentence_index"]).groupby("article_id")["text"].apply(
                lambda s: " ".join(s.fillna("")))
            for a, t in joined.items():
                texts.join(a, t)
        s = batch.dropna(subset=["start", "end"]).sort_values(["article_id", "sentence_index"])
        for a, f in s.groupby("article_id"):
            text = texts.get(a)
            pairs = [(int(x), int(y)) for x, y in zip(f["start"], f["end"])]
            if pairs and all(0 <= x < y <= len(text) and text[x:y] == str(t or "")
                             for (x, y), t in zip(pairs, f["text"])):
                spans[a] = np.array(pairs, dtype=np.int64)
        cut = batch["article_id"].isin(spans) & batch["start"].notna() & batch["end"].notna()
        for a, i, t in zip(batch.loc[~cut, "article_id"], batch.loc[~cut, "sentence_index"],
                           batch.loc[~cut, "text"].fillna("")):
            own[(str(a), int(i))] = str(t)
        kept.append(batch.drop(columns="text"))
    sentences = pd.concat(kept, ignore_index=True) if kept else tag(
        typed("sentences", None, COLUMNS["sentences"])).drop(columns="text")
    return sentences, spans, SentenceTexts(sentences, texts, own)


def _group_values(articles: pd.DataFrame, column: str, what: str) -> pd.Series:
    if column not in articles.columns:
        have = ", ".join(c for c in articles.columns if c not in measure_columns(articles))
        raise MediaevalError(f"cannot {what} by {column!r}: the articles have no such column "
                             f"(columns: {have}); pass one of these, or add the column to the input records")
    return articles[column].astype("string").fillna("").str.strip()


def _event_table(articles: pd.DataFrame, event: str | None, pieces) -> pd.DataFrame:
    if event:
        values = _group_values(articles, event, "group events")
        g = pd.DataFrame({"article_id": articles["article_id"], "event_group": values, "max_similarity": pd.NA,
                          "shared_terms": "", "group_label": values, "group_similarity": pd.NA})
        blank = g["event_group"] == ""
        g.loc[blank, "event_group"] = "(no " + event + ") " + g.loc[blank, "article_id"]
        g.loc[blank, "group_label"] = g.loc[blank, "event_group"]
        g["method"] = f"the column {event!r} of the input"
    else:
        given = dict(zip(articles["article_id"], articles["title"].fillna("").astype(str))) \
            if "title" in articles else {}
        openings = [grouping.title_and_lead(given.get(a, ""), t or "")
                    for f in pieces() for a, t in zip(f["article_id"], f["text"])]
        g = grouping.event_groups(articles, openings=openings)
        g["method"] = grouping.describe()  # the method as it is now (time penalty, background IDF, across days)
    meta = [c for c in ("group", "outlet", "date", "title", "n_words") if c in articles.columns]
    g = g.merge(articles[["article_id"] + meta].loc[:, ~pd.Index(["article_id"] + meta).duplicated()],
                on="article_id", how="left")
    g["event_label"] = g["group_label"].fillna("").astype(str)
    empty = g["event_label"].str.strip() == ""
    g.loc[empty, "event_label"] = g.loc[empty, "event_group"]
    g["event_articles"] = g.groupby("event_group")["article_id"].transform("size")
    g["event_groups_covered"] = g.groupby("event_group")["group"].transform("nunique")
    order = ["event_group", "event_label", "shared_terms", "group_similarity", "method", "article_id", "group",
             "outlet", "date", "title", "n_words", "max_similarity", "event_articles", "event_groups_covered"]
    return g[[c for c in order if c in g.columns]].sort_values(["event_group", "group", "article_id"],
                                                               ignore_index=True)


def _copy_records(articles: pd.DataFrame, spans: dict) -> list[dict]:
    """Input of ``republished`` (the texts read by it, ``Texts.get``): each article's outlet (else its
    group), date, origin agency and sentence spans (from the sentences table, used only when they fit
    the text)."""
    outlets = articles["outlet"].astype("string").fillna("") if "outlet" in articles else None
    if outlets is None or not outlets.ne("").any():
        outlets = articles["group"].astype("string").fillna("")
    origin = articles["origin_agency"] if "origin_agency" in articles else pd.Series([""] * len(articles))
    return [{"article_id": a, "outlet": o, "date": d, "origin": g, "spans": spans.get(a)}
            for a, o, d, g in zip(articles["article_id"], outlets,
                                  articles["date"] if "date" in articles else [""] * len(articles), origin)]


def _voice_spans(attributions: pd.DataFrame):
    """A function of article id and text: the stretches not in the outlet's own voice, from the one
    voice function (``extract.voice.VoiceMap`` over the article's attributions and quotation marks)."""
    from dataclasses import fields

    from ..extract.voice import VoiceMap
    from ..model import Attribution

    defaults = {f.name: f.default for f in fields(Attribution)}
    names = [n for n in defaults if n in attributions.columns]
    rows_of = attributions.groupby("article_id", sort=False).indices if len(attributions) else {}
    columns = attributions[names]

    def records(aid: str) -> list:  # one article's attributions at a time (never the whole table as objects)
        out = []
        for row in columns.iloc[rows_of[aid]].to_dict("records") if aid in rows_of else []:
            values = {}
            for k in names:
                v = row[k]
                missing = v is None or v is pd.NA or (isinstance(v, float) and v != v)
                values[k] = defaults[k] if missing else (int(v) if type(defaults[k]) is int or k.endswith(
                    ("_start", "_end")) else v)
            out.append(Attribution(**values))
        return out

    return lambda aid, text: VoiceMap(text, records(aid)).runs() if text else []


def compare(results_or_frames, *, by: str = "outlet", event: str | None = None,
            min_articles: int = 2) -> "Comparison":
    """Compare groups of articles in memory.

    ``results_or_frames``: analysis results (``ArticleAnalysis`` items, as from
    ``analyze_stream``) or the frames of ``mediaeval.to_frames``. ``by`` is the
    metadata column that defines the groups (outlet by default); ``event`` a
    column naming the event each article reports (else events are found by
    text similarity). The CLI's ``compare`` takes this same path.
    """
    frames = results_or_frames if isinstance(results_or_frames, dict) else to_frames(results_or_frames)
    return build_comparison(frames, by=by, event=event, min_articles=min_articles)


def build_comparison(frames: dict[str, pd.DataFrame], by: str = "outlet", event: str | None = None,
                     min_articles: int = 2) -> "Comparison":
    """Compare groups of articles (``by``: outlet or any metadata column).

    ``event`` names a column that says which articles report the same event;
    without it, events are found by TF-IDF similarity within a date window
    (``grouping.event_groups``). Missing or empty tables give empty frames.
    """
    from . import distinctive
    from .questions import build_questions

    articles = _read(frames, "articles")
    articles = articles[articles["article_id"].notna()].drop_duplicates("article_id", ignore_index=True)
    if not articles.empty:
        articles["group"] = _group_values(articles, by, "compare")
        articles.loc[articles["group"] == "", "group"] = f"(no {by})"
    else:
        articles["group"] = pd.Series(dtype="string")
    group_of = dict(zip(articles["article_id"], articles["group"]))

    def tag(f: pd.DataFrame) -> pd.DataFrame:
        f = f[f["article_id"].isin(group_of)].copy()
        f["group"] = f["article_id"].map(group_of).astype("string")
        return f

    texts = Texts(frames, articles)
    sentences, spans, sentence_text = _sentences(frames, texts, tag)
    terms, attributions, labels, actors = (
        tag(_read(frames, n, COLUMNS[n])) for n in ("terms", "attributions", "labels", "actors"))
    agency = (tag(f) for f in _batches(frames, "agency", COLUMNS["agency"]))
    ids = list(articles["article_id"])

    def pieces():  # (article_id, group, text), in article order, a batch at a time
        for f in texts.batches(ids):
            yield f.assign(group=f["article_id"].map(group_of))

    groups = _event_table(articles, event, pieces) if not articles.empty else pd.DataFrame(
        columns=["event_group", "event_label", "method", "article_id", "group"])
    articles = articles.merge(groups[["article_id", "event_group"]], on="article_id", how="left") \
        if not articles.empty else articles.assign(event_group=pd.Series(dtype="string"))

    pairs, changes = republished(_copy_records(articles, spans), text_of=texts.get) if len(articles) \
        else (None, None)
    comparison = Comparison(
        by=by, event=event, min_articles=min_articles, groups=groups,
        outlets=outlet_table(articles, min_articles),
        labels_by_outlet=label_table(labels, terms, articles),
        sources_by_outlet=source_table(attributions, articles),
        agency_by_outlet=agency_table(actors, agency, articles),
        distinctive_terms=distinctive.distinctive_terms(pieces, sentences, _voice_spans(attributions),
                                                         sentence_text=sentence_text),
        republished=pairs, copy_changes=changes,
        questions=pd.DataFrame(),
        settings={"min_articles": min_articles, "z_threshold": distinctive.Z_THRESHOLD,
                  "min_count": distinctive.MIN_COUNT, "alpha0": distinctive.ALPHA0,
                  "event_threshold": grouping.EVENT_THRESHOLD,
                  "window_days": grouping.WINDOW_DAYS, "lead_words": grouping.LEAD_WORDS},
        inputs={"articles": articles, "texts": texts, "sentences": sentences, "sentence_text": sentence_text,
                "terms": terms,
                "attributions": attributions, "labels": labels, "actors": actors},
    )
    for attr, table in TABLES.items():  # every table with the columns and dtypes the schema declares
        setattr(comparison, attr, typed(table, getattr(comparison, attr)))
    comparison.questions = typed("questions", build_questions(comparison))
    return comparison
