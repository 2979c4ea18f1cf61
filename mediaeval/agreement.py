"""A class annotation exercise: students' marks, agreement figures, the lines to discuss.

Students mark lines of the unannotated articles (numbered as in ``mediaeval.lines``)
for three tasks and a teacher types the marks into a CSV (``marks_template.csv``):

    student,article_id,line,task,label
    Amira,xinhua_hama_withdrawal,5,quoted,yes
    Amira,xinhua_hama_withdrawal,5,speaker,the army

``line`` is the worksheet's 1-based line; a column ``sentence`` may be used instead
(the tool's 0-based ``sentence_index``, as in its CSV files and the ``#s<n>``
anchors). Tasks: ``quoted`` (does the line hold a source's words, quoted or
reported?), ``loaded`` (does it hold a loaded word?), ``speaker`` (who speaks in it;
free text, matched to the tool's sources by name). An empty label is a missing
mark: dropped, never a category.

Figures, all with NLTK's ``nltk.metrics.agreement.AnnotationTask`` (nominal
distance): Krippendorff's alpha for the class per task (Krippendorff 2004; it allows
missing marks: a line counts when at least two students marked it); Cohen's kappa
(1960) of each student against the tool on the lines the student marked; a
confusion table per task (tool label × student label, all marks). Both coefficients
are ``(observed − expected agreement) / (1 − expected)``: 1 is perfect agreement,
0 what chance would give. With one label used by everyone the expected agreement
is 1 and the coefficient is undefined (0/0); it is then reported as undefined with
the reason, never as 1.

Limits: agreement is not correctness. The class can agree on a wrong reading and
the tool can be wrong; kappa against the tool measures how alike two readings are,
not who is right. Few students or few marked lines make every coefficient unstable.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .errors import MediaevalError
from .lines import line_spans

TASKS = {"quoted": "quoted or not", "loaded": "loaded or not", "speaker": "who speaks"}
TASK_ALIASES = {"quote": "quoted", "quotes": "quoted", "quoted or not": "quoted", "source": "quoted",
                "loaded or not": "loaded", "loaded word": "loaded", "loaded words": "loaded",
                "who": "speaker", "who speaks": "speaker", "speakers": "speaker"}
SOURCE_WORDS = "quoted/reported (a source's words)"
OWN = "own"
LOADED, NOT_LOADED = "loaded", "not loaded"
OWN_VOICE = "own voice (no source)"
YES = {"yes", "y", "x", "1", "true", "ja", "oui", "si", "quoted", "quote", "reported", "paraphrase", "loaded"}
NO = {"no", "n", "0", "false", "own", "not loaded", "not quoted", "none"}
NOBODY = {"own", "none", "no one", "nobody", "noone", "journalist", "the journalist", "reporter", "the reporter",
          "outlet", "the outlet", "author", "the author", "narrator", "own voice", "-", "no source"}
MIN_STUDENTS = 5      # below this, one student's marks move alpha a lot
MIN_PAIRABLE = 20     # marks on lines that at least two students marked
RELIABLE, TENTATIVE = 0.8, 0.667  # Krippendorff's (2004) conventional cut-offs for research coding
TOP_LINES = 12
TEMPLATE_HEADER = ["student", "article_id", "line", "task", "label"]

WHAT_ALPHA = ("Krippendorff's alpha: how far the students agree with each other beyond what chance would give "
              "(1 = full agreement, 0 = chance, below 0 = systematic disagreement). It is not a grade and not "
              "correctness: a class can agree on a wrong reading.")
WHAT_KAPPA = ("Cohen's kappa: how far one student's marks agree with the tool's reading beyond chance, on the "
              "lines the student marked. Agreement is not correctness: the tool can be wrong; a low kappa marks "
              "lines worth discussing, not a bad student.")
WHAT_CONFUSION = ("Every mark of the class against the tool's reading of the same line: counts, not judgements. "
                  "The diagonal is where they agree.")


def quoted_task_label(voice: str) -> str:
    """The "quoted or not" label of a tool voice: a source's words (``quoted``, ``reported``)
    versus the outlet's own voice (``own``, ``scare_quoted``: marks without a source)."""
    return SOURCE_WORDS if voice in ("quoted", "reported") else OWN


# --- NLTK: the one place that computes chance-corrected agreement ------------------------------

@dataclass(frozen=True)
class Coefficient:
    """A kappa or alpha with what it rests on; ``value`` is None when undefined (``reason`` says why;
    with a value, ``reason`` is a caution for reading it)."""

    value: Optional[float]
    items: int
    values: int
    reason: str = ""

    @property
    def shown(self) -> str:
        return "undefined" if self.value is None else f"{self.value:.3f}"


