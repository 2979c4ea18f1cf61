"""Structure spans: headline, dateline, credit lines, boilerplate (spans, never deletions)."""

from __future__ import annotations

import pytest

from mediaeval.ingest.structure import detect_structure

SEED_TITLE = "Syrian army withdraws from Hama after rebel advance, vows counteroffensive"


def text_of(text, span):
    return text[span.start:span.end]


def credits(text, s, label=None):
    return [text_of(text, c) for c in s.credit if label is None or c.label == label]


def boilerplate(text, s):
    return [text_of(text, b) for b in s.boilerplate]


# --- the seed article -------------------------------------------------------------------

def test_seed_headline_dateline_credit_boilerplate(seed_text):
    s = detect_structure(seed_text, SEED_TITLE)
    assert (s.headline.start, s.headline.end) == (0, len(SEED_TITLE))
    assert text_of(seed_text, s.dateline) == "DAMASCUS \u2014"
    assert s.dateline_city == "DAMASCUS" and s.dateline_agency == ""
    assert credits(seed_text, s) == ["XINHUA"]
    assert boilerplate(seed_text, s) == ["You cannot copy content of this page"]
    assert s.is_excluded(seed_text.index("You cannot"), seed_text.index("You cannot") + 3)
    assert not s.is_excluded(s.dateline.end + 1, s.dateline.end + 5)


def test_seed_without_title_uses_first_line(seed_text):
    s = detect_structure(seed_text)
    assert text_of(seed_text, s.headline) == SEED_TITLE


def test_spans_never_change_the_text(seed_text):
    before = str(seed_text)
    s = detect_structure(seed_text, SEED_TITLE)
    assert seed_text == before
    for span in (s.headline, s.dateline, *s.credit, *s.boilerplate):
        assert 0 <= span.start < span.end <= len(seed_text)
        assert text_of(seed_text, span) == text_of(seed_text, span).strip()


# --- headlines --------------------------------------------------------------------------

def test_title_matches_despite_quotes_and_final_stop():
    text = "Mayor calls plan \u2018useless.\u2019\n\nThe mayor said on Monday the plan would fail.\n"
    s = detect_structure(text, "Mayor calls plan \u2018useless\u2019")
    assert text_of(text, s.headline) == "Mayor calls plan \u2018useless.\u2019"


def test_no_headline_when_first_line_runs_on():
    text = "The council met on Monday.\nIt voted to close the road.\n\nResidents objected."
    assert detect_structure(text).headline is None


# --- datelines --------------------------------------------------------------------------

@pytest.mark.parametrize("opening, city, agency", [
    ("DAMASCUS \u2014 ", "DAMASCUS", ""),
    ("WASHINGTON (AP) \u2014 ", "WASHINGTON", "AP"),
    ("MOSCOW, Dec 5 (Reuters) - ", "MOSCOW", "Reuters"),
    ("BEIRUT, Dec. 5 (Xinhua) -- ", "BEIRUT", "Xinhua"),
    ("MOSCOW, December 5. /TASS/. ", "MOSCOW", "TASS"),
    ("HEMPSTEAD, N.Y., Sept. 26 (UPI) \u2014 ", "HEMPSTEAD, N.Y.", "UPI"),
    ("New York (AFP) \u2013 ", "New York", "AFP"),
    ("Dec 29 (Reuters) - ", "", "Reuters"),
    ("ST. LOUIS, Mo. \u2014 ", "ST. LOUIS, Mo.", ""),
    ("WASHINGTON/RIYADH (Reuters) - ", "WASHINGTON/RIYADH", "Reuters"),
])
def test_dateline_forms(opening, city, agency):
    text = "A headline\n\n" + opening + "The minister said the talks would resume next week.\n"
    s = detect_structure(text)
    assert text_of(text, s.dateline) == opening.strip()
    assert s.dateline_city == city
    assert s.dateline_agency == agency


