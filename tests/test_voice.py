"""The voice vocabulary and the one voice function (no parse needed): quotation marks,
reported content, scare quotes, the majority rule for spans that cross a boundary."""

from __future__ import annotations

import pytest

import mediaeval
from mediaeval.extract.voice import VoiceMap
from mediaeval.model import Article, ArticleAnalysis, Attribution, Structure
from mediaeval.voice import OWN, QUOTED, REPORTED, SCARE_QUOTED, SOURCE_VOICES, VOICE_DESCRIPTIONS, VOICES

# The army's statement in the seed, shortened: indirect content with a quoted fragment ("mixed").
TEXT = ('It added that the Syrian army will “continue to carry out its national duty to reclaim the areas '
        'entered by the terrorist organizations.” The so-called \'moderate rebels\' withdrew.')


def _mixed() -> Attribution:
    start = TEXT.index("that the Syrian")
    end = TEXT.index("organizations.”") + len("organizations.”")
    return Attribution("a1", "mixed", source_text="It", source_resolved="the Syrian General Command",
                       content_start=start, content_end=end)


def _span(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


def test_vocabulary_is_defined_once_with_plain_names():
    assert list(VOICES) == [OWN, QUOTED, REPORTED, SCARE_QUOTED] == ["own", "quoted", "reported", "scare_quoted"]
    assert set(VOICE_DESCRIPTIONS) == set(VOICES) and SOURCE_VOICES == {QUOTED, REPORTED}
    assert mediaeval.VOICES is VOICES


def test_mixed_content_quoted_inside_the_marks_reported_outside():
    voices = VoiceMap(TEXT, (_mixed(),))
    assert voices.span(*_span("terrorist organizations")) == (QUOTED, "the Syrian General Command")
    assert voices.span(*_span("Syrian army")) == (REPORTED, "the Syrian General Command")
    assert voices.span(*_span("It added")) == (OWN, "")
    assert voices.span(*_span("moderate rebels")) == (SCARE_QUOTED, "")  # quotation marks, no source


def test_a_span_across_a_boundary_takes_the_voice_covering_most_of_it():
    voices = VoiceMap(TEXT, (_mixed(),))
    start = TEXT.index("army will")
    assert voices.span(start, start + len("army will “cont")) == (REPORTED, "the Syrian General Command")
    assert voices.span(start + len("army "), TEXT.index("duty")) == (QUOTED, "the Syrian General Command")
    added = TEXT.index("added that")
    assert voices.span(added, added + len("added that"))[0] == OWN  # 5 own letters outweigh 4 reported
    assert voices.span(added, added + len("added that th"))[0] == REPORTED  # 6 reported letters win


def test_voice_of_an_analysis_and_its_errors():
    result = ArticleAnalysis(article=Article("t", TEXT), structure=Structure(), sentences=(),
                             attributions=(_mixed(),))
    assert mediaeval.voice_of(result, *_span("terrorist organizations"))[0] == QUOTED
    assert mediaeval.voice_of(result, *_span("Syrian army")) == (REPORTED, "the Syrian General Command")
    with pytest.raises(mediaeval.MediaevalError, match=r"^\[E402\]"):
        mediaeval.voice_of(result, 10, 5)


def test_quotation_without_its_cue_takes_the_overlapping_attribution():
    text = 'The ministry said the "terrorists" had fled.'
    start = text.index("the \"terrorists")
    said = Attribution("a1", "indirect", source_text="The ministry", content_start=start, content_end=len(text) - 1)
    i = text.index("terrorists")
    assert VoiceMap(text, (said,)).span(i, i + 10) == (QUOTED, "The ministry")


def test_distinctive_words_read_voices_from_the_one_voice_function(seed_analysis):
    """The comparison's voice stretches (distinctive words per voice) equal the analysis's own voice map."""
    from mediaeval.compare.build import _voice_spans
    from mediaeval.extract.voice import VoiceMap
    from mediaeval.frames import to_frames

    frames = to_frames([seed_analysis])
    aid, text = seed_analysis.article.article_id, seed_analysis.article.text
    runs = _voice_spans(frames["attributions"])(aid, text)
    assert runs == VoiceMap(text, seed_analysis.attributions).runs()
    # "rebels" in "confirming that rebels have entered" lies in a reported stretch, as voice_of says
    at = text.index("rebels have entered")
    assert any(s <= at < e and v == "reported" for s, e, v in runs)


# --- issue 12, item 6: quotation scanning and the span rule (fixtures written for these tests) ---------------

def test_nested_curly_quotes_stay_one_quotation():
    from mediaeval.extract.quotes import find_quotes
    text = "“WikiLeaks tried to get his own “Russian lawyer meeting” emails (he did),” Assange wrote."
    (q,) = [q for q in find_quotes(text) if q.kind == "double"]
    assert text[q.start:q.end].endswith("(he did),”")


def test_a_quote_runs_on_when_the_writer_left_out_the_reopening_mark():
    from mediaeval.extract.quotes import find_quotes
    text = ('She said: "The company may be big.\n\nBut it is not too big to be challenged in court."\n\n'
            "The case drew wide attention.")
    (q,) = [q for q in find_quotes(text) if q.kind == "double"]
    assert text[q.start:q.end].endswith('challenged in court."')


def test_block_quote_after_saying_colon():
    from mediaeval.extract.voice import VoiceMap
    text = ("And the senator lashed out on Twitter, saying:\n\nThe judge has embarrassed all by making very dumb "
            "statements about me.\n\nThe judge did not reply.")
    vm = VoiceMap(text)
    assert vm.span(text.index("very dumb"), text.index("very dumb") + 9)[0] == "quoted"
    assert vm.span(text.index("did not reply"), text.index("did not reply") + 13)[0] == "own"


def test_long_quote_without_a_found_source_is_quoted_short_one_scare_quoted():
    from mediaeval.extract.voice import VoiceMap
    text = 'Then came "a long and detailed account of the night we lost the vote". It was a "disaster".'
    vm = VoiceMap(text)
    assert vm.span(text.index("detailed"), text.index("detailed") + 8) == ("quoted", "")
    assert vm.span(text.index("disaster"), text.index("disaster") + 8)[0] == "scare_quoted"


def test_a_span_that_is_mostly_the_outlets_words_is_not_a_quotation():
    from mediaeval.extract.voice import VoiceMap
    text = ('Mr. Lopez said on Monday that Democrats had made a grave mistake by striking '
            '"another fingers-crossed bargain with the leaders".')
    vm = VoiceMap(text)
    assert vm.span(0, len(text))[0] == "own"  # 14 words outside the marks, 6 inside
    assert vm.span(text.index('"another'), len(text))[0] in ("quoted", "scare_quoted")


def test_passive_blind_sets_store_references_and_labels_only():
    from pathlib import Path
    for name, n in (("passive_blind4.tsv", 200), ("passive_blind5.tsv", 200), ("passive_blind6.tsv", 300),
                    ("passive_blind7.tsv", 300)):
        path = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / name
        rows = [l.split("\t") for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
        header, rows = rows[0], rows[1:]
        assert header == ["id", "split", "corpus", "file", "record", "start", "end", "sha1", "passive"]
        assert len(rows) == n and {r[8] for r in rows} == {"0", "1"} and all(len(r) == 9 for r in rows)
