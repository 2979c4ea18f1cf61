"""The comparison page as data: every figure, its numbers, SVG geometry and evidence.

Templates only loop and escape; everything they show is computed here. Each
figure cell gets an evidence anchor (``#ev<N>``) listing the sentences behind it,
each sentence linking to ``articles/<page>.html#s<index>``.
"""

from __future__ import annotations

import re

import pandas as pd

from ..compare.tables import SOURCE_TYPES, evidence_links
from ..measures import registry
from ..model import Span
from ..schema import label as pretty
from ..voice import VOICES
from .marks import Mark

MAX_GROUPS = 20
MAX_LABELS = 12  # labels in the table at first; the others sit in a <details> below it
MAX_ACTORS = 8
MAX_WORDS = 10
MAX_SIDE = 6
MAX_EVENTS = 8
MAX_CHANGES = 8  # word changes listed per pair; the rest one click away
MAX_NAMED = 5  # named sources under each bar; the rest in sources_by_outlet.csv ("5 of 9 named")
PRINT_WORDS = 5  # distinctive words per outlet on paper; the page shows MAX_WORDS, the CSV all
BAR_W = 520
COLOURS = {"government": "#0072B2", "military": "#D55E00", "armed_group": "#CC79A7", "ngo_monitor": "#009E73",
           "international_org": "#56B4E9", "media": "#E69F00", "witness_civilian": "#F0E442", "expert": "#999933",
           "anonymous": "#6f6f6f", "unknown": "#c9c9c9"}
SHORT = {"government": "gov't", "military": "military", "armed_group": "armed group", "ngo_monitor": "NGO/monitor",
         "international_org": "int'l org", "media": "media", "witness_civilian": "witness", "expert": "expert",
         "anonymous": "unnamed", "unknown": "unknown"}
VOICE_NOTE = ("Own voice: the outlet uses the word itself. Quoted: inside a source's quotation marks. Reported: "
              "inside a source's paraphrase, without quotation marks; the outlet chose those words, so a label "
              "there is still the outlet's word choice (the Glasgow Media Group's reading). Scare quotes: quotation "
              "marks with no source, the outlet keeping a word at a distance.")


def _section(name: str, exclude: tuple[str, ...] = ()) -> list:
    """(column, label, scale) of the registry measures shown in a section of the page."""
    return [(m.name, m.label, m.scale) for m in registry().values() if m.section == name and m.name not in exclude]


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(f) else f


class Evidence:
    """Collects the sentences behind each figure; ``add`` returns the anchor id (or "")."""

    def __init__(self, c, links: dict[str, str]):
        self.text = c.inputs.get("sentence_text")  # (article_id, sentence_index) -> text, read when cited
        if self.text is None:
            s = c.inputs.get("sentences", pd.DataFrame())
            self.text = {} if s is None or s.empty or "text" not in s else {
                (str(a), int(i)): str(t) for a, i, t in zip(s["article_id"], s["sentence_index"],
                                                            s["text"].fillna(""))}
        arts = c.inputs.get("articles", pd.DataFrame())
        self.meta = {} if arts is None or arts.empty else {
            str(r["article_id"]): {"group": str(r.get("group", "")), "title": str(r.get("title", "") or r["article_id"])}
            for _, r in arts.iterrows()}
        self.links = links
        self.entries: list[dict] = []

    def href(self, article_id: str, index: int | None = None) -> str:
        page = self.links.get(article_id, "")
        return page + (f"#s{index}" if page and index is not None and index >= 0 else "")

    def add(self, title: str, pairs, term: str = "") -> str:
        if isinstance(pairs, str) or pairs is None or (isinstance(pairs, float) and pd.isna(pairs)):
            pairs = evidence_links(pairs)
        items = []
        for a, i in pairs:
            m = self.meta.get(a, {"group": "", "title": a})
            text = self.text.get((a, i), "")
            items.append({"group": m["group"], "title": m["title"], "href": self.href(a, i), "index": i,
                          "text": _split(text, term, 400) if term else (_clip(text, 400), "", "")})
        if not items:
            return ""
        self.entries.append({"id": f"ev{len(self.entries) + 1}", "title": title, "sents": items})
        return self.entries[-1]["id"]


