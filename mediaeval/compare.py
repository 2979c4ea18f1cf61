"""The same measures across outlets (or any grouping): the comparison as data.

``build_comparison`` turns the tidy tables of ``mediaeval analyze`` (see
DESIGN.md, "Outputs") into a ``Comparison``: pandas frames, one per question a
teacher or researcher asks (what each outlet calls whom, who speaks, who acts,
which words set an outlet apart, which texts are the same wire copy). Rendering
lives in ``report/comparison.py``; nothing here writes files.

Honest statistics: a group with fewer than ``min_articles`` articles is marked
``small_group`` and never ranked in the summary; per-article measures are
averaged with each article counting once (a long article does not outweigh a
short one); every count carries the number of articles it comes from; evidence
columns name the sentences behind a figure as ``article_id#s<sentence_index>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import grouping
from .compare_tables import (agency_table, evidence_links, frame, label_table, measure_columns, outlet_table,
                             source_table)
from .errors import MediaevalError

__all__ = ["Comparison", "build_comparison", "evidence_links"]


@dataclass
class Comparison:
    """The comparison as pandas frames (each becomes a CSV; see ``write_comparison``).

    ``inputs`` keeps the analysis tables the figures were computed from (articles,
    texts, sentences, terms, attributions) so reports can quote the evidence.
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
    near_duplicates: pd.DataFrame
    questions: pd.DataFrame
    settings: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict, repr=False)

    @property
    def group_names(self) -> list[str]:
        o = self.outlets
        return [] if o.empty else list(o.loc[o["event_group"] == "all", "group"])

    def _repr_html_(self) -> str:
        from .report.comparison import render_notebook

        return render_notebook(self)


def _texts(frames: dict, articles: pd.DataFrame) -> dict[str, str]:
    texts = frame(frames, "texts", ["article_id", "text"])
    out = dict(zip(texts["article_id"].astype(str), texts["text"].astype("string").fillna("").astype(str)))
    sents = frame(frames, "sentences", ["article_id", "sentence_index", "text"])
    if not sents.empty:
        joined = sents.sort_values(["article_id", "sentence_index"]).groupby("article_id")["text"].apply(
            lambda s: " ".join(s.astype("string").fillna("").astype(str)))
        for a, t in joined.items():
            out.setdefault(str(a), t)
    for a, t in zip(articles["article_id"], articles.get("title", pd.Series([""] * len(articles)))):
        if not out.get(a):
            out[a] = "" if pd.isna(t) else str(t)
    return out


def _group_values(articles: pd.DataFrame, column: str, what: str) -> pd.Series:
    if column not in articles.columns:
        have = ", ".join(c for c in articles.columns if c not in measure_columns(articles))
        raise MediaevalError(f"cannot {what} by {column!r}: the articles have no such column "
                             f"(columns: {have}); pass one of these, or add the column to the input records")
    values = articles[column].astype("string").fillna("").str.strip()
    return values


def _event_table(articles: pd.DataFrame, event: str | None, texts: dict[str, str]) -> pd.DataFrame:
    if event:
        values = _group_values(articles, event, "group events")
        g = pd.DataFrame({"article_id": articles["article_id"], "event_group": values, "max_similarity": pd.NA})
        blank = g["event_group"] == ""
        g.loc[blank, "event_group"] = "(no " + event + ") " + g.loc[blank, "article_id"]
        g["method"] = f"column {event}"
    else:
        g = grouping.event_groups(articles, texts)
        g["method"] = (f"TF-IDF cosine >= {grouping.EVENT_THRESHOLD} within "
                       f"{grouping.WINDOW_DAYS} days (connected components)")
    meta = [c for c in ("group", "outlet", "date", "title", "n_words") if c in articles.columns]
    g = g.merge(articles[["article_id"] + meta].loc[:, ~pd.Index(["article_id"] + meta).duplicated()],
                on="article_id", how="left")
    labels = {}
    for name, members in g.groupby("event_group"):
        first = members.sort_values(["date", "article_id"] if "date" in members else ["article_id"]).iloc[0]
        title = str(first.get("title", "") or "")
        labels[name] = name if event else (title[:80] or name)
    g["event_label"] = g["event_group"].map(labels)
    g["event_articles"] = g.groupby("event_group")["article_id"].transform("size")
    g["event_groups_covered"] = g.groupby("event_group")["group"].transform("nunique")
    order = ["event_group", "event_label", "method", "article_id", "group", "outlet", "date", "title",
             "n_words", "max_similarity", "event_articles", "event_groups_covered"]
    return g[[c for c in order if c in g.columns]].sort_values(["event_group", "group", "article_id"],
                                                               ignore_index=True)


