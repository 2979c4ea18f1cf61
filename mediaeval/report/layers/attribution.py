"""Sources layer of the article page: who speaks, in whose words, and how much.

Marks: every attribution's content underlined in its source's colour (the
colour rides on ``--c``; the underline style also differs by kind, so the marks
do not rely on colour alone), its cue boxed and its source shaded, each with a
short visible tag ("said: <source>", "source", "quote"). Sentences in the
outlet's own voice get no mark, so the contrast between reported and asserted
text stays visible. Panel: "who speaks", one row per resolved source with its
type, number of attributions, words given, kinds and links to the sentences.
"""

from __future__ import annotations

from collections import defaultdict

from ...model import ArticleAnalysis
from ..marks import Mark, Panel

# Okabe-Ito and Tol colours: distinguishable for common colour-vision deficiencies.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#117733", "#332288",
           "#999933")
KIND_WORDS = {"direct": "quote", "indirect": "reported", "mixed": "partly quoted", "according_to": "according to",
              "floating": "quote (speaker carried over)"}
LIMITS = (
    "Attributions are found automatically: reporting and attitude words ('said', 'according to', 'believes') "
    "are chosen by a small model trained on US political news (PolNeAR), and the speaker and the reported "
    "words are read from one grammatical parse. On held-out PolNeAR articles about 7 in 10 cues and speakers "
    "and about half of the reported passages are found exactly; some are missed, and unusual phrasing is "
    "misread. 'It', 'he' or 'the monitor' is linked to the nearest earlier fitting source, not by a trained "
    "resolver. Source types come from word patterns (for example 'army' means military) and say nothing about "
    "who a named person is unless the article says it."
)


def _name(a) -> str:
    return a.source_resolved or a.source_text or "(no source named)"


def colours(analysis: ArticleAnalysis) -> dict[str, str]:
    """A colour per source, in order of first appearance."""
    out: dict[str, str] = {}
    for a in analysis.attributions:
        key = _name(a)
        if key not in out:
            out[key] = PALETTE[len(out) % len(PALETTE)]
    return out


def marks(analysis: ArticleAnalysis) -> list[Mark]:
    colour = colours(analysis)
    out: list[Mark] = []
    for a in analysis.attributions:
        name = _name(a)
        style = f"--c: {colour[name]}"
        details = (("source", name), ("type", a.source_type.replace("_", " ")),
                   ("kind", KIND_WORDS.get(a.kind, a.kind)))
        if a.cue_text:
            details += (("cue", f"{a.cue_text}" + (f" ({a.cue_class})" if a.cue_class else "")),)
        if a.anonymous:
            details += (("unnamed", "yes"),)
        segs = a.content_pieces
        for k, (start, end) in enumerate(segs):
            label = ""
            if k == len(segs) - 1:
                label = ("quote: " if a.kind in ("direct", "floating") else "said: ") + _short(name)
            out.append(Mark(start, end, f"at-content at-{a.kind.replace('_', '-')}", label=label,
                            details=details, style=style, layer="attribution"))
        if a.cue_start is not None and a.cue_end is not None and a.cue_start < a.cue_end:
            out.append(Mark(a.cue_start, a.cue_end, "at-cue" + (f" at-cue-{a.cue_class}" if a.cue_class else ""),
                            details=(("cue class", a.cue_class or "unclassified"),), style=style,
                            layer="attribution"))
        if a.source_start is not None and a.source_end is not None and a.source_start < a.source_end:
            out.append(Mark(a.source_start, a.source_end, "at-source", label="source",
                            details=(("source", name), ("type", a.source_type.replace("_", " "))), style=style,
                            layer="attribution"))
    return out


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def panel(analysis: ArticleAnalysis) -> Panel:
    colour = colours(analysis)
    by_source: dict[str, list] = defaultdict(list)
    for a in analysis.attributions:
        by_source[_name(a)].append(a)
    text = analysis.article.text
    rows = []
    for name, items in sorted(by_source.items(), key=lambda kv: (-len(kv[1]), list(colour).index(kv[0]))):
        words = sum(len(text[s:e].split()) for a in items for s, e in a.content_pieces)
        sentences = tuple(sorted({a.sentence_index for a in items if a.sentence_index >= 0}))
        kinds = ", ".join(sorted({KIND_WORDS.get(a.kind, a.kind) for a in items}))
        types = sorted({a.source_type for a in items})
        rows.append((name, ", ".join(t.replace("_", " ") for t in types), (len(items), sentences), words, kinds,
                     "yes" if any(a.anonymous for a in items) else ""))
    m = analysis.measures or {}
    intro = ("Who is given a voice and how much of the article rests on them. Reported words are underlined in "
             "the colour of their source; sentences the outlet states in its own voice are left unmarked.")
    figures = []
    if m.get("attributions_per_1k_words") is not None:
        figures.append(f"{m['attributions_per_1k_words']} attributions per 1,000 words")
    if m.get("attributed_word_share") is not None:
        figures.append(f"{round(100 * m['attributed_word_share'])}% of words inside a source's content (quoted or reported)")
    if m.get("direct_quote_word_share") is not None:
        figures.append(f"{round(100 * m['direct_quote_word_share'])}% in direct quotes")
    if figures:
        intro += " In this article: " + "; ".join(figures) + "."
    return Panel(
        title="Who speaks", intro=intro,
        columns=("source", "type", "attributions", "words given", "how", "unnamed"),
        rows=tuple(rows), limits=LIMITS, layer="attribution",
        legend=(("at-content at-direct", "quoted words (solid underline)"),
                ("at-content at-indirect", "reported words (dashed underline)"),
                ("at-content at-mixed", "reported with a quoted fragment (double underline)"),
                ("at-cue", "reporting word (boxed)"), ("at-source", "who speaks (shaded)")),
    )
