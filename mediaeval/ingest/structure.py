"""Article structure as spans, never deletions: headline, dateline, credit lines, boilerplate.

Method: line-based patterns over the original text. The headline is the first
line when a blank line follows it (or the given title at the very start); the
dateline is the opening "CITY (Agency) —" / "CITY, Dec. 5 (Agency) --" /
"CITY, December 5. /TASS/." / "CITY —" of the first body paragraph; credit lines
(agency alone on a line, "— AFP", "(Reporting by …; Editing by …)", copyright,
"… contributed to this report", "Additional reporting by …", bylines, photo
credits) sit in the first lines after the headline or in the last lines; boilerplate
(copy-protection notices, "Read more", share/subscribe, cookie and newsletter
lines, "Click here", "Follow us on", "Advertisement", "Related:") must fill a whole
short line. Limits: boilerplate glued inside a story paragraph, or phrased in a
way the patterns do not list, stays in the text; a dateline is found only at the
start of the first body paragraph; an agency alone on a line counts as a credit
only when the agency lexicon knows it.
"""

from __future__ import annotations

import re
from typing import Optional

from ..model import Span, Structure
from .agencies import AgencyTable, load_agencies
from .structure_rules import (BOILERPLATE, BYLINE, CAPTION, CONTRIBUTED, COPYRIGHT, DATELINE_CAPS,
                              DATELINE_COMMA_AGENCY, DATELINE_EMBEDDED, DATELINE_SLASH, DATELINE_WITH_AGENCY,
                              INLINE_BOILERPLATE, NOT_A_CITY, NOTE, PHOTO_CREDIT, PHOTO_INLINE, REPORTING_INLINE,
                              REPORTING_LINE, REPORTING_TAIL, RIGHTS, SOURCE_DATED, SOURCE_LINE, TRAILING_AGENCY)

HEAD_ZONE = 3   # lines after the headline where bylines and agency credits may sit
TAIL_ZONE = 4   # last non-boilerplate lines where credit lines may sit


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, white space trimmed; offsets into ``text``."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _norm(s: str) -> str:
    """Words only, case-folded: titles and first lines differ in quotes and final stops."""
    return " ".join(re.findall(r"\w+", s.casefold()))


def _blank_after(text: str, end: int) -> bool:
    return bool(re.match(r"[ \t\r]*\n[ \t\r]*(\n|$)", text[end:])) or not text[end:].strip()


def _headline(text: str, lines: list[tuple[int, int]], title: str, table: AgencyTable) -> Optional[Span]:
    if not lines:
        return None
    s0, e0 = lines[0]
    if title.strip():
        want = _norm(title)
        if want and _norm(text[s0:e0]) == want:
            return Span(s0, e0, "headline")
        # a title split over the first lines of one block ("TITLE; \nSubtitle.")
        for i in range(1, min(3, len(lines))):
            s, e = lines[i]
            if text[lines[i - 1][1]:s].count("\n") > 1:
                break
            if want and _norm(text[s0:e]) == want:
                return Span(s0, e, "headline")
    if len(lines) < 2 or not _blank_after(text, e0):
        return None
    first = text[s0:e0]
    if len(first) > 300 or len(first.split()) > 40 or _dateline(first, table):
        return None
    return Span(s0, e0, "headline")


def _dateline(line: str, table: AgencyTable) -> Optional[tuple[int, str, str]]:
    """(length, city, agency) of a dateline opening ``line``, else None."""
    m = DATELINE_SLASH.match(line)
    if m:
        return m.end(), (m.group("city") or "").strip(" ,"), m.group("agency")
    m = DATELINE_WITH_AGENCY.match(line)
    if m:
        city, agency = (m.group("city") or "").strip(" ,"), m.group("agency").strip()
        known = _known_agency(agency, table)
        caps_city = city and city.split(",")[0].upper() == city.split(",")[0]
        if not m.group("dash"):  # "NEW DELHI, Dec 5 (PTI) The ...": only a known agency after a capitals city
            return (m.end(), city, agency) if known and caps_city else None
        if known or (caps_city and not re.match(r"[DRI]-[A-Z]", agency) and agency[:1].isupper()):
            return m.end(), city, agency
        return None
    m = DATELINE_COMMA_AGENCY.match(line)
    if m and table.resolve(m.group("agency"), strict=True):
        return m.end(), m.group("city"), m.group("agency")
    m = DATELINE_CAPS.match(line)
    if m and not NOT_A_CITY.match(m.group("city")):
        return m.end(), m.group("city").strip(" ,"), ""
    return None


