"""The reports in a real browser: Debian's chromium driven by Playwright (no browser download).

Opens comparison.html, worksheet.html and an article page from a generated
report over file:// URLs; checks that nothing is requested from outside the
file, that there are no console errors, that an article whose text carries
``<script>`` and ``onerror=`` executes nothing and shows them literally, and
that every in-page link of the comparison has its target. Skips when
/usr/bin/chromium or the playwright package is missing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL_1 = "<script>alert(1)</script>"
EVIL_2 = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _records() -> list[dict]:
    return [
        {"id": "evil", "outlet": "Alpha News", "date": "2024-12-05", "event": "hama",
         "title": f"Rebels enter Hama {EVIL_1}",
         "text": f"Rebels enter Hama {EVIL_1}\n\nDAMASCUS — Rebels entered Hama on Thursday, a monitor said. "
                 f"{EVIL_1} The army said it had redeployed its forces. {EVIL_2} “Terrorist groups attacked the "
                 f"city,” said a statement of the army.\n"},
        {"id": "calm", "outlet": "Beta Daily", "date": "2024-12-05", "event": "hama",
         "title": "Army leaves Hama",
         "text": "Army leaves Hama\n\nThe Syrian army said on Thursday that it had left Hama after attacks by "
                 "terrorist organizations. Civilians were killed in the shelling, activists said.\n"},
    ]


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp_model) -> Path:
    """A real report from the pipeline (analyse + compare) over two short articles."""
    out = tmp_path_factory.mktemp("browser_report")
    src = out.parent / (out.name + "_input.jsonl")
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records()) + "\n", encoding="utf-8")
    from mediaeval.runner import run_comparison

    try:
        run_comparison([str(src)], out, event="event", worksheet=True)
    except ModuleNotFoundError:  # an HTML layer of the article pages is missing: compare from the CSV files
        from mediaeval.compare import build_comparison
        from mediaeval.report.comparison import write_comparison
        from mediaeval import read_run
        from mediaeval.runner import run_analysis

        summary = run_analysis([str(src)], out, html=False, overwrite=True)
        comparison = build_comparison(read_run(out, texts=True), event="event")
        write_comparison(comparison, out, summary.stamp, worksheet=True)
    return out


@pytest.fixture(scope="module")
def nlp_model():
    try:
        from mediaeval import nlp
        return nlp.load()
    except Exception as exc:  # noqa: BLE001 - any failure to load means: cannot run the pipeline here
        pytest.skip(f"no spaCy model: {exc}")


def _open(browser, url: str, shot: Path) -> dict:
    """Load ``url``; returns what happened: console errors, page errors, dialogs, outside requests, text."""
    seen = {"console": [], "errors": [], "dialogs": [], "outside": []}
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            seen["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: None if req.url.startswith(("file:", "data:")) else seen["outside"].append(req.url))
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    seen["text"] = page.inner_text("body")
    seen["ids"] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    seen["hrefs"] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    seen["scripts"] = page.eval_on_selector_all("script", "els => els.length")
    page.screenshot(path=str(shot), full_page=False)
    page.close()
    return seen


def _clean(seen: dict) -> None:
    assert seen["outside"] == [], f"requests left the file: {seen['outside']}"
    assert seen["console"] == [] and seen["errors"] == [], (seen["console"], seen["errors"])
    assert seen["dialogs"] == [], f"a script ran: {seen['dialogs']}"
    assert seen["scripts"] == 0


def test_comparison_page_is_self_contained_and_inert(browser, report, tmp_path):
    shot = tmp_path / "comparison.png"
    seen = _open(browser, (report / "comparison.html").as_uri(), shot)
    _clean(seen)
    assert shot.stat().st_size > 10_000
    assert EVIL_1 in seen["text"] and EVIL_2 in seen["text"]  # shown literally in the side-by-side
    assert "Questions for discussion" in seen["text"] and "Glossary" in seen["text"]
    missing = [h for h in seen["hrefs"] if h.startswith("#") and h[1:] and h[1:] not in seen["ids"]]
    assert missing == [], f"in-page links without a target: {missing}"
    assert any(re.match(r"articles/.+\.html#s\d+$", h) for h in seen["hrefs"])
    if (report / "articles").is_dir():
        pages = {h.split("#")[0] for h in seen["hrefs"] if h.startswith("articles/")}
        assert all((report / p).exists() for p in pages), "links to article pages that were not written"


def test_worksheet_executes_nothing(browser, report, tmp_path):
    sheet = _open(browser, (report / "worksheet.html").as_uri(), tmp_path / "worksheet.png")
    _clean(sheet)
    assert EVIL_1 in sheet["text"] and EVIL_2 in sheet["text"] and "Questions" in sheet["text"]


def test_article_page_executes_nothing(browser, report, tmp_path):
    pages = sorted((report / "articles").glob("evil*.html")) if (report / "articles").is_dir() else []
    if not pages:
        pytest.skip("the article pages are not rendered yet (an HTML layer is missing)")
    seen = _open(browser, pages[0].as_uri() + "#s1", tmp_path / "article.png")
    _clean(seen)
    assert EVIL_1 in seen["text"] and EVIL_2 in seen["text"]


# ---- accessibility, phone widths and print: every page of the demo and of a six-article lesson ----------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
SEED_LESSON = "lesson/hama-withdrawal-2024-12"
PAGES = ["index.html", "comparison.html", "worksheet.html", "articles/xinhua_hama_withdrawal.html",
         "articles/fakes_ahram_1923848146.html", "lesson/index.html", f"{SEED_LESSON}/guide.html",
         f"{SEED_LESSON}/worksheet.html", f"{SEED_LESSON}/answers.html", f"{SEED_LESSON}/comparison.html",
         "six/index.html", "six/six/guide.html", "six/six/worksheet.html", "six/six/comparison.html"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, nlp_model) -> Path:
    """``mediaeval demo`` (analysis, comparison, lesson pack) plus one lesson on six FA-KES articles."""
    from mediaeval.cli import main
    from mediaeval.report.lesson import run_lesson

    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "-o", str(out), "-q"]) == 0
    seeds = Path(__file__).resolve().parents[1] / "seeds" / "fakes_syria_sample.jsonl"
    records = [json.loads(line) for line in seeds.read_text(encoding="utf-8").splitlines() if line.strip()]
    six = [r for r in records if r["event"] in ("khan_sheikhoun_2017", "ghouta_chemical_2013")][:6]
    assert len(six) == 6
    src = out.parent / (out.name + "_six.jsonl")
    src.write_text("\n".join(json.dumps(dict(r, event="six")) for r in six) + "\n", encoding="utf-8")
    run_lesson([str(src)], out / "six")
    return out


def _axe_serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(v["id"], len(v["nodes"])) for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def test_every_page_has_no_serious_axe_violation_and_fits_390_and_1280(browser, demo, report, tmp_path):
    """axe-core on every kind of page; the demo's long comparison.html (axe needs minutes on it) is checked for
    width only, and its template is checked by axe on the two-article report's comparison.html."""
    pytest.importorskip("axe_playwright_python")
    problems = {}
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for root, name in [(demo, n) for n in PAGES] + [(report, "comparison.html")]:
            page.goto((root / name).as_uri())
            found = [] if (root, name) == (demo, "comparison.html") else _axe_serious(page)
            name = name if root == demo else f"two-article report: {name}"
            wide = page.evaluate("document.documentElement.scrollWidth") - page.evaluate("innerWidth")
            shot = re.sub(r"[^\w.]+", "_", name)
            page.screenshot(path=str(tmp_path / f"{shot}_{width}.png"))
            if found or wide > 0:
                problems[(name, width)] = {"axe": found, "px wider than the viewport": wide}
        page.close()
    assert problems == {}


