"""Loaded terms: lexicon content, lemma/phrase matching, names, exclusion, voice, labels, HTML layer."""

from __future__ import annotations

import csv
import pickle
import re

import pytest

from mediaeval.extract.term_lexicon import CATEGORIES, FUNCTIONS, bundled_path, load_term_lexicon
from mediaeval.extract.labels import label_counts
from mediaeval.extract.quotes import find_quotes
from mediaeval.extract.term_measures import term_measures
from mediaeval.extract.terms import extract_terms
from mediaeval.model import Article, ArticleAnalysis, Attribution, Span, Structure

GENERAL_COMMAND = "a statement issued by the Syrian General Command of the Army and Armed Forces"


@pytest.fixture(scope="module")
def lexicon():
    return load_term_lexicon()


def hits_of(nlp, lexicon, text, structure=None, attributions=()):
    return extract_terms(nlp(text), Article("t", text), structure or Structure(), attributions, lexicon)


def seed_attributions(text: str) -> tuple[Attribution, ...]:
    """What the attribution layer reports for the seed, written out by hand."""
    def span(start_marker: str, end_marker: str, start_from: int = 0):
        start = text.index(start_marker, start_from)
        return start, text.index(end_marker, start) + len(end_marker)

    army = span("that it has redeployed", "entered the city")
    confirm = span("that rebels have entered", "multiple fronts")
    quote1 = span("“Over the past", "infiltration groups,”")
    quote2 = span("“In the past hours", "heavy losses,”")
    added = span("that the Syrian army will", "terrorist organizations.”", quote2[1])
    return (
        Attribution("a1", "indirect", source_text="The Syrian army", source_resolved="The Syrian army",
                    content_start=army[0], content_end=army[1]),
        Attribution("a2", "indirect", source_text="", content_start=confirm[0], content_end=confirm[1]),
        Attribution("a3", "direct", source_text=GENERAL_COMMAND, source_resolved=GENERAL_COMMAND,
                    content_start=quote1[0], content_end=quote1[1]),
        Attribution("a4", "direct", source_text="it", source_resolved=GENERAL_COMMAND,
                    content_start=quote2[0], content_end=quote2[1]),
        Attribution("a5", "mixed", source_text="It", source_resolved=GENERAL_COMMAND,
                    content_start=added[0], content_end=added[1]),
    )


def seed_structure(text: str) -> Structure:
    credit = text.index("XINHUA\n")
    boiler = text.index("You cannot copy")
    return Structure(headline=Span(0, text.index("\n")), credit=(Span(credit, credit + 6),),
                     boilerplate=(Span(boiler, len(text.rstrip())),))