def _degenerate(triples: Sequence[tuple], pairable_only: bool) -> Optional[str]:
    per_item: dict = defaultdict(list)
    for coder, item, label in triples:
        per_item[item].append(label)
    used = [l for labels in per_item.values() if len(labels) >= 2 or not pairable_only for l in labels]
    if not any(len(v) >= 2 for v in per_item.values()):
        return "no line was marked by two or more coders, so there is nothing to compare"
    if len(set(used)) == 1:
        return (f"everyone used the one label {used[0]!r}: with no variation the agreement expected by chance "
                "is 1 and the coefficient is 0/0")
    return None


def alpha(triples: Sequence[tuple]) -> Coefficient:
    """Krippendorff's alpha (nominal) of ``(coder, item, label)`` triples; missing marks allowed."""
    from nltk.metrics.agreement import AnnotationTask

    triples = [t for t in triples if t[2] not in (None, "")]
    per_item = Counter(item for _, item, _ in triples)
    pairable = sum(n for n in per_item.values() if n >= 2)
    items = sum(1 for n in per_item.values() if n >= 2)
    reason = _degenerate(triples, pairable_only=True)
    if reason:
        return Coefficient(None, items, pairable, reason)
    return Coefficient(float(AnnotationTask(data=triples).alpha()), items, pairable)


def kappa(first: dict, second: dict, coders: tuple[str, str] = ("a", "b")) -> Coefficient:
    """Cohen's kappa between two codings ``{item: label}``, on the items both coded."""
    from nltk.metrics.agreement import AnnotationTask

    shared = [i for i in first if i in second and first[i] not in (None, "") and second[i] not in (None, "")]
    triples = [(coders[0], i, first[i]) for i in shared] + [(coders[1], i, second[i]) for i in shared]
    labels_a, labels_b = {first[i] for i in shared}, {second[i] for i in shared}
    if not shared:
        return Coefficient(None, 0, 0, "no item was coded by both")
    if len(labels_a) == 1 and labels_a == labels_b:
        return Coefficient(None, len(shared), 2 * len(shared),
                           f"both used only the label {next(iter(labels_a))!r}: the agreement expected by chance "
                           "is 1 and kappa is 0/0")
    task = AnnotationTask(data=triples)
    note = ""
    if len(labels_a) == 1 or len(labels_b) == 1:
        single = coders[0] if len(labels_a) == 1 else coders[1]
        note = (f"{single} used one label on all these items, so kappa cannot rise above 0 whatever the "
                "agreement; read the share of same labels instead")
    return Coefficient(float(task.kappa_pairwise(*coders)), len(shared), 2 * len(shared), note)


# --- marks --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    student: str
    article_id: str
    unit: str  # "line" or "sentence"
    number: int
    task: str
    label: str  # as written; normalised later
    row: str  # "file:line", for notes


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = re.sub(r"[^\w\s'-]", " ", text)
    words = text.split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def read_marks(paths: Iterable[Path | str], notes: list) -> list[Mark]:
    """Marks from CSV files (columns: student, article_id, line or sentence, task, label)."""
    marks = []
    for path in map(Path, paths):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MediaevalError(f"{path}: cannot read the marks file ({exc}); save it as UTF-8 CSV") from None
        kept = [(n, l) for n, l in enumerate(text.splitlines(), start=1) if not l.lstrip().startswith("#")]
        reader = csv.DictReader(l for _, l in kept)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [c for c in ("student", "article_id", "task", "label") if c not in header]
        if missing or not ({"line", "sentence"} & set(header)):
            raise MediaevalError(f"{path}: the header must have student, article_id, line (or sentence), task, "
                                 f"label; it has {', '.join(header) or 'nothing'} (see marks_template.csv)")
        empty = 0
        for row in reader:
            row_no = kept[reader.line_num - 1][0] if reader.line_num <= len(kept) else reader.line_num
            row = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(row.values()):
                continue
            unit = "line" if row.get("line") else "sentence"
            task = row["task"].lower()
            task = TASK_ALIASES.get(task, task)
            if not row["label"]:
                empty += 1
                continue
            if task not in TASKS:
                notes.append(f"{path}:{row_no}: task {row['task']!r} is not one of {', '.join(TASKS)}; row skipped")
                continue
            try:
                number = int(row.get(unit, ""))
            except ValueError:
                notes.append(f"{path}:{row_no}: {unit} {row.get(unit)!r} is not a number; row skipped")
                continue
            marks.append(Mark(row["student"] or "?", row["article_id"], unit, number, task, row["label"],
                              f"{path}:{row_no}"))
        if empty:
            notes.append(f"{path}: {empty} row(s) without a label dropped (a missing mark is not a category)")
    return marks


