"""Records -> tidy tables -> CSV (UTF-8, header row, one file per kind of record).

``TableWriter`` streams: each analysis is appended to a JSON-lines spool as it
arrives, and ``close()`` turns the spools into CSV files (the header is the
union of the columns seen, preferred columns first), written atomically. Memory
does not grow with the number of articles. Cells that start with ``=``, ``+``,
``-`` or ``@`` are prefixed with ``'`` so spreadsheets never run them as
formulas (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator

from ..model import ArticleAnalysis

COLUMNS = {
    "articles": ["article_id", "source_path", "record", "encoding", "outlet", "date", "title", "url", "headline",
                 "dateline", "dateline_city", "origin_agency", "origin_country", "origin_ownership", "origin_as_of",
                 "origin_method", "origin_evidence", "origin_evidence_start", "origin_evidence_end",
                 "n_words", "n_sentences"],
    "attributions": ["article_id", "attribution_id", "kind", "source_text", "source_start", "source_end",
                     "source_resolved", "source_type", "anonymous", "cue_text", "cue_start", "cue_end", "cue_class",
                     "content_text", "content_start", "content_end", "sentence_index"],
    "terms": ["article_id", "term", "matched_text", "start", "end", "sentence_index", "category", "function",
              "refers_to", "voice", "speaker", "neutral_alternative", "loaded", "rationale", "source"],
    "agency": ["article_id", "sentence_index", "verb_text", "verb_lemma", "verb_start", "verb_end", "verb_class",
               "voice", "agent_text", "agent_start", "agent_end", "agent_actor", "patient_text", "patient_start",
               "patient_end", "patient_actor", "agent_hidden", "nominalization"],
    "actors": ["article_id", "actor", "kind", "mentions", "as_agent", "as_patient", "hidden_agent_events",
               "agency_score", "power_score"],
    "labels": ["article_id", "outlet", "refers_to", "label", "voice", "count"],
    "sentences": ["article_id", "sentence_index", "start", "end", "text"],
    "skipped": ["path", "record", "reason"],
}
KINDS = tuple(COLUMNS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell safe for spreadsheets: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return neutralise(str(value))


def article_row(analysis: ArticleAnalysis) -> dict:
    """The articles.csv row: metadata, structure, origin and every measure."""
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
    }
    row.update(dict(a.extra))
    row.update(analysis.measures)
    return row


def _fields(record) -> dict:
    """A flat record's fields (like ``dataclasses.asdict`` without its deep copy)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def rows_for(analysis: ArticleAnalysis) -> dict[str, list[dict]]:
    """Every table's rows for one article."""
    from ..extract.terms import label_counts

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


class TableWriter:
    """Streams rows to spools in ``out_dir`` and writes the CSV files on ``close``."""

    def __init__(self, out_dir: Path, kinds: Iterable[str] = KINDS):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._spool_dir = Path(tempfile.mkdtemp(prefix=".mediaeval-", dir=self.out_dir))
        self._spools = {k: open(self._spool_dir / f"{k}.jsonl", "w", encoding="utf-8") for k in kinds}
        self._columns = {k: list(COLUMNS.get(k, [])) for k in kinds}
        self.counts = {k: 0 for k in kinds}

    def add(self, kind: str, rows: Iterable[dict]) -> None:
        spool, columns = self._spools[kind], self._columns[kind]
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
            spool.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            self.counts[kind] += 1

    def add_analysis(self, analysis: ArticleAnalysis) -> None:
        for kind, rows in rows_for(analysis).items():
            if kind in self._spools:
                self.add(kind, rows)

    def close(self) -> list[Path]:
        written = []
        for kind, spool in self._spools.items():
            spool.close()
            path = self.out_dir / f"{kind}.csv"
            with atomic_open(path) as out:
                writer = csv.writer(out)
                writer.writerow(self._columns[kind])
                for row in _read_spool(self._spool_dir / f"{kind}.jsonl"):
                    writer.writerow([_cell(row.get(c)) for c in self._columns[kind]])
            written.append(path)
        for spool_file in self._spool_dir.iterdir():
            spool_file.unlink()
        self._spool_dir.rmdir()
        return written


def _read_spool(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as spool:
        for line in spool:
            yield json.loads(line)


class atomic_open:
    """Write a text file via a temporary file and ``os.replace``: readers never see half a file."""

    def __init__(self, path: Path, newline: str = ""):
        self.path = Path(path)
        self.newline = newline

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.chmod(self.tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the file gets the mode open() would give
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline=self.newline)
        return self.file

    def __exit__(self, exc_type, exc, tb):
        self.file.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
        return False


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def write_csv(frame, path: Path) -> Path:
    """Write a pandas DataFrame as UTF-8 CSV, formula-neutralised and atomic."""
    from pandas.api.types import is_numeric_dtype

    safe = frame.copy()
    for column in safe.columns:
        if not is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    with atomic_open(path) as out:
        safe.to_csv(out, index=False)
    return Path(path)


def write_text(text: str, path: Path) -> Path:
    """Write a text file (HTML, JSON) atomically."""
    with atomic_open(path, newline="\n") as out:
        out.write(text)
    return Path(path)
