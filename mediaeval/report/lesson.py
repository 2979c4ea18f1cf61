"""A lesson pack from 1–6 articles on one event: teacher's guide, worksheet, answer key, short comparison.

``run_lesson`` analyses the inputs (the analysis API, no CSV read-back);
``write_lesson`` takes analyses already made (a run's results, ``Skipped`` items
included, so ``mediaeval demo`` need not analyse twice). Either groups them into
events (an ``event`` metadata field when the records carry one, else
``compare.grouping.event_groups``: TF-IDF cosine within a date window) and
writes, per event group of at most ``MAX_ARTICLES`` articles, a folder with

* ``guide.html``: a 45-minute plan (aims, steps with timings), the questions and
  model answers that link to the sentences of the annotated article pages;
* ``worksheet.html``: the unannotated text with line numbers (1-based lines of
  the text split on ``"\\n"``, the numbering ``mediaeval agreement`` uses), the
  tasks and space to write;
* ``answers.html``: the answer key;
* ``comparison.html``: figures, questions and glossary, the articles linked
  (not repeated), short enough to print on a few A4 pages;

plus ``articles/<id>.html`` (the annotated pages) and an ``index.html``.

The questions and model answers are built as data in ``lesson_questions``;
this module adds the plan, figures and glossary, renders the templates
(``lesson_*.html``, ``lesson.css``) and writes the files. Limits: the model
answers are as good as the extractors, so the teacher checks them against the
text (the links make that quick); a text without quotation marks (the FA-KES
texts lost theirs when the dataset was made) gets a note and no "whose words"
task; a group of more than ``MAX_ARTICLES`` is split into several lessons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..codes import CODES
from ..model import ArticleAnalysis
from .html import environment, inline_css, page_name
from .lesson_questions import SIDES, ArticleView, article_view, distinct, kind_of, line_of, pct, questions

__all__ = ["run_lesson", "write_lesson", "lesson_files", "lesson_data", "render_pack", "event_of", "link_from_reports",
           "line_of", "split_results"]

MAX_ARTICLES = 6


def figures(v: ArticleView) -> dict:
    an, m = v.analysis, v.analysis.measures
    types = {}
    for at in an.attributions:
        types[at.source_type] = types.get(at.source_type, 0) + 1
    n = len(an.attributions) or 1
    sides = {}
    for side, (side_name, _) in SIDES.items():
        own = distinct(t.matched_text for t in an.terms if t.refers_to == side and t.voice == "own")
        others = distinct(t.matched_text for t in an.terms if t.refers_to == side and t.voice != "own")
        if own or others:
            sides[side_name] = {"own": own, "sources": others}
    return {"words": m.get("n_words", 0), "sources_share": pct(m.get("attributed_word_share")),
            "direct_share": pct(m.get("direct_quote_word_share")), "n_sources": m.get("distinct_sources", 0),
            "origin": f"{an.origin.agency} ({CODES['ownership'].get(an.origin.ownership, an.origin.ownership)})"
            if an.origin else "not stated",
            "speakers": [(kind_of(t) or "kind not clear", c, round(100 * c / n)) for t, c in
                         sorted(types.items(), key=lambda x: (-x[1], x[0]))],
            "sides": sides}


def plan(qs: list, n_articles: int) -> list:
    """The 45-minute plan: (minutes, step, what happens). Sets each question's ``minutes`` (pair work and
    discussion together) so that they add up to the plan's two working steps."""
    reading = 8 if n_articles == 1 else 10
    work = 45 - 5 - reading - 10 - 5
    share_out(qs, work + 10)
    jig = "" if n_articles == 1 else " In groups, each pair takes one article (jigsaw), then compares with a pair " \
                                     "that had another."
    return [(5, "Warm-up", "Show only the headline(s). Ask: what happened, and who did it? Note the answers on the board."),
            (reading, "Read", "Students read the worksheet text quietly; the numbered lines let them point at evidence."),
            (work, "Work in pairs", f"Pairs do the tasks on the worksheet and answer the questions with line numbers "
                                    f"as evidence.{jig}"),
            (10, "Discuss", f"Go through the {len(qs)} questions with the annotated page on the projector; "
                            "each model answer links to its sentence."),
            (5, "Exit ticket", "Each student rewrites one sentence so that it names the doer and uses a label both "
                               "sides could accept.")]


def share_out(qs: list, total: int) -> None:
    """Split ``total`` minutes over the questions in proportion to their weights (``minutes``), summing exactly."""
    weights = [q.minutes for q in qs]
    if not qs or not sum(weights):
        return
    exact = [total * w / sum(weights) for w in weights]
    got = [int(x) for x in exact]
    for i in sorted(range(len(qs)), key=lambda i: got[i] - exact[i])[:total - sum(got)]:
        got[i] += 1
    for q, m in zip(qs, got):
        q.minutes = m


