"""Origin: the news agency the copy comes from, read from where agencies sign their copy.

Method: look only at structural positions found by ``ingest.structure`` (never
at the story's sentences): the agency in the dateline ("WASHINGTON (AP) —",
"AMMAN, (Reuters) –", "BEIRUT August 21 (The Associated Press)", "/TASS/",
"Tehran, IRNA --"), credit lines ("XINHUA", "— AFP", "By AFP", "Source:
Xinhua"), copyright lines ("Copyright 2016 The Associated Press", "(c) 2016
AFP") and "… contributed to this report" / "Additional reporting by …" lines.
A credit line that does not name the agency but follows its house style
("(Reporting by …; Editing by …)" is Reuters') is reported with the method
``house style``, below any line that names an agency. An outlet carrying its
own agency's copy (Reuters copy on reuters.com) gets ``own_copy``.
When several agencies are credited the primary one is chosen by position
(dateline > credit/byline > copyright > contributed; the earlier one on a tie)
and the others are named in ``evidence_text``. The agency's country and
ownership come from the agency lexicon (``lexicons/agencies.csv``), with the
source of that classification and the date it holds for.

Limits: copy that an outlet rewrote and stopped crediting, or credited only in
page furniture the text does not contain, is not found; a mention in the story
("told The Associated Press", "Reuters reported") is deliberately never origin;
photo credits ("Jim Smith / Reuters") are not text origin; an agency missing
from the lexicon is not found; ownership is a coarse type as of the lexicon's
``as_of`` date, not a judgement of a particular article.
"""

from __future__ import annotations

import re
from typing import Optional

from ..ingest.agencies import Agency, AgencyTable, load_agencies
from ..ingest.structure_rules import NOTE
from ..model import Article, Origin, Span, Structure

RANK = {"dateline": 0, "credit": 1, "byline": 1, "signature": 2, "house style": 2, "copyright": 3, "contributed": 4}
_LABEL_METHOD = {"credit": "credit", "byline": "byline", "reporting credit": "credit", "note": "credit",
                 "copyright": "copyright", "contributed": "contributed"}


def _candidates(text: str, structure: Structure, table: AgencyTable) -> list[tuple[int, int, Agency, str, Span]]:
    """(rank, position, agency, method, evidence span) for every agency credited in a structural position."""
    found = []
    if structure.dateline is not None and structure.dateline_agency:
        names = structure.dateline_agency.replace("&", "/").replace(",", "/").split("/")
        agencies = [a for a in (table.resolve(n, strict=True) for n in names) if a]
        if not agencies:  # "(Reuters Breakingviews)"
            agencies = [a for _, _, a in table.find(structure.dateline_agency, strict=True)]
        for agency in dict.fromkeys(agencies):
            found.append((RANK["dateline"], structure.dateline.start, agency, "dateline", structure.dateline))
    for span in structure.credit:
        method = _LABEL_METHOD.get(span.label)
        if method is None:  # photo credits name who took the picture, not who wrote the text
            continue
        line = re.sub(r"^[\-\u2014\u2013\s]+|^\((?!c\))\s*", "", text[span.start:span.end])  # "--Reuters", "(AFP)"
        strict = span.label in ("credit", "byline")
        hits = [a for _, _, a in table.find(line, strict=strict)]
        if span.label == "byline" and not hits:
            # "By JANE DOE, AP": a short acronym as the last item of a byline
            tail = line.rstrip(" .").rsplit(",", 1)[-1]
            agency = table.resolve(tail, strict=True)
            hits = [agency] if agency and "," in line else []
        if span.label == "note":
            m = NOTE.search(line)
            name = m and (m.group("name") or m.group("name2"))
            agency = table.resolve(name, strict=True) if name else None
            hits = hits + ([agency] if agency else [])
        if span.label in ("copyright", "contributed"):
            hits = hits + [a for _, _, a in table.find(line, strict=True)
                           if _acronym_in_credit_slot(line, a, table)]
        if span.label == "reporting credit" and re.match(r"additional reporting by", line, re.IGNORECASE):
            method = "contributed"  # "Additional reporting by AFP"
        for agency in dict.fromkeys(hits):
            found.append((RANK[method], span.start, agency, method, span))
        if not hits:
            for agency in table.agencies:  # house style: "(Reporting by …; Editing by …)" is Reuters
                if agency.signature is not None and agency.signature.search(line):
                    found.append((RANK["house style"], span.start, agency, "house style", span))
    return found


