"""The line patterns behind ``ingest.structure``: datelines, credit lines, boilerplate.

Every boilerplate pattern must match a whole (short) line, so an ordinary
sentence that merely contains "subscribe" or "read more" is never marked.
Credit patterns follow wire-service house styles (AP, Reuters, AFP, UPI, Xinhua,
TASS) as they appear in republished copy.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE = (rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?(?:\s+\d{{4}})?)")  # "Dec. 5, 2024", "5th December, 2024"
_UP = "A-Z\u00C0-\u00DE"
CAPWORD = rf"[{_UP}][\w'\u2019.\-]*"
UPWORD = rf"[{_UP}][{_UP}'\u2019.\-]*"
REGION = rf",\s*[{_UP}][\w.'\u2019]*(?:\s+[{_UP}][\w.'\u2019]*){{0,2}}"
DASH = r"(?:\s*[\u2014\u2013\u2012\u2015]|\s*--|\s+-)(?=\s)\s*"
_CITY = rf"{CAPWORD}(?:[ \-]{CAPWORD}){{0,3}}(?:{REGION}){{0,2}}"
_AGENCY = r"[A-Za-z\u00C0-\u017F][\w .&/'\u2019\-]{0,38}"

# "WASHINGTON (AP) —", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —", "Dec 29 (Reuters) -", "BEIRUT, Dec. 5 (Xinhua) --",
# "AMMAN, (Reuters) –", "Madrid, Dec 5 (EFE).- ", "NEW DELHI, Dec 5 (PTI) The ..." (no dash: ``dash`` is empty)
DATELINE_WITH_AGENCY = re.compile(
    rf"(?P<city>{_CITY}(?:\s*/\s*{_CITY}){{0,2}})?(?:,?\s*(?P<date>{DATE}))?\.?,?\s*"
    rf"\((?P<agency>{_AGENCY})\)(?:\.?\s*(?P<dash>[\u2014\u2013\u2012\u2015]|--|-)\s+|\s+(?=[{_UP}\"\u201c]))")
# "Tehran, IRNA --", "Damascus, SANA- " (IRNA and SANA house style: the agency after a comma, no parentheses)
DATELINE_COMMA_AGENCY = re.compile(
    rf"(?P<city>{CAPWORD}(?: {CAPWORD}){{0,2}}),\s*(?P<agency>[{_UP}][A-Za-z]{{1,15}})\s*"
    r"(?:[\u2014\u2013\u2012\u2015]|--|-)\s+")
# a dateline inside a flattened first paragraph, after a sentence end: "... people. BEIRUT August 21 (The Associated
# Press) Syrian forces ..." (the agency must be in the lexicon)
DATELINE_EMBEDDED = re.compile(
    rf"(?<=[.!?\"\u201d]\s)(?P<city>{UPWORD}[{_UP}.](?:[ \-]{UPWORD}){{0,3}}),?(?:\s+(?P<date>{DATE}))?\.?,?\s*"
    rf"\((?P<agency>{_AGENCY})\)\.?\s*(?:(?:[\u2014\u2013\u2012\u2015]|--|-)\s+|(?=[{_UP}\"\u201c]))")
# Ahram Online's source line: "AFP , Tuesday 4 Apr 2017" on its own line, or run into a flattened opening after
# the headline ("... kills at least 58 Observatory Reuters Tuesday 4 Apr 2017 A suspected ...")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
SOURCE_DATED = re.compile(
    rf"(?P<name>[A-Za-z][\w\-]{{1,20}}(?: [A-Z][\w\-]+){{0,2}})\s*,?\s+{_WEEKDAY}\s+\d{{1,2}}\s+{MONTH}\s+\d{{4}}")
# "Source: Xinhua", "Sources: AFP, Reuters" (the names must all be agencies)
SOURCE_LINE = re.compile(r"(?:[\-\u2014\u2013]+\s*)?Sources?\s*:\s*(?P<names>[^\n]{1,80}?)\.?$")
# "MOSCOW, December 5. /TASS/."
DATELINE_SLASH = re.compile(
    rf"(?P<city>{CAPWORD}(?:[ \-]{CAPWORD}){{0,3}}(?:{REGION})?)?(?:,?\s*(?P<date>{DATE}))?\.?\s*"
    r"/(?P<agency>[A-Za-z][\w\-]{1,20})/\.?\s+")
# "DAMASCUS —", "NEW YORK - ", "ST. LOUIS, Mo. —" (not "RIYADH:": transcripts use "JAKE TAPPER:")
DATELINE_CAPS = re.compile(
    rf"(?P<city>{UPWORD}[{_UP}.](?:(?:[ \-]|\s*/\s*){UPWORD}){{0,4}}(?:{REGION}){{0,2}})(?:,\s*{DATE})?{DASH}")
NOT_A_CITY = re.compile(
    r"(?:BREAKING|UPDATE[SD]?|WATCH|EXCLUSIVE|ANALYSIS|NOTE|EDITOR'?S NOTE|VIDEO|PHOTOS?|READ|CORRECTION|OPINION|"
    r"LIVE|FULL TEXT|ABSTRACT|TRANSCRIPT|NEWS|ALERT|URGENT|FLASH|WARNING|MORE|RELATED|ADVERTISEMENT|GRAPHIC|FILE|"
    r"DEVELOPING|THE LATEST|UPDATED|CLARIFICATION|Q|A|AP|UPI|AFP)(?:,.*)?$")

# photo captions that may precede the dateline paragraph ("FILE PHOTO: ... REUTERS/Jane Doe", "... (AP Photo/Jo Roe)")
CAPTION = re.compile(
    r"^(?:FILE(?: PHOTO)?\s*[:\-\u2014\u2013]|PHOTO:)"
    r"|(?:\((?:AP|AFP|Reuters|EPA|Xinhua)? ?Photos?/[^()\n]{1,80}\)|\bREUTERS/[A-Z][\w.\- ]{1,40}(?:/(?:File )?Photo)?"
    r"|/(?:AFP|Getty Images)\)?)\.?\)?$")

# "By AFP", "By JOHN SMITH, Associated Press", "By the Associated Press": capitalised words only
_BYWORD = rf"(?:[{_UP}][\w.'\u2019\-]*|and|of|the|de|da|van|von|der|al|&)"
BYLINE = re.compile(rf"By\s+{_BYWORD}(?:[,;]?\s+{_BYWORD}){{0,11}}[,;]?\.?$")

PHOTO_SOURCES = (r"(?:Reuters|REUTERS|AFP|AP|AP Photo|Getty Images|Getty|EPA|EPA-EFE|Shutterstock|Alamy|Xinhua|"
                 r"XINHUA|Pool|POOL|Handout|HANDOUT|Bloomberg|Anadolu Agency|Anadolu|TASS|Sputnik|dpa|ANSA|Sipa|SIPA)")
PHOTO_CREDIT = re.compile(
    rf"\(?(?:[^()/\n]{{0,60}}/\s*)+{PHOTO_SOURCES}(?:\s*/\s*[^()/\n]{{1,40}})?\.?\)?\.?$"
    r"|.{0,80}\bvia Getty Images\.?\)?\.?$"
    r"|\(?(?:Photo(?:graph|grapher)?|Image|Picture)(?: credit)?\s*:\s*.{1,100}$"
    r"|\(?(?:Getty(?: Images)?|Shutterstock|Alamy|AP Photo|Handout)(?:\s*/\s*[\w .\-]{1,40})?\.?\)?\.?$", _I)
PHOTO_INLINE = re.compile(
    r"\((?:AP|AFP|Reuters|EPA|Xinhua)? ?Photos?/[^()\n]{1,60}\)"
    r"|\([^()\n]{1,60}/(?:AFP|Getty Images|Reuters|EPA|AP)(?:/[^()\n]{1,30})?\.?\)")

# "(Reporting by …; Editing by …)" anywhere; "Additional reporting by …" lines
REPORTING_INLINE = re.compile(
    r"\((?:(?:Additional |Writing and )?[Rr]eporting|Writing|Editing|Compiled|Compiling) by [^()\n]{1,400}\)\.?")
REPORTING_LINE = re.compile(
    r"(?:[\-\u2014\u2013]+\s*|\()?(?:[Aa]dditional reporting by\b|(?:Reporting|Writing) by [^;\n]{1,200};)"
    r"|(?:[\-\u2014\u2013]+\s*|\()(?:Reporting|Writing|Editing) by\b")
# a credit run into the last paragraph (paragraph breaks lost): "... the statement. - REUTERS",
# "... Reporting by Jane Doe; Editing by John Roe"
TRAILING_AGENCY = re.compile(r"(?:(?<=[.!?\"\u201d\u2019])\s*|\s+)[\-\u2014\u2013]+\s*(?P<name>[A-Za-z][\w\-]{1,30}(?: [A-Z][\w\-]+){0,3})\.?$")
REPORTING_TAIL = re.compile(
    r"(?:Additional r|R)eporting by [^;\n]{1,150};[^\n]{0,300}?\b[EeWw](?:diting|riting) by [^\n]{1,200}$")
INLINE_BOILERPLATE = re.compile(r"Our Standards:\s*The Thomson Reuters Trust Principles\.?")
COPYRIGHT = re.compile(r"^(?:Copyright|\(c\)|\u00a9)\s*(?:\u00a9\s*)?(?:\d{4}|by\b|[A-Z])"
                       r"|Copyright\s+(?:\u00a9\s*)?\d{4}|\u00a9\s*\d{4}")
RIGHTS = re.compile(r"All rights reserved|may not be published, broadcast, rewritten,? or redistributed", _I)
_NAME = rf"(?:[{_UP}][\w.'\u2019\-]*|and|of|the|in|staff|writers?|researchers?|reporters?|correspondents?)"
_NAMES = rf"{_NAME}(?:,?\s+{_NAME}){{0,14}}"
CONTRIBUTED = re.compile(
    rf"(?:[\-\u2014\u2013]+\s*)?{_NAMES}\s+(?:also\s+)?contributed"
    r"(?: reporting| to this (?:report|story|article)|\s+additional reporting)?(?: from [^.\n]{1,80})?\.?"
    rf"(?:\s+{_NAMES}\s+reported from [^\n]{{1,80}})?\s*$")
NOTE = re.compile(
    rf"\bthis (?P<name>[{_UP}][\w\-]*(?: [{_UP}][\w\-]*){{0,3}}) (?:article|story|report|dispatch)\b"
    r"|(?:originally (?:appeared|published) (?:on|in|at)|(?:published|provided|supplied|distributed) by)"
    rf" (?:the )?(?P<name2>[{_UP}][\w\-]*(?: [{_UP}][\w\-]*){{0,3}})")

BOILERPLATE = [re.compile(p + r"\s*$", _I) for p in (
    # copy-protection notices left behind by scrapers
    r"(?:you cannot copy content of this page|(?:alert:\s*)?content is protected\s*!*|"
    r"(?:alert:\s*)?(?:content )?(?:copying|selection) is (?:not allowed|disabled)\s*!*|right[- ]click (?:is )?disabled\s*!*)\.?",
    r"(?:read more|read the full (?:story|article)|continue reading|keep reading)(?:\s*[:>\u00bb.\u2026]+.{0,200}|\s*\.{0,3})",
    r"(?:(?:share|tweet|email|print|pin|save)(?: (?:this|on facebook|on twitter|on x|on whatsapp|on linkedin|via email|"
    r"article|story|post|page))*\s*[:!.]?\s*){1,6}",
    r"(?:subscribe|sign up)\b.{0,200}\b(?:newsletter|inbox|e-?mail|alerts?|updates|our|free|now|today|here|digest)\b.{0,200}",
    r"(?:get|receive|want) (?:our|the)\b.{0,120}\bnewsletter\b.{0,120}",
    r".{0,200}\b(?:delivered|straight|directly) to your inbox\b.{0,120}",
    r".{0,300}\b(?:we use cookies|(?:this|our) (?:web)?site uses cookies|accept (?:all )?cookies|"
    r"cookie (?:policy|settings|preferences|consent)|by continuing to (?:use|browse))\b.{0,300}",
    r"(?:click|tap) here\b.{0,200}",
    r"follow @\w+.{0,120}",
    r"(?:follow|like) (?:us|me|[A-Z][\w.'\u2019\- ]{0,120}) on (?:twitter|facebook|instagram|x|linkedin|youtube|"
    r"telegram|tiktok|threads|google news|bluesky|mastodon)\b.{0,200}",
    r"(?:advertisement|advertising|sponsored(?: content)?|story continues below(?: advertisement)?|"
    r"continue reading the main story|scroll to continue(?: with content)?|ad)\s*[.:]?",
    r"(?:related(?: articles?| stories| coverage| content| news| links?)?|see also|also read|read also|"
    r"recommended|more from [\w ]{1,40}|you (?:may|might) also like|trending now|more on this story|"
    r"\(?photos|gallery|slideshow)\s*(?::.{0,300})?",
)]