def _groups(c) -> list[dict]:
    o = c.outlets
    if o.empty:
        return []
    allo = o[o["event_group"] == "all"].sort_values(["n_articles", "group"], ascending=[False, True]).head(MAX_GROUPS)
    g = c.groups
    out = []
    for r in allo.to_dict("records"):
        words = _num(r.get("n_words"))
        events = g[g["group"] == r["group"]]["event_group"].nunique() if not g.empty else 0
        out.append({"name": r["group"], "n": int(r["n_articles"]), "words": int(words) if words else None,
                    "small": bool(r["small_group"]), "events": events, "origins": r.get("origin_agencies") or "",
                    "wire": _num(r.get("wire_share")), "row": r,
                    "badge": f"{int(r['n_articles'])} article{'s' if r['n_articles'] != 1 else ''}"
                             + (f" · {int(words):,} words" if words else "")})
    return out


def _short(voice: str) -> str:
    """A column header for a voice: "own voice", "quoted", "reported", "scare quotes"."""
    return "own voice" if voice == "own" else VOICES.get(voice, pretty(voice)).split(" (")[0]


def _voices_used(c) -> list[str]:
    """Every voice of the vocabulary, plus any other value the data carries (shown, never dropped)."""
    lab = c.labels_by_outlet
    extra = [] if lab.empty else sorted(set(lab["voice"].dropna()) - set(VOICES))
    return list(VOICES) + extra


def _labels(c, ev: Evidence, names: list[str]) -> list[dict]:
    lab = c.labels_by_outlet
    if lab.empty:
        return []
    lab = lab[lab["group"].isin(names)]
    voices = _voices_used(c)
    out = []
    for ref, f in lab.groupby("refers_to"):
        totals = f.groupby("label")["count"].sum().sort_values(ascending=False, kind="stable")
        rows = []
        for label in totals.index:
            cells = []
            for g in names:
                part = f[(f["label"] == label) & (f["group"] == g)]
                counts = []
                for v in voices:
                    pv = part[part["voice"] == v]
                    n = int(pv["count"].sum())
                    counts.append({"voice": v, "name": VOICES.get(v, pretty(v)), "n": n,
                                   "ev": ev.add(f"{g} · “{label}” · {VOICES.get(v, pretty(v))}",
                                                "; ".join(pv["evidence"]), label) if n else ""})
                cells.append({"voices": counts, "total": sum(x["n"] for x in counts)})
            rows.append({"label": label, "cells": cells})
        # every label is shown: the first MAX_LABELS in the table, the rest one click away (never dropped)
        out.append({"refers_to": ref, "title": pretty(ref), "rows": rows[:MAX_LABELS],
                    "more_rows": rows[MAX_LABELS:], "n_labels": len(rows)})
    return sorted(out, key=lambda x: -sum(c["total"] for r in x["rows"] for c in r["cells"]))


