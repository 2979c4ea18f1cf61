"""Same-event grouping: average link inside date blocks, with the words that hold each group together."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mediaeval.compare import grouping

pd = pytest.importorskip("pandas")


def seed_frame(root):
    rows = [json.loads(line) for line in (root / "seeds" / "fakes_syria_sample.jsonl").read_text().splitlines()]
    return pd.DataFrame(rows).assign(article_id=lambda f: f["id"].astype(str), date=lambda f: f["date"].astype(str))


def test_seed_events_grouped_with_reasons(seed_path):
    s = seed_frame(seed_path.parents[1])
    g = grouping.event_groups(s, dict(zip(s.article_id, s.text))).merge(s[["article_id", "event", "outlet"]])
    group_of = dict(zip(g.article_id, g.event_group))
    # the four Khan Sheikhoun reports (two days apart at most) are one group ...
    khan = g[g.event == "khan_sheikhoun_2017"]
    assert khan.event_group.nunique() == 1
    # ... the three same-day 2013 Ghouta reports another; Al-Alam ten days later stands apart
    ghouta = g[g.event == "ghouta_chemical_2013"].set_index("outlet")
    assert ghouta.loc[["Reuters", "Al Arabiya", "Sputnik"], "event_group"].nunique() == 1
    assert ghouta.loc["Al-Alam", "event_group"] != ghouta.loc["Reuters", "event_group"]
    assert group_of[khan.article_id.iloc[0]] != ghouta.loc["Reuters", "event_group"]
    row = g[g.event_group == ghouta.loc["Reuters", "event_group"]].iloc[0]
    assert "gas" in row.shared_terms.split(", ") and row.group_label
    assert row.group_similarity >= grouping.EVENT_THRESHOLD
    assert f">= {grouping.EVENT_THRESHOLD}" in grouping.describe()


def test_average_link_does_not_chain_through_a_bridge():
    # 0-1 and 2-3 are tight pairs; 1-2 is one bridging edge. Single link would join all four.
    edges = {(0, 1): 0.6, (2, 3): 0.6, (1, 2): 0.3}
    roots = grouping.average_link(4, edges, threshold=0.2)
    assert roots[0] == roots[1] and roots[2] == roots[3] and roots[0] != roots[2]
    # a third member with strong ties to both joins
    roots = grouping.average_link(3, {(0, 1): 0.5, (0, 2): 0.4, (1, 2): 0.4}, threshold=0.2)
    assert len(set(roots)) == 1


def test_blocking_compares_only_within_the_window(seed_path):
    s = seed_frame(seed_path.parents[1])
    matrix, _, _ = grouping.event_space(list(s.title), list(s.text))
    days = grouping._dates(s.date).map(lambda d: d.toordinal()).to_numpy(dtype=float)
    edges = grouping.event_edges(matrix, days, window_days=3, floor=0.0)
    assert edges and all(abs(days[i] - days[j]) <= 3 for i, j in edges)


def test_group_span_is_bounded():
    # an undated item (2) is similar to items dated years apart (0, 1): with days, no group spans > 6 days
    edges = {(0, 2): 0.5, (1, 2): 0.5}
    days = np.array([735000.0, 736000.0, np.nan])
    assert len(set(grouping.average_link(3, edges, 0.2))) == 1
    roots = grouping.average_link(3, edges, 0.2, days=days, max_span=6)
    assert roots[0] != roots[1]


def test_cohesion_keeps_a_tight_group_from_a_looser_neighbour():
    # two tight groups {0,1} and {2,3} (inside 0.6) with cross pairs of 0.3: plain average link at 0.2
    # joins them; with cohesion 0.9 they stay apart (0.3 < 0.9 x 0.6), while a loose pair (inside 0.2)
    # joins a neighbour it is as close to as to itself
    edges = {(0, 1): 0.6, (2, 3): 0.6, (0, 2): 0.3, (0, 3): 0.3, (1, 2): 0.3, (1, 3): 0.3}
    start = grouping.average_link(4, {(0, 1): 0.6, (2, 3): 0.6}, 0.5)
    assert len(set(grouping.average_link(4, edges, 0.2, start=start))) == 1
    assert len(set(grouping.average_link(4, edges, 0.2, start=start, cohesion=0.9))) == 2
    loose = {**edges, (2, 3): 0.2}
    start = grouping.average_link(4, {(0, 1): 0.6, (2, 3): 0.2}, 0.15)
    assert len(set(grouping.average_link(4, loose, 0.2, start=start, cohesion=0.9))) == 1


def test_background_idf_weighs_shared_event_words_above_common_ones(seed_path):
    """Three same-day Khan Sheikhoun reports alone: "khan" (in every one) outweighs "said" (in every one)."""
    s = seed_frame(seed_path.parents[1])
    three = s[(s.event == "khan_sheikhoun_2017") & (s.date == "2017-04-04")]
    texts = [f"{t} {x}" for t, x in zip(three.title, three.text)]
    matrix, terms = grouping.news_tfidf(texts)
    col = {t: i for i, t in enumerate(terms)}
    assert all(w in col for w in ("khan", "said"))
    assert (matrix[:, col["khan"]].toarray() > matrix[:, col["said"]].toarray()).all()
    n, df = grouping.background_df()
    assert n == 20000 and df["said"] > 10 * df.get("idlib", 1)


def test_small_blocks_give_the_same_graph(seed_path, monkeypatch):
    """The date blocks bound memory, not the result: tiny blocks keep the same edges."""
    s = seed_frame(seed_path.parents[1])
    matrix, _, _ = grouping.event_space(list(s.title), list(s.text))
    days = grouping._dates(s.date).map(lambda d: d.toordinal()).to_numpy(dtype=float)
    full = grouping.event_edges(matrix, days, floor=0.02)
    monkeypatch.setattr(grouping, "_CELLS", 3)
    monkeypatch.setattr(grouping, "_BLOCK", 2)
    assert grouping.event_edges(matrix, days, floor=0.02) == full


def test_empty_and_undated_articles():
    assert grouping.event_groups(pd.DataFrame({"article_id": [], "date": []}), {}).empty
    a = pd.DataFrame({"article_id": ["a", "b"], "date": ["", "not a date"]})
    g = grouping.event_groups(a, {"a": "", "b": ""})
    assert list(g.event_group) == ["e1", "e2"]


@pytest.mark.data
def test_dev_sets_pairwise_f1(shared_data):
    from benchmarks.compare_grouping import after, basil, dai, pair_scores

    d, b = dai(), basil()
    assert pair_scores(list(d.event), after(d))[2] >= 0.95
    assert pair_scores(list(b.event), after(b))[2] >= 0.95


@pytest.mark.data
def test_each_event_alone_is_one_group(shared_data):
    """A small corpus (one BASIL triplet, one Dai cluster of 3-9 reports) is one group: the background IDF
    keeps the words all its reports share from weighing least."""
    from benchmarks.compare_grouping import alone_split, basil, dai

    assert alone_split(dai()) == 0
    assert alone_split(basil()) == 0


@pytest.mark.data
def test_next_day_reactions_apart_next_day_coverage_together(shared_data):
    """Dai 2017: the Sessions disclosure (1-2 March) and Trump's defence of him (3 March) are two events;
    FA-KES: the 5 April follow-ups of the Khan Sheikhoun attack (the test below) join the 4 April reports."""
    from benchmarks.compare_grouping import dai

    d = dai()
    g = dict(zip(d.article_id, grouping.event_groups(d, dict(zip(d.article_id, d.text))).event_group))
    disclosure = d[d.event == "22"].article_id
    defence = d[(d.event == "24") & (d.date == "2017-03-03") & d.title.str.contains("Trump")].article_id
    assert len({g[a] for a in disclosure}) == 1 and len({g[a] for a in defence}) == 1
    assert g[disclosure.iloc[0]] != g[defence.iloc[0]]


@pytest.mark.data
def test_same_day_reports_of_one_event_are_one_group(shared_data):
    """FA-KES, 4 April 2017: seven outlets report the Khan Sheikhoun gas attack; that day's Ghouta shelling is apart."""
    from benchmarks.republished_dev import fakes

    fk = fakes()
    g = dict(zip(*grouping.event_groups(fk, dict(zip(fk.article_id, fk.text)))[["article_id", "event_group"]]
                 .T.values))
    khan = ["ahram_1923848146", "arabiya_1926479363", "alaraby_1923102872", "trt_1919191759",
            "asharqalawsat_1918150030", "etilaf_1926479178", "ahram_1923848144"]
    assert len({g[a] for a in khan}) == 1
    assert g["ahram_1923848145"] == g["alaraby_1923102874"] != g[khan[0]]