def _known_agency(name: str, table: AgencyTable) -> bool:
    names = [a.strip() for a in re.split(r"\s*[/,&]\s*", name) if a.strip()]
    return any(table.resolve(n, strict=True) for n in names) or bool(table.find(name, strict=True))


def _embedded_dateline(text: str, ln: tuple[int, int], table: AgencyTable) -> Optional[tuple[Span, str, str]]:
    """A dateline run into a flattened first paragraph after a sentence end (known agencies only)."""
    for m in DATELINE_EMBEDDED.finditer(text, ln[0], min(ln[1], ln[0] + 1000)):
        if _known_agency(m.group("agency"), table) and not NOT_A_CITY.match(m.group("city")):
            end = m.end()
            while end > m.start() and text[end - 1].isspace():
                end -= 1
            return Span(m.start(), end, "dateline"), m.group("city"), m.group("agency").strip()
    return None


def _embedded_source(text: str, ln: tuple[int, int], table: AgencyTable) -> Optional[Span]:
    """Ahram Online's "AGENCY Weekday D Mon YYYY" run into the first 300 characters of a flattened opening."""
    for m in SOURCE_DATED.finditer(text, ln[0], min(ln[1], ln[0] + 300)):
        name = m.group("name").split()
        for k in range(len(name)):  # "Observatory Reuters": the agency is the last words
            if table.resolve(" ".join(name[k:]), strict=True):
                start = m.start("name") + len(" ".join(name[:k])) + (1 if k else 0)
                return Span(start, m.end(), "credit")
    return None


def _source_after_title(text: str, title: str, table: AgencyTable) -> Optional[Span]:
    """An agency name right after the title in a flattened opening ("... at least 58 Observatory Reuters A ...")."""
    title = title.strip()
    at = text.find(title, 0, 400 + len(title)) if len(title) >= 20 else -1
    if at < 0:
        return None
    m = re.match(r"\s*[\-\u2014\u2013|,]?\s*((?:[A-Z][\w\-]*)(?: [A-Z][\w\-]*){0,2})\s", text[at + len(title):])
    if not m:
        return None
    words = m.group(1).split()
    for k in range(len(words), 0, -1):  # the longest run of words that names an agency: "Associated Press"
        if table.resolve(" ".join(words[:k]), strict=True):
            start = at + len(title) + m.start(1)
            return Span(start, start + len(" ".join(words[:k])), "credit")
    return None


def _agency_alone(line: str, table: AgencyTable) -> bool:
    """True when the line is only an agency credit: "XINHUA", "— AFP", "(Reuters)", "By AFP", "AFP/Xinhua"."""
    core = re.sub(r"^(?:[\u2014\u2013\-]+|By\s+|\()\s*|\s*[).]*\s*$", "", line.strip())
    parts = [p for p in re.split(r"\s*(?:/|,|&|\band\b)\s*", core) if p]
    return bool(parts) and all(table.resolve(p, strict=True) for p in parts)


def _trailing_credit(text: str, ln: tuple[int, int], table: AgencyTable, credit: list, boiler: list) -> None:
    """A credit run into the end of the last paragraph (line breaks lost in scraping)."""
    start, end = ln
    m = INLINE_BOILERPLATE.search(text, start, end)
    if m and not text[m.end():end].strip():
        boiler.append(Span(m.start(), m.end(), "boilerplate"))
        end = m.start()
        while end > start and text[end - 1].isspace():
            end -= 1
    line = text[start:end]
    m = REPORTING_TAIL.search(line)
    if m and m.start() > 0:
        credit.append(Span(start + m.start(), end, "reporting credit"))
        return
    m = TRAILING_AGENCY.search(line)
    if m and m.start() > 0 and table.resolve(m.group("name"), strict=True):
        s = start + m.start()
        while text[s].isspace():
            s += 1
        credit.append(Span(s, end, "credit"))


