"""The lesson's questions and model answers, built from one analysis per article as data.

Five questions, each asked only when a text supports it: who speaks and how
much (attributions grouped by resolved source); whose words the labels are (the
voice of each actor-label hit: ``own``, ``quoted``, ``reported``,
``scare_quoted``); what a softened phrase stands for (euphemism hits with the
lexicon's plain word, and where the outlet itself uses that word); what the
credit line and dateline say and where the copy comes from (structure spans and
the origin record); which side is heard only through others (a side's own
sources by source type, else the attributions whose content names it). Every
point of an answer carries references to sentences: the worksheet line (1-based
line of the text split on "\n") and the annotated page's ``#s<index>`` anchor.

Plain words: codes are shown with the labels ``codes.CODES`` declares (source
types, sides, ownership, how the origin was found); a label is what
``extract.labels.is_label`` counts as one (a word naming a group of people),
so the lesson and labels.csv agree.

Limits: the answers are as good as the extractors (a missed quotation or a
mistyped source shows up in them); a text without quotation marks cannot
support "whose words" and gets a note instead; the two sides are the lexicon's
``refers_to`` groups ``nonstate_armed`` and ``state_forces``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..codes import CODES
from ..extract.labels import is_label
from ..lines import line_of
from ..model import ArticleAnalysis

SHOWN = 6  # sources per article in a model answer; the rest are counted ("6 of 19 shown")
QUOTE_MARKS = re.compile(r"[\"“”«»„]")
SOURCE_WORDS = CODES["source_type"]  # plain names of the source types, declared once
# the two sides, named as codes.py names them, with the source types that speak for each
SIDES = {code: (CODES["refers_to"][code], types) for code, types in
         (("nonstate_armed", {"armed_group"}), ("state_forces", {"military", "government"}))}
SOFTENING = {"softening", "agentless", "justifying"}
COUNTRIES = {"CN": "China", "US": "the United States", "GB": "the United Kingdom", "FR": "France", "RU": "Russia",
             "IR": "Iran", "QA": "Qatar", "SA": "Saudi Arabia", "TR": "Turkey", "SY": "Syria", "EG": "Egypt",
             "DE": "Germany", "AE": "the United Arab Emirates", "IL": "Israel", "LB": "Lebanon"}


@dataclass
class Ref:
    """A pointer at a sentence: the worksheet line and the annotated page's sentence anchor."""

    label: str
    href: str


@dataclass
class Point:
    text: str
    refs: list = field(default_factory=list)


@dataclass
class ArticleView:
    key: str  # "A", "B", ...
    analysis: ArticleAnalysis
    href: str  # the annotated page, from a lesson folder
    lines: list
    sentence_marks: bool  # some line holds several sentences: the worksheet numbers sentences too
    has_quotes: bool
    fakes: bool  # a FA-KES record (its fakes_outlet / fakes_unit_id fields)
    stripped: bool = False  # no commas in 100 words or more: punctuation removed when the text was collected

    @property
    def name(self) -> str:
        """The outlet and date; without an outlet, the (shortened) title or the article's id."""
        a = self.analysis.article
        title = (a.title or "").strip()
        who = a.outlet or (f"“{title[:50]}{'…' if len(title) > 50 else ''}”" if title else a.article_id)
        return f"{who}{', ' + a.date if a.date else ''}"

    @property
    def label(self) -> str:
        """How notes name the text: "B: Reuters, 2017-04-15" in a lesson on several texts."""
        return f"{self.key}: {self.name}" if self.key else self.name

    def ref(self, sentence_index: int) -> Ref:
        text, sents = self.analysis.article.text, self.analysis.sentences
        start = sents[sentence_index].start if 0 <= sentence_index < len(sents) else 0
        label = f"line {line_of(text, start)}"
        if self.sentence_marks:
            label += f", sentence {sentence_index + 1}"
        return Ref(f"{self.key}: {label}" if self.key else label, f"{self.href}#s{sentence_index}")

    def refs(self, indexes: Iterable[int]) -> list:
        return [self.ref(i) for i in sorted(set(i for i in indexes if i >= 0))]


