"""Discussion questions (issue 13, item 2): honest on the seed articles and on FA-KES.

Every question template is checked on the seeds (seeds/: the Xinhua article and the FA-KES sample, grouped
by their ``event`` column) and on a slice of FA-KES (../shared/data/fakes_syria, events found by text
similarity; skipped without the data): counts come with a rate, outlets are compared only within one event
group, ties are ties, the army command counts as a state source, no question rests on a small group.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pandas as pd
import pytest

from mediaeval.compare import build_comparison, questions as qmod

from test_compare import make_frames

def _analyse(records: list[dict], tmp_path_factory, name: str):
    from mediaeval import to_frames
    from mediaeval.analyze import analyze_stream
    from mediaeval.ingest.readers import read_articles

    path = tmp_path_factory.mktemp(name) / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return to_frames(list(analyze_stream(read_articles([str(path)]))))


@pytest.fixture(scope="module")
def seed_comparison(seed_path, seed_text, tmp_path_factory):
    rows = [json.loads(x) for x in (seed_path.parent / "fakes_syria_sample.jsonl").read_text().splitlines()]
    meta = json.loads((seed_path.parent / "xinhua_hama_withdrawal.meta.json").read_text())
    rows.append({**{k: v for k, v in meta.items() if isinstance(v, str)}, "id": "xinhua", "text": seed_text})
    return build_comparison(_analyse(rows, tmp_path_factory, "seed"), event="event", min_articles=1)


@pytest.fixture(scope="module")
def fakes_comparison(shared_data, tmp_path_factory):
    rows = [json.loads(x) for x in (shared_data / "fakes_syria" / "fakes_articles.jsonl").read_text().splitlines()]
    busiest = [d for d, _ in Counter(r["date"] for r in rows).most_common(2)]
    pick = [dict(r, id=f"fk{i}") for i, r in enumerate(rows) if r["date"] in busiest][:24]
    return build_comparison(_analyse(pick, tmp_path_factory, "fakes"), min_articles=1)


def _event_of_finding(c, finding: str) -> set[str]:
    """The groups covering the event a finding names (“On “…”: ”), or all groups when it names none."""
    m = re.match(r"On “(.+?)”: ", finding)
    g = c.groups
    return set(g.loc[g["event_label"] == m.group(1), "group"]) if m else set(g["group"])


def check_honest(c):
    q = c.questions
    small = qmod._small(c)
    att = c.inputs["attributions"]
    arts = c.inputs["articles"]
    for r in q.to_dict("records"):
        text = r["finding"] + " " + r["question"]
        assert "mostly" not in text and not re.search(r"\bnan\b", text), r
        assert not re.search(r"\b(nonstate_armed|ngo_monitor|witness_civilian|state_forces)\b", text), r
        groups = [g for g in r["groups"].split("; ") if g]
        if r["kind"] != "republished":
            assert not set(groups) & small, r
        if r["kind"] in ("label_voice", "label_choice", "never_quoted"):
            # outlets compared on one event only
            assert set(groups) <= _event_of_finding(c, r["finding"]), r
        if r["kind"] in ("label_voice", "label_choice"):
            assert "per 1,000 words" in r["finding"] or "equally often" in r["finding"], r
        if r["kind"] == "never_quoted":
            assert re.search(r"\d+ of \d+ attributions", r["finding"]), r
            if "no state (government or army) source" in r["finding"]:
                covering = _event_of_finding(c, r["finding"])
                ids = set(arts.loc[arts["group"].isin(covering), "article_id"])
                for g in [g for g in groups[1:]]:
                    f = att[(att["group"] == g) & att["article_id"].isin(ids)]
                    state = f["source_type"].isin(qmod.STATE_TYPES) | f["state_affiliated"].fillna(False).astype(bool)
                    assert not state.any(), (g, r)
        if r["kind"] == "republished":
            assert "What did the copy change? Does it credit the source?" in r["question"]
            assert "credit" in r["finding"]
        if r["kind"] == "hidden_agent":
            m = re.search(r"appears in (\d+) of its (\d+) articles", r["finding"])
            assert m and int(m.group(1)) <= int(m.group(2)), r
    return q


def test_seed_questions_are_honest(seed_comparison):
    q = check_honest(seed_comparison)
    kinds = set(q["kind"])
    assert {"label_choice", "never_quoted", "republished"} <= kinds
    # seeds/README.md: Ahram Online and Al Arabiya republish one Reuters story
    rep = q[q["kind"] == "republished"]
    assert any("Ahram Online" in g and "Al Arabiya" in g for g in rep["groups"])
    # the Hama event has one outlet (Xinhua): nothing is compared across outlets on it
    compared = q[q["kind"].isin(["label_choice", "label_voice", "never_quoted"])]
    assert not compared["groups"].str.contains("Xinhua").any()


def test_seed_never_counts_the_army_as_a_missing_government_source(seed_comparison):
    q = seed_comparison.questions
    state_missing = q[q["finding"].str.contains("no state (government or army) source", regex=False)]
    # any group the question calls state-silent has no government, military or state-affiliated attribution
    check_honest(seed_comparison)
    assert not q["finding"].str.contains("no government source", regex=False).any()
    assert state_missing.empty or state_missing["kind"].eq("never_quoted").all()


def test_fakes_questions_are_honest(fakes_comparison):
    q = check_honest(fakes_comparison)
    assert len(q)


def test_a_tie_is_reported_as_a_tie():
    frames = make_frames()
    # Alpha News writes "rebels" 4x in its own voice; add "insurgents" 4x: a tie
    t = frames["terms"]
    extra = t[t["article_id"].isin(["a1", "a2"])].assign(term="insurgents")
    frames["terms"] = pd.concat([t, extra], ignore_index=True)
    lab = frames["labels"]
    frames["labels"] = pd.concat([lab, lab[lab["article_id"].isin(["a1", "a2"])].assign(label="insurgents")],
                                 ignore_index=True)
    q = build_comparison(frames, event="event", min_articles=1).questions
    choice = " ".join(q[q["kind"] == "label_choice"]["finding"])
    assert "Alpha News writes “insurgents” and “rebels” equally often (4× each)" in choice
    assert "Alpha News most often" not in choice


def test_small_groups_get_no_question():
    q = build_comparison(make_frames(), event="event", min_articles=2).questions
    assert not q["groups"].str.contains("Gamma Wire").any()  # one article, below the minimum of 2


def test_teacher_view_of_the_seed_uses_plain_words(seed_comparison):
    from mediaeval.report.comparison import render_comparison
    from mediaeval.report.comparison_view import MAX_LABELS, view_model

    c = seed_comparison
    vm = view_model(c, None)
    for block in vm["labels"]:  # every label shown, or "N of M shown" with the rest one click away
        assert len(block["rows"]) + len(block["more_rows"]) == block["n_labels"]
        assert len(block["rows"]) <= MAX_LABELS
    actors = c.inputs["actors"]
    for a in vm["agency"]:  # a place is labelled a place, never an organisation
        assert a["kind"] in ("", "a place")
    places = set(actors.loc[actors["kind"].isin(["GPE", "LOC"]), "actor"])
    assert any(a["kind"] == "a place" for a in vm["agency"]) or not places & {a["actor"] for a in vm["agency"]}
    html = render_comparison(c, {})
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\bnan\b", text) and "credited to nan" not in html
    assert not re.search(r"\b(nonstate_armed|ngo_monitor|refers_to|witness_civilian)\b", text)
    assert "Republished copy" in html and "No credit found" in html
