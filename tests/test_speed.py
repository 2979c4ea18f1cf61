"""The speed-ups read the same facts as spaCy's Token objects, and the --fast parse profile.

Real text: the seed article (Xinhua on the Hama withdrawal) and, where the shared
data is present, ABP articles.
"""

from __future__ import annotations

import gzip
import json

import pytest

from mediaeval.extract import common
from mediaeval.ingest.structure import detect_structure


def _token_facts(doc):
    return {
        "pos": [t.pos_ for t in doc], "dep": [t.dep_ for t in doc], "tag": [t.tag_ for t in doc],
        "lower": [t.lower_ for t in doc], "lemma_lower": [t.lemma_.lower() for t in doc],
        "ent_type": [t.ent_type_ for t in doc],
    }


def _check_arrays(doc, structure):
    arrays = common.token_arrays(doc)
    for column, values in _token_facts(doc).items():
        assert arrays.texts(column) == values, column
    assert arrays.heads() == [t.head.i for t in doc]
    assert arrays.children() == [[c.i for c in t.children] for t in doc]
    assert arrays.offsets() == ([t.idx for t in doc], [t.idx + len(t) for t in doc])
    assert arrays.ent_iob.tolist() == [{"I": 1, "O": 2, "B": 3, "": 0}[t.ent_iob_] for t in doc]
    assert [arrays.sent[t.i] for t in doc] == [k for k, s in enumerate(doc.sents) for _ in s]
    # the excluded mask, counted words and sentences, as the Token-by-Token definitions
    spans = structure.excluded
    mask = tuple(any(s.overlaps(t.idx, t.idx + len(t)) for s in spans) for t in doc)
    assert common.excluded_mask(doc, structure) == mask
    counted = [t.i for t in doc if common.is_word(t) and not mask[t.i]]
    assert common.counted_indices(doc, structure) == counted
    sentences = [s for s in doc.sents if any(common.is_word(t) and not mask[t.i] for t in s)]
    assert common.counted_sentence_bounds(doc, structure) == [(s.start_char, s.end_char) for s in sentences]
    assert [(s.start, s.end) for s in common.sentence_spans(doc)] == [
        (s.start_char, s.start_char + len(s.text.rstrip())) for s in doc.sents]


def test_token_arrays_match_tokens_on_the_seed(nlp, seed_text):
    doc = nlp(seed_text)
    _check_arrays(doc, detect_structure(seed_text))


def test_token_arrays_match_tokens_on_abp(nlp, shared_data):
    path = shared_data / "abp" / "abp_20k.jsonl.gz"
    if not path.exists():
        pytest.skip("no ABP data")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(5), f)]
    for text, doc in zip(texts, nlp.pipe(texts)):
        _check_arrays(doc, detect_structure(text))


def test_fast_profile_parses_without_ner_and_still_attributes(seed_text):
    from mediaeval import nlp as nlp_module
    from mediaeval.analyze import AnalysisOptions, analyze_article, analyze_text

    fast = nlp_module.load(None, True)
    assert "ner" not in fast.pipe_names and "parser" in fast.pipe_names
    assert "ner" in nlp_module.load().pipe_names  # the default profile keeps it
    assert not fast(seed_text).ents
    assert AnalysisOptions().fast is False
    default = analyze_text(seed_text)
    quick = analyze_article(default.article, AnalysisOptions(fast=True))
    # attributions barely need entities: the seed keeps every cue (its span can differ: "announced
    # Thursday" by default, "announced" without the DATE entity); every term is still found, and a word
    # inside a name the tagger does not mark as a proper noun can count too (what README states)
    assert [a.cue_start for a in quick.attributions] == [a.cue_start for a in default.attributions]
    assert {t.term for t in default.terms} <= {t.term for t in quick.terms}
    assert nlp_module.model_info(None, True).endswith("fast profile: no ner")


def test_a_fast_run_says_so_and_cannot_be_resumed_as_a_default_one(tmp_path, seed_path):
    import json

    from mediaeval.cli import main

    out = tmp_path / "out"
    assert main(["analyze", str(seed_path), "-o", str(out), "--fast", "--no-html", "-q"]) == 0
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["spacy_model"].endswith("fast profile: no ner")
    # the profile is part of the run's fingerprint: appending without --fast is refused
    assert main(["analyze", str(seed_path), "-o", str(out), "--append", "--no-html", "-q"]) != 0
