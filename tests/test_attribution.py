"""Attribution: the seed article's voices, short sentences, quotes, measures, HTML layer."""

from __future__ import annotations

import pytest

from mediaeval.extract.attribution import attribution_measures, extract_attributions
from mediaeval.extract.quotes import find_quotes
from mediaeval.model import Article, Span, Structure


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, structure: Structure | None = None):
        doc = nlp(text)
        article = Article(article_id="t", text=text)
        structure = structure or Structure()
        return doc, article, structure, extract_attributions(doc, article, structure)
    return _run


@pytest.fixture(scope="module")
def seed(run, seed_text):
    return run(seed_text)


def _find(atts, cue_word):
    hits = [a for a in atts if cue_word in a.cue_text]
    assert hits, f"no attribution with cue {cue_word!r}: {[a.cue_text for a in atts]}"
    return hits[0]


# --- the seed article ------------------------------------------------------------------

def test_seed_offsets_are_into_the_original_text(seed, seed_text):
    _, _, _, atts = seed
    assert [a.attribution_id for a in atts] == [f"a{k + 1}" for k in range(len(atts))]
    starts = [a.cue_start if a.cue_start is not None else a.content_start for a in atts]
    assert starts == sorted(starts)
    for a in atts:
        assert seed_text[a.content_start:a.content_end] == a.content_text
        if a.source_start is not None:
            assert seed_text[a.source_start:a.source_end] == a.source_text
        if a.cue_start is not None:
            assert seed_text[a.cue_start:a.cue_end] == a.cue_text


def test_seed_army_announcement(seed):
    doc, _, _, atts = seed
    a = _find(atts, "announced")
    assert a.source_text == "The Syrian army"
    assert a.kind == "indirect"
    assert a.content_text.startswith("that it has redeployed its forces")
    assert a.source_type == "military"
    sents = list(doc.sents)
    assert "announced" in sents[a.sentence_index].text


def test_seed_long_direct_quote_from_the_statement(seed, seed_text):
    _, _, _, atts = seed
    a = [x for x in atts if x.content_text.startswith("“Over the past few days")][0]
    assert a.kind == "direct"
    assert a.cue_text == "said"
    assert a.source_text == "a statement issued by the Syrian General Command of the Army and Armed Forces"
    assert a.source_type == "military"
    assert a.content_text.endswith("infiltration groups,”")
    assert "terrorist organizations" in a.content_text


def test_seed_it_said_resolves_to_the_statement(seed):
    _, _, _, atts = seed
    a = [x for x in atts if x.content_text.startswith("“In the past hours")][0]
    assert a.source_text == "it" and a.kind == "direct"
    assert a.source_resolved == "a statement issued by the Syrian General Command of the Army and Armed Forces"
    assert a.source_type == "military"
    assert "martyrs" in a.content_text


def test_seed_it_added_is_mixed(seed):
    _, _, _, atts = seed
    a = _find(atts, "added")
    assert a.kind == "mixed"
    assert a.source_text == "It"
    assert a.source_resolved.startswith("a statement issued by the Syrian General Command")
    assert a.content_text.startswith("that the Syrian army will “continue to")
    assert a.content_text.endswith("organizations.”")


def test_seed_local_media_and_activists(seed):
    _, _, _, atts = seed
    a = _find(atts, "indicated")
    assert "local media and activists" in a.source_text
    assert a.source_type == "media"
    assert a.content_text.startswith("that rebel militants")


def test_seed_observatory_is_an_ngo_monitor(seed):
    _, _, _, atts = seed
    a = _find(atts, "reported")
    assert a.source_text.startswith("The Syrian Observatory for Human Rights")
    assert a.source_resolved == "The Syrian Observatory for Human Rights"
    assert a.source_type == "ngo_monitor"
    assert not a.anonymous
    assert a.content_text.startswith("that the HTS and allied factions advanced")


def test_seed_united_nations_call(seed):
    _, _, _, atts = seed
    a = _find(atts, "called for")
    assert a.source_text.startswith("The United Nations")
    assert a.source_type == "international_org"
    assert a.content_text.startswith("the protection of civilians")


def test_seed_participial_cue_takes_its_own_complement(seed):
    """"..., expressing concern over X": the content is X, not the main clause."""
    _, _, _, atts = seed
    a = _find(atts, "expressing")
    assert "called for" not in a.content_text
    assert a.content_text.removeprefix("over ").startswith("the impact of the ongoing conflict")
    assert a.content_text.endswith("Syrian population")