@pytest.mark.parametrize("opening", [
    "Sen. Bernie Sanders (I-Vt.) - a long-time critic - spoke first.",
    "BREAKING \u2014 the council has resigned.",
    "The council (which met on Monday) - as expected - voted.",
    "NATO said the talks would resume.",
])
def test_not_datelines(opening):
    assert detect_structure("A headline\n\n" + opening + "\n").dateline is None


def test_dateline_after_photo_caption():
    text = ("Headline here\n\nFILE PHOTO: A man walks past the ministry in Paris. REUTERS/Jane Doe/File Photo\n\n"
            "PARIS (Reuters) - The ministry said on Monday it would cut spending.\n")
    s = detect_structure(text)
    assert text_of(text, s.dateline) == "PARIS (Reuters) -"


# --- credit lines -----------------------------------------------------------------------

BODY = "A headline\n\nThe minister said on Monday that talks would resume next week.\n\n"


@pytest.mark.parametrize("line, label", [
    ("XINHUA", "credit"),
    ("\u2014 AFP", "credit"),
    ("- Reuters.", "credit"),
    ("(Reporting by Jane Doe; Editing by John Roe)", "reporting credit"),
    ("(Additional reporting by Jane Doe in Cairo; Editing by John Roe.)", "reporting credit"),
    ("Copyright 2016 The Associated Press. All rights reserved.", "copyright"),
    ("\u00a9 2019 AFP", "copyright"),
    ("The Associated Press contributed to this report.", "contributed"),
    ("Jane Doe and John Roe contributed reporting.", "contributed"),
    ("Additional reporting by Jane Doe.", "reporting credit"),
    ("Jim Smith / Reuters.", "photo credit"),
])
def test_credit_line_forms(line, label):
    text = BODY + line + "\n"
    s = detect_structure(text)
    assert [(text_of(text, c), c.label) for c in s.credit] == [(line, label)]


def test_reporting_credit_run_into_last_paragraph():
    text = BODY + "Talks resume on Friday. (Reporting by Jane Doe; Editing by John Roe.)\n"
    s = detect_structure(text)
    assert credits(text, s) == ["(Reporting by Jane Doe; Editing by John Roe.)"]
    assert not s.is_excluded(text.index("Talks resume"), text.index("Talks resume") + 5)


def test_trailing_agency_credit_in_flattened_text():
    text = "The minister said talks would resume next week. Talks resume on Friday.-AFP"
    s = detect_structure(text)
    assert credits(text, s) == ["-AFP"]


def test_byline_is_a_credit_line():
    text = "A headline\n\nBy AFP\n\nKABUL \u2014 Talks resumed on Monday.\n"
    s = detect_structure(text)
    assert [(text_of(text, c), c.label) for c in s.credit] == [("By AFP", "credit")]
    assert s.dateline_city == "KABUL"
    text = "A headline\n\nBy JANE DOE and JOHN ROE, Associated Press\n\nKABUL \u2014 Talks resumed.\n"
    assert [c.label for c in detect_structure(text).credit] == ["byline"]


def test_story_mentions_are_not_credit_lines():
    text = (BODY + "\u201cWe will not back down,\u201d she told The Associated Press on Tuesday.\n\n"
            "Reuters reported that the deal was close.\n\n"
            "By Tuesday, the count had risen to 12.\n")
    s = detect_structure(text)
    assert s.credit == () and s.boilerplate == ()


def test_story_sentence_with_contributed_is_not_a_credit():
    text = BODY + "Soros contributed more than $2 million to the group.\n\nHis policies contributed to the loss.\n"
    assert detect_structure(text).credit == ()