def _sources(c, ev: Evidence, groups: list[dict]) -> dict:
    s = c.sources_by_outlet
    if s.empty:
        return {}
    types = s[s["level"] == "type"]
    present = [t for t in SOURCE_TYPES if t in set(types["source_type"])] + sorted(
        set(types["source_type"]) - set(SOURCE_TYPES))
    bars = []
    for g in groups:
        f = types[types["group"] == g["name"]].set_index("source_type")
        total = int(f["attributions"].sum()) if not f.empty else 0
        x, segs = 0.0, []
        for t in present:
            n = int(f["attributions"].get(t, 0)) if t in f.index else 0
            if not n:
                continue
            w = BAR_W * n / total
            pct = f"{100 * n / total:.0f}%"
            text = next((x for x in (f"{SHORT.get(t, pretty(t))} {pct}", pct) if 6.3 * len(x) + 8 <= w), "")
            segs.append({"type": t, "name": pretty(t), "n": n, "x": round(x, 1), "w": round(w, 1),
                         "share": n / total, "colour": COLOURS.get(t, "#bbbbbb"), "text": text,
                         "dark": t in ("government", "military", "anonymous", "ngo_monitor", "armed_group"),
                         "ev": ev.add(f"{g['name']} · {pretty(t)} sources", f.loc[t, "evidence"])})
            x += w
        all_named = s[(s["level"] == "source") & (s["group"] == g["name"])]
        named = all_named.head(MAX_NAMED)
        bars.append({"group": g, "total": total, "segs": segs, "n_named": len(all_named),
                     "named": [{"source": r.source, "type": pretty(r.source_type), "n": int(r.attributions),
                                "ev": ev.add(f"{g['name']} · {r.source}", r.evidence)} for r in named.itertuples()]})
    return {"bars": bars, "legend": [{"name": pretty(t), "colour": COLOURS.get(t, "#bbbbbb")} for t in present],
            "width": BAR_W}


def _density(c, ev: Evidence, groups: list[dict]) -> dict:
    rows = [g["row"] for g in groups]
    cols = [(k, label, scale) for k, label, scale in _section("density")
            if any(_num(r.get(k)) is not None for r in rows)]
    if not cols:
        return {}
    att = c.inputs.get("attributions", pd.DataFrame())
    top = max((_num(r.get("attributions_per_1k_words")) or 0) for r in rows) or 1
    out = []
    for g in groups:
        r = g["row"]
        v = _num(r.get("attributions_per_1k_words"))
        pairs = [] if att is None or att.empty else list(
            zip(att.loc[att["group"] == g["name"], "article_id"], att.loc[att["group"] == g["name"], "sentence_index"]))
        out.append({"group": g, "bar": round(BAR_W * (v or 0) / top, 1), "value": v,
                    "ev": ev.add(f"{g['name']} · attributed sentences", [(a, int(i)) for a, i in pairs
                                                                           if _num(i) is not None][:5]),
                    "cells": [(_num(r.get(k)) * scale if _num(r.get(k)) is not None else None) for k, _, scale in cols]})
    return {"rows": out, "columns": [(label, scale) for _, label, scale in cols], "width": BAR_W}


def _measures(c, groups: list[dict]) -> dict:
    """Registry measures whose section has no figure of its own on the page, per group."""
    charted = ("density", "tone")  # shown by their own figures
    sections = list(dict.fromkeys(m.section for m in registry().values() if m.section and m.section not in charted))
    cols = [(k, label, scale) for sec in sections for k, label, scale in _section(sec)
            if any(_num(g["row"].get(k)) is not None for g in groups)]
    if not cols:
        return {}
    reg = registry()
    limits: dict[str, list[str]] = {}
    for k, label, _ in cols:
        if reg[k].limits:
            limits.setdefault(reg[k].limits, []).append(label)
    return {"limits": [{"labels": "; ".join(labels), "text": text} for text, labels in limits.items()],
            "columns": [{"name": k, "label": label, "unit": "%" if scale == 100 else reg[k].unit,
                         "method": reg[k].method, "limits": reg[k].limits} for k, label, scale in cols],
            "rows": [{"group": g, "cells": [(_num(g["row"].get(k)) * scale if _num(g["row"].get(k)) is not None
                                             else None) for k, _, scale in cols]} for g in groups]}


#: spaCy entity labels shown beside an actor: only places, so a place (GPE, LOC, FAC) is never taken for an
#: organisation; other entity labels of the small model (a monitor tagged PERSON) are too unreliable to print
PLACE_KINDS = ("GPE", "LOC", "FAC")


def _actor_kinds(c) -> dict[str, str]:
    """“a place” for actors whose most frequent entity label is a place; nothing for the others."""
    a = c.inputs.get("actors")
    if a is None or a.empty or "kind" not in a:
        return {}
    k = a[a["kind"].fillna("") != ""].groupby("actor")["kind"].agg(lambda s: s.value_counts().index[0])
    return {actor: "a place" for actor, kind in k.items() if str(kind) in PLACE_KINDS}