def test_participial_noun_cue_with_preposition(run):
    *_, atts = run("The mayor closed the bridge on Monday, expressing concern about the cost of repairs.")
    a = _find(atts, "expressing")
    assert a.source_text == "The mayor"
    assert a.content_text.removeprefix("about ") == "the cost of repairs"


def test_seed_own_voice_sentences_stay_unattributed(seed, seed_text):
    _, _, _, atts = seed
    for phrase in ("The Syrian army’s withdrawal marks", "The recent escalation in Hama and other regions underscores"):
        start = seed_text.index(phrase)
        end = seed_text.index(".", start)
        for a in atts:
            assert not (a.content_start < end and start < a.content_end), (phrase, a)
            assert a.cue_start is None or not (start <= a.cue_start < end), (phrase, a)


def test_seed_measures(seed):
    doc, article, structure, atts = seed
    m = attribution_measures(doc, article, structure, atts)
    assert m["attributions"] == len(atts) >= 7
    assert 0.3 < m["attributed_word_share"] < 0.8
    assert 0.15 < m["direct_quote_word_share"] < m["attributed_word_share"]
    assert m["share_source_military"] >= 0.4
    assert m["anonymous_share"] == 0.0
    assert m["distinct_sources"] >= 4
    assert m["source_type_entropy"] > 0
    shares = [v for k, v in m.items() if k.startswith("share_source_")]
    assert len(shares) == 10 and abs(sum(shares) - 1) < 0.01


def test_excluded_boilerplate_is_never_attributed(run, seed_text):
    start = seed_text.index("You cannot copy")
    structure = Structure(boilerplate=(Span(start, len(seed_text)),))
    doc, article, _, atts = run(seed_text, structure)
    assert all(a.content_end <= start for a in atts)
    m = attribution_measures(doc, article, structure, atts)
    assert m["attributions"] == len(atts)


# --- short sentences -------------------------------------------------------------------

def test_according_to(run):
    _, _, _, atts = run("According to the ministry, 40 people were killed in the strike.")
    (a,) = atts
    assert a.kind == "according_to"
    assert a.source_text == "the ministry"
    assert a.content_text == "40 people were killed in the strike"
    assert a.cue_class == "according"


def test_told_reporters_and_attitudes(run):
    _, _, _, atts = run("The minister told reporters that the talks had failed. Analysts believe the truce will not hold.")
    told = _find(atts, "told")
    assert told.source_text == "The minister" and told.content_text == "that the talks had failed"
    assert told.source_type == "government"
    believe = _find(atts, "believe")
    assert believe.source_text == "Analysts" and believe.source_type == "expert"
    assert believe.content_text.startswith("the truce will not hold")


def test_anonymous_sources(run):
    _, _, _, atts = run("The convoy was attacked near the border, two security sources said.")
    (a,) = atts
    assert a.anonymous and a.source_type == "anonymous"
    assert a.content_text == "The convoy was attacked near the border"


def test_split_quote_keeps_the_speaker_out_of_the_content(run):
    text = "“We will not leave,” he said, “until the last family is safe.”"
    _, _, _, atts = run(text)
    a = atts[0]
    assert a.kind == "direct" and a.source_text == "he"
    assert a.content_segments
    pieces = [text[int(p.split("-")[0]):int(p.split("-")[1])] for p in a.content_segments.split(";")]
    assert pieces[0].startswith("“We will not leave") and "he said" not in "".join(pieces)


def test_floating_quote_carries_the_speaker_over(run):
    text = ("“The city is quiet now,” said Ahmed Kassem, a resident of the old quarter.\n\n"
            "“We have not seen soldiers since Tuesday. Nobody knows what comes next.”")
    _, _, _, atts = run(text)
    first, floating = atts[0], atts[-1]
    assert first.kind == "direct" and first.source_text.startswith("Ahmed Kassem")
    assert floating.kind == "floating" and floating.cue_text == ""
    assert floating.source_resolved == first.source_resolved
    assert floating.content_text.startswith("“We have not seen soldiers")


def test_unbalanced_and_paragraph_spanning_quotes_do_not_crash(run):
    text = ("The mayor said: “The water is gone.\n\n"
            "“The pumps stopped on Monday and nobody came,” she added.\n\n"
            "A stray “ mark and an opening “quote that never closes\n\nA last line.")
    _, _, _, atts = run(text)
    assert atts
    quotes = find_quotes(text)
    assert quotes[0].start == text.index("“The water") and quotes[0].end == text.index("came,”") + 6


