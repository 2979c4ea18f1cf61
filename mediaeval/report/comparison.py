"""Comparison -> CSV files and comparison.html (plus worksheet.html), and notebook HTML.

The page is built as data (``comparison_view.view_model``), then rendered by
Jinja2 with autoescaping on: one self-contained file with inline CSS and inline
SVG, no scripts and no external requests, printable. ``write_comparison`` is
what ``mediaeval compare`` calls.
"""

from __future__ import annotations

from pathlib import Path

from .comparison_view import VOICE_NOTE, view_model
from .html import environment, inline_css
from .tables import write_csv, write_text

CSV_FILES = {
    "outlets.csv": "outlets", "labels_by_outlet.csv": "labels_by_outlet", "sources_by_outlet.csv": "sources_by_outlet",
    "agency_by_outlet.csv": "agency_by_outlet", "distinctive_terms.csv": "distinctive_terms",
    "event_groups.csv": "groups", "republished.csv": "republished", "copy_changes.csv": "copy_changes",
    "questions.csv": "questions",
}


def render_comparison(comparison, stamp: dict, article_links: dict[str, str] | None = None,
                      worksheet: bool = False) -> str:
    """comparison.html (or, with ``worksheet``, the unannotated worksheet) as a string."""
    vm = view_model(comparison, article_links, annotated=not worksheet)
    template = "worksheet.html" if worksheet else "comparison.html"
    return environment().get_template(template).render(
        vm=vm, stamp=_stamp(stamp), css=inline_css("base.css", "comparison.css"), voice_note=VOICE_NOTE)


def render_notebook(comparison) -> str:
    """Compact HTML for Jupyter (``Comparison._repr_html_``): no page chrome, scoped styles."""
    vm = view_model(comparison, None, annotated=False, side_by_side=False)
    return environment().get_template("comparison_notebook.html").render(vm=vm)


def write_comparison(comparison, out_dir: Path, stamp: dict, worksheet: bool = False,
                     article_links: dict[str, str] | None = None) -> list[Path]:
    """Write the comparison CSV files and comparison.html (and worksheet.html) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_csv(getattr(comparison, attr), out_dir / name) for name, attr in CSV_FILES.items()]
    written.append(write_text(render_comparison(comparison, stamp, article_links), out_dir / "comparison.html"))
    if worksheet:
        written.append(write_text(render_comparison(comparison, stamp, article_links, worksheet=True),
                                  out_dir / "worksheet.html"))
    return written


def _stamp(stamp: dict | None) -> dict:
    stamp = dict(stamp or {})
    stamp.setdefault("mediaeval_version", "")
    stamp.setdefault("spacy_model", "")
    stamp.setdefault("created", "")
    stamp.setdefault("lexicons", {})
    stamp.setdefault("inputs", [])
    return stamp
