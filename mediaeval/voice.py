"""The voice vocabulary: whose words a stretch of an article is. Defined here once.

Every column, tag, panel, question and glossary entry uses these values:

* ``own``: the outlet's own voice (nothing marks the words as anyone else's);
* ``quoted``: inside a source's quotation marks (the source's own wording);
* ``reported``: inside a source's paraphrased content, without quotation marks
  ("the army said that rebels have entered"): the claim is the source's, the
  wording is the outlet's (the Glasgow Media Group's reading: a label there is
  still the outlet's word choice);
* ``scare_quoted``: inside short quotation marks (under four words) that no
  source is found for (scare quotes, 'moderate rebels'): the outlet distances
  itself from the words. A longer quotation without a found source is
  ``quoted`` with no speaker: a scare quote is a word or a short phrase.

A span that crosses a boundary takes the voice that covers most of its
words (``extract.voice.VoiceMap``). ``voice_of`` gives the voice and the
speaker of any span of an analysed article, so researchers can bring their own
annotated spans (``voice_of`` lives with the voice map in ``extract.voice`` and
is exported as ``mediaeval.voice_of``).
"""

from __future__ import annotations

OWN, QUOTED, REPORTED, SCARE_QUOTED = "own", "quoted", "reported", "scare_quoted"

#: The voices in display order, with their plain-language names.
VOICES: dict[str, str] = {
    OWN: "own voice",
    QUOTED: "quoted",
    REPORTED: "reported",
    SCARE_QUOTED: "scare quotes",
}
#: One sentence per voice, for legends, the codebook and the glossary.
VOICE_DESCRIPTIONS: dict[str, str] = {
    OWN: "the outlet's own words: nothing marks them as anyone else's",
    QUOTED: "inside a source's quotation marks: the source's own wording",
    REPORTED: "a source's words paraphrased, without quotation marks: the claim is the source's, "
              "the wording is the outlet's",
    SCARE_QUOTED: "inside short quotation marks with no source: the outlet distances itself from the words",
}
#: Voices in which a source speaks (quoted or paraphrased).
SOURCE_VOICES = frozenset({QUOTED, REPORTED})


def voice_label(voice: str) -> str:
    """The plain-language name of a voice value (the value itself if unknown)."""
    return VOICES.get(voice, voice)