def _acronym_in_credit_slot(line: str, agency: Agency, table: AgencyTable) -> bool:
    """An ambiguous acronym in a copyright/contributed line counts when it is the holder or the subject:
    "Copyright 2016 AP", "AP contributed to this report", "AP writers Jane Doe and ... contributed"."""
    for alias in agency.aliases:
        if agency.is_ambiguous(alias):
            a = re.escape(alias)
            if re.match(rf"(?:\u00a9\s*)?(?:Copyright|\(c\)|\u00a9)\s*(?:\u00a9\s*)?(?:\d{{4}}\s*)?(?:The\s+)?{a}\b", line) \
                    or re.search(rf"(?:^|,\s*|\band\s+)(?:the\s+)?{a}\s+(?:(?:writers?|reporters?|correspondents?|staff|"
                                 rf"photographers?)\b|(?:also\s+)?contributed\b)", line):
                return True
    return False


def _signatures(text: str, structure: Structure, table: AgencyTable) -> list[tuple[int, int, Agency, str, Span]]:
    """A house-style opening (for example AP's "Your daily look at late-breaking news…") in the first body line."""
    start = structure.headline.end if structure.headline else 0
    body = text[start:].lstrip()
    offset = len(text) - len(body)
    first = body.split("\n", 1)[0].rstrip()
    out = []
    for agency in table.agencies:
        if agency.signature is not None:
            m = agency.signature.match(first)
            if m:
                out.append((RANK["signature"], offset, agency, "signature", Span(offset, offset + len(first))))
    return out


def _own_copy(article: Article, agency: Agency) -> bool:
    """True when the outlet is the agency itself: "Reuters" (or reuters.com) carrying Reuters copy."""
    outlet = re.sub(r"[^a-z0-9]", "", article.outlet.lower())
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", article.url.lower()).split("/")[0]
    for alias in agency.aliases:
        key = re.sub(r"[^a-z0-9]", "", alias.lower())
        if len(key) < 3:
            continue
        if outlet and (outlet == key or outlet.startswith(key) and outlet[len(key):] in ("com", "news", "newsagency",
                                                                                        "agency", "online")):
            return True
        if host and (host.split(".")[0] == key or host.split(".")[-2:-1] == [key]):
            return True
    return False


def detect_origin(article: Article, structure: Structure, agencies: Optional[AgencyTable] = None) -> Optional[Origin]:
    """The originating agency of ``article`` with its evidence span, or None when no agency signs the copy."""
    table = agencies or load_agencies()
    text = article.text
    found = _candidates(text, structure, table) + _signatures(text, structure, table)
    if not found:
        return None
    found.sort(key=lambda c: (c[0], c[1]))
    rank, _, agency, method, span = found[0]
    evidence = text[span.start:span.end]
    others = []
    for _, _, other, other_method, other_span in found[1:]:
        if other.agency_id != agency.agency_id and other.name not in [o[0] for o in others]:
            others.append((other.name, other_method, text[other_span.start:other_span.end]))
    if others:
        evidence += " [also credited: " + "; ".join(f'{n} ({m}: "{t}")' for n, m, t in others) + "]"
    own = _own_copy(article, agency)
    if own:
        evidence += f" [own copy: the outlet is {agency.name}]"
    return Origin(agency_id=agency.agency_id, agency=agency.name, country=agency.country,
                  ownership=agency.ownership, as_of=agency.as_of,
                  classification_source=agency.classification_source, method=method,
                  evidence_start=span.start, evidence_end=span.end, evidence_text=evidence, own_copy=own)
