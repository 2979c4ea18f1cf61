"""News-agency origin: from dateline, credit, copyright and contributed lines; never from the story."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mediaeval.errors import LexiconError
from mediaeval.extract.origin import detect_origin
from mediaeval.ingest.agencies import OWNERSHIP_TYPES, load_agencies
from mediaeval.ingest.structure import detect_structure
from mediaeval.lexicons import bundled_path, read_table
from mediaeval.model import Article

BODY = "The minister said on Monday that talks would resume next week, officials said.\n\n"
FORMS = Path(__file__).parent / "data" / "origin_forms.csv"


def _form_rows():
    with open(FORMS, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["text"].replace("\\n", "\n").replace("{body}", BODY)
            yield pytest.param(text, row["agency_id"], row["method"], id=row["note"])


def origin_of(text, title=""):
    return detect_origin(Article("t", text, title=title), detect_structure(text, title))


def test_seed_is_xinhua_state_controlled(seed_text):
    o = origin_of(seed_text)
    assert (o.agency_id, o.agency, o.country, o.ownership) == ("xinhua", "Xinhua News Agency", "CN", "state_controlled")
    assert o.method == "credit"
    assert seed_text[o.evidence_start:o.evidence_end] == "XINHUA" == o.evidence_text
    assert o.as_of == "2024-02" and "State Media Matrix" in o.classification_source


@pytest.mark.parametrize("text, agency_id, method", [
    ("Headline\n\nWASHINGTON (AP) \u2014 " + BODY, "ap", "dateline"),
    ("Headline\n\nMOSCOW, Dec 5 (Reuters) - " + BODY, "reuters", "dateline"),
    ("Headline\n\nBEIRUT, Dec. 5 (Xinhua) -- " + BODY, "xinhua", "dateline"),
    ("Headline\n\nMOSCOW, December 5. /TASS/. " + BODY, "tass", "dateline"),
    ("Headline\n\nLONDON (PA) - " + BODY, "pa_media", "dateline"),
    ("Headline\n\nANKARA (AA) - " + BODY, "anadolu", "dateline"),
    ("Headline\n\n" + BODY + "\u2014 AFP\n", "afp", "credit"),
    ("Headline\n\nBy AFP\n\n" + BODY, "afp", "credit"),
    ("Headline\n\nBy JANE DOE and JOHN ROE, Associated Press\n\n" + BODY, "ap", "byline"),
    ("Headline\n\nBy Jane Doe, AP\n\n" + BODY, "ap", "byline"),
    ("Headline\n\nAssociated Press\n\n" + BODY, "ap", "credit"),
    ("Headline\n\n" + BODY + "Talks resume on Friday.-AFP", "afp", "credit"),
    ("Headline\n\n" + BODY + "Copyright 2016 The Associated Press. All rights reserved.\n", "ap", "copyright"),
    ("Headline\n\n" + BODY + "The Associated Press contributed to this report.\n", "ap", "contributed"),
    ("Headline\n\n" + BODY + "AP writers Jane Doe and John Roe contributed to this report.\n", "ap", "contributed"),
    ("Headline\n\n" + BODY + "Additional reporting by Reuters.\n", "reuters", "contributed"),
])
def test_origin_forms(text, agency_id, method):
    o = origin_of(text)
    assert o is not None and (o.agency_id, o.method) == (agency_id, method)
    assert o.evidence_text.startswith(text[o.evidence_start:o.evidence_end])


@pytest.mark.parametrize("text, agency_id, method", list(_form_rows()))
def test_dateline_and_credit_forms_table(text, agency_id, method):
    """One case per row of tests/data/origin_forms.csv; an empty agency_id means no origin."""
    title = "Suspected gas attack on rebel-held Idlib kills at least 58 Observatory" if "after the title" in text \
        or "Tuesday 4 Apr 2017 Suspected" in text else ""
    o = origin_of(text, title)
    if not agency_id:
        assert o is None, (o.agency_id, o.method, o.evidence_text)
    else:
        assert o is not None and (o.agency_id, o.method) == (agency_id, method)
        assert text[o.evidence_start:o.evidence_end] in o.evidence_text


def test_own_agency_copy_is_marked_own():
    text = "Headline\n\nAMMAN, (Reuters) \u2013 " + BODY
    own = detect_origin(Article("t", text, outlet="Reuters", url="https://www.reuters.com/world/x"),
                        detect_structure(text))
    assert own.agency_id == "reuters" and own.own_copy and "own copy" in own.evidence_text
    other = detect_origin(Article("t", text, outlet="Al Arabiya", url="https://english.alarabiya.net/x"),
                          detect_structure(text))
    assert other.agency_id == "reuters" and not other.own_copy


def test_reporting_credit_is_house_style_not_a_named_credit():
    o = origin_of("Headline\n\n" + BODY + "(Reporting by Jane Doe; Editing by John Roe)\n")
    assert (o.agency_id, o.method) == ("reuters", "house style")
    assert "Reuters" not in o.evidence_text  # the line does not name the agency


def test_seed_sputnik_carries_ap_copy(seed_path):
    import json

    rows = [json.loads(x) for x in (seed_path.parent / "fakes_syria_sample.jsonl").read_text().splitlines()]
    sputnik = next(r for r in rows if r["id"] == "fakes_sputnik_1965495325")
    o = origin_of(sputnik["text"], sputnik["title"])
    assert (o.agency_id, o.method) == ("ap", "dateline")
    assert o.evidence_text.startswith("BEIRUT August 21 (The Associated Press)")


@pytest.mark.parametrize("text", [
    "Headline\n\n\u201cWe will fight on,\u201d he told The Associated Press on Tuesday.\n\nReuters reported the deal.\n",
    "Headline\n\nOfficials in Andhra Pradesh (AP) said the dam held.\n\nThe A.P. government agreed.\n",
    "Headline\n\nHARRISBURG, Pa. \u2014 Voters in PA went to the polls, the AA chapter said.\n",
    "Headline\n\nThe CNA report and the SPA treatment were cited; MAP data and PL rules too.\n",
    "Headline\n\n" + BODY + "Jim Smith / Reuters.\n",
    "Headline\n\n" + BODY + "Jane Doe contributed reporting.\n",
    "Headline\n\nAP: Trump aide lobbied for Ukraine party\n\nThe report was first published by AP.\n",
    "Headline\n\nWASHINGTON (CNN) \u2014 " + BODY,
])
def test_story_mentions_and_clashes_are_not_origin(text):
    assert origin_of(text) is None


def test_primary_agency_and_others_in_evidence():
    text = ("Headline\n\nPARIS (AFP) \u2013 " + BODY + "Reuters and The Associated Press contributed to this report.\n")
    o = origin_of(text)
    assert (o.agency_id, o.method) == ("afp", "dateline")
    assert text[o.evidence_start:o.evidence_end] == "PARIS (AFP) \u2013"
    assert "also credited: Reuters (contributed" in o.evidence_text and "Associated Press" in o.evidence_text


def test_dateline_beats_credit_line():
    text = "Headline\n\nWASHINGTON (AP) \u2014 " + BODY + "\u2014 AFP\n"
    assert origin_of(text).agency_id == "ap"


def test_agency_lexicon_is_complete_and_checked():
    table = load_agencies()
    assert len(table.agencies) >= 40
    rows = read_table(bundled_path("agencies.csv"), ["agency_id", "name", "aliases", "country", "ownership",
                                                    "classification_source", "as_of"])
    assert {"ambiguous_aliases", "hints", "smm_typology", "verified", "notes"} <= set(rows[0])
    for row in rows:
        assert row["ownership"] in OWNERSHIP_TYPES
        assert row["classification_source"] and row["as_of"]
    for acronym in ("AP", "PA", "AA", "CNA", "SPA", "MAP", "PL"):
        hit = table.lookup(acronym)
        assert hit is not None and hit[1].is_ambiguous(acronym)
        assert table.resolve(acronym, strict=False) is None


def test_bad_agency_file_names_line_and_column(tmp_path):
    bad = tmp_path / "agencies.csv"
    bad.write_text("agency_id,name,aliases,country,ownership,classification_source,as_of\n"
                   "x,X Agency,X,China,state_run,somewhere,last year\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_agencies(str(bad))
    message = str(err.value)
    assert ":2: column 'country'" in message and "'ownership'" in message and "'as_of'" in message


@pytest.mark.data
def test_polnear_dev_wire_found_and_few_false_claims(shared_data):
    polnear = shared_data / "polnear"
    with open(polnear / "metadata.tsv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == "dev"]
    gold = {"ap": "ap", "afp": "afp", "reuters": "reuters", "upi": "upi"}
    wire = found = nonwire = false = 0
    for r in rows:
        if r["wire"] in ("NA", ""):
            continue
        text = Path(polnear / "dev" / "text" / f"{r['filename']}.txt").read_text(encoding="utf-8")
        o = origin_of(text, r["title"])
        if r["wire"] == "None":
            nonwire += 1
            false += o is not None
        else:
            wire += 1
            found += o is not None and o.agency_id == gold[r["wire"].lower()]
    assert wire and found == wire
    assert false <= nonwire / 30