def _agency(c, ev: Evidence, groups: list[dict]) -> list[dict]:
    a = c.agency_by_outlet
    names = [g["name"] for g in groups]
    small = {g["name"] for g in groups if g["small"]}
    if a.empty:
        return []
    a = a[a["group"].isin(names)]
    order = (a.assign(roles=a["as_agent"] + a["as_patient"]).groupby("actor")["roles"].sum()
             .sort_values(ascending=False))
    kinds = _actor_kinds(c)
    out = []
    for actor in order[order > 0].index[:MAX_ACTORS]:
        rows = []
        for r in a[a["actor"] == actor].itertuples():
            # a hidden doer is a kind of being done to: never count more hidden doers than times acted upon
            agent, hidden = int(r.as_agent), min(int(r.hidden_agent_events), int(r.as_patient))
            named = max(int(r.as_patient) - hidden, 0)
            total = agent + named + hidden
            if not total:
                continue
            parts, x = [], 0.0
            for key, n, label, cell in (("agent", agent, "does", r.evidence_agent),
                                        ("patient", named, "is done to, doer named", r.evidence_patient),
                                        ("hidden", hidden, "is done to, doer hidden", r.evidence_hidden)):
                w = 240 * n / total
                parts.append({"key": key, "n": n, "x": round(x, 1), "w": round(w, 1), "label": label,
                              "ev": ev.add(f"{r.group} · {pretty(actor)} · {label}", cell) if n else ""})
                x += w
            rows.append({"group": r.group, "parts": parts, "total": total, "n_articles": int(r.n_articles),
                         "small": r.group in small})
        if rows:
            out.append({"actor": pretty(actor), "kind": kinds.get(actor, ""), "rows": rows,
                        "of": int((order > 0).sum())})  # how many actors there are; MAX_ACTORS are drawn
    return out


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


def _split(sentence: str, term: str, room: int = 140) -> tuple[str, str, str]:
    """(before, match, after) of the first whole-word match of ``term``, clipped around it."""
    m = re.search(r"(?<![^\W\d_])" + re.escape(term) + r"(?![^\W\d_])", sentence or "", re.IGNORECASE) \
        if term else None
    if not m:
        return (_clip(sentence or "", 2 * room), "", "")
    before, after = sentence[:m.start()], sentence[m.end():]
    before = before if len(before) <= room else "…" + before[-room:].split(" ", 1)[-1]
    return before, m.group(0), _clip(after, room)


def _words(c, ev: Evidence, groups: list[dict]) -> list[dict]:
    d = c.distinctive_terms
    out = []
    for g in groups:
        f = d[d["group"] == g["name"]].head(MAX_WORDS) if not d.empty else d
        words = []
        for r in f.to_dict("records"):
            idx = _num(r.get("example_sentence_index"))
            words.append({"term": r["term"], "count": int(r["count_group"]), "z": float(r["z"]),
                          "per_1k": r["per_1k_group"], "per_1k_rest": r["per_1k_rest"],
                          "by_voice": [(VOICES[v], r.get(f"count_{v}")) for v in VOICES], "example": _split(r.get("example_sentence", ""), r["term"]),
                          "href": ev.href(r.get("example_article_id", ""), int(idx) if idx is not None else None),
                          "ev": ev.add(f"{g['name']} · “{r['term']}”", r.get("evidence", ""), r["term"])})
        n_all = int((d["group"] == g["name"]).sum()) if not d.empty else 0
        out.append({"group": g, "words": words, "n_words": n_all})
    return out


