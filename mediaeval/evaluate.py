"""Evaluate attribution extraction against brat standoff gold (PolNeAR layout).

Layout: ``DIR/text/<stem>.txt`` and ``DIR/attributions/<stem>_<annotator>.ann``.
Every ``.ann`` file is one gold document scored against the predictions for its
text (a text with two annotators counts twice); totals are micro-averaged.

Matching (Newell, Margolin & Ruths 2018, PolNeAR; PARC 3.0 style):

* A span is a tuple of ``(start, end)`` segments (brat discontinuous spans
  ``a b;c d``). Each segment is trimmed of white space and punctuation at both
  ends (Unicode categories P*, so quotation marks, commas and full stops), empty
  segments are dropped, and segments separated only by white space or
  punctuation are merged.
* Relations are paired one-to-one by cue overlap: every (predicted, gold) pair
  whose raw (untrimmed) cues share at least one character is a candidate;
  pairs are taken greedily by the largest character overlap (ties: text
  order). A predicted or gold relation without a cue is never paired.
* Exact: a paired element (cue, source or content) matches when the trimmed
  segment tuples are equal (a span that trims to nothing, such as the cue ":"
  of an interview transcript, matches only an identical raw span). Overlap:
  when they share at least one character.
* Precision = matches / predicted relations that have the element; recall =
  matches / gold relations that have it; F1 their harmonic mean.

Predicted attributions become relations with their ``content_segments`` when
the content is split ("“A,” he said, “B”"). A ``floating`` attribution (a
quotation without a cue of its own) is no PolNeAR relation: when it stands in
the same paragraph as the previous attribution of the same resolved source it
is added to that relation as a further content segment (the extractor already
does this itself), otherwise it is left out of the scoring.

Chance-corrected agreement at token level (Cohen 1960; Krippendorff 2004, with
NLTK's ``AnnotationTask`` through ``mediaeval.agreement``): every token (a run of
word characters or one other non-space character) of every gold document is
labelled ``cue``, ``source``, ``content`` or ``none`` by the gold and by the tool
(a token touching several elements takes the first of cue, source, content), and
the two labellings are compared as two coders; the same is done per element as
a yes/no labelling. Unlike P/R/F1 these need no pairing of relations and correct
for the agreement that the large share of ``none`` tokens gives by chance.

Limits: the same cue may carry several gold relations (one per content);
one-to-one pairing then leaves all but one unmatched, as in the published
scorers. Gold ``Discard``/``Discuss`` spans are ignored. Token agreement ignores
which source goes with which content: it scores the layers, not the relations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from .errors import GoldDataError

Segments = tuple[tuple[int, int], ...]
ELEMENTS = ("cue", "source", "content")
TOKEN = re.compile(r"\w+|[^\w\s]")

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True)
class Relation:
    """One attribution relation: each element is a tuple of segments (maybe empty)."""

    cue: Segments = ()
    source: Segments = ()
    content: Segments = ()


@dataclass
class Counts:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationResult:
    """Counts per (mode, element): mode is ``exact`` or ``overlap``."""

    documents: int = 0
    gold_relations: int = 0
    predicted_relations: int = 0
    counts: dict = field(default_factory=lambda: {(m, e): Counts() for m in ("exact", "overlap") for e in ELEMENTS})
    token_gold: list = field(default_factory=list)  # one label per token of every gold document
    token_predicted: list = field(default_factory=list)

    def f1(self, mode: str, element: str) -> float:
        return self.counts[(mode, element)].f1

    def token_agreement(self) -> dict:
        """Cohen's kappa and Krippendorff's alpha, gold vs tool, over all tokens
        (labels cue/source/content/none), then kappa per element (yes/no)."""
        from .agreement import alpha, kappa

        gold = dict(enumerate(self.token_gold))
        predicted = dict(enumerate(self.token_predicted))
        triples = [("gold", i, l) for i, l in gold.items()] + [("tool", i, l) for i, l in predicted.items()]
        out = {"tokens": len(gold), "kappa": kappa(gold, predicted, ("gold", "tool")), "alpha": alpha(triples)}
        for element in ELEMENTS:
            out[f"{element}_kappa"] = kappa({i: l == element for i, l in gold.items()},
                                            {i: l == element for i, l in predicted.items()}, ("gold", "tool"))
        return out

    def as_dict(self) -> dict:
        out = {"documents": self.documents, "gold_relations": self.gold_relations,
               "predicted_relations": self.predicted_relations}
        if self.token_gold:
            for name, c in self.token_agreement().items():
                out[f"token_{name}"] = c if isinstance(c, int) else (None if c.value is None else round(c.value, 4))
        for (mode, element), c in self.counts.items():
            for name in ("precision", "recall", "f1"):
                out[f"{mode}_{element}_{name}"] = round(getattr(c, name), 4)
        return out


# --- brat standoff --------------------------------------------------------------

def read_brat(path: Path | str) -> list[Relation]:
    """Read the attribution relations of one ``.ann`` file.

    ``T`` lines give labelled spans (``Source``, ``Cue``, ``Content``); ``E``
    lines tie them into relations (``Attribution:T4 Cue:T2 Source:T1 ...``,
    also ``Attribution-no-source``). Lines that continue a span text across a
    newline, notes and other labels are skipped.
    """
    path = Path(path)
    spans: dict[str, tuple[str, Segments]] = {}
    events: list[list[tuple[str, str]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldDataError(f"{path}: cannot read the gold file ({exc}); it must be UTF-8 brat standoff") from None
    for number, line in enumerate(lines, start=1):
        m = _T_LINE.match(line)
        if m:
            try:
                segs = tuple(tuple(int(x) for x in part.split()) for part in m.group(3).strip().split(";"))
                if any(len(s) != 2 or s[1] < s[0] for s in segs):
                    raise ValueError
            except ValueError:
                raise GoldDataError(f"{path}:{number}: bad span offsets {m.group(3)!r}; expected 'start end[;start end]'") from None
            spans[m.group(1)] = (m.group(2), segs)  # type: ignore[assignment]
            continue
        m = _E_LINE.match(line)
        if m:
            events.append([tuple(a.split(":", 1)) for a in m.group(2).split() if ":" in a])  # type: ignore[misc]
    relations = []
    for args in events:
        found = {}
        for role, tid in args:
            role = role.rstrip("0123456789").lower()
            if role in ELEMENTS and tid in spans:
                found[role] = tuple(sorted(found.get(role, ()) + spans[tid][1]))
        relations.append(Relation(**found))
    return relations


def gold_documents(gold_dir: Path | str) -> list[tuple[Path, Path]]:
    """(text file, ann file) pairs of a gold directory; see the module docstring."""
    gold_dir = Path(gold_dir)
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise GoldDataError(f"{gold_dir}: expected the folders text/ and attributions/ (PolNeAR layout)")
    texts = {p.stem: p for p in text_dir.glob("*.txt")}
    pairs = []
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem if ann.stem in texts else ann.stem.rsplit("_", 1)[0]
        if stem not in texts:
            raise GoldDataError(f"{ann}: no text file {stem}.txt in {text_dir}")
        pairs.append((texts[stem], ann))
    if not pairs:
        raise GoldDataError(f"{ann_dir}: no .ann files found")
    return pairs


# --- span matching --------------------------------------------------------------

def _soft(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def trim(text: str, segments: Iterable[tuple[int, int]]) -> Segments:
    """Trim white space and punctuation at both ends of every segment; merge
    segments separated only by such characters; drop empty ones."""
    out: list[list[int]] = []
    for start, end in sorted(segments):
        start, end = max(start, 0), min(end, len(text))
        while start < end and _soft(text[start]):
            start += 1
        while end > start and _soft(text[end - 1]):
            end -= 1
        if start >= end:
            continue
        if out and (start <= out[-1][1] or all(_soft(c) for c in text[out[-1][1]:start])):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def overlap(a: Segments, b: Segments) -> int:
    """Characters shared by two segment tuples."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def pair_relations(predicted: Sequence[Relation], gold: Sequence[Relation]) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs by greatest cue overlap."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            n = overlap(p.cue, g.cue)
            if n > 0:
                candidates.append((-n, i, j))
    candidates.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score_document(text: str, predicted: Sequence[Relation], gold: Sequence[Relation], result: EvaluationResult) -> None:
    """Add one document's counts to ``result`` (pairs by raw cue overlap, then
    compares trimmed spans; a span that trims to nothing, such as a cue ":",
    matches only an identical raw span)."""
    result.documents += 1
    result.gold_relations += len(gold)
    result.predicted_relations += len(predicted)
    for element in ELEMENTS:
        n_pred = sum(1 for r in predicted if getattr(r, element))
        n_gold = sum(1 for r in gold if getattr(r, element))
        for mode in ("exact", "overlap"):
            result.counts[(mode, element)].predicted += n_pred
            result.counts[(mode, element)].gold += n_gold
    for i, j in pair_relations(predicted, gold):
        for element in ELEMENTS:
            raw_a, raw_b = getattr(predicted[i], element), getattr(gold[j], element)
            if not raw_a or not raw_b:
                continue
            a, b = trim(text, raw_a), trim(text, raw_b)
            if not a or not b:
                a, b = _merge(raw_a), _merge(raw_b)
            if a == b:
                result.counts[("exact", element)].matched += 1
            if overlap(a, b):
                result.counts[("overlap", element)].matched += 1