# ---------------------------------------------------------------- the lexicon
def test_lexicon_has_enough_complete_rows():
    with open(bundled_path("loaded_terms.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len([r for r in rows if r["category"] != "ignore"]) >= 250
    for row in rows:
        for column in ("term", "category", "function", "refers_to", "neutral_alternative", "rationale", "source"):
            assert row[column].strip(), (row["term"], column)
        assert row["category"] in CATEGORIES + ("ignore",) and row["function"] in FUNCTIONS
        assert row["loaded"] in ("true", "false")


def test_actor_labels_are_choices_not_errors_and_loaded_words_are_flagged(lexicon):
    for entry in lexicon.entries:
        if entry.category == "actor_label":
            assert not entry.loaded, entry.term
        if entry.category in ("euphemism", "intensifier", "dehumanizing", "demonizing") and entry.function != "justifying":
            assert entry.loaded or entry.term in ("evacuation", "humanitarian pause", "fatality", "repatriation",
                                                  "detention center", "indiscriminate", "in custody"), entry.term


def test_every_basis_code_is_documented_in_the_data_sheet(lexicon):
    sheet = bundled_path("loaded_terms.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([A-Za-z]+) \|", sheet, flags=re.M))
    used = {code for e in lexicon.entries for code in e.source.split(";")}
    assert used <= documented, used - documented


def test_lexicon_covers_the_topics(lexicon):
    groups = {e.refers_to for e in lexicon.entries}
    assert {"nonstate_armed", "state_forces", "government", "civilians", "casualties", "protesters",
            "police", "migrants"} <= groups
    for term in ("Kiev regime", "Zionist entity", "illegal immigrant", "rioter", "special military operation"):
        assert lexicon.get(term) is not None, term


def test_lexicon_pickles(lexicon):
    again = pickle.loads(pickle.dumps(lexicon))
    assert again == lexicon and again.fingerprint == lexicon.fingerprint


# ---------------------------------------------------------------- the seed
def test_seed_terms_and_voices(nlp, seed_text, lexicon):
    hits = extract_terms(nlp(seed_text), Article("seed", seed_text), seed_structure(seed_text),
                         seed_attributions(seed_text), lexicon)
    by_text: dict[str, list] = {}
    for h in hits:
        assert seed_text[h.start:h.end] == h.matched_text
        by_text.setdefault(h.matched_text, []).append(h)
    for text, n in (("terrorist organizations", 2), ("terrorist groups", 1), ("martyrs", 1)):
        assert len(by_text[text]) == n
        for h in by_text[text]:
            assert (h.voice, h.speaker) == ("quoted", GENERAL_COMMAND)
    assert by_text["terrorist organizations"][0].term == "terrorist organization"
    assert by_text["martyrs"][0].category == "victim_label"
    # the paraphrase "confirming that rebels have entered ... following intense attacks" is reported
    # speech: the label and the intensifier beside it take the same voice (no special rule by category)
    for text in ("rebels", "intense"):
        assert [h.voice for h in by_text[text]][0] == "reported"
    assert [(h.voice, h.speaker) for h in by_text["rebel militants"]] == [("own", "")]
    (redeploy,) = by_text["redeployed its forces"]
    assert (redeploy.category, redeploy.function, redeploy.voice, redeploy.speaker) == \
        ("euphemism", "softening", "reported", "The Syrian army")
    assert redeploy.loaded
    assert all(h.start < seed_text.index("XINHUA\n") for h in hits)  # nothing in credit or boilerplate
    assert not any(h.matched_text in ("Army", "Armed Forces") for h in hits)  # part of a name


def test_seed_labels_and_measures(nlp, seed_text, lexicon):
    doc = nlp(seed_text)
    structure = seed_structure(seed_text)
    hits = extract_terms(doc, Article("seed", seed_text), structure, seed_attributions(seed_text), lexicon)
    rows = {(r["refers_to"], r["label"], r["voice"]): r["count"] for r in label_counts(hits)}
    assert rows[("nonstate_armed", "terrorist organization", "quoted")] == 2
    assert rows[("nonstate_armed", "terrorist group", "quoted")] == 1
    assert rows[("nonstate_armed", "rebel", "own")] == 1 and rows[("nonstate_armed", "rebel", "reported")] == 1
    assert rows[("nonstate_armed", "rebel militant", "own")] == 1
    assert rows[("casualties", "martyr", "quoted")] == 1
    assert not any(label == "redeploy [its] forces" for _, label, _ in rows)  # euphemisms are not labels
    measures = term_measures(doc, Article("seed", seed_text), structure, hits)
    assert measures["loaded_per_1k_words_own"] > 0 and measures["loaded_per_1k_words_quoted"] > 0
    assert measures["count_actor_label"] >= 10 and measures["count_euphemism"] >= 1
    assert {f"count_{c}" for c in CATEGORIES} <= set(measures)


def test_seed_voice_from_quotation_marks_alone(nlp, seed_text, lexicon):
    # no attributions: the statement's long quotation is a source's words with no speaker known
    # (extract/voice.py: only short unattributed quotations are scare quotes)
    hits = hits_of(nlp, lexicon, seed_text)
    quoted = {h.matched_text for h in hits if h.voice == "quoted"}
    assert {"terrorist organizations", "terrorist groups", "martyrs"} <= quoted
    assert all(h.speaker == "" for h in hits)


def test_seed_through_the_attribution_extractor(nlp, seed_text, lexicon):
    attribution = pytest.importorskip("mediaeval.extract.attribution")
    structure = seed_structure(seed_text)
    doc = nlp(seed_text)
    article = Article("seed", seed_text)
    hits = extract_terms(doc, article, structure, attribution.extract_attributions(doc, article, structure), lexicon)
    voice = {(h.matched_text, h.voice) for h in hits}
    assert {("terrorist organizations", "quoted"), ("terrorist groups", "quoted"), ("martyrs", "quoted"),
            ("rebels", "reported"), ("fierce", "reported"), ("intense", "reported"),
            ("redeployed its forces", "reported")} <= voice
    (rebels,) = [h for h in hits if h.matched_text == "rebels"]
    assert "army" in rebels.speaker.lower()  # "The Syrian army announced ..., confirming that rebels have entered"
    speakers = {h.speaker for h in hits if h.matched_text in ("terrorist groups", "martyrs")}
    assert all("General Command" in s for s in speakers)
    (redeploy,) = [h for h in hits if h.matched_text == "redeployed its forces"]
    assert "army" in redeploy.speaker.lower()


# ---------------------------------------------------------------- matching
@pytest.mark.parametrize("phrase", ["terrorist organizations", "terrorist organisation", "terror organizations",
                                    "Terrorist organisations"])
def test_spellings_and_variants_count_as_one_label(nlp, lexicon, phrase):
    hits = hits_of(nlp, lexicon, f"The army said so. {phrase} attacked the town.")
    assert [h.term for h in hits if h.category == "actor_label" and h.term != "army"] == ["terrorist organization"]


def test_title_case_headline_is_not_a_name_unless_the_body_says_so(nlp, lexicon):
    text = "Terrorist Organisations Attack as Army Redeploys Forces\n\nThe army said so near Martyrs' Square."
    head = Structure(headline=Span(0, text.index("\n")))
    terms = [h.term for h in hits_of(nlp, lexicon, text, head)]
    assert terms[:3] == ["terrorist organization", "army", "redeploy [its] forces"]
    text = "Crowds Fill Martyrs' Square\n\nThousands gathered in Martyrs' Square."
    assert hits_of(nlp, lexicon, text, Structure(headline=Span(0, text.index("\n")))) == ()


def test_lemmas_and_optional_slots(nlp, lexicon):
    hits = hits_of(nlp, lexicon, "Troops redeployed their forces after the rebels were neutralised. "
                                 "The brigade redeploys forces.")
    terms = [h.term for h in hits]
    assert terms.count("redeploy [its] forces") == 2
    assert "neutralize" in terms and "rebel" in terms


def test_ignore_rows_shadow_words_inside_them(nlp, lexicon):
    hits = hits_of(nlp, lexicon, "Fighter jets hit the town. The group claimed responsibility for the blast, "
                                 "which claimed the lives of 20 fighters in the de-escalation zone.")
    assert [h.term for h in hits] == ["fighter"]


def test_longest_match_wins(nlp, lexicon):
    hits = hits_of(nlp, lexicon, "Rebel militants and armed terrorist groups clashed.")
    assert [h.term for h in hits][:2] == ["rebel militant", "armed terrorist group"]


@pytest.mark.parametrize("text", ["Thousands gathered in Martyrs' Square in Beirut.",
                                  "Rebel Wilson starred in the film.",
                                  "The Freedom Fighters party won seats in the election."])
def test_no_hits_inside_names(nlp, lexicon, text):
    assert [h for h in hits_of(nlp, lexicon, text) if h.category in ("actor_label", "victim_label")] == []


def test_lowercase_labels_and_capitalised_lexicon_words_still_match(nlp, lexicon):
    hits = hits_of(nlp, lexicon, "Supporters called them freedom fighters. The Assad regime denied it. "
                                 "Rebels seized the town.")
    assert {"freedom fighter", "Assad regime", "rebel"} <= {h.term for h in hits}


def test_no_hits_in_boilerplate(nlp, lexicon):
    text = "Rebels took the town.\n\nRead more: terrorists and martyrs in our archive."
    boiler = text.index("Read more")
    hits = hits_of(nlp, lexicon, text, Structure(boilerplate=(Span(boiler, len(text)),)))
    assert [h.term for h in hits] == ["rebel"]


def test_user_lexicon_adds_and_overrides(tmp_path, nlp):
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "term,category,function,refers_to,neutral_alternative,rationale,source,loaded\n"
        "rebel,actor_label,delegitimizing,nonstate_armed,fighter,Test override.,MV,false\n"
        "freedom lover,actor_label,legitimizing,nonstate_armed,fighter,Test addition.,MV,false\n",
        encoding="utf-8")
    lexicon = load_term_lexicon((str(extra),))
    assert len(lexicon) == len(load_term_lexicon()) + 1
    hits = hits_of(nlp, lexicon, "The rebels, freedom lovers all, advanced.")
    assert [(h.term, h.function) for h in hits] == [("rebel", "delegitimizing"), ("freedom lover", "legitimizing")]