def _quoted_spans(attributions: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    if attributions.empty:
        return out
    a = attributions.dropna(subset=["content_start", "content_end"])
    for aid, s, e in zip(a["article_id"], a["content_start"], a["content_end"]):
        try:
            out.setdefault(str(aid), []).append((int(s), int(e)))
        except (TypeError, ValueError):
            continue
    return out


def build_comparison(frames: dict[str, pd.DataFrame], by: str = "outlet", event: str | None = None,
                     min_articles: int = 2) -> "Comparison":
    """Compare groups of articles (``by``: outlet or any metadata column).

    ``event`` names a column that says which articles report the same event;
    without it, events are found by TF-IDF similarity within a date window
    (``grouping.event_groups``). Missing or empty tables give empty frames.
    """
    from . import distinctive
    from .report.questions import build_questions

    articles = frame(frames, "articles", ["article_id"]).copy()
    articles["article_id"] = articles["article_id"].astype(str)
    articles = articles.drop_duplicates("article_id", ignore_index=True)
    if not articles.empty:
        articles["group"] = _group_values(articles, by, "compare")
        articles.loc[articles["group"] == "", "group"] = f"(no {by})"
    else:
        articles["group"] = pd.Series(dtype="string")
    for col in ("n_words", "n_sentences"):
        articles[col] = pd.to_numeric(articles[col], errors="coerce") if col in articles else pd.NA
    texts = _texts(frames, articles)
    group_of = dict(zip(articles["article_id"], articles["group"]))

    def tagged(name: str, columns: list[str]) -> pd.DataFrame:
        f = frame(frames, name, columns).copy()
        f["article_id"] = f["article_id"].astype(str)
        f = f[f["article_id"].isin(group_of)]
        f["group"] = f["article_id"].map(group_of)
        return f

    sentences = tagged("sentences", ["article_id", "sentence_index", "start", "end", "text"])
    terms = tagged("terms", ["article_id", "term", "matched_text", "start", "end", "sentence_index", "category",
                             "function", "refers_to", "voice", "speaker", "neutral_alternative"])
    attributions = tagged("attributions", ["article_id", "attribution_id", "kind", "source_text", "source_resolved",
                                           "source_type", "anonymous", "source_start", "source_end", "cue_start",
                                           "cue_end", "content_start", "content_end", "sentence_index"])
    labels = tagged("labels", ["article_id", "refers_to", "label", "voice", "count"])
    actors = tagged("actors", ["article_id", "actor", "mentions", "as_agent", "as_patient", "hidden_agent_events"])
    agency = tagged("agency", ["article_id", "sentence_index", "verb_text", "voice", "agent_actor", "patient_actor",
                               "agent_hidden", "nominalization"])
    groups = _event_table(articles, event, texts) if not articles.empty else pd.DataFrame(
        columns=["event_group", "event_label", "method", "article_id", "group"])
    articles = articles.merge(groups[["article_id", "event_group"]], on="article_id", how="left") \
        if not articles.empty else articles.assign(event_group=pd.Series(dtype="string"))

    quoted = _quoted_spans(attributions)
    docs = pd.DataFrame({"article_id": articles["article_id"], "group": articles["group"],
                         "text": [texts.get(a, "") for a in articles["article_id"]]})
    dup_sents = {a: list(f["text"].astype("string").fillna("").astype(str)) for a, f in sentences.groupby("article_id")}
    for a in articles["article_id"]:
        dup_sents.setdefault(a, [texts.get(a, "")])
    across = "outlet" if "outlet" in articles.columns else "group"
    comparison = Comparison(
        by=by, event=event, min_articles=min_articles, groups=groups,
        outlets=outlet_table(articles, min_articles),
        labels_by_outlet=label_table(labels, terms, articles),
        sources_by_outlet=source_table(attributions, articles),
        agency_by_outlet=agency_table(actors, agency, articles),
        distinctive_terms=distinctive.distinctive_terms(docs, sentences, quoted),
        near_duplicates=grouping.near_duplicates(articles, texts, dup_sents, across=across),
        questions=pd.DataFrame(),
        settings={"min_articles": min_articles, "z_threshold": distinctive.Z_THRESHOLD,
                  "min_count": distinctive.MIN_COUNT, "alpha0": distinctive.ALPHA0,
                  "dup_threshold": grouping.DUP_THRESHOLD, "event_threshold": grouping.EVENT_THRESHOLD,
                  "window_days": grouping.WINDOW_DAYS},
        inputs={"articles": articles, "texts": texts, "sentences": sentences, "terms": terms,
                "attributions": attributions, "agency": agency},
    )
    comparison.questions = build_questions(comparison)
    return comparison
