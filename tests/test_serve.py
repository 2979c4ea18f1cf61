"""``mediaeval serve``: the safety checks (Flask test client) and the teacher's path in a real browser.

The end-to-end test starts the server on a free loopback port in a thread
(werkzeug ``make_server``), pastes two articles in headless Debian chromium
(never a browser download) and checks the lesson; it skips without
/usr/bin/chromium or playwright. The two articles are the seed (Xinhua) and a
short text built from a sentence quoted from it, carrying markup that must
show literally.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

import pytest

pytest.importorskip("flask")

from mediaeval import serve  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
EVIL = "<script>alert(1)</script>"
SECOND = ("Army leaves Hama\n\nThe Syrian army said on Thursday that it had redeployed its forces outside Hama. "
          f"{EVIL} “Those groups managed to penetrate several fronts in the city,” said a statement of the army.\n")


@pytest.fixture(scope="module")
def app():
    return serve.create_app()


def _token(client) -> str:
    page = client.get("/")
    return re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_host_header_must_name_this_computer(app):
    client = app.test_client()
    assert client.get("/", headers={"Host": "rebind.example:8765"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200


def test_form_needs_the_session_token(app):
    client = app.test_client()
    _token(client)
    r = client.post("/lesson", data={"csrf": "forged", "text1": SECOND})
    assert r.status_code == 400 and "expired" in r.get_data(as_text=True)
    other = app.test_client()
    r = other.post("/lesson", data={"csrf": _token(client), "text1": SECOND})  # another session's token
    assert r.status_code == 400


def test_bad_input_gets_a_clear_message(app):
    client = app.test_client()
    token = _token(client)
    r = client.post("/lesson", data={"csrf": token})
    assert r.status_code == 400 and "at least one article" in r.get_data(as_text=True)
    r = client.post("/lesson", data={"csrf": token, "text1": SECOND, "date1": "5 Dec"})
    assert r.status_code == 400 and "is not a date like 2024-12-05" in r.get_data(as_text=True)
    from io import BytesIO
    r = client.post("/lesson", data={"csrf": token, "file1": (BytesIO(b"%PDF-1.4"), "article.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "not a .txt or .html file" in r.get_data(as_text=True)


def test_size_limits(app):
    client = app.test_client()
    token = _token(client)
    r = client.post("/lesson", data={"csrf": token, "text1": "word " * (serve.MAX_ARTICLE_BYTES // 5 + 10)})
    assert r.status_code == 400 and "longer than" in r.get_data(as_text=True)
    r = client.post("/lesson", data={"csrf": token, "text1": "x" * (serve.MAX_CONTENT_LENGTH + 10)})
    assert r.status_code == 413


def test_lesson_from_two_pasted_articles_is_escaped_and_leaves_no_files(app, seed_text, monkeypatch):
    made = []
    real = tempfile.TemporaryDirectory

    def spy(*args, **kwargs):
        t = real(*args, **kwargs)
        made.append(Path(t.name))
        return t

    monkeypatch.setattr(serve.tempfile, "TemporaryDirectory", spy)
    client = app.test_client()
    r = client.post("/lesson", data={"csrf": _token(client), "text1": seed_text, "outlet1": "Xinhua",
                                     "date1": "2024-12-05", "text2": SECOND, "outlet2": "Test Daily"})
    assert r.status_code == 303
    result = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "lesson/guide.html" in result and ".zip" in result
    base = r.headers["Location"]
    sheet = client.get(base + "lesson/worksheet.html")
    assert sheet.status_code == 200 and "Content-Security-Policy" in sheet.headers
    body = sheet.get_data(as_text=True)
    assert EVIL not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "Text A: Xinhua, 2024-12-05" in body and "Text B: Test Daily" in body
    zipped = client.get(base.rstrip("/") + ".zip")
    assert zipped.status_code == 200 and zipped.data[:2] == b"PK"
    assert made and all(not p.exists() for p in made)
    assert client.get("/r/unknown/lesson/guide.html").status_code == 404


def test_a_skipped_article_is_named_on_the_result_page(app):
    """One usable article and one the reader refuses (a text over the 100,000-character limit): the lesson is
    made from the first and the result page says why the second is not in it. The long text is a sentence of
    the seed repeated; it also passes werkzeug's form-field cap (raised to one article's size)."""
    client = app.test_client()
    long_text = "The Syrian army said it had redeployed its forces outside Hama.\n" * 1800  # ~117,000 characters
    assert 100_000 < len(long_text) < serve.MAX_ARTICLE_BYTES
    r = client.post("/lesson", data={"csrf": _token(client), "text1": SECOND, "outlet1": "Test Daily",
                                     "text2": long_text, "outlet2": "Long Weekly"},
                    content_type="multipart/form-data")
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Not in the lesson" in page and "article-2" in page and "split" in page
    assert "Test Daily: Army leaves Hama" in page  # the annotated article is named, not a file name


@pytest.fixture(scope="module")
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _axe_serious(page) -> list:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    result = axe.Axe().run(page, options={"runOnly": {"type": "tag",
                                                      "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}})
    return [(v["id"], len(v["nodes"])) for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
def test_teacher_pastes_two_articles_in_a_browser(live_server, seed_text, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 900}, accept_downloads=True)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(live_server + "/")
        assert _axe_serious(page) == []
        page.fill("#text1", seed_text)
        page.fill("#outlet1", "Xinhua")
        page.fill("#date1", "2024-12-05")
        page.fill("#text2", SECOND)
        page.fill("#outlet2", "Test Daily")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/r/[^/]+/$"), timeout=300_000)
        assert _axe_serious(page) == []
        with page.expect_download() as download:
            page.click("a.download")
        assert download.value.suggested_filename == "lesson.zip"
        page.click("text=Teacher's guide")
        guide = page.inner_text("main")
        assert "Plan (45 minutes)" in guide and "What does “redeployed its forces” stand for?" in guide
        assert "A: Xinhua, 2024-12-05" in guide and "B: Test Daily" in guide
        page.click("text=Worksheet")
        assert EVIL in page.inner_text("main") and dialogs == []
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.screenshot(path=str(tmp_path / "serve_worksheet.png"))
        browser.close()
