"""``mediaeval serve``: a local page where a teacher pastes or drops 1–6 articles and gets the lesson.

A small Flask app bound to 127.0.0.1 by default. The form takes up to
``MAX_ARTICLES`` articles (pasted text, or a .txt/.html file each) with outlet,
date and an optional title; the lesson pack (``report.lesson``) is shown in the
browser and offered as a zip.

Safety, in order of the request: the Host header must name this computer
(127.0.0.1, localhost, ::1 or the address the server was started on), which
stops DNS-rebinding pages from talking to it; the request body is capped
(``MAX_CONTENT_LENGTH``) and so is each article; the form carries a per-session
CSRF token (compared in constant time); inputs are written only into a
temporary folder that is removed when the analysis ends; one analysis runs at a
time on the shared spaCy model (a lock); results live in memory (the last
``KEEP_RESULTS``) under an unguessable token; article text reaches pages only
through Jinja2's autoescaping and every page is sent with a Content-Security-
Policy that forbids scripts. Limits: a development server (werkzeug) meant for
one teacher on one computer, not for a network.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import secrets
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

MAX_ARTICLES = 6
MAX_ARTICLE_BYTES = 512 * 1024
MAX_CONTENT_LENGTH = MAX_ARTICLES * MAX_ARTICLE_BYTES + 64 * 1024
KEEP_RESULTS = 8
SUFFIXES = (".txt", ".html", ".htm")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadInput(Exception):
    """What was wrong with the form, in words a teacher can act on."""


def _hostname(host: str) -> str:
    host = (host or "").strip().lower()
    if host.startswith("["):  # [::1]:8765
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def create_app(options=None, allowed_hosts: set | None = None):
    """The Flask app; ``options`` are the ``AnalysisOptions`` every lesson uses."""
    from flask import Flask, Response, abort, redirect, render_template, request, session, url_for

    from .analyze import AnalysisOptions

    app = Flask(__name__, template_folder=str(Path(__file__).parent / "report" / "templates"))
    # one pasted article may fill a form field (werkzeug's default cap is 500,000 bytes); 6 slots x 5 fields
    app.config.update(MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE=MAX_ARTICLE_BYTES + 1024,
                      MAX_FORM_PARTS=64, SECRET_KEY=secrets.token_bytes(32),
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)
    options = options or AnalysisOptions()
    hosts = LOOPBACK | set(allowed_hosts or ())
    lock = threading.Lock()
    results: OrderedDict[str, dict] = OrderedDict()

    @app.before_request
    def check_host():
        if _hostname(request.host) not in hosts:
            abort(400, "This page answers only to 127.0.0.1 or localhost.")

    @app.after_request
    def headers(resp):
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    def token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    def form_page(errors=(), values=None, status=200):
        css = _css()
        return render_template("serve_form.html", csrf=token(), errors=list(errors), n=MAX_ARTICLES,
                               values=values or {}, css=css, limit_kb=MAX_ARTICLE_BYTES // 1024), status

    @app.get("/")
    def index():
        return form_page()

    @app.post("/lesson")
    def make_lesson():
        sent = request.form.get("csrf", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            return form_page(["The form had expired or did not come from this page. Please try again."], status=400)
        try:
            articles = _collect(request)
            files, skipped, names = _run(articles, options, lock)
        except BadInput as exc:
            return form_page([str(exc)], values=request.form, status=400)
        key = secrets.token_urlsafe(16)
        results[key] = {"files": files, "zip": _zip(files), "names": names,
                        "skipped": [f"{Path(s.path).stem}: {s.reason}" for s in skipped]}
        while len(results) > KEEP_RESULTS:
            results.popitem(last=False)
        return redirect(url_for("result", key=key), code=303)

    @app.get("/r/<key>/")
    def result(key):
        if key not in results:
            abort(404)
        files = results[key]["files"]
        lessons = sorted(p.rsplit("/", 1)[0] for p in files if p.endswith("/guide.html"))
        articles = [(p, results[key]["names"].get(p, p.split("/")[-1])) for p in sorted(files)
                    if p.startswith("articles/")]
        return render_template("serve_result.html", key=key, lessons=lessons, articles=articles,
                               skipped=results[key]["skipped"], css=_css())

    @app.get("/r/<key>/<path:path>")
    def page(key, path):
        result = results.get(key)
        if result is None or path not in result["files"]:
            abort(404)
        return Response(result["files"][path], mimetype="text/html")

    @app.get("/r/<key>.zip")
    def download(key):
        result = results.get(key)
        if result is None:
            abort(404)
        return Response(result["zip"], mimetype="application/zip",
                        headers={"Content-Disposition": "attachment; filename=lesson.zip"})

    @app.errorhandler(413)
    def too_big(_):
        return form_page([f"The articles are too large: at most {MAX_ARTICLES} articles of "
                          f"{MAX_ARTICLE_BYTES // 1024} KB each."], status=413)

    return app


def _css() -> str:
    from .report.html import inline_css

    return inline_css("base.css", "lesson.css")


def _collect(request) -> list:
    """[(name, bytes, suffix, meta)] from the form; BadInput when nothing usable or something too big."""
    articles = []
    for i in range(1, MAX_ARTICLES + 1):
        text = request.form.get(f"text{i}", "")
        upload = request.files.get(f"file{i}")
        data, suffix = b"", ".txt"
        if upload is not None and upload.filename:
            suffix = Path(upload.filename).suffix.lower()
            if suffix not in SUFFIXES:
                raise BadInput(f"Article {i}: “{upload.filename}” is not a .txt or .html file.")
            data = upload.read(MAX_ARTICLE_BYTES + 1)
        elif text.strip():
            data = text.replace("\r\n", "\n").encode("utf-8")
        if not data.strip():
            continue
        if len(data) > MAX_ARTICLE_BYTES:
            raise BadInput(f"Article {i} is longer than {MAX_ARTICLE_BYTES // 1024} KB; paste one article per box.")
        date = request.form.get(f"date{i}", "").strip()
        if date and not DATE.match(date):
            raise BadInput(f"Article {i}: the date “{date}” is not a date like 2024-12-05.")
        meta = {"id": f"article-{i}", "outlet": request.form.get(f"outlet{i}", "").strip()[:120], "date": date,
                "event": "lesson"}
        title = request.form.get(f"title{i}", "").strip()[:300]
        if title:
            meta["title"] = title
        articles.append((f"article-{i}", data, suffix, meta))
    extra = [f for f in request.files if f not in {f"file{i}" for i in range(1, MAX_ARTICLES + 1)}]
    if extra:
        raise BadInput(f"At most {MAX_ARTICLES} articles.")
    if not articles:
        raise BadInput("Paste the text of at least one article, or choose a .txt or .html file.")
    return articles


def _run(articles: list, options, lock) -> tuple[dict, list, dict]:
    """Analyse in a temporary folder (removed afterwards); one analysis at a time.

    Returns the lesson's files, the skipped inputs and {article page: "outlet, date: headline"}."""
    from .analyze import analyze_stream
    from .ingest.readers import ReadOptions, Skipped, read_articles
    from .report.html import page_name
    from .report.lesson import lesson_files
    from .report.stamp import make_stamp

    with tempfile.TemporaryDirectory(prefix="mediaeval-serve-") as tmp:
        paths = []
        for name, data, suffix, meta in articles:
            path = Path(tmp) / f"{name}{suffix}"
            path.write_bytes(data)
            (Path(tmp) / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
            paths.append(path)
        with lock:
            items = list(analyze_stream(read_articles(paths, ReadOptions()), options))
        analyses = [x for x in items if not isinstance(x, Skipped)]
        skipped = [x for x in items if isinstance(x, Skipped)]
        if not analyses:
            raise BadInput("No article could be read: " + "; ".join(
                f"{Path(s.path).stem}: {s.reason}" for s in skipped))
        names = [f"{a.name}{a.suffix}" for a in paths]
        files = lesson_files(analyses, make_stamp(names, options), [_plain(s) for s in skipped])
    pages = {}
    for a in analyses:
        art = a.article
        who = ", ".join(x for x in (art.outlet, art.date) if x)
        pages[f"articles/{page_name(art.article_id)}.html"] = f"{who}: {art.title}" if who and art.title else (
            who or art.title or art.article_id)
    return files, skipped, pages


def _plain(skipped):
    """A Skipped without the temporary folder in its path."""
    from dataclasses import replace

    return replace(skipped, path=Path(skipped.path).name)


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, html in sorted(files.items()):
            z.writestr(f"lesson/{name}", html)
    return buf.getvalue()


def serve(host: str = "127.0.0.1", port: int = 8765, model: str | None = None) -> None:
    """Run the page until Ctrl+C."""
    import sys

    from werkzeug.serving import run_simple

    from .analyze import AnalysisOptions, prepare

    options = AnalysisOptions(model=model)
    prepare(options)  # a missing model fails now, with its message, not on the first lesson
    if host not in LOOPBACK:
        print(f"mediaeval serve: listening on {host}: anyone who can reach this address can use the page",
              file=sys.stderr)
    print(f"mediaeval serve: open http://{'localhost' if host in LOOPBACK else host}:{port}/ in a browser "
          f"(Ctrl+C stops)", file=sys.stderr)
    run_simple(host, port, create_app(options, {host}), threaded=True)