def detect_structure(text: str, title: str = "", agencies: Optional[AgencyTable] = None) -> Structure:
    """Headline, dateline, credit and boilerplate spans of ``text`` (offsets into it)."""
    table = agencies or load_agencies()
    lines = _lines(text)
    headline = _headline(text, lines, title, table)
    body = [ln for ln in lines if headline is None or ln[0] >= headline.end]
    credit: list[Span] = []
    boiler: list[Span] = []

    def content(ln):
        return text[ln[0]:ln[1]]

    for ln in body:
        line = content(ln)
        if len(line.split()) <= 60 and any(p.match(line) for p in BOILERPLATE):
            boiler.append(Span(ln[0], ln[1], "boilerplate"))
    boiler_starts = {b.start for b in boiler}
    story = [ln for ln in body if ln[0] not in boiler_starts]

    # head zone: bylines, agency credits, photo captions and short decks before the dateline paragraph
    dateline = None
    city = agency = ""
    first_para = None
    for i, ln in enumerate(story[:HEAD_ZONE + 3]):
        line = content(ln)
        if len(line.split()) <= 12 and _agency_alone(line, table):
            credit.append(Span(ln[0], ln[1], "credit"))
            continue
        if i < HEAD_ZONE and BYLINE.match(line):
            credit.append(Span(ln[0], ln[1], "byline"))
            continue
        m = SOURCE_DATED.fullmatch(line.rstrip(" ."))
        if i < HEAD_ZONE and m and table.resolve(m.group("name"), strict=True):
            credit.append(Span(ln[0], ln[1], "credit"))
            continue
        if CAPTION.search(line):
            continue
        found = _dateline(line, table)
        if found:
            length, city, agency = found
            end = ln[0] + length
            while end > ln[0] and text[end - 1].isspace():
                end -= 1
            dateline = Span(ln[0], end, "dateline")
            first_para = ln
            break
        first_para = first_para or ln
        if len(line.split()) > 40:  # running text has begun: a dateline comes no later
            break
    if dateline is None and first_para is not None:
        found = _embedded_dateline(text, first_para, table)
        if found:
            dateline, city, agency = found
    if first_para is not None and not credit:
        span = _embedded_source(text, first_para, table) or _source_after_title(text, title, table)
        if span:
            credit.append(span)

    # credit lines anywhere: photo credits, parenthesised reporting credits
    taken = {c.start for c in credit}
    for ln in story:
        line = content(ln)
        if ln[0] in taken:
            continue
        if len(line.split()) <= 12 and PHOTO_CREDIT.match(line):
            credit.append(Span(ln[0], ln[1], "photo credit"))
            taken.add(ln[0])
            continue
        for m in PHOTO_INLINE.finditer(line):
            credit.append(Span(ln[0] + m.start(), ln[0] + m.end(), "photo credit"))
        for m in REPORTING_INLINE.finditer(line):
            credit.append(Span(ln[0] + m.start(), ln[0] + m.end(), "reporting credit"))

    # tail zone: the last lines
    tail = [ln for ln in story if ln[0] not in taken and ln != first_para][-TAIL_ZONE:]
    inline = [(c.start, c.end) for c in credit]
    for ln in tail:
        line = content(ln)
        if any(s <= ln[0] and ln[1] <= e for s, e in inline):
            continue
        words = len(line.split())
        label = ""
        if words <= 8 and _agency_alone(line, table):
            label = "credit"
        elif words <= 80 and REPORTING_LINE.match(line):
            label = "reporting credit"
        elif words <= 12 and SOURCE_LINE.match(line) and _agency_alone(SOURCE_LINE.match(line).group("names"), table):
            label = "credit"
        elif words <= 40 and (COPYRIGHT.search(line) or RIGHTS.search(line)):
            label = "copyright"
        elif words <= 40 and CONTRIBUTED.match(line):
            label = "contributed"
        elif words <= 40 and NOTE.search(line) and table.find(line, strict=False):
            label = "note"
        if label:
            credit.append(Span(ln[0], ln[1], label))
    if story and not any(c.end == story[-1][1] for c in credit):
        _trailing_credit(text, story[-1], table, credit, boiler)
    credit = sorted(set(credit), key=lambda s: (s.start, s.end))
    return Structure(headline=headline, dateline=dateline, dateline_city=city, dateline_agency=agency,
                     credit=tuple(credit), boilerplate=tuple(boiler))