def write_template(path: Path) -> Path:
    """A blank marks file with the header and two example rows commented out below it."""
    from .report.tables import write_text

    lines = [",".join(TEMPLATE_HEADER), "# one row per student, line and task; delete these example lines",
             "# Student A,xinhua_hama_withdrawal,5,quoted,yes",
             "# Student A,xinhua_hama_withdrawal,5,speaker,the army", ""]
    return write_text("\n".join(lines), path)


# --- the tool's reading of a line -----------------------------------------------------------------

@dataclass
class ToolReading:
    text: str
    labels: dict  # task -> label
    evidence: list = field(default_factory=list)
    speakers: tuple = ()


def unit_span(analysis, unit: str, number: int) -> Optional[tuple[int, int]]:
    if unit == "line":
        spans = line_spans(analysis.article.text)
        return spans[number - 1] if 1 <= number <= len(spans) else None
    if 0 <= number < len(analysis.sentences):
        s = analysis.sentences[number]
        return s.start, s.end
    return None


def tool_reading(analysis, start: int, end: int) -> ToolReading:
    """The tool's labels for the text ``[start, end)`` of an analysed article, with evidence."""
    from .extract.voice import VoiceMap

    text = analysis.article.text
    voices = VoiceMap(text, analysis.attributions)
    spoken: Counter = Counter()
    source_words = False
    for m in re.finditer(r"\w+", text[start:end]):
        voice, speaker = voices.at(start + m.start())
        if quoted_task_label(voice) == SOURCE_WORDS:
            source_words = True
            spoken[speaker or "unnamed source"] += 1
    hits = [t for t in analysis.terms if start <= t.start < end]
    loaded = any(t.loaded or t.function != "descriptive" for t in hits)
    speaker = _norm(spoken.most_common(1)[0][0]) if spoken else OWN_VOICE
    evidence = []
    for a in analysis.attributions:
        pieces = a.content_pieces + (((a.cue_start, a.cue_end),) if a.cue_start is not None else ())
        if any(s < end and start < e for s, e in pieces):
            evidence.append(f"{a.kind} attribution: source “{a.source_resolved or a.source_text or 'none'}”, "
                            f"cue “{a.cue_text}”, content “{_short(a.content_text)}”")
    for t in hits:
        evidence.append(f"lexicon term “{t.matched_text}” ({t.category}, {t.function}"
                        f"{', loaded' if t.loaded else ''}; {t.voice} voice{', ' + t.speaker if t.speaker else ''})")
    speakers = tuple(sorted({a.source_resolved or a.source_text for a in analysis.attributions
                             if a.source_resolved or a.source_text}))
    return ToolReading(text[start:end], {"quoted": SOURCE_WORDS if source_words else OWN,
                                          "loaded": LOADED if loaded else NOT_LOADED, "speaker": speaker},
                       evidence, speakers)