def article_view(analysis: ArticleAnalysis, key: str, href: str) -> ArticleView:
    text = analysis.article.text
    lines = []
    starts = [s.start for s in analysis.sentences]
    offset = 0
    for n, line in enumerate(text.split("\n"), start=1):
        end = offset + len(line)
        marks = [(i, s - offset) for i, s in enumerate(starts) if offset <= s < end]
        lines.append({"n": n, "parts": _line_parts(line, marks), "empty": not line.strip()})
        offset = end + 1
    crowded = any(sum(1 for s in starts if line_of(text, s) == n) > 2 for n in range(1, len(lines) + 1))
    if not crowded:
        for line in lines:
            line["parts"] = [{"text": "".join(p["text"] for p in line["parts"]), "sentence": None}]
    fakes = bool(analysis.article.meta("fakes_outlet") or analysis.article.meta("fakes_unit_id"))
    stripped = fakes or ("," not in text and _words(text) >= 100)
    return ArticleView(key, analysis, href, lines, crowded, bool(QUOTE_MARKS.search(text)), fakes, stripped)


def _line_parts(line: str, marks: list) -> list:
    parts, last = [], 0
    for i, at in marks:
        if at > last:
            parts.append({"text": line[last:at], "sentence": None})
        parts.append({"text": "", "sentence": i + 1})
        last = at
    parts.append({"text": line[last:], "sentence": None})
    return [p for p in parts if p["text"] or p["sentence"]]


def kind_of(source_type: str) -> str:
    """The plain name of a source type; "" when the type could not be told (never the bare word "unknown")."""
    return "" if source_type in ("", "unknown", None) else SOURCE_WORDS.get(source_type, source_type.replace("_", " "))


def _named(name: str, source_type: str = "") -> str:
    """A source as it stands inside a sentence: "the Syrian Observatory (NGO or monitor)"."""
    name = re.sub(r"^(The|A|An) ", lambda m: m.group(1).lower() + " ", name.strip())
    kind = kind_of(source_type)
    return f"{name} ({kind})" if kind else name


def distinct(words: Iterable[str]) -> list:
    """Words without repeats that differ only in case, in alphabetical order, each as first written ("ISIS")."""
    seen: dict[str, str] = {}
    for w in words:
        seen.setdefault(w.lower(), w)
    return [seen[k] for k in sorted(seen)]


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def who_speaks(v: ArticleView) -> list:
    an = v.analysis
    by_source: dict[str, dict] = {}
    for at in an.attributions:
        name = (at.source_resolved or at.source_text or "no source named").strip()
        entry = by_source.setdefault(name.lower(), {"name": name, "type": at.source_type, "n": 0, "words": 0,
                                                     "direct": 0, "sentences": set()})
        entry["n"] += 1
        entry["words"] += _words(at.content_text)
        entry["direct"] += at.kind in ("direct", "mixed", "floating")
        entry["sentences"].add(at.sentence_index)
    if not by_source:
        return [Point("No one is quoted or reported: mediaeval found no attributions. Everything is told in the "
                      "outlet's own voice (check: a missed 'said' can hide a source).")]
    m = an.measures
    points = [Point(f"{len(an.attributions)} attributions from {len(by_source)} sources; about "
                    f"{pct(m.get('attributed_word_share'))} of the words rest on sources, "
                    f"{pct(m.get('direct_quote_word_share'))} are direct quotation.")]
    ranked = sorted(by_source.values(), key=lambda e: (-e["words"], -e["n"], e["name"]))
    for e in ranked[:SHOWN]:
        how = f"{e['direct']} in quotation marks" if e["direct"] else "paraphrased only"
        name = _named(e["name"], e["type"])
        points.append(Point(f"{name[0].upper() + name[1:]}: {e['n']} attribution"
                            f"{'s' if e['n'] != 1 else ''}, about {e['words']} words, {how}.", v.refs(e["sentences"])))
    if len(ranked) > SHOWN:
        points.append(Point(f"{SHOWN} of {len(ranked)} sources shown (those with the most words); the annotated "
                            f"article lists every one."))
    return points


def pct(x) -> str:
    return "—" if x is None else f"{round(float(x) * 100)}%"


def label_hits(an: ArticleAnalysis) -> list:
    """Labels as labels.csv counts them (``extract.labels.is_label``), without the plain descriptive ones."""
    return [t for t in an.terms if is_label(t) and (t.loaded or t.function != "descriptive")]