def token_labels(text: str, relations: Sequence[Relation]) -> list[str]:
    """cue/source/content/none for every token of ``text`` (cue wins over source over content)."""
    rank = {"content": 1, "source": 2, "cue": 3}
    marks = bytearray(len(text) + 1)
    for r in relations:
        for element in ("content", "source", "cue"):
            for s, e in getattr(r, element):
                for k in range(max(s, 0), min(e, len(text))):
                    marks[k] = max(marks[k], rank[element])
    names = ("none", "content", "source", "cue")
    return [names[max(marks[m.start():m.end()])] for m in TOKEN.finditer(text)]


def _merge(segments: Segments) -> Segments:
    out: list[list[int]] = []
    for s, e in sorted(segments):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def relations_from_attributions(attributions: Sequence, text: str = "") -> list[Relation]:
    """Attribution records -> relations; a floating quote joins the previous
    attribution of the same source as a further content segment when it is in
    the same paragraph (when ``text`` is given), else it is left out."""
    relations: list[Relation] = []
    keys: list[str] = []
    for a in attributions:
        content = a.content_pieces
        if a.kind == "floating":
            key = a.source_resolved or a.source_text
            for k in range(len(relations) - 1, -1, -1):
                if keys[k] == key:
                    r = relations[k]
                    last = max((e for _, e in r.content), default=0)
                    if text and "\n" in text[last:a.content_start or last]:
                        break
                    relations[k] = Relation(r.cue, r.source, tuple(sorted(r.content + content)))
                    break
            continue
        cue = ((a.cue_start, a.cue_end),) if a.cue_start is not None else ()
        source = ((a.source_start, a.source_end),) if a.source_start is not None else ()
        relations.append(Relation(cue, source, content))
        keys.append(a.source_resolved or a.source_text)
    return relations