def test_quote_styles():
    text = "He said ''no.'' She said \"yes.\" They said «maybe» and „fine“."
    spans = [text[q.start:q.end] for q in find_quotes(text)]
    assert spans[:3] == ["''no.''", '"yes."', "«maybe»"]
    assert all(q.closed for q in find_quotes(text)[:3])


def test_quote_only_texts(run):
    assert run(".")[3] == ()
    assert isinstance(run("“”")[3], tuple)
    assert isinstance(run("\"\"\" ''' “ ” \"")[3], tuple)


# --- lexicons and the HTML layer -------------------------------------------------------

def test_lexicons_load_and_classes():
    from mediaeval.extract.attribution_rules import cue_lexicon
    from mediaeval.extract.sources import classify

    lex = cue_lexicon()
    assert lex["say"]["class"] == "neutral"
    assert lex["claim"]["class"] == "doubt"
    assert lex["admit"]["class"] == "admission"
    assert lex["believe"]["mode"] == "attitude"
    assert classify("The Syrian Observatory for Human Rights")[0] == "ngo_monitor"
    assert classify("an official who spoke on condition of anonymity") == ("anonymous", True)
    assert classify("the UN envoy")[0] == "international_org"
    assert classify("Reuters")[0] == "media"
    assert classify("") == ("anonymous", True)


def test_html_layer(seed, seed_text):
    from mediaeval.model import ArticleAnalysis
    from mediaeval.report.layers import attribution as layer

    doc, article, structure, atts = seed
    analysis = ArticleAnalysis(article=article, structure=structure, sentences=(), attributions=atts,
                               measures=attribution_measures(doc, article, structure, atts))
    marks = layer.marks(analysis)
    content = [m for m in marks if "at-content" in m.css]
    assert content and all(m.style.startswith("--c: #") for m in marks)
    assert any(m.label.startswith("quote: a statement issued") for m in content)
    own = seed_text.index("The Syrian army’s withdrawal marks")
    assert not any(m.start <= own < m.end for m in marks)
    p = layer.panel(analysis)
    assert p.title == "Who speaks" and p.rows
    top = p.rows[0]
    assert top[0].startswith("a statement issued") and top[1] == "military" and top[2][0] == 3 and top[3] > 50


def test_quote_signed_with_a_dash(run):
    text = "“He represents our greatest shame.” ― Sonya Herridge\n“We will vote,” she said."
    *_, atts = run(text)
    a = _find(atts, "―")
    assert a.source_text == "Sonya Herridge"
    assert a.content_text == "“He represents our greatest shame.”"
    assert a.kind == "direct"
    *_, atts = run("The plan ― which critics called “a disaster” ― passed.")
    assert not [a for a in atts if a.cue_text == "―"]


def test_citing_takes_its_object_as_content(run):
    # PolNeAR annotates "citing X" with X as the content and the subject as source
    _, _, _, atts = run("The senator praised the plan on Monday, citing lower taxes and faster growth.")
    a = _find(atts, "citing")
    assert a.kind == "indirect"
    assert a.source_text == "The senator"
    assert a.content_text == "lower taxes and faster growth"


def test_clause_on_the_cue_object_and_participle_cue_clause(run):
    _, _, _, atts = run("The mayor says in a statement that the bridge will reopen next week.")
    assert _find(atts, "says").content_text == "that the bridge will reopen next week"
    _, _, _, atts = run("Trump insisted that he has expanded the party, claiming that turnout was at a record high.")
    assert _find(atts, "insisted").content_text == "that he has expanded the party"
    assert _find(atts, "claiming").content_text == "that turnout was at a record high"


def test_evidential_adverb_takes_the_clause_around_it(nlp):
    from mediaeval.extract.attribution_content import find_content
    from mediaeval.extract.attribution_rules import Found

    doc = nlp("The hackers have reportedly infiltrated more than 100 party offices.")
    adverb = next(t for t in doc if t.lower_ == "reportedly")
    f = Found(adverb.i, (adverb.i, adverb.i + 1), 0.9)
    f.source = (0, 2)
    pieces = find_content(doc, f)
    assert f.source is None  # PolNeAR: no source for "reportedly"
    assert [doc[a:b].text for a, b, _ in pieces] == ["The hackers have", "infiltrated more than 100 party offices."]


def test_news_outlet_names_are_media_sources(nlp):
    # Sentences written for this test.
    from mediaeval.analyze import analyze_text

    result = analyze_text("The Mint Press News reported that the rebels had received weapons. "
                          "The White House press secretary said the report was false.")
    assert [(a.source_text, a.source_type) for a in result.attributions] == [
        ("The Mint Press News", "media"), ("The White House press secretary", "government")]