def whose_words(v: ArticleView) -> tuple[list, list]:
    """The labels (quoted ones first) and, per label and voice, who says it."""
    groups: dict[tuple, dict] = {}
    for t in label_hits(v.analysis):
        key = (t.matched_text.lower(), t.voice, t.speaker)
        g = groups.setdefault(key, {"text": t.matched_text, "voice": t.voice, "speaker": t.speaker,
                                    "sentences": set(), "function": t.function})
        g["sentences"].add(t.sentence_index)
    rank = {"quoted": 0, "reported": 1, "scare_quoted": 2, "own": 3}  # a source's own wording first
    order = sorted(groups.values(), key=lambda g: (rank.get(g["voice"], 3), min(g["sentences"])))
    points = []
    for g in order[:SHOWN + 2]:
        speaker = _named(g["speaker"]) if g["speaker"] else "a source"
        who = {"own": "the outlet's own word", "quoted": f"the words of {speaker}, inside quotation marks",
               "reported": f"from {speaker}, paraphrased without quotation marks: the claim is "
                                 f"theirs, the word is the outlet's choice",
               "scare_quoted": "in quotation marks that keep a distance from the word"}.get(g["voice"], speaker)
        points.append(Point(f"“{g['text']}” — {g['voice'].replace('_', '-')}: {who}.", v.refs(g["sentences"])))
    if len(order) > SHOWN + 2:
        points.append(Point(f"{SHOWN + 2} of {len(order)} labels shown; the annotated article marks every one."))
    # two labels to ask about: the first, then one doing a different job (a "martyrs" beside a "terrorists")
    labels = order[:1] + [g for g in order[1:] if order and g["function"] != order[0]["function"]][:1]
    return [g["text"] for g in labels], points


def softened(v: ArticleView) -> tuple[list, list]:
    an = v.analysis
    hits = [t for t in an.terms if t.category == "euphemism" or (t.function in SOFTENING and t.loaded)]
    hits.sort(key=lambda t: (-len(t.matched_text.split()), t.start))
    points, seen = [], set()
    for t in hits:
        if t.matched_text.lower() in seen:
            continue
        seen.add(t.matched_text.lower())
        whose = {"own": "in the outlet's own words",
                 "scare_quoted": "in scare quotes: the outlet's own quotation marks, with no source"}.get(
            t.voice, f"{CODES['voice'].get(t.voice, t.voice)}: from {_named(t.speaker) if t.speaker else 'a source'}")
        plain = t.neutral_alternative or "a plainer word"
        points.append(Point(f"“{t.matched_text}” ({whose}) stands for: {plain}.", v.refs([t.sentence_index])))
        plain_words = {w for w in re.findall(r"[a-z]+", plain.lower()) if len(w) > 3}
        own_plain = [x for x in an.terms if x.voice == "own" and x.term.lower() in plain_words]
        if own_plain:
            points.append(Point(f"The outlet itself writes the plain word elsewhere: "
                                f"{', '.join(sorted({'“' + x.matched_text + '”' for x in own_plain}))}.",
                                v.refs(x.sentence_index for x in own_plain)))
    return [t.matched_text for t in hits[:1]], points


def credit_and_origin(v: ArticleView) -> list:
    an, s = v.analysis, v.analysis.structure
    text = an.article.text
    points = []
    for span in s.credit:
        points.append(Point(f"The credit line “{text[span.start:span.end].strip()}” (line {line_of(text, span.start)}) "
                            f"names who supplied the copy; it is not part of the story and mediaeval leaves it "
                            f"out of every count."))
    if s.dateline:
        points.append(Point(f"The dateline “{text[s.dateline.start:s.dateline.end].strip()}” says where the report "
                            f"was filed from.", v.refs([_sentence_at(an, s.dateline.start)])))
    o = an.origin
    if o:
        own = CODES["ownership"].get(o.ownership, o.ownership.replace("_", " "))
        country = COUNTRIES.get(o.country, o.country)
        method = CODES["origin_method"].get(o.method, o.method.replace("_", " "))
        points.append(Point(f"The copy comes from {o.agency}, a {own} news agency based in {country} (ownership as "
                            f"classified in {o.as_of}). mediaeval found it from the {method}."))
    else:
        points.append(Point("No news-agency credit, dateline tag or signature was found: the text does not say where "
                            "the copy comes from. Check the byline on the outlet's own page."))
    for span in s.boilerplate:
        points.append(Point(f"“{text[span.start:span.end].strip()[:80]}” (line {line_of(text, span.start)}) is left "
                            f"over from the web page (boilerplate), not part of the report."))
    return points


def _about(attribution, hits, types) -> bool:
    """Does the attribution's content name the side (a lexicon label for it, or a source-type pattern of it)?"""
    from ..extract.sources import type_patterns

    pieces = attribution.content_pieces
    if any(s <= t.start < e for t in hits for s, e in pieces):
        return True
    return any(kind in types and pattern.search(attribution.content_text or "")
               for kind, pattern, _ in type_patterns())


def _sentence_at(an: ArticleAnalysis, offset: int) -> int:
    for i, s in enumerate(an.sentences):
        if s.start <= offset < max(s.end, s.start + 1):
            return i
    return -1