def default_predict(text: str, stem: str = "", doc=None) -> list:
    """Parse ``text`` (unless ``doc`` is given) and extract attributions, with
    the structure detection of ``mediaeval analyze`` (credit lines and
    boilerplate excluded)."""
    from . import nlp
    from .extract.attribution import extract_attributions
    from .model import Article

    try:
        from .ingest.structure import detect_structure
        structure = detect_structure(text)
    except ImportError:  # pragma: no cover - ingest is optional for scoring
        from .model import Structure
        structure = Structure()
    article = Article(article_id=stem or "gold", text=text)
    return list(extract_attributions(doc if doc is not None else nlp.parse(text), article, structure))


def evaluate_attribution(gold_dir: Path | str, predict: Optional[Callable[[str, str], Sequence]] = None,
                         limit: Optional[int] = None) -> EvaluationResult:
    """Score ``predict(text, stem) -> attributions`` on every gold document
    (of the first ``limit`` articles, in file-name order, when given).

    ``predict`` defaults to :func:`default_predict`; each text is predicted once
    even when several annotators' files refer to it.
    """
    predict = predict or default_predict
    result = EvaluationResult()
    cache: dict[Path, tuple[str, list[Relation]]] = {}
    pairs = gold_documents(gold_dir)
    if limit is not None:
        keep = sorted({t for t, _ in pairs})[:max(limit, 0)]
        pairs = [(t, a) for t, a in pairs if t in keep]
    for text_path, ann_path in pairs:
        if text_path not in cache:
            text = text_path.read_text(encoding="utf-8")
            cache[text_path] = (text, relations_from_attributions(predict(text, text_path.stem), text))
        text, predicted = cache[text_path]
        gold = read_brat(ann_path)
        score_document(text, predicted, gold, result)
        result.token_gold.extend(token_labels(text, gold))
        result.token_predicted.extend(token_labels(text, predicted))
    return result


def format_result(result: EvaluationResult) -> str:
    """A plain-text table of precision, recall and F1 per mode and element."""
    lines = [f"documents: {result.documents}  gold relations: {result.gold_relations}  "
             f"predicted relations: {result.predicted_relations}",
             f"{'mode':<8} {'element':<8} {'P':>6} {'R':>6} {'F1':>6} {'match':>6} {'pred':>6} {'gold':>6}"]
    for mode in ("exact", "overlap"):
        for element in ELEMENTS:
            c = result.counts[(mode, element)]
            lines.append(f"{mode:<8} {element:<8} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                         f"{c.matched:6d} {c.predicted:6d} {c.gold:6d}")
    if result.token_gold:
        t = result.token_agreement()
        lines.append(f"token agreement, gold vs tool, {t['tokens']} tokens labelled cue/source/content/none "
                     f"(chance-corrected; agreement is not accuracy of relations):")
        lines.append(f"  Cohen's kappa {t['kappa'].shown}  Krippendorff's alpha {t['alpha'].shown}  "
                     + "  ".join(f"{e} kappa {t[e + '_kappa'].shown}" for e in ELEMENTS))
        for name, c in t.items():
            if not isinstance(c, int) and c.value is None:
                lines.append(f"  {name} undefined: {c.reason}")
    return "\n".join(lines)
