"""Agency layer: clauses, voice, hidden agents, event nouns, actors, measures, HTML layer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from mediaeval.errors import LexiconError
from mediaeval.extract.agency import agency_measures, extract_agency, load_agency_lexicon
from mediaeval.model import Article, ArticleAnalysis, Span, Structure, TermHit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SAP = ROOT.parent / "shared" / "reference" / "lexicon_sources" / "sap2017_agency_power.csv"
SEED = ROOT / "seeds" / "xinhua_hama_withdrawal.txt"


@pytest.fixture(scope="session")
def nlp():
    from mediaeval import nlp as module
    return module


@pytest.fixture(scope="session")
def seed(nlp):
    text = SEED.read_text(encoding="utf-8")
    credit = text.index("XINHUA")
    boiler = text.index("You cannot copy")
    structure = Structure(credit=(Span(credit, credit + 6),), boilerplate=(Span(boiler, len(text)),))
    doc = nlp.parse(text)
    article = Article("xinhua_hama_withdrawal", text)
    clauses, actors = extract_agency(doc, article, structure, ())
    return text, doc, article, structure, clauses, actors


def hit(text, phrase, refers_to="", function="", category="actor_label", neutral="", occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return TermHit(term=phrase, matched_text=phrase, start=start, end=start + len(phrase), sentence_index=0,
                   category=category, function=function, refers_to=refers_to, voice="own", speaker="",
                   neutral_alternative=neutral)


def clause_at(clauses, text, phrase, verb, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    found = [c for c in clauses if c.verb_text == verb and start <= c.verb_start < start + len(phrase)]
    assert found, f"no clause for {verb!r} in {phrase!r}"
    return found[0]


def analyse(nlp, text, terms=()):
    doc = nlp.parse(text)
    return extract_agency(doc, Article("t", text), Structure(), tuple(terms))


# --- the seed article (issue items 1, 2, 7) ---

def test_rebels_are_the_agent_of_entered(seed):
    text, *_, clauses, _ = seed
    c = clause_at(clauses, text, "rebels have entered the city", "entered")
    assert c.voice == "active" and c.agent_text == "rebels" and c.patient_text == "the city"
    assert c.verb_class == "military_movement" and not c.agent_hidden
    assert text[c.agent_start:c.agent_end] == "rebels"


def test_reduced_relative_passive_with_its_agent(seed):
    text, *_, clauses, _ = seed
    c = clause_at(clauses, text, "the areas entered by the terrorist organizations", "entered")
    assert c.voice == "passive" and not c.agent_hidden
    assert c.agent_text == "the terrorist organizations"
    assert c.patient_text == "the areas"


def test_event_nouns_rise_and_withdrawal(seed):
    text, *_, clauses, _ = seed
    rise = clause_at(clauses, text, "the rise of martyrs", "rise")
    assert rise.nominalization and rise.voice == "" and rise.agent_hidden and rise.patient_text == "martyrs"
    withdrawal = clause_at(clauses, text, "The Syrian army’s withdrawal", "withdrawal")
    assert withdrawal.nominalization and not withdrawal.agent_hidden
    assert withdrawal.agent_text == "The Syrian army" and withdrawal.agent_actor == "Syrian army"
    assert withdrawal.verb_class == "military_movement"


def test_it_and_its_forces_link_to_the_syrian_army(seed):
    text, *_, clauses, _ = seed
    c = clause_at(clauses, text, "it has redeployed its forces", "redeployed")
    assert c.agent_text == "it" and c.agent_actor == "Syrian army"
    assert c.patient_text == "its forces" and c.patient_actor == "Syrian army"
    assert c.verb_class == "military_movement" and "withdraw" in c.note


def test_our_soldiers_in_a_quote_go_to_the_speaker(seed):
    # "our armed forces" in the statement of the Syrian General Command of the Army and Armed Forces: the
    # speaker, which is the Syrian army's command, so the one actor "Syrian army" (issue 12, item 4)
    text, *_, clauses, _ = seed
    c = clause_at(clauses, text, "our armed forces have fought", "fought")
    assert c.agent_actor == "Syrian army"


def test_alias_and_normalised_names(seed):
    *_, actors = seed
    names = {a.actor for a in actors}
    assert "Syrian army" in names and "Hayat Tahrir al-Sham" in names
    assert "HTS" not in names and not any(n.lower().startswith("the ") for n in names)
    army = next(a for a in actors if a.actor == "Syrian army")
    assert army.as_agent >= 3 and army.mentions >= 4 and army.mention_sentences


def test_offsets_are_sacred_and_excluded_spans_skipped(seed):
    text, _, _, structure, clauses, _ = seed
    for c in clauses:
        assert text[c.verb_start:c.verb_end] == c.verb_text
        if c.agent_start is not None:
            assert text[c.agent_start:c.agent_end] == c.agent_text
        if c.patient_start is not None:
            assert text[c.patient_start:c.patient_end] == c.patient_text
        assert not structure.is_excluded(c.verb_start, c.verb_end)
    assert not any(c.verb_lemma == "copy" for c in clauses)


def test_measures(seed):
    _, doc, article, structure, clauses, actors = seed
    m = agency_measures(doc, article, structure, clauses, actors)
    for key in ("passive_clause_share", "agentless_passive_share", "hidden_agent_harm_share"):
        assert 0.0 <= m[key] <= 1.0
    assert m["actor1"] == actors[0].actor and m["actor2"] == actors[1].actor
    for key in ("actor1_agent_patient_balance", "actor2_agent_patient_balance"):
        assert m[key] is None or -1.0 <= m[key] <= 1.0
    army = next(a for a in actors if a.actor == "Syrian army")
    assert army.mentions >= actors[2].mentions


# --- loaded terms: refers_to groups and euphemisms agree with the terms layer (items 2, 4) ---

def test_term_refers_to_groups_and_euphemism_class(nlp):
    text = ("Rebels said the militants had entered the town. The army said it neutralised "
            "the attackers and redeployed its forces south of the town.")
    terms = [hit(text, "Rebels", "armed_opposition"), hit(text, "militants", "armed_opposition"),
             hit(text, "neutralised", function="euphemism", category="euphemism", neutral="killed"),
             hit(text, "redeployed", function="euphemism", category="euphemism", neutral="withdrew; withdrawal")]
    clauses, actors = analyse(nlp, text, terms)
    entered = clause_at(clauses, text, "had entered", "entered")
    assert entered.agent_actor == "armed_opposition"
    neut = clause_at(clauses, text, "it neutralised", "neutralised")
    assert neut.verb_class == "harm_violence" and "euphemism" in neut.note and "killed" in neut.note
    assert neut.agent_actor == "army"
    red = clause_at(clauses, text, "redeployed its forces", "redeployed")
    assert red.verb_class == "military_movement" and red.patient_actor == "army"
    opp = next(a for a in actors if a.actor == "armed_opposition")
    assert opp.kind == "refers_to" and opp.mentions == 2


# --- hidden agents (item 1) ---

@pytest.mark.parametrize("sentence, verb, hidden", [
    ("Two children died in the shelling.", "died", True),
    ("Four civilians were killed on Tuesday.", "killed", True),
    ("Four civilians were killed by a drone.", "killed", False),
    ("The killing of the journalists shocked the town.", "killing", True),
    ("The army's withdrawal surprised residents.", "withdrawal", False),
    ("Government forces shelled the market.", "shelled", False),
])
def test_hidden_agents(nlp, sentence, verb, hidden):
    clauses, _ = analyse(nlp, sentence)
    c = next(c for c in clauses if c.verb_text == verb)
    assert c.agent_hidden is hidden
    assert c.verb_class in ("harm_violence", "military_movement")


def test_died_puts_the_dead_in_the_patient_role(nlp):
    clauses, _ = analyse(nlp, "Two children died in the shelling.")
    c = next(c for c in clauses if c.verb_text == "died")
    assert c.patient_text == "Two children" and c.agent_text == ""


# --- passive detection on self-written hard cases (item 7) ---

OWN = [
    (True, "The convoy was ambushed near the border."),
    (True, "Three aid workers got kidnapped last week."),
    (True, "The villages entered by the militia were later abandoned."),
    (True, "Civilians killed in the raid were buried the next morning."),
    (True, "The bridge has been destroyed."),
    (True, "The talks are expected to resume on Monday."),
    (True, "The prisoners are to be released tomorrow."),
    (True, "Questioned by reporters, the minister refused to comment."),
    (True, "The town was shelled and then captured."),
    (True, "The ceasefire, brokered by Qatar, collapsed within hours."),
    (True, "Being held without charge, the journalists began a hunger strike."),
    (True, "They had their houses searched by soldiers."),
    (True, "More than forty killed in market bombing."),
    (True, "The hospital is said to have been hit twice."),
    (True, "Nobody wants their names published."),
    (True, "A statement issued by the ministry denied the claim."),
    (True, "When asked about the strike, the general declined to comment."),
    (True, "The envoy spoke to reporters, flanked by two generals."),
    (True, "Residents want the checkpoint removed."),
    (True, "He got his leg broken in the fight."),
    (True, "Officials had him removed from the list."),
    (True, "The truce agreed last week has largely held."),
    (True, "The fighters could get someone killed."),
    (True, 'A report entitled "Broken Promises" was published on Monday.'),
    (True, "The road is closed."),  # a resultative state counts (PassivePy's coders: "has been closed")
    (True, "The column was led by a colonel."),
    (True, "The square was filled by angry protesters."),
    (True, "The report wasn finished on time."),  # apostrophe lost in scraped or crowd text
    (True, "The results aren trusted by anyone."),
    (False, "The minister was concerned about the delays."),
    (False, "The headquarters is located in the old quarter."),
    (False, "The group is based in the north."),
    (False, "She was interested in the results."),
    (False, "The army has been in the city for years."),
    (False, "We are done with these negotiations."),
    (False, "The armed forces crossed the river at dawn."),
    (False, "Rebels have entered the city."),
    (False, "He got married in the spring."),
    (False, "The convoy is supposed to leave at noon."),
    (False, "The talks are set to begin on Friday."),
    (False, "The commander was worried that supplies would run out."),
    (False, "They are used to the noise of the shelling."),
    (False, "The soldiers died in the attack."),
    (False, "The regime-held districts remained quiet."),
    (False, "The minister was very worried about the talks."),
    (False, "The effect was most pronounced in the north."),
    (False, "As expected, the talks collapsed."),
    (False, "Turnout was lower than expected."),
    (False, "The bill passed by a wide margin."),
    (False, "Their status is undocumented."),
    (False, "The general called the reporters liars on Tuesday."),
    (False, "About a thousand people formed outside the school."),
    (False, "She is the first person the minister called."),
    (False, "He's got a lot of work to do."),
    (False, "She was born in Aleppo in 1990."),  # PassivePy: born/filled/led passive only with "by"
    (False, "The hall was filled with smoke."),
    (False, "Children born in the camp have no papers."),
    (False, "Pilots don like to fly at night."),  # "don" = "don't", not the verb "to don"
    (False, "The officers didn know the road."),
]


def test_passive_sentences_written_for_the_tests(nlp):
    wrong = []
    for (gold, sentence), doc in zip(OWN, nlp.parse_many([s for _, s in OWN])):
        clauses, _ = extract_agency(doc, Article("t", sentence), Structure(), ())
        if any(c.voice == "passive" for c in clauses) != gold:
            wrong.append(sentence)
    assert not wrong


# Excerpts from the blind sets' errors (FA-KES: Syrian war reports whose commas were stripped; ABP: US outlets),
# one for each rule of passive revisions 8-10 (benchmarks/passive_dev.md).
NEWS = [
    (True, "The rebel barrage killed 10 people in Damascus while the government air strikes and "
           "surface-to-surface missiles fired at Eastern Ghouta killed at least 82 people."),  # FA-KES
    (True, "Moreover, conservatives are especially upset by \u201cpolitical correctness\u201d because it is "
           "often an assertion of agency."),  # ABP
    (True, "An AFP journalist saw devastating scenes in the bombs aftermath with distraught civilians some "
           "covered in blood staggering through rubble."),  # FA-KES
    (False, '"IS fighters have now set up a security perimeter around the residential area" said Abdel Rahman.'),
    (False, '"There are around 20 wounded and the toll of victims could rise."'),  # FA-KES
    (False, "Published April 6 2017 Syrian activists say the Daesh terrorist group has killed 33 young men in "
            "eastern Syria."),  # FA-KES dateline
    (False, "Syrian army killed 11 terrorists in an attack on their positions in Deir Ezzor SANA news agency "
            "reported on Tuesday."),  # FA-KES
    (False, "The president has used identity as a wedge, he's used race as a wedge to divide people."),  # ABP
]


def test_passive_rules_on_news_excerpts(nlp):
    wrong = []
    for (gold, sentence), doc in zip(NEWS, nlp.parse_many([s for _, s in NEWS])):
        clauses, _ = extract_agency(doc, Article("t", sentence), Structure(), ())
        if any(c.voice == "passive" for c in clauses) != gold:
            wrong.append(sentence)
    assert not wrong


def test_one_sentence_articles(nlp):
    """Issue item 8: a CSV of one sentence per row gives one-sentence articles; they work alone."""
    for text in ("Rebels entered Hama.", "Hama was entered by rebels.", "The withdrawal", "Died.", " "):
        doc = nlp.parse(text)
        article = Article("row1", text)
        clauses, actors = extract_agency(doc, article, Structure(), ())
        m = agency_measures(doc, article, Structure(), clauses, actors)
        assert set(m) >= {"passive_clause_share", "actor1", "actor2_agent_patient_balance"}
    clauses, _ = analyse(nlp, "Hama was entered by rebels.")
    assert clauses[0].voice == "passive" and clauses[0].agent_text == "rebels"


@pytest.mark.data
def test_passive_accuracy_on_hand_coded_sentences():
    if not DATA.is_dir():
        pytest.skip("../shared/data is absent")
    spec = importlib.util.spec_from_file_location("passive_accuracy", ROOT / "benchmarks" / "passive_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(DATA, "all")
    assert result["n"] >= 740
    assert result["accuracy"] >= 0.97, result["errors"]
    blind = module.evaluate(DATA, "blind3")  # coded after the rules were written: the held-out figure
    assert blind["n"] == 150 and blind["accuracy"] >= 0.95, blind["errors"]


# --- the optional Sap et al. 2017 lexicon (item 5) ---

def test_agency_lexicon_scores_count_passive_roles(nlp, tmp_path):
    lex = tmp_path / "frames.csv"
    lex.write_text("verb,agency,power\ndefeat,agency_pos,power_agent\nsuffer,agency_neg,power_theme\n",
                   encoding="utf-8")
    lexicon = load_agency_lexicon(lex)
    text = "The army was defeated by rebels. The soldiers suffered losses."
    doc = nlp.parse(text)
    clauses, actors = extract_agency(doc, Article("t", text), Structure(), (), agency_lexicon=lexicon)
    roles = {a.actor: a for a in actors}
    assert roles["rebels"].agency_score == 1.0 and roles["rebels"].power_score == 1.0
    assert roles["army"].power_score == -1.0  # the passive subject is the theme
    assert roles["soldiers"].agency_score == -1.0
    _, plain = extract_agency(doc, Article("t", text), Structure(), ())
    assert all(a.agency_score is None for a in plain)


def test_agency_lexicon_errors_name_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("verb,agency,power\nkill,agency_pos,power_agent\nflee,agency_maybe,power_agent\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_agency_lexicon(bad)
    assert "bad.csv:3" in str(err.value) and "'agency'" in str(err.value)
    with pytest.raises(LexiconError):
        load_agency_lexicon(tmp_path / "missing.csv")


def test_user_supplied_sap_lexicon_reads():
    if not SAP.is_file():
        pytest.skip("the Sap et al. 2017 lexicon is not in ../shared/reference")
    lexicon = load_agency_lexicon(SAP)
    assert lexicon.get("kill") == ("agency_pos", "power_agent")
    assert len(lexicon.frames) > 2000


# --- HTML layer (item 6) ---

def test_html_layer_marks_and_panel(seed):
    from mediaeval.extract.common import sentence_spans
    from mediaeval.report.layers import agency as layer

    text, doc, article, structure, clauses, actors = seed
    analysis = ArticleAnalysis(article, structure, sentence_spans(doc), clauses=clauses, actors=actors,
                               measures=agency_measures(doc, article, structure, clauses, actors))
    marks = layer.marks(analysis)
    assert any(m.label == "who?" and text[m.start:m.end] == "rise" for m in marks)
    assert any(m.css == "ag-agent" and text[m.start:m.end] == "rebels" for m in marks)
    assert all(0 <= m.start < m.end <= len(text) for m in marks)
    panel = layer.panel(analysis)
    row = next(r for r in panel.rows if r[0] == "Syrian army")
    assert row[3][0] >= 3 and row[3][1]  # as agent, with sentence links
    assert "paragraph" in panel.limits
    css = ROOT / "mediaeval" / "report" / "templates" / "layer_agency.css"
    assert ".ag-agent" in css.read_text(encoding="utf-8")


def test_with_the_loaded_terms_layer(seed):
    """Both layers agree: refers_to groups become actors, the euphemism note comes from the lexicon."""
    try:
        from mediaeval.extract.term_lexicon import load_term_lexicon
        from mediaeval.extract.terms import extract_terms
    except ImportError:
        pytest.skip("the loaded-terms layer is not there")
    text, doc, article, structure, _, _ = seed
    terms = extract_terms(doc, article, structure, (), load_term_lexicon())
    clauses, actors = extract_agency(doc, article, structure, terms)
    assert clause_at(clauses, text, "rebels have entered", "entered").agent_actor == "nonstate_armed"
    red = clause_at(clauses, text, "it has redeployed its forces", "redeployed")
    assert red.agent_actor == "Syrian army" and red.verb_class == "military_movement"
    assert "loaded-terms lexicon" in red.note
    assert clause_at(clauses, text, "those groups managed", "managed").agent_actor == "nonstate_armed"
    assert {"Syrian army", "nonstate_armed"} <= {a.actor for a in actors[:3]}
