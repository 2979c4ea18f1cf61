"""Paragraph breaks start sentences: the ``mediaeval_paragraphs`` spaCy component.

A headline without a full stop and the dateline paragraph after it must not be
parsed as one sentence, so a token after a line break starts a sentence; a
dateline ("DAMASCUS —", "WASHINGTON (AP) -") stays with the sentence after it.
It must sit before the parser, which respects preset sentence starts.
"""

from __future__ import annotations

from spacy.language import Language

DASHES = {"—", "–", "-", "--", "---"}


@Language.component("mediaeval_paragraphs", assigns=["token.is_sent_start"])
def paragraph_starts(doc):
    """A token after a line break starts a sentence; "DAMASCUS —" stays with the sentence after it."""
    if not len(doc):
        return doc
    starts = [0] + [i + 1 for i, t in enumerate(doc[:-1]) if t.is_space and "\n" in t.text]
    for start in starts:
        doc[start].is_sent_start = True
        _keep_dateline_together(doc, start)
    return doc


def _keep_dateline_together(doc, start: int) -> None:
    window = doc[start:start + 10]
    for j, token in enumerate(window):
        if token.text in DASHES and j > 0:
            before = window[:j]
            if all(t.is_upper or t.is_punct or t.text[:1].isupper() for t in before if not t.is_space):
                for k in range(start + 1, min(start + j + 2, len(doc))):
                    doc[k].is_sent_start = False
            return
        if token.is_space or token.is_sent_end:
            return