AIMS = ["Tell the outlet's own voice from its sources' words (quoted or reported).",
        "Notice who is given a voice in a report, and who is only talked about.",
        "See how a word choice (a label, a softer phrase) frames what happened, and find a plainer word.",
        "Find where a report's copy comes from, and what that tells you."]

GLOSSARY = [("own voice", "words the outlet asserts itself, outside any quotation or report of a source"),
            ("quoted", "words inside a source's quotation marks: the source's own words"),
            ("reported", "a source's content told in the outlet's words, without quotation marks (“the army said that …”)"),
            ("scare quotes", "quotation marks around a word to keep a distance from it (the so-called “liberation”)"),
            ("source", "whoever the article says said something: a person, an office, a report, “activists”"),
            ("label", "a word naming a group of people: rebels, terrorists, militants, opposition, martyrs"),
            ("euphemism", "a milder phrase for something harsh: “redeployed its forces” for a retreat"),
            ("credit line / dateline", "where the copy comes from (XINHUA, (Reuters) -) and where it was filed"),
            ("wire copy", "a news agency's report that other outlets republish, often word for word")]


def punctuation_notes(views) -> list:
    """Plain notes for texts whose punctuation is missing: no commas (FA-KES stripped them), no quotation marks."""
    notes = []
    stripped = [v for v in views if v.stripped]
    if stripped:
        names = "; ".join(v.label for v in stripped)
        fakes = any(v.fakes for v in stripped)
        notes.append(f"The text{'s' if len(stripped) > 1 else ''} of {names} {'have' if len(stripped) > 1 else 'has'} "
                     + ("no commas or apostrophes" if fakes else "no commas")
                     + (": the FA-KES dataset's authors removed them (“Syrias”, “Assads”)" if fakes else
                        ": they were probably removed when the text was collected")
                     + ". Sentences run together, so the sentence numbers are rougher and mediaeval finds fewer "
                       f"sources in {'them' if len(stripped) > 1 else 'it'} than a reader would.")
    no_quotes = [v for v in views if not v.has_quotes]
    if no_quotes:
        notes.append("The text" + ("s" if len(no_quotes) > 1 else "") + " of " + "; ".join(v.label for v in no_quotes)
                     + (" have" if len(no_quotes) > 1 else " has") + " no quotation marks"
                     + (" (many FA-KES texts lost theirs when the dataset was made)" if any(v.fakes for v in no_quotes)
                        else "")
                     + ": the “whose words” task, which needs them, is left out for "
                     + ("them." if len(no_quotes) > 1 else "it."))
    return notes


def lesson_data(analyses: Sequence[ArticleAnalysis], hrefs: dict, title: str = "") -> dict:
    """Everything the lesson templates show, as data. ``hrefs``: article_id -> annotated page from the lesson."""
    keyed = len(analyses) > 1
    views = [article_view(a, chr(65 + i) if keyed else "", hrefs.get(a.article.article_id, ""))
             for i, a in enumerate(analyses)]
    qs = questions(views)
    notes = punctuation_notes(views)
    headline = title or (analyses[0].article.title if analyses else "") or "a news report"
    return {"title": headline, "views": views, "questions": qs, "plan": plan(qs, len(views)), "aims": AIMS,
            "glossary": GLOSSARY, "notes": notes, "figures": [(v, figures(v)) for v in views]}


def render_pack(analyses: Sequence[ArticleAnalysis], stamp: dict, hrefs: dict, title: str = "") -> dict:
    """{file name: HTML} of one lesson (guide, worksheet, answers, comparison)."""
    data = lesson_data(analyses, hrefs, title)
    env, css = environment(), inline_css("base.css", "lesson.css")
    return {f"{name}.html": env.get_template(f"lesson_{name}.html").render(d=data, stamp=stamp, css=css)
            for name in ("guide", "worksheet", "answers", "comparison")}


def event_of(analyses: Sequence[ArticleAnalysis], event: str = "event") -> list:
    """Event groups in first-date order: [(event name, [analyses])]; at most ``MAX_ARTICLES`` each (the rest split)."""
    groups: dict[str, list] = {}
    if analyses and all(a.article.meta(event) for a in analyses):
        for a in analyses:
            groups.setdefault(a.article.meta(event), []).append(a)
    elif len(analyses) > 1:
        import pandas as pd

        from ..compare.grouping import event_groups

        keys = [str(i) for i in range(len(analyses))]  # by position: ids from analyze_text may repeat
        frame = pd.DataFrame({"article_id": keys, "date": [a.article.date or None for a in analyses],
                              "title": [a.article.title or "" for a in analyses]})
        found = event_groups(frame, {k: a.article.text for k, a in zip(keys, analyses)})
        by_key = dict(zip(found["article_id"].astype(str), found["event_group"]))
        for k, a in zip(keys, analyses):
            group = str(by_key.get(k, "e1"))
            groups.setdefault("event-" + group[1:] if group[:1] == "e" else group, []).append(a)
    else:
        groups = {"lesson": list(analyses)}
    out = []
    for name, members in groups.items():
        members = sorted(members, key=lambda a: (a.article.date or "9999", a.article.article_id))
        for k in range(0, len(members), MAX_ARTICLES):
            part = members[k:k + MAX_ARTICLES]
            out.append((name if k == 0 else f"{name}-{k // MAX_ARTICLES + 1}", part))
    return out


