"""Records -> rows -> typed pandas frames, as ``schema`` declares them.

``rows_for(analysis)`` gives every analysis table's rows for one article;
``typed(table, frame)`` gives any frame (built in memory, read from CSV, or made
by hand) the declared columns and dtypes; ``to_frames(results)`` and
``FrameCollector`` build the frames of many results in memory. The CSV writer
(``report.tables``) and the comparison (``compare``) both use them, so the CLI
and a notebook see the same tables.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from . import model
from .schema import ANALYSIS_TABLES, dtypes


def article_row(analysis) -> dict:
    """The articles.csv row: metadata, structure, origin, input metadata and every measure."""
    a, s, o = analysis.article, analysis.structure, analysis.origin
    text = a.text
    row = {
        "article_id": a.article_id, "source_path": a.source_path, "record": a.record, "encoding": a.encoding,
        "outlet": a.outlet,
        "date": a.date, "title": a.title, "url": a.url,
        "headline": text[s.headline.start:s.headline.end] if s.headline else "",
        "dateline": text[s.dateline.start:s.dateline.end] if s.dateline else "",
        "dateline_city": s.dateline_city,
        "origin_agency": o.agency if o else "", "origin_country": o.country if o else "",
        "origin_ownership": o.ownership if o else "", "origin_as_of": o.as_of if o else "",
        "origin_method": o.method if o else "", "origin_evidence": o.evidence_text if o else "",
        "origin_evidence_start": o.evidence_start if o else None, "origin_evidence_end": o.evidence_end if o else None,
        "origin_own_copy": o.own_copy if o else None,
    }
    row.update(dict(a.extra))
    row.update(analysis.measures)
    return row


def _fields(record) -> dict:
    """A flat record's fields (like ``dataclasses.asdict`` without its deep copy)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def rows_for(analysis) -> dict[str, list[dict]]:
    """Every analysis table's rows for one article (labels come from the extract layer)."""
    from .extract.labels import label_counts
    from .measures import apply

    apply(analysis)
    aid = analysis.article.article_id
    text = analysis.article.text
    return {
        "articles": [article_row(analysis)],
        "attributions": [{"article_id": aid, **_fields(r)} for r in analysis.attributions],
        "terms": [{"article_id": aid, **_fields(r)} for r in analysis.terms],
        "agency": [{"article_id": aid, **_fields(r)} for r in analysis.clauses],
        "actors": [{"article_id": aid, **_fields(r)} for r in analysis.actors],
        "labels": [{"article_id": aid, "outlet": analysis.article.outlet, **r} for r in label_counts(analysis.terms)],
        "sentences": [{"article_id": aid, "sentence_index": i, "start": sp.start, "end": sp.end,
                       "text": text[sp.start:sp.end]} for i, sp in enumerate(analysis.sentences)],
    }


def _cast(series, dtype: str):
    import pandas as pd

    if dtype == "string":  # an empty cell means "none": "" in memory as in the CSV, never NA
        return series.astype("string").fillna("")
    if dtype == "boolean":
        if series.dtype == "boolean":
            return series
        lowered = series.astype("string").str.strip().str.lower()
        return lowered.map({"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False},
                           na_action="ignore").astype("boolean")
    number = pd.to_numeric(series, errors="coerce")
    if dtype == "Int64":
        return number.round().astype("Int64")
    return number.astype("Float64")


def _infer(series) -> str:
    """dtype of an undeclared column: numeric when every non-empty value is a number, else string."""
    import pandas as pd

    values = series.dropna()
    values = values[values.astype(str) != ""]
    if len(values) and pd.to_numeric(values, errors="coerce").notna().all() and not values.map(
            lambda v: isinstance(v, str)).any():
        return "Float64"
    return "string"


def typed(table: str, frame=None, columns=None):
    """``frame`` with every declared column of ``table`` present and cast to its dtype.

    Undeclared columns (input metadata, a measure not yet in the registry) are kept:
    strings stay strings, numbers become Float64. Text columns hold "" for "none"
    (never NA), as the CSV does; number and boolean columns hold NA. With ``columns``,
    only those columns (declared or not) are kept and made present.
    """
    import pandas as pd

    declared = dtypes(table)
    if columns is not None:
        declared = {name: dtype for name, dtype in declared.items() if name in columns}
        if frame is not None:
            frame = frame[[c for c in frame.columns if c in columns]]
    frame = pd.DataFrame(columns=list(declared)) if frame is None else frame.copy()
    for name, dtype in declared.items():
        if name not in frame.columns:
            frame[name] = pd.Series(pd.NA, index=frame.index, dtype="object")
        frame[name] = _cast(frame[name], dtype)
    for name in frame.columns:
        if name not in declared:
            frame[name] = _cast(frame[name], _infer(frame[name]))
    order = [c for c in declared if c in frame.columns] + [c for c in frame.columns if c not in declared]
    return frame[order]


class FrameCollector:
    """Gathers the rows of many analyses (and skipped inputs) and builds typed frames."""

    def __init__(self, keep_texts: bool = True):
        self.rows: dict[str, list[dict]] = {t: [] for t in ANALYSIS_TABLES}
        self.texts: dict[str, str] = {}
        self.keep_texts = keep_texts

    def add(self, item) -> None:
        if isinstance(item, model.ArticleAnalysis):
            for table, rows in rows_for(item).items():
                self.rows[table].extend(rows)
            if self.keep_texts:
                self.texts[item.article.article_id] = item.article.text
        else:  # ingest.readers.Skipped
            self.rows["skipped"].append({"path": item.path, "record": item.record, "reason": item.reason})

    def frames(self) -> dict:
        import pandas as pd

        out = {t: typed(t, pd.DataFrame(rows)) for t, rows in self.rows.items()}
        out["texts"] = pd.DataFrame({"article_id": pd.Series(list(self.texts), dtype="string"),
                                     "text": pd.Series(list(self.texts.values()), dtype="string")})
        return out


def to_frames(results: Iterable) -> dict:
    """Analysis results -> typed pandas DataFrames, one per table of ``mediaeval analyze``.

    Keys: articles, attributions, terms, agency, actors, labels, sentences, skipped
    (as the CSV files), plus ``texts`` (article_id, text; never written to CSV).
    ``results`` may mix ``ArticleAnalysis`` and ``Skipped`` items (``analyze_stream``).
    """
    collector = FrameCollector()
    for item in results:
        collector.add(item)
    return collector.frames()


__all__ = ["FrameCollector", "article_row", "rows_for", "to_frames", "typed"]