def test_layer_switches_show_focus_and_a_skip_link_passes_the_tags(browser, demo):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((demo / "articles" / "xinhua_hama_withdrawal.html").as_uri())
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert first == ["skip", "#panels"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside the panels, not one of the tags
    assert page.evaluate("!!document.activeElement.closest('#panels')")
    page.focus("#L-terms")
    outline = page.evaluate("getComputedStyle(document.querySelector('label[for=\"L-terms\"]')).outlineStyle")
    assert outline not in ("", "none")
    size = page.evaluate("(() => { const r = document.querySelector('.tag').getBoundingClientRect(); "
                         "return [r.width, r.height]; })()")
    assert min(size) >= 24  # SC 2.5.8 target size
    page.close()


def _pdf_pages(browser, path: Path) -> int:
    page = browser.new_page()
    page.goto(path.as_uri())
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_lesson_pages_print_on_few_a4_pages(browser, demo):
    # measured on Debian chromium: seed guide 4, worksheet 3, answers 2, comparison 2; six-article comparison 4;
    # the demo's comparison.html (11 articles, 7 outlets) 12 (79 before its print stylesheet), its worksheet.html
    # 17 (32 before); the limits leave a page or more for other fonts
    limits = {f"{SEED_LESSON}/guide.html": 5, f"{SEED_LESSON}/worksheet.html": 4, f"{SEED_LESSON}/answers.html": 3,
              f"{SEED_LESSON}/comparison.html": 3, "six/six/comparison.html": 8, "comparison.html": 16,
              "worksheet.html": 21}
    counts = {name: _pdf_pages(browser, demo / name) for name in limits}
    assert all(counts[n] <= limits[n] for n in limits), counts
    assert all(c >= 1 for c in counts.values())


def test_print_leaves_out_the_long_parts_and_starts_on_the_first_sheet(browser, demo):
    """On paper comparison.html shows a pointer instead of the texts and the evidence list; the worksheets put
    text on their first sheet (no sheet holding only a heading), and no footer carries lexicon hashes."""
    page = browser.new_page(viewport={"width": 718, "height": 1000})  # A4 less the margins, at 96 px per inch
    page.emulate_media(media="print")
    page.goto((demo / "comparison.html").as_uri())
    hidden = page.evaluate("""() => ['#evidence .ev', '#side .side'].map(sel =>
        [...document.querySelectorAll(sel)].every(e => getComputedStyle(e).display === 'none'))""")
    assert hidden == [True, True]
    shown = page.evaluate("[...document.querySelectorAll('.print-only')].filter(e => e.offsetHeight > 0).length")
    assert shown >= 2
    assert "sha256" not in page.inner_text("body")
    for name, first in (("worksheet.html", ".ws-text"), (f"{SEED_LESSON}/worksheet.html", "ol.lines li")):
        page.goto((demo / name).as_uri())
        top = page.evaluate(f"document.querySelector('{first}').getBoundingClientRect().top")
        assert top < 900, (name, top)  # the first text line is on the first sheet
        assert "sha256" not in page.inner_text("body")
    page.close()


def test_reports_link_to_the_lesson(browser, demo):
    for name in ("index.html", "comparison.html"):
        seen = _open(browser, (demo / name).as_uri(), demo.parent / f"{demo.name}_{name}.png")
        _clean(seen)
        assert "lesson/index.html" in seen["hrefs"]
    assert (demo / "lesson" / "index.html").exists()
