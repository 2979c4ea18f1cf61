"""Tone: VADER compound per sentence, averaged per voice (own, quoted, reported, scare_quoted)."""

from __future__ import annotations

from mediaeval.extract.tone import sentence_tones, tone_measures
from mediaeval.model import Article, Attribution, Span, Structure


def test_own_and_quoted_sentences_are_scored_separately(nlp):
    text = ('The new hospital opened and residents were delighted. '
            '"This is a horrible, brutal massacre of innocent people," the minister said.')
    doc = nlp(text)
    quote = (text.index('"'), text.index(',"') + 2)
    said = Attribution("a1", "direct", source_text="the minister", content_start=quote[0], content_end=quote[1])
    rows = sentence_tones(doc, Article("t", text), Structure(), (said,))
    assert [r["voice"] for r in rows] == ["own", "quoted"]
    assert rows[0]["compound"] > 0.3 and rows[1]["compound"] < -0.5
    measures = tone_measures(doc, Article("t", text), Structure(), (said,))
    assert measures["tone_own"] == rows[0]["compound"] and measures["tone_quoted"] == rows[1]["compound"]
    # the same quotation without a source found: too long for scare quotes, a quotation with no speaker known
    assert [r["voice"] for r in sentence_tones(doc, Article("t", text), Structure())] == ["own", "quoted"]


def test_reported_speech_has_its_own_voice(nlp):
    text = "The army said that the terrible attack killed many people. Markets were calm."
    start = text.index("that the")
    attribution = Attribution("a1", "indirect", source_text="The army", content_start=start,
                              content_end=text.index(". Markets"))
    rows = sentence_tones(nlp(text), Article("t", text), Structure(), (attribution,))
    assert [r["voice"] for r in rows] == ["reported", "own"]
    assert rows[0]["source_share"] > 0.5


def test_no_quotes_gives_an_empty_quoted_tone_and_boilerplate_is_ignored(nlp):
    text = "Rebels took the town.\n\nYou cannot copy content of this page. We love you, great wonderful readers!"
    boiler = text.index("You cannot")
    structure = Structure(boilerplate=(Span(boiler, len(text)),))
    doc = nlp(text)
    rows = sentence_tones(doc, Article("t", text), structure)
    assert all(r["start"] < boiler for r in rows)
    assert tone_measures(doc, Article("t", text), structure)["tone_quoted"] is None


def test_seed_tone(nlp, seed_text):
    from mediaeval.extract.attribution import extract_attributions

    doc = nlp(seed_text)
    article = Article("seed", seed_text)
    measures = tone_measures(doc, article, Structure(), extract_attributions(doc, article, Structure()))
    assert -1 <= measures["tone_own"] <= 1 and measures["tone_quoted"] < measures["tone_own"]
