"""A whole run: inputs -> analyses -> CSV, HTML and the stamp in one output folder.

``run_analysis`` streams: each article's rows are spooled and its HTML page is
written as soon as it is analysed, so memory stays flat on large corpora. Bad
inputs become rows of ``skipped.csv`` and the run goes on. Every file is written
atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from .analyze import AnalysisOptions, analyze_stream
from .ingest.readers import ReadOptions, Skipped, read_articles
from .model import ArticleAnalysis


@dataclass
class RunSummary:
    out_dir: Path
    analysed: int = 0
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    written: list = field(default_factory=list)
    stamp: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)  # article_id -> text, when keep_texts
    page_links: dict = field(default_factory=dict)  # article_id -> href from the output folder


def run_analysis(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                 read_options: Optional[ReadOptions] = None, html: bool = True,
                 progress: Optional[Callable[[int], None]] = None, keep_texts: bool = False,
                 comparison: bool = False, on_result: Optional[Callable] = None) -> RunSummary:
    """Analyse ``inputs`` into ``out_dir``; returns what was done (see ``RunSummary``).

    ``on_result`` is called with every result (``ArticleAnalysis`` or ``Skipped``), in input order.
    """
    from .report import html as html_report
    from .report.stamp import make_stamp, write_stamp
    from .report.tables import TableWriter, write_text

    read_options = read_options or ReadOptions()
    out_dir = Path(out_dir)
    summary = RunSummary(out_dir=out_dir)
    tables = TableWriter(out_dir)
    index_rows, used_names = [], set()
    stamp = make_stamp(inputs, options)
    try:
        for item in analyze_stream(read_articles(inputs, read_options), options):
            if on_result:
                on_result(item)
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                tables.add("skipped", [{"path": item.path, "record": item.record, "reason": item.reason}])
                continue
            summary.analysed += 1
            tables.add_analysis(item)
            if keep_texts:
                summary.texts[item.article.article_id] = item.article.text
            if html:
                href = _write_page(item, out_dir, stamp, used_names)
                summary.page_links[item.article.article_id] = href
                index_rows.append(html_report.index_row(item, href))
            if progress:
                progress(summary.analysed + len(summary.skipped))
    finally:
        summary.written.extend(tables.close())
    summary.stamp = stamp
    summary.notes = list(read_options.notes)
    summary.written.append(write_stamp(stamp, out_dir))
    if html:
        summary.written.append(write_text(html_report.render_index(index_rows, stamp, summary.skipped,
                                                                    comparison=comparison),
                                          out_dir / "index.html"))
    return summary


def _write_page(analysis: ArticleAnalysis, out_dir: Path, stamp: dict, used: set) -> str:
    from .report import html as html_report
    from .report.tables import write_text

    name = html_report.page_name(analysis.article.article_id)
    unique, n = name, 1
    while unique in used:
        n += 1
        unique = f"{name}-{n}"
    used.add(unique)
    path = out_dir / "articles" / f"{unique}.html"
    write_text(html_report.render_article(analysis, stamp), path)
    return f"articles/{unique}.html"


def load_frames(out_dir: Path, texts: Optional[dict] = None) -> dict:
    """The CSV files of an analysis run as typed pandas frames (plus ``texts`` when given).

    Types and guard apostrophes are handled by ``report.tables.read_csv`` from the one
    schema, so the frames equal ``mediaeval.to_frames`` of the same results (floats to
    the 6 significant digits the CSV keeps).
    """
    import pandas as pd

    from .report.tables import KINDS, read_csv

    frames = {kind: read_csv(Path(out_dir) / f"{kind}.csv", kind) for kind in KINDS}
    if texts is not None:
        frames["texts"] = pd.DataFrame({"article_id": pd.Series(list(texts), dtype="string"),
                                        "text": pd.Series(list(texts.values()), dtype="string")})
    return frames


def run_comparison(inputs: Sequence[str], out_dir: Path, options: AnalysisOptions = AnalysisOptions(),
                   read_options: Optional[ReadOptions] = None, by: str = "outlet", event: Optional[str] = None,
                   worksheet: bool = False, progress: Optional[Callable[[int], None]] = None) -> RunSummary:
    """Analyse ``inputs`` into ``out_dir`` and add the comparison (CSV and comparison.html).

    The comparison is built in memory from the same results the analysis wrote
    (``mediaeval.compare``); nothing is read back from the CSV files.
    """
    from .compare import compare
    from .report.comparison import write_comparison
    from .frames import FrameCollector

    collector = FrameCollector()
    summary = run_analysis(inputs, out_dir, options, read_options, progress=progress, comparison=True,
                           on_result=collector.add)
    frames = collector.frames()
    articles = frames["articles"]
    if by not in articles.columns and summary.analysed:
        from .errors import MediaevalError
        text_columns = [c for c in articles.columns if articles[c].dtype == "string"]
        raise MediaevalError(f"--by {by!r}: no such column in the articles; group by one of: {', '.join(text_columns)} "
                             f"(the analysis itself is in {out_dir})")
    if event and event not in articles.columns:
        summary.notes.append(f"no {event!r} column in the inputs; same-event groups found by text similarity")
        event = None
    comparison = compare(frames, by=by, event=event)
    summary.written.extend(write_comparison(comparison, out_dir, summary.stamp, worksheet=worksheet,
                                            article_links=summary.page_links))
    return summary