def _short(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def normal_label(task: str, label: str, speakers: Sequence[str] = ()) -> Optional[str]:
    """A student's label in the tool's vocabulary; None when it cannot be read."""
    value = _norm(label)
    if task == "quoted":
        return SOURCE_WORDS if value in YES else OWN if value in NO else None
    if task == "loaded":
        return LOADED if value in YES else NOT_LOADED if value in NO else None
    if value in NOBODY:
        return OWN_VOICE
    return match_speaker(value, speakers)


def match_speaker(answer: str, speakers: Sequence[str]) -> str:
    """A free-text speaker matched to one of the tool's sources by name: equal after
    normalising; else the source holding the answer as a phrase, or most of its content
    words, each matched with ``difflib`` (ratio ≥ 0.8, so "Obsrvatory" finds "Observatory");
    else the closest whole name by ``difflib`` (ratio ≥ 0.6). Unmatched answers stay as
    written (normalised), a category of their own."""
    answer = _norm(answer)
    names = sorted({_norm(s) for s in speakers if _norm(s)})
    if answer in names:
        return answer
    strong = [w for w in answer.split() if w not in _WEAK]

    def score(name: str) -> float:
        if len(answer) >= 3 and re.search(rf"\b{re.escape(answer)}\b", name):
            return 2.0
        if not strong:
            return 0.0
        words = name.split()
        return sum(1 for w in strong if difflib.get_close_matches(w, words, n=1, cutoff=0.8)) / len(strong)

    scored = [(score(n), difflib.SequenceMatcher(None, answer, n).ratio(), n) for n in names]
    best = max(scored, default=(0.0, 0.0, ""))
    if best[0] >= 0.5:
        return best[2]
    close = difflib.get_close_matches(answer, names, n=1, cutoff=0.6)
    return close[0] if close else answer


_WEAK = {"of", "the", "and", "for", "said", "a", "an", "in", "on", "syrian", "source", "sources", "from"}


# --- the exercise ---------------------------------------------------------------------------------

@dataclass
class Exercise:
    """Everything the pages and CSV files show."""

    students: list
    tasks: list = field(default_factory=list)  # one dict per task
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def run_exercise(marks: Sequence[Mark], analyses: dict, anonymise: bool = False, notes: Optional[list] = None,
                 top: int = TOP_LINES) -> Exercise:
    """Normalise marks, read the tool's labels and compute the figures per task."""
    notes = list(notes or [])
    order = list(dict.fromkeys(m.student for m in marks))
    alias = {s: (f"S{k}" if anonymise else s) for k, s in enumerate(order, start=1)}
    readings: dict = {}
    coded: dict = defaultdict(dict)  # task -> {(student, item): label}
    for m in marks:
        analysis = analyses.get(m.article_id)
        if analysis is None:
            notes.append(f"{m.row}: no article {m.article_id!r} among --articles; row skipped")
            continue
        span = unit_span(analysis, m.unit, m.number)
        if span is None:
            notes.append(f"{m.row}: {m.article_id} has no {m.unit} {m.number}; row skipped")
            continue
        item = (m.article_id, m.unit, m.number)
        if item not in readings:
            readings[item] = tool_reading(analysis, *span)
        label = normal_label(m.task, m.label, readings[item].speakers)
        if label is None:
            notes.append(f"{m.row}: label {m.label!r} for task {m.task} is not yes/no; row skipped")
            continue
        if (alias[m.student], item) in coded[m.task]:
            notes.append(f"{m.row}: {m.student} marked {m.unit} {m.number} for {m.task} twice; the later row counts")
        coded[m.task][(alias[m.student], item)] = label
    exercise = Exercise(students=[alias[s] for s in order], notes=notes)
    if len(order) < MIN_STUDENTS:
        exercise.warnings.append(f"only {len(order)} student(s): with fewer than {MIN_STUDENTS}, one student's "
                                 "marks move every class figure a lot; read them as a talking point, not a measure")
    for task in TASKS:
        if coded.get(task):
            exercise.tasks.append(_task_figures(task, coded[task], readings, exercise, top))
    return exercise


def _item_name(item) -> str:
    article_id, unit, number = item
    return f"{article_id} {unit} {number}"


def _task_figures(task: str, coded: dict, readings: dict, exercise: Exercise, top: int) -> dict:
    triples = [(s, item, label) for (s, item), label in coded.items()]
    class_alpha = alpha(triples)
    per_student = []
    for student in exercise.students:
        mine = {item: label for (s, item), label in coded.items() if s == student}
        if not mine:
            continue
        tool = {item: readings[item].labels[task] for item in mine}
        same = sum(mine[i] == tool[i] for i in mine)
        per_student.append({"student": student, "kappa": kappa(mine, tool, (student, "tool")), "marks": len(mine),
                            "agree_share": same / len(mine)})
    confusion: Counter = Counter((readings[item].labels[task], label) for (_, item), label in coded.items())
    rows = sorted({r for r, _ in confusion}, key=str)
    cols = sorted({c for _, c in confusion}, key=str)
    by_item: dict = defaultdict(Counter)
    for (_, item), label in coded.items():
        by_item[item][label] += 1
    lines = []
    for item, counts in by_item.items():
        n = sum(counts.values())
        majority, k = counts.most_common(1)[0]
        tool_label = readings[item].labels[task]
        spread = 1 - k / n if n >= 2 else 0.0
        against_tool = 1 - counts[tool_label] / n
        if spread > 0 or against_tool > 0:
            lines.append({"item": _item_name(item), "article_id": item[0], "unit": item[1], "number": item[2],
                          "text": readings[item].text, "counts": counts.most_common(), "n": n, "spread": spread,
                          "against_tool": against_tool, "tool": tool_label, "evidence": readings[item].evidence})
    lines.sort(key=lambda r: (-r["spread"], -r["against_tool"], -r["n"], r["item"]))
    if class_alpha.values < MIN_PAIRABLE:
        exercise.warnings.append(f"{TASKS[task]}: only {class_alpha.values} mark(s) on lines marked by two or more "
                                 f"students (fewer than {MIN_PAIRABLE}); alpha rests on too little to generalise")
    return {"task": task, "title": TASKS[task], "alpha": class_alpha, "students": per_student,
            "confusion": {"rows": rows, "cols": cols, "cells": [[confusion[(r, c)] for c in cols] for r in rows]},
            "lines": lines[:top], "n_marks": len(coded), "what_alpha": WHAT_ALPHA, "what_kappa": WHAT_KAPPA,
            "what_confusion": WHAT_CONFUSION, "verdict": _verdict(class_alpha)}


def _verdict(c: Coefficient) -> str:
    if c.value is None:
        return c.reason
    if c.value >= RELIABLE:
        return "high: the class reads these lines alike"
    if c.value >= TENTATIVE:
        return "moderate: the class mostly reads these lines alike"
    return "low: the class reads these lines differently; the lines below are worth discussing"


# --- output -----------------------------------------------------------------------------------------

def write_exercise(exercise: Exercise, out_dir: Path, stamp: dict) -> list[Path]:
    """agreement.html (teacher: per-student figures), discussion.html (class: no names),
    agreement.csv, student_kappa.csv, confusion.csv, disagreement.csv, marks_template.csv."""
    import pandas as pd

    from .report.html import environment, inline_css
    from .report.tables import write_text

    out_dir = Path(out_dir)
    env = environment()
    written = []
    for name, teacher in (("agreement.html", True), ("discussion.html", False)):
        html = env.get_template("agreement.html").render(ex=exercise, teacher=teacher, stamp=stamp,
                                                         css=inline_css("base.css"))
        written.append(write_text(html, out_dir / name))
    rows = [{"task": t["task"], "figure": "krippendorff_alpha", "value": t["alpha"].value,
             "items": t["alpha"].items, "values": t["alpha"].values, "note": t["alpha"].reason,
             "students": len(t["students"]), "marks": t["n_marks"]} for t in exercise.tasks]
    kap = [{"task": t["task"], "student": s["student"], "kappa_vs_tool": s["kappa"].value, "marks": s["marks"],
            "share_same_as_tool": round(s["agree_share"], 4), "note": s["kappa"].reason}
           for t in exercise.tasks for s in t["students"]]
    conf = [{"task": t["task"], "tool_label": r, "student_label": c, "count": t["confusion"]["cells"][i][j]}
            for t in exercise.tasks for i, r in enumerate(t["confusion"]["rows"])
            for j, c in enumerate(t["confusion"]["cols"])]
    dis = [{"task": t["task"], "article_id": l["article_id"], l["unit"]: l["number"], "marks": l["n"],
            "spread": round(l["spread"], 4), "against_tool": round(l["against_tool"], 4), "tool_label": l["tool"],
            "student_labels": "; ".join(f"{k}: {n}" for k, n in l["counts"]), "text": l["text"]}
           for t in exercise.tasks for l in t["lines"]]
    for name, data in (("agreement.csv", rows), ("student_kappa.csv", kap), ("confusion.csv", conf),
                       ("disagreement.csv", dis)):
        written.append(write_text(pd.DataFrame(data).to_csv(index=False), out_dir / name))
    written.append(write_template(out_dir / "marks_template.csv"))
    return written


def run_agreement(marks_paths: Sequence[str], article_inputs: Sequence[str], out_dir: Path,
                  anonymise: bool = False, read_options=None, options=None) -> Exercise:
    """Read marks and articles, analyse the articles, compute and write everything into ``out_dir``."""
    from .analyze import AnalysisOptions, analyze_stream
    from .ingest.readers import ReadOptions, Skipped, read_articles
    from .report.stamp import make_stamp

    notes: list = []
    marks = read_marks(marks_paths, notes)
    if not marks:
        raise MediaevalError("no marks with a label found; fill in marks_template.csv (one row per student, "
                             "line and task)")
    wanted = {m.article_id for m in marks}
    options = options or AnalysisOptions()
    analyses = {}
    articles = (a for a in read_articles(article_inputs, read_options or ReadOptions())
                if isinstance(a, Skipped) or a.article_id in wanted)
    for item in analyze_stream(articles, options):
        if isinstance(item, Skipped):
            notes.append(f"skipped {item.path} {item.record}: {item.reason}")
        elif item.article.article_id in wanted:
            analyses[item.article.article_id] = item
    exercise = run_exercise(marks, analyses, anonymise=anonymise, notes=notes)
    write_exercise(exercise, out_dir, make_stamp(list(marks_paths) + list(article_inputs), options))
    return exercise