# ---------------------------------------------------------------- voice from the text's quotation marks
def test_quote_scanner_all_cases():
    text = 'He said "they are terrorists" and left.\n\n“An open quote runs to the end\n\nNew paragraph.'
    spans = [text[q.start:q.end] for q in find_quotes(text)]
    assert spans == ['"they are terrorists"', "“An open quote runs to the end"]
    text = "The so-called 'moderate rebels' and the rebels' positions."
    assert [(text[q.start:q.end], q.kind) for q in find_quotes(text)] == [("'moderate rebels'", "single")]
    text = "He called them ``bandits'' twice.\n\n“It goes on\n\n“and ends here,” he said."
    assert [text[q.start:q.end] for q in find_quotes(text)] == \
        ["``bandits''", "“It goes on\n\n“and ends here,”"]


def test_quotes_without_a_source_are_scare_quoted(nlp, lexicon):
    hits = hits_of(nlp, lexicon, "Damascus calls them 'terrorists'. The paper wrote of \"the martyrs\" again.")
    assert [(h.term, h.voice) for h in hits if h.term in ("terrorist", "martyr")] == \
        [("terrorist", "scare_quoted"), ("martyr", "scare_quoted")]


def test_quotes_with_a_source_are_quoted(nlp, lexicon):
    text = "The army said \"the martyrs\" fell."
    start = text.index('"the')
    attribution = Attribution("a1", "direct", source_text="The army", content_start=start, content_end=start + 13)
    hits = hits_of(nlp, lexicon, text, attributions=(attribution,))
    assert [(h.term, h.voice, h.speaker) for h in hits if h.term == "martyr"] == [("martyr", "quoted", "The army")]