def split_results(results: Iterable) -> tuple[list, list]:
    """(analyses, skipped) from a run's results: ``ArticleAnalysis`` items and anything else (``Skipped``)."""
    analyses, skipped = [], []
    for item in results:
        (analyses if isinstance(item, ArticleAnalysis) else skipped).append(item)
    return analyses, skipped


def lesson_files(results: Iterable, stamp: dict, skipped: Sequence = (), event: str = "event") -> dict:
    """Every file of a lesson pack as {relative path: HTML}: index, article pages, one folder per event group.

    ``results`` are analyses already made (``ArticleAnalysis``), in input order, and may hold ``Skipped``
    items too (listed on the index with ``skipped``): a run's results can be handed over as they are."""
    from .html import render_article

    analyses, more = split_results(results)
    skipped = list(skipped) + more
    files, pages, used = {}, {}, set()
    for a in analyses:
        name = page_name(a.article.article_id)
        n, unique = 1, name
        while unique in used:
            n += 1
            unique = f"{name}-{n}"
        used.add(unique)
        pages[a.article.article_id] = f"articles/{unique}.html"
        files[pages[a.article.article_id]] = render_article(a, stamp, index_href="../index.html")
    lessons, folders = [], set()
    for name, members in event_of(analyses, event):
        folder = page_name(name) or "lesson"
        while folder in folders or folder == "articles":
            folder += "_"
        folders.add(folder)
        hrefs = {a.article.article_id: "../" + pages[a.article.article_id] for a in members}
        for fname, html in render_pack(members, stamp, hrefs).items():
            files[f"{folder}/{fname}"] = html
        lessons.append({"folder": folder, "event": name, "title": members[0].article.title or name,
                        "articles": [(a.article.outlet, a.article.date, a.article.title, pages[a.article.article_id])
                                     for a in members]})
    files["index.html"] = environment().get_template("lesson_index.html").render(
        lessons=lessons, skipped=list(skipped), stamp=stamp, css=inline_css("base.css", "lesson.css"))
    return files


def write_lesson(results: Iterable, out_dir: Path, stamp: dict, event: str = "event") -> dict:
    """Write the lesson pack of analyses already made (and ``Skipped`` items) into ``out_dir``.

    What ``mediaeval demo`` calls with its run's results, so nothing is analysed twice.
    Returns {"written", "skipped", "analysed", "lessons"}."""
    from .tables import write_text

    analyses, skipped = split_results(results)
    files = lesson_files(analyses, stamp, skipped, event)
    written = [write_text(html, Path(out_dir) / rel) for rel, html in files.items()]
    return {"written": written, "skipped": skipped, "analysed": len(analyses),
            "lessons": sorted({p.split("/")[0] for p in files if p.endswith("/guide.html")})}


def run_lesson(inputs: Sequence[str], out_dir: Path, options=None, read_options=None,
               event: str = "event") -> dict:
    """Analyse ``inputs`` and write the lesson pack into ``out_dir`` (``write_lesson``)."""
    from ..analyze import AnalysisOptions, analyze_stream
    from ..ingest.readers import ReadOptions, read_articles
    from .stamp import make_stamp

    options = options or AnalysisOptions()
    results = list(analyze_stream(read_articles(inputs, read_options or ReadOptions()), options))
    return write_lesson(results, out_dir, make_stamp(inputs, options), event)


LINK_MARKER = "<!-- mediaeval:lesson-link -->"


def link_from_reports(out_dir: Path, href: str = "lesson/index.html") -> list:
    """Put a link to the lesson pack where index.html and comparison.html leave room for it (LINK_MARKER)."""
    from .tables import write_text

    link = environment().get_template("lesson_link.html").render(href=href)
    done = []
    for name in ("index.html", "comparison.html"):
        path = Path(out_dir) / name
        if path.exists():
            html = path.read_text(encoding="utf-8")
            if LINK_MARKER in html:
                done.append(write_text(html.replace(LINK_MARKER, link, 1), path))
    return done
