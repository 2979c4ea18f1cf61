"""ArticleAnalysis -> self-contained, annotated HTML (Jinja2, autoescape on).

Each layer module in ``report/layers`` gives marks and a panel as data
(``report.marks``); this module cuts the article text at every mark and sentence
boundary into segments, nests the marks of each segment, and hands the result
to the templates. Article text only ever reaches the page through Jinja2's
escaping. The page has inline CSS, no scripts and no external requests; layers
can be switched off with CSS-only checkboxes; every sentence has an anchor
``#s<index>`` that figures link to.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ..model import ArticleAnalysis
from .marks import Mark, Panel

LAYERS = ("structure", "attribution", "terms", "agency")
LAYER_TITLES = {"structure": "Structure", "attribution": "Sources", "terms": "Loaded terms", "agency": "Agency"}


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("mediaeval.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["inline_css"] = inline_css
    return env


@lru_cache(maxsize=8)
def inline_css(*names: str) -> str:
    """CSS files from templates/, concatenated for a <style> element."""
    folder = resources.files("mediaeval.report").joinpath("templates")
    parts = []
    for name in names:
        entry = folder.joinpath(name)
        if entry.is_file():
            parts.append(entry.read_text(encoding="utf-8"))
    return "\n".join(parts).replace("</", "<\\/")


def _layer(name: str):
    return importlib.import_module(f"mediaeval.report.layers.{name}")


def layer_output(analysis: ArticleAnalysis) -> tuple[list[Mark], list[Panel]]:
    """Marks and panels of every layer, each mark tagged with its layer."""
    marks, panels = [], []
    for name in LAYERS:
        module = _layer(name)
        for mark in module.marks(analysis):
            if 0 <= mark.start < mark.end <= len(analysis.article.text):
                marks.append(mark if mark.layer else replace(mark, layer=name))
        panel = module.panel(analysis)
        if panel is not None:
            panels.append(panel if panel.layer else replace(panel, layer=name))
    return marks, panels


def segment_text(text: str, marks: list[Mark], sentences) -> list[dict]:
    """Blocks (one per sentence, plus the gaps between) of segments with their marks.

    A segment is a stretch of text with one unchanging set of marks; a mark's
    tag (label + popover) is placed after the segment where the mark ends.
    """
    bounds = {0, len(text)}
    for m in marks:
        bounds.update((m.start, m.end))
    sentence_at = {}
    for i, s in enumerate(sentences):
        bounds.update((s.start, s.end))
        sentence_at[s.start] = (i, s.end)
    order = {name: i for i, name in enumerate(LAYERS)}
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    starts = sorted(marks, key=lambda m: m.start)
    blocks: list[dict] = []
    block = {"id": None, "segments": []}
    block_end = -1
    active: list[Mark] = []
    k = 0
    for a, b in zip(points, points[1:]):
        if a in sentence_at:
            if block["segments"]:
                blocks.append(block)
            index, block_end = sentence_at[a]
            block = {"id": f"s{index}", "segments": []}
        elif block["id"] is not None and a >= block_end:
            blocks.append(block)
            block = {"id": None, "segments": []}
        while k < len(starts) and starts[k].start <= a:
            active.append(starts[k])
            k += 1
        active = [m for m in active if m.end > a]
        here = sorted((m for m in active if m.start <= a and m.end >= b),
                      key=lambda m: (order.get(m.layer, 9), m.start, -m.end))
        ending = [m for m in here if m.end == b and (m.label or m.details)]
        block["segments"].append({"text": text[a:b], "marks": here, "tags": ending})
    if block["segments"]:
        blocks.append(block)
    return blocks


_STYLE_OK = re.compile(r"^--[a-z-]+:\s*#[0-9a-fA-F]{3,8}$")


def safe_style(style: str) -> str:
    """Only a single CSS custom property with a hex colour passes (no injection)."""
    return style if style and _STYLE_OK.match(style.strip()) else ""


def render_article(analysis: ArticleAnalysis, stamp: dict, index_href: str = "../index.html") -> str:
    marks, panels = layer_output(analysis)
    blocks = segment_text(analysis.article.text, marks, analysis.sentences)
    css_files = ("base.css",) + tuple(f"layer_{name}.css" for name in LAYERS)
    return environment().get_template("article.html").render(
        a=analysis.article, analysis=analysis, blocks=blocks, panels=panels, layers=LAYERS,
        layer_titles=LAYER_TITLES, stamp=stamp, css=inline_css(*css_files), index_href=index_href,
        measures=_headline_measures(analysis), safe_style=safe_style,
    )


def _headline_measures(analysis: ArticleAnalysis) -> list[tuple[str, str]]:
    """The article's figures: every registry measure marked ``panel``, as the registry labels it."""
    from ..measures import registry

    m = analysis.measures
    return [(d.label, format_number(m[d.name])) for d in registry().values()
            if d.panel and m.get(d.name) is not None]


def format_number(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def page_name(article_id: str) -> str:
    """A safe file name for an article id (articles/<name>.html)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._") or "article"
    return name[:150]


def render_index(rows: Iterable[dict], stamp: dict, skipped: list, title: str = "mediaeval report",
                 comparison: bool = False, pager: dict | None = None) -> str:
    """index.html, or one page of it: ``pager`` gives ``page`` (1-based), ``pages`` (the file names),
    ``first`` (the number of the page's first article), ``total`` and ``max_pages`` (set when only
    the first N input records have a page). The codebook is on the first page only."""
    rows = list(rows)
    pager = pager or {"page": 1, "pages": ["index.html"], "first": 1, "total": len(rows), "max_pages": None}
    return environment().get_template("index.html").render(
        rows=rows, stamp=stamp, skipped=skipped, title=title, css=inline_css("base.css"), comparison=comparison,
        codebook=codebook_view() if pager["page"] == 1 else [], pager=pager)


def codebook_view() -> list[dict]:
    """The codebook (``schema.codebook``) grouped by file, for the index page's codebook section."""
    from ..schema import codebook

    book = codebook()
    return [{"file": file, "per": part["one_row_per"].iloc[0], "columns": part.to_dict("records")}
            for file, part in book.groupby("file", sort=False)]


def index_row(analysis: ArticleAnalysis, href: str) -> dict:
    """The few figures index.html lists per article (kept in memory for the index)."""
    a, o, m = analysis.article, analysis.origin, analysis.measures
    return {"href": href, "article_id": a.article_id, "title": a.title or a.article_id, "outlet": a.outlet,
            "date": a.date, "origin": f"{o.agency} ({o.country}, {o.ownership.replace('_', ' ')})" if o else "",
            "n_words": m.get("n_words", ""), "attributions": m.get("attributions", ""),
            "loaded": len([t for t in analysis.terms if t.loaded]),
            "passive": format_number(m["passive_clause_share"]) if m.get("passive_clause_share") is not None else ""}


def render_notebook_view(analysis: ArticleAnalysis) -> str:
    """The article page inside an ``<iframe srcdoc>`` so its CSS stays out of the notebook."""
    from .stamp import make_stamp

    page = render_article(analysis, make_stamp([analysis.article.source_path or analysis.article.article_id]),
                          index_href="#")
    return environment().get_template("notebook_frame.html").render(page=page, title=analysis.article.title)
