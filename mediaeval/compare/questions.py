"""Questions for discussion, generated from the findings of a comparison.

Each question states a finding in plain words, names the groups it concerns, and
points at its evidence: sentences (``article_id#s<index>``) and the section of
the report that holds the figure. A finding becomes a question only above a
stated minimum of evidence (``MIN_*`` below), so a single stray word does not
send a class looking for a pattern that is not there. The questions are
prompts, not verdicts: a label used "only in quotes" may still be endorsed by
the article's framing, and a source type that is never quoted may simply have
said nothing.
"""

from __future__ import annotations

import pandas as pd

from ..measures import registry
from ..schema import label as pretty
from .tables import evidence_links, evidence_string

MIN_LABEL = 1  # occurrences of a label in a voice before it counts as used
MIN_TOP_LABEL = 2  # own-voice uses before a label counts as an outlet's usual word
MIN_ATTRIBUTIONS = 3  # attributions in a group before its source mix is discussed
MIN_HIDDEN = 2
MIN_SHARED_COPY = 2  # shared sentences before a republished pair becomes a question
TONE_GAP = 0.2
MEASURE_RATIO = 2.0  # a registry measure becomes a question when one group's mean is at least twice another's
PER_KIND = 3
#: voices in which the words are the source's, inside quotation marks; every other voice (own, reported)
#: is worded by the outlet, so a label there is the outlet's choice (Glasgow Media Group)
DISTANCED = ("quoted", "scare_quoted")

COLUMNS = ["kind", "question", "finding", "groups", "section", "evidence", "rank"]


def _merge(*cells: str) -> str:
    """Evidence of several cells, taken in turn from each, so every group is represented."""
    lists = [evidence_links(c) for c in cells]
    turns = (lst[i] for i in range(max(map(len, lists), default=0)) for lst in lists if i < len(lst))
    return evidence_string(turns)


def _small(c) -> set:
    """Groups below the comparison's minimum of articles: they never get a question."""
    o = c.outlets
    return set() if o.empty else set(o.loc[(o["event_group"] == "all") & o["small_group"].fillna(False), "group"])