def _tone(c, ev: Evidence, groups: list[dict]) -> list[dict]:
    arts = c.inputs.get("articles", pd.DataFrame())
    out = []
    for g in groups:
        own, quoted = _num(g["row"].get("tone_own")), _num(g["row"].get("tone_quoted"))
        if own is None and quoted is None:
            continue
        ids = [] if arts.empty else list(arts.loc[arts["group"] == g["name"], "article_id"])
        out.append({"group": g, "own": own, "quoted": quoted,
                    "x_own": None if own is None else round(20 + (own + 1) / 2 * (BAR_W - 40), 1),
                    "x_quoted": None if quoted is None else round(20 + (quoted + 1) / 2 * (BAR_W - 40), 1),
                    "ev": ev.add(f"{g['name']} · the articles behind the tone figures", [(a, 0) for a in ids[:5]])})
    return out


def _events(c, ev: Evidence, annotated: bool, side_by_side: bool) -> list[dict]:
    g = c.groups
    if g.empty:
        return []
    texts = c.inputs.get("texts", {})
    out = []
    for name, members in g.groupby("event_group", sort=False):
        members = members.sort_values(["group", "date"] if "date" in members else ["group"])
        arts = [{"id": r["article_id"], "group": r["group"], "title": r.get("title") or r["article_id"],
                 "date": r.get("date") or "", "href": ev.href(r["article_id"])} for r in members.to_dict("records")]
        sim = _num(members["group_similarity"].iloc[0]) if "group_similarity" in members else None
        out.append({"name": name, "label": members["event_label"].iloc[0], "method": members["method"].iloc[0],
                    "shared_terms": str(members["shared_terms"].iloc[0] or "") if "shared_terms" in members else "",
                    "similarity": sim,
                    "n": len(arts), "n_groups": members["group"].nunique(), "articles": arts, "shown": [],
                    "more": []})
    out.sort(key=lambda e: (-e["n_groups"], -e["n"], str(e["name"])))
    if side_by_side:
        for e in [e for e in out if e["n_groups"] >= 2][:MAX_EVENTS]:
            e["shown"] = [dict(a, blocks=annotated_blocks(c, a["id"], texts.get(a["id"], ""), annotated))
                          for a in e["articles"][:MAX_SIDE]]
            e["more"] = e["articles"][MAX_SIDE:]
    return out


def change_text(op: str, old: str, new: str) -> str:
    """One word change in plain words: “rebels” → “opposition fighters”, cut “…”, added “…”."""
    if op == "delete":
        return f"cut “{old}”"
    if op == "insert":
        return f"added “{new}”"
    return f"“{old}” → “{new}”"


def credit_text(credit: str, source_outlet: str) -> str:
    """The detector's credit code in plain words."""
    credit = str(credit or "")
    if credit.startswith("credits") and credit.endswith(", not the source"):
        return f"No: it credits {credit[len('credits '):-len(', not the source')]}, not {source_outlet}"
    if credit.startswith("credits "):
        return f"Yes: it credits {credit[len('credits '):]}"
    return "No credit found"


def _copies(c, ev: Evidence) -> list[dict]:
    p, ch = c.republished, c.copy_changes
    out = []
    for r in ([] if p.empty else p.to_dict("records")):
        mine = ch[(ch["source_id"] == r["source_id"]) & (ch["copy_id"] == r["copy_id"])] if not ch.empty else ch
        changes = [change_text(o, str(a or ""), str(b or ""))
                   for o, a, b in zip(mine["operation"], mine["source_words"], mine["copy_words"])] if len(mine) else []
        out.append({**r, "href_source": ev.href(r["source_id"]), "href_copy": ev.href(r["copy_id"]),
                    "title_source": ev.meta.get(r["source_id"], {}).get("title", r["source_id"]),
                    "title_copy": ev.meta.get(r["copy_id"], {}).get("title", r["copy_id"]),
                    "directed": str(r.get("direction", "")).startswith("earlier"),
                    "credit_text": credit_text(r.get("credit"), r.get("source_outlet") or r["source_id"]),
                    "changes": changes[:MAX_CHANGES], "more_changes": changes[MAX_CHANGES:]})
    return out