def heard_through_others(v: ArticleView) -> tuple[list, list]:
    """Per side named in the text: its own sources, or the others who tell what it did."""
    an = v.analysis
    points, silent = [], []
    for side, (side_name, types) in SIDES.items():
        hits = [t for t in an.terms if t.refers_to == side]
        if not hits:
            continue
        words = (distinct(t.matched_text for t in hits if t.voice == "own") or
                 distinct(t.matched_text for t in hits))[:4]
        called = f"{side_name} (called {', '.join('“' + w + '”' for w in words)})"
        own = [a for a in an.attributions if a.source_type in types]
        if own:
            names = sorted({_named(a.source_resolved or a.source_text) for a in own})
            kinds = " or ".join(sorted({SOURCE_WORDS[a.source_type] for a in own}))
            points.append(Point(f"{called[0].upper() + called[1:]}: {kinds} sources speak in the article: "
                                f"{'; '.join(names)}.",
                                v.refs(a.sentence_index for a in own)))
            continue
        tellers = [a for a in an.attributions if _about(a, hits, types)]
        silent.append(side_name)
        if tellers:
            names = sorted({_named(a.source_resolved or a.source_text or "no source named", a.source_type)
                            for a in tellers})
            more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
            points.append(Point(f"No one from {called} speaks in the article. What they did or said is told by: "
                                f"{'; '.join(names[:SHOWN])}{more}.", v.refs(a.sentence_index for a in tellers)))
        else:
            points.append(Point(f"No one from {called} speaks in the article; it is described in the outlet's own "
                                f"voice or by sources that name it.", v.refs(t.sentence_index for t in hits[:3])))
    return silent, points


FAKES_QUOTES = (" (many FA-KES texts lost their quotation marks, and all their commas and apostrophes, when the "
                "dataset was made)")


@dataclass
class Question:
    key: str
    ask: str  # the question as students read it
    task: str  # what students do on the worksheet
    answers: list  # (ArticleView, [Point])
    minutes: int
    note: str = ""


def questions(views: Sequence[ArticleView]) -> list:
    """The lesson's questions, each asked only when at least one text supports it."""
    out = []
    out.append(Question("who_speaks", "Who speaks, and how much?",
                        "Highlight every source: who is quoted or reported as saying something? In the margin, write "
                        "what kind of source it is (government, army, armed group, monitor, witness, unnamed …).",
                        [(v, who_speaks(v)) for v in views], 8))
    quoted = [v for v in views if v.has_quotes]
    labelled = [(v, whose_words(v)) for v in quoted]
    labels = [w for _, (ls, _) in labelled for w in ls]
    if labelled and labels:
        shown = list(dict.fromkeys(labels))[:2]
        note = ""
        if len(quoted) < len(views):
            note = ("Not asked for " + ", ".join(v.label for v in views if not v.has_quotes) +
                    ": the text has no quotation marks" + FAKES_QUOTES * any(v.fakes for v in views if not v.has_quotes)
                    + ", so nobody can tell from it which words are a source's.")
        out.append(Question("whose_words", f"Whose words are {' and '.join('“' + w + '”' for w in shown)}?",
                            "Underline every word that names a group of people. Circle it when the outlet uses it "
                            "in its own voice; put it in a box when it stands inside a source's quotation marks.",
                            [(v, pts) for v, (_, pts) in labelled if pts], 8, note))
    elif not quoted:
        out_note = ("These texts have no quotation marks" + FAKES_QUOTES * any(v.fakes for v in views) +
                    ": the task “whose words are the labels?” cannot be done on them and is left out.")
        out.append(Question("labels", "Which words name each side?",
                            "Underline every word that names a group of people; note which side it names.",
                            [(v, whose_words(v)[1]) for v in views], 8, out_note))
    soft = [(v, softened(v)) for v in views]
    words = [w for _, (ws, _) in soft for w in ws]
    if words:
        out.append(Question("softened", f"What does “{words[0]}” stand for?",
                            "Find a phrase that makes something sound milder than it was. Write a plainer word for it.",
                            [(v, pts) for v, (_, pts) in soft if pts], 6))
    out.append(Question("origin", "What does the credit line tell you, and where does the copy come from?",
                        "Look at the first and last lines: the dateline, a credit line, an agency name. "
                        "Who wrote this, and who owns them?",
                        [(v, credit_and_origin(v)) for v in views], 5))
    heard = [(v, heard_through_others(v)) for v in views]
    if any(pts for _, (_, pts) in heard):
        out.append(Question("heard_through_others", "Which side is heard only through others?",
                            "For each side of the conflict, find where it speaks for itself. If it never does, who "
                            "tells us what it did?", [(v, pts) for v, (_, pts) in heard if pts], 8))
    return out
