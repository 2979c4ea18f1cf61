"""Evaluation against brat standoff: reading, trimming, pairing, scoring, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediaeval.errors import GoldDataError
from mediaeval.evaluate import (EvaluationResult, Relation, evaluate_attribution, format_result, overlap,
                                pair_relations, read_brat, relations_from_attributions, score_document, trim)
from mediaeval.model import Attribution

TEXT = "The minister said that talks failed. “We tried,” he added, “and we will try again.”\n"
#       0         1         2         3         4         5         6         7         8


def _span(text: str, piece: str, start: int = 0) -> tuple[int, int]:
    i = text.index(piece, start)
    return i, i + len(piece)


ANN = "\n".join([
    "T1\tSource 0 12\tThe minister",
    "T2\tCue 13 17\tsaid",
    "T3\tContent 18 36\tthat talks failed.",
    "T4\tAttribution 13 17\tsaid",
    "E1\tAttribution:T4 Cue:T2 Source:T1 Content:T3",
    "T5\tSource {0} {1}\the".format(*_span(TEXT, "he added")[:1], _span(TEXT, "he added")[0] + 2),
    "T6\tCue {0} {1}\tadded".format(*_span(TEXT, "added")),
    "T7\tContent {0} {1};{2} {3}\t...".format(*_span(TEXT, "“We tried,”"), *_span(TEXT, "“and we will try again.”")),
    "T8\tAttribution {0} {1}\tadded".format(*_span(TEXT, "added")),
    "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
    "T9\tDiscard 0 3\tThe",
    "#1\tAnnotatorNotes T3\ta note",
    "a continuation line of a span text that holds a newline",
])


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text(ANN + "\n", encoding="utf-8")
    return tmp_path


def test_read_brat_relations_and_discontinuous_spans(gold_dir):
    rels = read_brat(gold_dir / "attributions" / "doc1_ab12.ann")
    assert len(rels) == 2
    assert rels[0] == Relation(cue=((13, 17),), source=((0, 12),), content=((18, 36),))
    assert len(rels[1].content) == 2


def test_trim_strips_punctuation_and_merges():
    text = "“We tried,” he said."
    assert trim(text, [(0, 11)]) == ((1, 9),)
    assert trim(text, [(0, 3), (3, 11)]) == ((1, 9),)
    assert trim(text, [(11, 12)]) == ()
    assert overlap(((0, 5),), ((4, 9),)) == 1


def test_pairing_is_one_to_one_by_largest_overlap():
    gold = [Relation(cue=((10, 20),)), Relation(cue=((30, 35),))]
    pred = [Relation(cue=((12, 14),)), Relation(cue=((10, 19),)), Relation(cue=((40, 45),))]
    assert sorted(pair_relations(pred, gold)) == [(1, 0)]


def test_perfect_prediction_scores_one(gold_dir):
    gold = read_brat(gold_dir / "attributions" / "doc1_ab12.ann")
    result = EvaluationResult()
    score_document(TEXT, gold, gold, result)
    assert all(c.f1 == 1.0 for c in result.counts.values())


def test_evaluate_with_a_predictor_and_floating_merge(gold_dir):
    said = _span(TEXT, "said")
    added = _span(TEXT, "added")
    q1, q2 = _span(TEXT, "“We tried,”"), _span(TEXT, "“and we will try again.”")

    def predict(text, stem):
        assert stem == "doc1"
        return [
            Attribution("a1", "indirect", source_text="The minister", source_start=0, source_end=12,
                        cue_text="said", cue_start=said[0], cue_end=said[1],
                        content_start=18, content_end=35, content_text=text[18:35]),
            Attribution("a2", "direct", source_text="he", source_start=q1[1] + 1, source_end=q1[1] + 3,
                        source_resolved="The minister", cue_start=added[0], cue_end=added[1],
                        content_start=q1[0], content_end=q1[1]),
            Attribution("a3", "floating", source_resolved="The minister", content_start=q2[0], content_end=q2[1]),
        ]

    result = evaluate_attribution(gold_dir, predict)
    assert result.documents == 1 and result.predicted_relations == 2
    for element in ("cue", "source", "content"):
        assert result.f1("exact", element) == 1.0, element
    table = format_result(result)
    assert "exact" in table and "overlap" in table and "content" in table
    assert result.as_dict()["exact_cue_f1"] == 1.0


def test_floating_in_a_later_paragraph_is_not_merged():
    text = "He said “a.”\n\n“b c d.”"
    rels = relations_from_attributions([
        Attribution("a1", "direct", source_resolved="X", cue_start=3, cue_end=7, content_start=8, content_end=12),
        Attribution("a2", "floating", source_resolved="X", content_start=14, content_end=22),
    ], text)
    assert rels == [Relation(cue=((3, 7),), source=(), content=((8, 12),))]


def test_missing_layout_is_a_clear_error(tmp_path):
    with pytest.raises(GoldDataError, match="text/ and attributions/"):
        evaluate_attribution(tmp_path, lambda t, s: [])


def test_bad_offsets_name_the_line(tmp_path):
    bad = tmp_path / "x.ann"
    bad.write_text("T1\tCue 10 5\tsaid\n", encoding="utf-8")
    with pytest.raises(GoldDataError, match=r"x\.ann:1"):
        read_brat(bad)


@pytest.mark.data
def test_polnear_dev_sample_scores(shared_data):
    """A few dev articles through the real extractor: far above the published rule baseline."""
    gold = shared_data / "polnear" / "dev"
    if not gold.is_dir():
        pytest.skip("PolNeAR dev is not here")
    result = evaluate_attribution(gold, limit=8)
    assert result.documents >= 8
    assert result.f1("overlap", "cue") > 0.5
    assert result.f1("exact", "source") > 0.4


def test_token_labels_prefer_cue_over_source_over_content(gold_dir):
    from mediaeval.evaluate import token_labels

    gold = read_brat(gold_dir / "attributions" / "doc1_ab12.ann")
    labels = token_labels(TEXT, gold)
    assert labels[:6] == ["source", "source", "cue", "content", "content", "content"]  # The minister said that talks failed
    assert labels.count("cue") == 2 and "none" in labels  # "said", "added"; the quotation marks and commas between


def test_token_agreement_is_chance_corrected(gold_dir):
    """Perfect prediction gives kappa = alpha = 1; a tool that finds nothing gives kappa 0."""
    result = evaluate_attribution(gold_dir, predict=lambda text, stem: _as_attributions(text, gold_dir))
    t = result.token_agreement()
    assert t["kappa"].value == pytest.approx(1.0) and t["alpha"].value == pytest.approx(1.0)
    assert "Cohen's kappa 1.000" in format_result(result)
    empty = evaluate_attribution(gold_dir, predict=lambda text, stem: [])
    assert empty.token_agreement()["kappa"].value == pytest.approx(0.0)
    assert empty.as_dict()["token_kappa"] == 0.0


def _as_attributions(text, gold_dir):
    out = []
    for k, r in enumerate(read_brat(gold_dir / "attributions" / "doc1_ab12.ann")):
        (cs, ce), = r.cue
        (ss, se), = r.source
        pieces = ";".join(f"{s}-{e}" for s, e in r.content)
        out.append(Attribution(attribution_id=f"a{k}", kind="direct", source_start=ss, source_end=se,
                               cue_start=cs, cue_end=ce, content_start=r.content[0][0], content_end=r.content[-1][1],
                               content_segments=pieces if len(r.content) > 1 else ""))
    return out


@pytest.mark.data
def test_polnear_token_kappa_matches_sklearn(shared_data):
    """NLTK's kappa against an independent implementation (scikit-learn) on real gold."""
    from sklearn.metrics import cohen_kappa_score

    gold = shared_data / "polnear" / "dev"
    if not gold.is_dir():
        pytest.skip("PolNeAR dev is not here")
    result = evaluate_attribution(gold, limit=3)
    t = result.token_agreement()
    assert t["kappa"].value == pytest.approx(cohen_kappa_score(result.token_gold, result.token_predicted))
    assert 0.2 < t["kappa"].value < 1 and t["alpha"].value is not None