def annotated_blocks(c, article_id: str, text: str, annotated: bool = True) -> list[dict]:
    """The article cut into sentence blocks with term and source marks (``html.segment_text``)."""
    from .html import segment_text

    s = c.inputs.get("sentences", pd.DataFrame())
    spans = []
    if s is not None and not s.empty:
        f = s[s["article_id"] == article_id].sort_values("sentence_index")
        for i, st, en in zip(f["sentence_index"], f["start"], f["end"]):
            if _num(st) is not None and _num(en) is not None and int(i) == len(spans):
                spans.append(Span(int(st), int(en)))
    marks: list[Mark] = []
    if annotated:
        att = c.inputs.get("attributions", pd.DataFrame())
        for r in ([] if att is None or att.empty else att[att["article_id"] == article_id].to_dict("records")):
            for kind, start, end in (("content", r.get("content_start"), r.get("content_end")),
                                     ("source", r.get("source_start"), r.get("source_end"))):
                if _num(start) is not None and _num(end) is not None and 0 <= int(start) < int(end) <= len(text):
                    marks.append(Mark(int(start), int(end), f"att-{kind}", layer="attribution",
                                      details=(("source", str(r.get("source_resolved") or r.get("source_text") or "")),
                                               ("type", pretty(r.get("source_type"))))))
        terms = c.inputs.get("terms", pd.DataFrame())
        for r in ([] if terms is None or terms.empty else terms[terms["article_id"] == article_id].to_dict("records")):
            start, end = _num(r.get("start")), _num(r.get("end"))
            if start is None or end is None or not 0 <= start < end <= len(text):
                continue
            voice = re.sub(r"[^a-z_]", "", str(r.get("voice") or "own"))
            css = "t-own" if voice == "own" else f"t-quoted t-{voice}"  # every voice but own is marked as a source's
            category = re.sub(r"[^a-z_]", "", str(r.get("category") or "term").lower()) or "term"
            marks.append(Mark(int(start), int(end), f"term {css} cat-{category}", layer="terms",
                              details=(("refers to", pretty(r.get("refers_to"))), ("category", pretty(category)),
                                       ("voice", VOICES.get(voice, pretty(voice))))))
    blocks = segment_text(text, marks, spans)
    for b in blocks:
        for seg in b["segments"]:
            seg["title"] = " · ".join(v for m in seg["marks"] for _, v in m.details if v)
            seg["css"] = " ".join(m.css for m in seg["marks"])
    return blocks


def view_model(c, article_links: dict[str, str] | None, annotated: bool = True, side_by_side: bool = True) -> dict:
    """Everything comparison.html, worksheet.html and the notebook view show."""
    from .html import page_name

    arts = c.inputs.get("articles", pd.DataFrame())
    ids = [] if arts is None or arts.empty else list(arts["article_id"])
    links = {a: f"articles/{page_name(a)}.html" for a in ids}
    links.update(article_links or {})
    ev = Evidence(c, links)
    groups = _groups(c)
    names = [g["name"] for g in groups]
    questions = []
    for i, q in enumerate(c.questions.to_dict("records") if not c.questions.empty else [], start=1):
        questions.append({**q, "n": i, "ev": ev.add(f"Question {i} · {q['finding']}", q.get("evidence", ""))})
    return {
        "by": c.by, "event": c.event, "settings": c.settings, "min_articles": c.min_articles,
        "n_articles": len(ids), "groups": groups, "n_groups_total": len(c.group_names),
        "any_small": any(g["small"] for g in groups), "questions": questions,
        "labels": _labels(c, ev, names), "sources": _sources(c, ev, groups), "density": _density(c, ev, groups),
        "agency": _agency(c, ev, groups), "words": _words(c, ev, groups), "tone": _tone(c, ev, groups),
        "measures": _measures(c, groups), "voices": [{"code": v, "name": VOICES.get(v, pretty(v)), "short": _short(v),
                                                      "abbr": _short(v)[:1].upper()}
                                                     for v in _voices_used(c)],
        "copies": _copies(c, ev),
        "events": _events(c, ev, annotated, side_by_side), 
        "evidence": ev.entries, "annotated": annotated, "print_words": PRINT_WORDS,
    }