# --- boilerplate ------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "You cannot copy content of this page",
    "Alert: Content is protected !!",
    "Read more",
    "READ MORE: Minister resigns after vote",
    "Share this article",
    "Share on Facebook Share on Twitter",
    "Subscribe to our daily newsletter",
    "Sign up for the Morning Brief, delivered to your inbox.",
    "We use cookies to improve your experience. By continuing to browse you agree.",
    "Click here to read the full report",
    "Follow us on Twitter",
    "Follow Jane Doe on Twitter @janedoe.",
    "Advertisement",
    "Related: Minister resigns after vote",
    "SEE ALSO: Talks collapse in Geneva",
])
def test_boilerplate_forms(line):
    text = BODY + line + "\n\nThe talks resume on Friday.\n"
    s = detect_structure(text)
    assert boilerplate(text, s) == [line]


@pytest.mark.parametrize("sentence", [
    "Readers who subscribe to the print edition will pay more from January.",
    "Subscribers to the service complained about the outage on Monday.",
    "The committee will read more than 300 letters before it decides.",
    "She said the company shares data with advertisers who use cookies.",
    "Followers of the movement on Twitter called for calm.",
    "Related talks in Geneva made no progress.",
    "Share prices fell sharply on Monday.",
])
def test_ordinary_sentences_are_not_boilerplate(sentence):
    text = BODY + sentence + "\n"
    assert detect_structure(text).boilerplate == ()


# --- the HTML layer ---------------------------------------------------------------------

def test_structure_layer_marks_and_panel(seed_analysis):
    from mediaeval.report.layers import structure as layer

    text = seed_analysis.article.text
    marks = {(text[m.start:m.end], m.css.split()[0], m.label) for m in layer.marks(seed_analysis)}
    assert (SEED_TITLE, "st-headline", "headline") in marks
    assert ("DAMASCUS \u2014", "st-dateline", "dateline") in marks
    assert ("XINHUA", "st-credit", "agency credit \u2014 not counted") in marks
    assert ("You cannot copy content of this page", "st-boilerplate", "boilerplate \u2014 not counted") in marks
    panel = layer.panel(seed_analysis)
    rows = dict((r[0], r[1]) for r in panel.rows)
    assert rows["agency"] == "Xinhua News Agency" and rows["country"] == "CN"
    assert rows["ownership"] == "state controlled" and rows["as of"] == "2024-02"
    evidence, sentences = rows["evidence"]
    assert "XINHUA" in evidence and len(sentences) == 1
    assert "never the story" in panel.limits


def test_seed_boilerplate_not_counted(seed_analysis, nlp):
    from mediaeval.extract.common import counted_tokens, is_word

    text = seed_analysis.article.text
    doc = nlp(text)
    counted = counted_tokens(doc, seed_analysis.structure)
    assert not any(t.text in ("XINHUA", "cannot", "copy") for t in counted)
    all_words = [t for t in doc if is_word(t)]
    assert len(all_words) - len(counted) == 1 + 8  # "XINHUA" + "You can not copy content of this page"
    assert seed_analysis.measures["n_words"] == len(counted)


# --- any text ---------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "WASHINGTON (AP) \u2014 ", "XINHUA", "\n", "\n\n", "\r\n", "Read more", " - Reuters.", "By AFP",
    "(Reporting by A; Editing by B)", "The talks resumed.", "\u00a9 2019 AFP", "  ", "MOSCOW, Dec 5. /TASS/. ",
    "Subscribe to our newsletter", "Jane Doe contributed reporting.", "\u201cNo,\u201d he said.",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=25), st.text(max_size=30))
def test_spans_stay_inside_any_text(pieces, title):
    text = "".join(pieces)
    s = detect_structure(text, title)
    spans = [x for x in (s.headline, s.dateline) if x is not None] + list(s.credit) + list(s.boilerplate)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == text[span.start:span.end].strip()


def test_crlf_and_empty_texts(seed_text):
    crlf = seed_text.replace("\n", "\r\n")
    s = detect_structure(crlf, SEED_TITLE)
    assert text_of(crlf, s.dateline) == "DAMASCUS \u2014"
    assert credits(crlf, s) == ["XINHUA"]
    assert boilerplate(crlf, s) == ["You cannot copy content of this page"]
    assert detect_structure("") == detect_structure("   \n\n ") == type(s)()