def _scopes(c) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(prefix, label table, source table) per event group reported by two or more groups that are not
    small: outlets are compared only on the same event (issue 13), their counts per 1,000 words."""
    from .tables import label_table, source_table

    arts = c.inputs.get("articles")
    if arts is None or arts.empty or "event_group" not in arts:
        return []
    small = _small(c)
    events = c.groups.drop_duplicates("event_group").set_index("event_group")["event_label"] \
        if not c.groups.empty else pd.Series(dtype="string")
    several = arts["event_group"].nunique() > 1
    out = []
    for ev, a in arts[~arts["group"].isin(small)].groupby("event_group", sort=True):
        if a["group"].nunique() < 2:
            continue
        ids = set(a["article_id"])

        def sub(name: str) -> pd.DataFrame:
            f = c.inputs.get(name)
            return pd.DataFrame() if f is None or f.empty else f[f["article_id"].isin(ids)]

        terms = sub("terms")
        lab = label_table(sub("labels"), terms if not terms.empty else pd.DataFrame(
            columns=["article_id", "group", "term", "matched_text", "refers_to", "voice", "sentence_index"]), a) \
            if not (sub("labels").empty and terms.empty) else pd.DataFrame()
        src = source_table(sub("attributions"), a)
        prefix = f"On “{events.get(ev, ev)}”: " if several else ""
        out.append((prefix, lab, src))
    return out


def _rate(n: float, words) -> str:
    """“3×, 2.1 per 1,000 words”: a count with its rate, so long and short articles compare fairly."""
    try:
        w = float(words)
    except (TypeError, ValueError):
        w = 0.0
    return f"{int(n)}×, {1000 * n / w:.1f} per 1,000 words" if w == w and w > 0 else f"{int(n)}×"


def _labels(c) -> list[dict]:
    out: list[dict] = []
    for prefix, lab, _ in _scopes(c):
        if lab.empty:
            continue
        out += _label_questions(lab, prefix)
    return out


def _label_questions(lab: pd.DataFrame, prefix: str) -> list[dict]:
    out: list[dict] = []
    lab = lab.assign(own=~lab["voice"].isin(DISTANCED))
    words = lab.groupby("group")["group_words"].first()
    for (ref, label), f in lab.groupby(["refers_to", "label"]):
        own = f[f["own"]].groupby("group")["count"].sum()
        other = f[~f["own"]].groupby("group")["count"].sum()
        users = own[own >= MIN_LABEL]
        distant = [g for g in other[other >= MIN_LABEL].index if g not in users.index]
        if len(users) and distant:
            rates = {g: n / max(1, words.get(g, 0) or 0) for g, n in users.items()}
            a, b = max(rates, key=lambda g: (rates[g], g)), distant[0]
            ev = _merge(*f[(f["group"] == a) & f["own"]]["evidence"], *f[(f["group"] == b) & ~f["own"]]["evidence"])
            out.append({"kind": "label_voice", "groups": f"{a}; {b}", "section": "labels", "evidence": ev,
                        "rank": 10 + int(users.max()) + int(other[b]),
                        "finding": f"{prefix}{a} uses “{label}” for {pretty(ref)} in its own wording "
                                   f"({_rate(users[a], words.get(a))}); {b} uses it only inside quotation marks "
                                   f"({_rate(other[b], words.get(b))}).",
                        "question": f"Why might one outlet adopt the word “{label}” itself while another keeps it at "
                                    f"a distance, in its sources' mouths? Read both sentences: does the framing around "
                                    f"the quote endorse the word anyway?"})
    own = lab[lab["own"]].groupby(["refers_to", "group", "label"])["count"].sum().reset_index()
    for ref, f in own.groupby("refers_to"):
        f = f[f["count"] >= MIN_TOP_LABEL]
        said, groups, ev_cells, total, words_used = [], [], [], 0, set()
        for g, fg in f.groupby("group"):
            fg = fg.sort_values(["count", "label"], ascending=[False, True])
            best = fg[fg["count"] == fg["count"].iloc[0]]
            n = int(best["count"].iloc[0])
            names = [str(x) for x in best["label"]]
            words_used |= set(names)
            if len(names) == 1:
                said.append(f"{g} most often writes “{names[0]}” ({_rate(n, words.get(g))})")
            else:  # a tie is a tie: never "mostly"
                said.append(f"{g} writes " + " and ".join(f"“{x}”" for x in names) + f" equally often "
                            f"({n}× each)")
            groups.append(g)
            total += n * len(names)
            ev_cells += [lab[(lab["group"] == g) & (lab["label"] == x) & lab["own"]]["evidence"].iloc[0] for x in names]
        if len(groups) < 2 or len(words_used) < 2:
            continue
        out.append({"kind": "label_choice", "groups": "; ".join(groups[:3]), "section": "labels",
                    "evidence": _merge(*ev_cells), "rank": 20 + total,
                    "finding": f"{prefix}For {pretty(ref)}: {'; '.join(said[:3])}.",
                    "question": "What does each word suggest about the people it names: their aims, their "
                                "legitimacy, whether they can be negotiated with? Which word would you choose, "
                                "and why?"})
    return out


#: source types that speak for a state when a question asks about government sources: a government, its army
#: command (``military``), and any source the analysis marks ``state_affiliated`` (state media, ministries' outlets)
STATE_TYPES = ("government", "military")


def _state_counts(types: pd.DataFrame) -> pd.Series:
    """Per group, attributions to state sources: government + military + state-affiliated sources of other types."""
    aff = types["state_affiliated"].astype("Float64").fillna(0)
    n = types["attributions"].where(types["source_type"].isin(STATE_TYPES), aff)
    return n.groupby(types["group"]).sum()


def _sources(c) -> list[dict]:
    out: list[dict] = []
    for prefix, _, s in _scopes(c):
        if s.empty:
            continue
        out += _source_questions(s, prefix)
    s = c.sources_by_outlet
    if s.empty:
        return out
    types = s[(s["level"] == "type") & ~s["group"].isin(_small(c))]
    totals = types.groupby("group")["attributions"].sum()
    for g, anon in types[types["source_type"] != "anonymous"].groupby("group")["anonymous"].sum().items():
        total = totals.get(g, 0)
        if total >= MIN_ATTRIBUTIONS and anon >= 2 and anon / total >= 0.25:
            ev = _merge(*types[(types["group"] == g) & (types["anonymous"] > 0)]["evidence"])
            out.append({"kind": "anonymous", "groups": g, "section": "sources", "evidence": ev, "rank": 12 + int(anon),
                        "finding": f"{g} attributes {int(anon)} of {int(total)} statements "
                                   f"({100 * anon / total:.0f}%) to unnamed sources.",
                        "question": "When is it fair to report what an unnamed source says? What would you need to "
                                    "know before trusting it, and does the article tell you?"})
    return out


def _source_questions(s: pd.DataFrame, prefix: str) -> list[dict]:
    out: list[dict] = []
    types = s[s["level"] == "type"]
    totals = types.groupby("group")["attributions"].sum()
    counts = {"state": _state_counts(types)}
    for t, f in types.groupby("source_type"):
        if t not in ("unknown", "anonymous") + STATE_TYPES:
            counts[t] = f.set_index("group")["attributions"]
    for t, n in counts.items():
        name = "state (government or army)" if t == "state" else pretty(t)
        present = n[n > 0]
        absent = [g for g, v in n.items() if v == 0 and totals.get(g, 0) >= MIN_ATTRIBUTIONS]
        if present.empty or not absent or present.sum() < MIN_ATTRIBUTIONS:
            continue
        best = present.sort_values(ascending=False).index[0]
        cell = types[(types["group"] == best) & (types["attributions"] > 0)
                     & (types["source_type"].isin(STATE_TYPES) if t == "state" else types["source_type"] == t)]
        ev = _merge(*cell["evidence"])
        out.append({"kind": "never_quoted", "groups": "; ".join([best] + absent[:3]), "section": "sources",
                    "evidence": ev, "rank": 15 + int(present.sum()),
                    "finding": f"{prefix}{', '.join(f'{g} (0 of {int(totals[g])} attributions)' for g in absent[:3])} "
                               f"quote{'s' if len(absent) == 1 else ''} no {name} source, while {best} does so in "
                               f"{int(present[best])} of {int(totals[best])} attributions "
                               f"({100 * present[best] / totals[best]:.0f}%).",
                    "question": f"Whose account is missing where no {name} source speaks? Did the outlet not "
                                f"ask, did the source not answer, or is it not relevant to this story?"})
    return out


def _agency(c) -> list[dict]:
    a = c.agency_by_outlet
    if a.empty:
        return []
    out = []
    a = a[~a["group"].isin(_small(c))]
    for r in a[a["hidden_agent_events"] >= MIN_HIDDEN].sort_values("hidden_agent_events", ascending=False).itertuples():
        named = a[(a["actor"] == r.actor) & (a["group"] != r.group) & (a["hidden_agent_events"] == 0)
                  & (a["as_patient"] > 0)]
        contrast = f" In {named['group'].iloc[0]}, every such sentence names the doer." if len(named) else ""
        out.append({"kind": "hidden_agent", "groups": r.group, "section": "agency", "evidence": r.evidence_hidden,
                    "rank": 10 + int(r.hidden_agent_events),
                    "finding": f"In {r.group}, {pretty(r.actor)}: acted upon {int(r.hidden_agent_events)}× "
                               f"(the actor appears in {int(r.n_articles)} of its {int(r.group_articles)} articles) in sentences "
                               f"that do not say by whom (“were killed”, “the attack”).{contrast}",
                    "question": "Who is the hidden doer in these sentences? Does the article say it elsewhere, or "
                                "does another outlet name them?"})
    return out


def _change_list(changes: pd.DataFrame, k: int = 3) -> str:
    """The first ``k`` word changes in plain words, with how many more there are."""
    items = []
    for op, a, b in zip(changes["operation"], changes["source_words"].fillna(""), changes["copy_words"].fillna("")):
        items.append(f"cut “{a}”" if op == "delete" else f"added “{b}”" if op == "insert" else f"“{a}” → “{b}”")
    more = f" and {len(items) - k} more" if len(items) > k else ""
    return "; ".join(items[:k]) + more


def _republished(c) -> list[dict]:
    """One question per republished pair: what did the copy change, does it credit the source?"""
    out = []
    p, ch = c.republished, c.copy_changes
    if p.empty:
        return out
    sent_of = {}
    s = c.inputs.get("sentences")
    if s is not None and not s.empty:
        s = s[s["article_id"].isin(set(p["copy_id"]))]  # only the copies' sentences are looked up
        for a, st, i in zip(s["article_id"], s["start"], s["sentence_index"]):
            sent_of[(a, int(st))] = int(i)
    for r in p.itertuples():
        if r.shared_sentences < MIN_SHARED_COPY:
            continue
        mine = ch[(ch["source_id"] == r.source_id) & (ch["copy_id"] == r.copy_id)] if not ch.empty else ch
        credit = str(r.credit or "")
        if credit.endswith(", not the source"):
            says = f"it credits {credit[len('credits '):-len(', not the source')]}, not {r.source_outlet}"
        elif credit.startswith("credits "):
            says = f"it credits {credit[len('credits '):]}"
        else:
            says = "no credit to the source was found"
        who = (f"{r.copy_outlet} republished {int(r.shared_sentences)} sentences of {r.source_outlet}'s earlier "
               f"article" if str(r.direction).startswith("earlier") else
               f"{r.source_outlet} and {r.copy_outlet} share {int(r.shared_sentences)} sentences on the same date")
        changed = (f"; changes: {_change_list(mine)}" if len(mine) else "; word for word")
        ev = [(r.copy_id, sent_of[(r.copy_id, int(st))]) for st in mine["copy_sentence_start"]
              if (r.copy_id, int(st)) in sent_of] if len(mine) else []
        out.append({"kind": "republished", "groups": f"{r.source_outlet}; {r.copy_outlet}", "section": "origin",
                    "evidence": evidence_string(ev or [(r.source_id, 0), (r.copy_id, 0)]),
                    "rank": 14 + int(r.shared_sentences),
                    "finding": f"{who}{changed}; {says}.",
                    "question": "What did the copy change? Does it credit the source? Do the changed words change "
                                "who seems responsible, or how the story reads?"})
    return out


def _other(c) -> list[dict]:
    out = []
    out += _republished(c)
    o = c.outlets
    if not o.empty and {"tone_own", "tone_quoted"} <= set(o.columns):
        allo = o[(o["event_group"] == "all") & ~o["small_group"].fillna(False)].copy()
        allo["gap"] = allo["tone_own"] - allo["tone_quoted"]
        for r in allo[(allo["gap"].abs() >= TONE_GAP).fillna(False)].itertuples():
            out.append({"kind": "tone", "groups": r.group, "section": "tone", "evidence": "", "rank": 8,
                        "finding": f"In {r.group}, sentences in the outlet's own voice average a tone of "
                                   f"{r.tone_own:+.2f}; quoted words {r.tone_quoted:+.2f} (VADER, −1 to +1).",
                        "question": "Does the outlet leave the strong feelings to its sources? How does that "
                                    "change what a reader feels?"})
    d = c.distinctive_terms
    if not d.empty:
        small = set(o.loc[o["small_group"].fillna(False), "group"]) if not o.empty else set()
        for g, f in d[~d["group"].isin(small)].groupby("group"):
            top = f.iloc[0]
            out.append({"kind": "distinctive", "groups": g, "section": "words", "evidence": top["evidence"],
                        "rank": 6, "finding": f"{g} uses “{top['term']}” far more than the others "
                                              f"({top['per_1k_group']:.1f} against {top['per_1k_rest']:.1f} per "
                                              f"1,000 words; {int(top['count_group'])}×, z = {top['z']:.1f}).",
                        "question": "Is this a choice of words, or a difference in what was covered? Read the "
                                    "sentences to decide."})
    return out


def _measures(c) -> list[dict]:
    """A question for each registry measure that declares one, when its group means differ enough."""
    o = c.outlets
    out: list[dict] = []
    if o.empty:
        return out
    allo = o[(o["event_group"] == "all") & ~o["small_group"].fillna(False)]
    for m in registry().values():
        if not m.question or m.name not in allo or allo[m.name].notna().sum() < 2:
            continue
        f = allo[allo[m.name].notna()].sort_values(m.name, ascending=False)
        hi, lo = f.iloc[0], f.iloc[-1]
        if hi[m.name] <= 0 or hi[m.name] < MEASURE_RATIO * lo[m.name]:
            continue
        out.append({"kind": m.name, "groups": f"{hi['group']}; {lo['group']}", "section": "measures",
                    "evidence": "", "rank": 9,
                    "finding": f"{m.label.capitalize()}: {hi['group']} {hi[m.name]:g}, {lo['group']} "
                               f"{lo[m.name]:g} ({m.unit}, mean over articles).",
                    "question": m.question})
    return out


def build_questions(c) -> pd.DataFrame:
    """Discussion questions from a ``Comparison``, strongest evidence first (at most 3 per kind)."""
    items = _labels(c) + _sources(c) + _agency(c) + _other(c) + _measures(c)
    if not items:
        return pd.DataFrame(columns=COLUMNS)
    q = pd.DataFrame(items)
    q = q.sort_values("rank", ascending=False, kind="stable").groupby("kind", sort=False).head(PER_KIND)
    return q[COLUMNS].reset_index(drop=True)
