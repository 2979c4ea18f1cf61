"""Structure layer of the article page: headline, dateline, credit lines, boilerplate, and origin.

Marks: the headline and dateline are outlined; credit lines and boilerplate are
greyed and tagged "… — not counted", because every measure leaves them out.
Panel: the news agency the copy comes from (agency, country, ownership type, the
date that classification holds for and its source), the evidence linked to its
sentence, and the limits of the method in plain words.
"""

from __future__ import annotations

from ...extract.common import SentenceIndex
from ...model import ArticleAnalysis
from ..marks import Mark, Panel

CREDIT_KIND = {
    "credit": "agency credit", "byline": "byline", "reporting credit": "reporting credit",
    "copyright": "copyright line", "contributed": "contributed-reporting line", "note": "editor's note",
    "photo credit": "photo credit",
}
METHOD = {
    "dateline": "the dateline names the agency",
    "credit": "a credit line names the agency",
    "byline": "the byline names the agency",
    "signature": "the agency's house-style opening",
    "house style": "the credit line follows the agency's house style (\u201cReporting by \u2026; Editing by "
                   "\u2026\u201d is Reuters), without naming it",
    "copyright": "a copyright line names the agency",
    "contributed": "a line says the agency contributed reporting",
}
INTRO = ("Where the copy comes from: news agencies sign their copy in the dateline "
         "(\u201cWASHINGTON (AP) \u2014\u201d), in a credit line (\u201cXINHUA\u201d, \u201c\u2014 AFP\u201d) "
         "or in a copyright line. Republished agency copy carries the agency's choices of words and sources.")
LIMITS = ("Only datelines, credit, copyright and contributed-reporting lines are read, never the story: "
          "\u201ctold The Associated Press\u201d is not origin. Agency copy that an outlet rewrote without "
          "credit, or credited only outside the text, is not found, and agencies missing from the lexicon are "
          "not recognised. Ownership is a coarse type taken from the cited source as of the date shown, "
          "not a judgement of this article. Credit lines and boilerplate (greyed) are left out of every count; "
          "boilerplate is recognised only when it fills a whole short line.")
LEGEND = (
    ("st-headline", "headline"),
    ("st-dateline", "dateline"),
    ("st-credit st-excluded", "credit line \u2014 not counted"),
    ("st-boilerplate st-excluded", "boilerplate \u2014 not counted"),
)


def marks(analysis: ArticleAnalysis) -> list[Mark]:
    s = analysis.structure
    origin = analysis.origin
    out = []
    if s.headline is not None:
        out.append(Mark(s.headline.start, s.headline.end, "st-headline", label="headline", layer="structure"))
    if s.dateline is not None:
        details = [("city", s.dateline_city or "\u2014")]
        if s.dateline_agency:
            details.append(("agency", s.dateline_agency))
        out.append(Mark(s.dateline.start, s.dateline.end, "st-dateline", label="dateline",
                        details=tuple(details), layer="structure"))
    for span in s.credit:
        kind = CREDIT_KIND.get(span.label, span.label or "credit")
        details = [("kind", kind), ("counted", "no: left out of every measure")]
        if origin is not None and origin.evidence_start == span.start:
            details.append(("origin", f"{origin.agency} ({origin.country})"))
        out.append(Mark(span.start, span.end, "st-credit st-excluded", label=f"{kind} \u2014 not counted",
                        details=tuple(details), layer="structure"))
    for span in s.boilerplate:
        out.append(Mark(span.start, span.end, "st-boilerplate st-excluded", label="boilerplate \u2014 not counted",
                        details=(("kind", "page furniture or scraper residue"),
                                 ("counted", "no: left out of every measure")), layer="structure"))
    return out


def panel(analysis: ArticleAnalysis) -> Panel:
    origin = analysis.origin
    if origin is None:
        return Panel(title="Origin", intro=INTRO + " No agency signs this copy.", columns=("field", "value"),
                     rows=(("agency", "none found"),), limits=LIMITS, layer="structure", legend=LEGEND)
    index = SentenceIndex(analysis.sentences)
    sentence = index(origin.evidence_start)
    evidence = origin.evidence_text
    rows = (
        ("agency", origin.agency),
        ("country", origin.country),
        ("ownership", origin.ownership.replace("_", " ")),
        ("as of", origin.as_of),
        ("classification source", origin.classification_source),
        ("found by", METHOD.get(origin.method, origin.method)),
        *((("own copy", f"yes: {analysis.article.outlet or 'the outlet'} is {origin.agency} itself"),)
          if getattr(origin, "own_copy", False) else ()),
        ("evidence", (f"\u201c{evidence}\u201d", (sentence,) if sentence >= 0 else ())),
    )
    return Panel(title="Origin", intro=INTRO, columns=("field", "value"), rows=rows, limits=LIMITS, layer="structure",
                 legend=LEGEND)