def test_quote_without_attribution_takes_speaker_of_overlapping_attribution(nlp, lexicon):
    text = 'The ministry said the "terrorists" had fled.'
    start = text.index("the \"terrorists")
    attribution = Attribution("a1", "indirect", source_text="The ministry", content_start=start,
                              content_end=len(text) - 1)
    (hit,) = [h for h in hits_of(nlp, lexicon, text, attributions=(attribution,)) if h.term == "terrorist"]
    assert (hit.voice, hit.speaker) == ("quoted", "The ministry")


# ---------------------------------------------------------------- HTML layer
def test_layer_marks_and_panel(nlp, seed_text, lexicon):
    from mediaeval.extract.common import sentence_spans
    from mediaeval.report.layers import terms as layer

    doc = nlp(seed_text)
    structure = seed_structure(seed_text)
    hits = extract_terms(doc, Article("seed", seed_text), structure, seed_attributions(seed_text), lexicon)
    analysis = ArticleAnalysis(article=Article("seed", seed_text), structure=structure,
                               sentences=sentence_spans(doc), terms=hits)
    marks = layer.marks(analysis)
    assert len(marks) == len(hits)
    mark = next(m for m in marks if seed_text[m.start:m.end] == "redeployed its forces")
    details = dict(mark.details)
    assert mark.css.split()[0] == "tm-euphemism" and "reported" in mark.label
    assert {"function", "why it matters", "neutral alternative", "voice"} <= set(details)
    assert "The Syrian army" in details["voice"]
    panel = layer.panel(analysis)
    assert "Glasgow Media Group" in panel.intro and panel.legend
    row = next(r for r in panel.rows if r[1] == "terrorist organization")
    assert row[0] == "nonstate armed" and row[2][0] == 0 and row[3][0] == 2  # own voice 0, quoted 2
    assert panel.columns[2:] == ("own voice", "quoted", "reported", "scare quotes")
    css = bundled_path("x").parents[1].joinpath("report", "templates", "layer_terms.css").read_text()
    for category in CATEGORIES:
        assert f".tm-{category}" in css and f".tag-tm-{category}" in css
