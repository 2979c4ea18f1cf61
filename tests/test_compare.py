"""The comparison: tables per group, statistics, questions, CSV and HTML (hand-made frames, no spaCy)."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from mediaeval.compare import Comparison, build_comparison, evidence_links
from mediaeval.compare.distinctive import log_odds
from mediaeval.errors import MediaevalError
from mediaeval.report.comparison import write_comparison

ROOT = Path(__file__).resolve().parents[1]
STAMP = {"mediaeval_version": "test", "spacy_model": "none", "created": "now", "lexicons": {}, "inputs": ["hand"]}

# outlet, date, event, sentences; labels are (sentence, word, refers_to, voice)
ARTICLES = {
    "a1": ("Alpha News", "2024-12-05", "hama", ["Rebels entered Hama on Thursday.",
                                                 "The army said it redeployed its forces.",
                                                 "Rebels held the centre as fighting raged near the citadel."]),
    "a2": ("Alpha News", "2024-12-06", "hama", ["Rebels advanced from the north.",
                                                 "Citadel residents fled as rebels advanced."]),
    "b1": ("Beta Daily", "2024-12-05", "hama", ["“Terrorists attacked our positions,” the army said.",
                                                 "Civilians were killed in the shelling."]),
    "b2": ("Beta Daily", "2024-12-06", "hama", ["“The terrorists will be defeated,” a military source said.",
                                                 "Houses were destroyed."]),
    "c1": ("Gamma Wire", "2024-12-05", "hama", ["Terrorists seized parts of Hama, the ministry said.",
                                                 "Terrorists shelled the city."]),
}
LABELS = [("a1", 0, "rebels", "nonstate_armed", "own"), ("a1", 2, "rebels", "nonstate_armed", "own"),
          ("a2", 0, "rebels", "nonstate_armed", "own"), ("a2", 1, "rebels", "nonstate_armed", "own"),
          ("b1", 0, "terrorists", "nonstate_armed", "quoted"), ("b2", 0, "terrorists", "nonstate_armed", "quoted"),
          ("c1", 0, "terrorists", "nonstate_armed", "own"), ("c1", 1, "terrorists", "nonstate_armed", "own")]
ATTRIBUTIONS = [("a1", 1, "The army", "military", False), ("b1", 0, "the army", "military", False),
                ("b2", 0, "a military source", "military", True), ("c1", 0, "the ministry", "government", False)]


def make_frames(articles=ARTICLES, extra_measures=True) -> dict[str, pd.DataFrame]:
    rows, sents, texts, terms, atts = [], [], [], [], []
    own = articles is ARTICLES or all(articles.get(k) == v for k, v in ARTICLES.items() if k != "a2")
    labels_used, atts_used = (LABELS, ATTRIBUTIONS) if own else ([], [])
    for aid, (outlet, date, event, sentences) in articles.items():
        text, offsets = "", []
        for s in sentences:
            offsets.append((len(text), len(text) + len(s)))
            text += s + " "
        texts.append({"article_id": aid, "text": text})
        for i, ((st, en), s) in enumerate(zip(offsets, sentences)):
            sents.append({"article_id": aid, "sentence_index": i, "start": st, "end": en, "text": s})
        words = len(text.split())
        row = {"article_id": aid, "outlet": outlet, "date": date, "title": f"{outlet}: {sentences[0]}", "event": event,
               "origin_agency": "Gamma Wire" if outlet == "Gamma Wire" else "", "n_words": words,
               "n_sentences": len(sentences)}
        if extra_measures:
            n_att = sum(1 for a in atts_used if a[0] == aid)
            row.update({"attributions": n_att, "attributions_per_1k_words": 1000 * n_att / words,
                        "tone_own": -0.5 if outlet == "Beta Daily" else -0.1, "tone_quoted": -0.6,
                        "count_actor_label": sum(1 for lab in labels_used if lab[0] == aid)})
        rows.append(row)
        for (_, i, word, ref, voice) in [lab for lab in labels_used if lab[0] == aid]:
            s = sentences[i]
            k = s.lower().index(word)
            st = offsets[i][0] + k
            terms.append({"article_id": aid, "term": word, "matched_text": s[k:k + len(word)], "start": st,
                          "end": st + len(word), "sentence_index": i, "category": "actor_label", "function": "",
                          "refers_to": ref, "voice": voice, "speaker": "", "neutral_alternative": ""})
        for (_, i, src, stype, anon) in [a for a in atts_used if a[0] == aid]:
            st, en = offsets[i]
            atts.append({"article_id": aid, "attribution_id": f"{aid}-{i}", "kind": "direct", "source_text": src,
                         "source_resolved": src, "source_type": stype, "anonymous": anon,
                         "content_start": st, "content_end": en, "sentence_index": i})
    labels = pd.DataFrame(terms).groupby(["article_id", "refers_to", "term", "voice"]).size().rename(
        "count").reset_index().rename(columns={"term": "label"}) if terms else pd.DataFrame()
    agency = pd.DataFrame([
        {"article_id": "b1", "sentence_index": 1, "verb_text": "killed", "voice": "passive", "agent_actor": "",
         "patient_actor": "civilians", "agent_hidden": True, "nominalization": False},
        {"article_id": "b2", "sentence_index": 1, "verb_text": "destroyed", "voice": "passive", "agent_actor": "",
         "patient_actor": "civilians", "agent_hidden": True, "nominalization": False},
        {"article_id": "c1", "sentence_index": 1, "verb_text": "shelled", "voice": "active",
         "agent_actor": "nonstate_armed", "patient_actor": "", "agent_hidden": False, "nominalization": False}])
    return {"articles": pd.DataFrame(rows), "sentences": pd.DataFrame(sents), "texts": pd.DataFrame(texts),
            "terms": pd.DataFrame(terms), "labels": labels, "attributions": pd.DataFrame(atts),
            "agency": agency if own else pd.DataFrame()}


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return build_comparison(make_frames(), by="outlet", event="event")


def test_outlets_average_each_article_once_and_mark_small_groups(comparison):
    o = comparison.outlets.set_index("group")
    assert o.loc["Alpha News", "n_articles"] == 2
    assert o.loc["Gamma Wire", "small_group"] and not o.loc["Alpha News", "small_group"]
    assert o.loc["Beta Daily", "tone_own"] == pytest.approx(-0.5)
    assert o.loc["Alpha News", "count_actor_label_sum"] == 4
    assert o.loc["Gamma Wire", "origin_agencies"] == "Gamma Wire (1)"
    assert o.loc["Gamma Wire", "wire_share"] == 1.0


def test_label_table_keeps_voice_per_outlet_with_evidence(comparison):
    lab = comparison.labels_by_outlet
    beta = lab[(lab["group"] == "Beta Daily") & (lab["label"] == "terrorists")]
    assert list(beta["voice"]) == ["quoted"] and int(beta["count"].iloc[0]) == 2
    gamma = lab[(lab["group"] == "Gamma Wire") & (lab["label"] == "terrorists")]
    assert list(gamma["voice"]) == ["own"]
    assert evidence_links(gamma["evidence"].iloc[0]) == [("c1", 0), ("c1", 1)]


def test_question_points_at_own_voice_versus_quotes(comparison):
    # Gamma Wire has one article, below the minimum of 2: no question may rest on it
    assert not comparison.questions["groups"].str.contains("Gamma Wire").any()
    q = build_comparison(make_frames(), by="outlet", event="event", min_articles=1).questions
    voice = q[q["kind"] == "label_voice"]
    assert any("Gamma Wire" in f and "Beta Daily" in f and "terrorists" in f for f in voice["finding"])
    row = voice[voice["finding"].str.contains("terrorists")].iloc[0]
    assert ("c1", 0) in evidence_links(row["evidence"]) and ("b1", 0) in evidence_links(row["evidence"])
    assert set(q["kind"]) >= {"label_voice", "label_choice", "hidden_agent"}
    choice = q[q["kind"] == "label_choice"]["finding"].iloc[0]
    assert "“rebels”" in choice and "“terrorists”" in choice


def test_sources_per_type_with_zeros_and_named_sources(comparison):
    s = comparison.sources_by_outlet
    types = s[s["level"] == "type"].set_index(["group", "source_type"])
    assert types.loc[("Beta Daily", "military"), "attributions"] == 2
    assert types.loc[("Beta Daily", "military"), "anonymous"] == 1
    assert types.loc[("Alpha News", "government"), "attributions"] == 0  # zero rows are kept
    named = s[(s["level"] == "source") & (s["group"] == "Beta Daily")]
    assert set(named["source"]) == {"the army", "a military source"}


def test_agency_counts_hidden_doers(comparison):
    a = comparison.agency_by_outlet.set_index(["group", "actor"])
    assert a.loc[("Beta Daily", "civilians"), "hidden_agent_events"] == 2
    assert evidence_links(a.loc[("Beta Daily", "civilians"), "evidence_hidden"]) == [("b1", 1), ("b2", 1)]
    assert a.loc[("Gamma Wire", "nonstate_armed"), "as_agent"] == 1


def test_log_odds_matches_the_formula():
    y_i, y_j, n_i, n_j, a0, aw = 10, 2, 1000, 3000, 500, 3.0
    delta, z = log_odds(y_i, y_j, n_i, n_j, aw, a0)
    expected = math.log((y_i + aw) / (n_i + a0 - y_i - aw)) - math.log((y_j + aw) / (n_j + a0 - y_j - aw))
    assert float(delta) == pytest.approx(expected)
    assert float(z) == pytest.approx(expected / math.sqrt(1 / (y_i + aw) + 1 / (y_j + aw)))


def test_distinctive_words_need_evidence_and_give_an_example():
    filler = "The city saw fighting on the road near the river and the market during the week"
    arts = {}
    for n in range(8):
        arts[f"a{n}"] = ("Alpha News", "2024-12-05", "e", [f"Rebels entered the district {n}.",
                                                            f"Rebels said the rebels held it. {filler}.",
                                                            "Citadel guards watched." if n == 0 else filler + "."])
        arts[f"b{n}"] = ("Beta Daily", "2024-12-05", "e", [f"Terrorists entered the district {n}.",
                                                           f"The army said terrorists held it. {filler}."])
    frames = make_frames(arts, extra_measures=False)
    frames["attributions"] = pd.DataFrame([{"article_id": "a0", "kind": "direct", "content_start": 43,
                                            "content_end": 62, "sentence_index": 1, "source_type": "unknown"}])
    d = build_comparison(frames).distinctive_terms
    assert (d["z"] >= 1.96).all() and (d["count_group"] >= 3).all()
    alpha = d[d["group"] == "Alpha News"].set_index("term")
    assert "rebels" in alpha.index and "terrorists" not in alpha.index
    r = alpha.loc["rebels"]
    assert r["count_group"] == 24 and r["articles_with_term"] == 8 and r["count_rest"] == 0
    assert "rebels" in r["example_sentence"].lower() and r["example_article_id"] == "a0"
    assert r["count_quoted"] == 1 and r["count_own"] == 23  # one use falls inside the attributed content
    assert ("a0", 0) in evidence_links(r["evidence"])
    assert "citadel" not in set(d["term"])  # one use in one article: never listed
    assert "terrorists" in set(d[d["group"] == "Beta Daily"]["term"])


def test_republished_copy_across_outlets_with_changes_and_credit(tmp_path):
    text = ["Rebels entered the city of Hama after days of heavy fighting with government forces, a monitor said.",
            "The army said it had redeployed its troops outside the city to protect civilians."]
    copy = [text[0].replace("Rebels", "Opposition fighters"), text[1]]
    arts = {"x1": ("Alpha News", "2024-12-05", "", text), "x2": ("Beta Daily", "2024-12-06", "", copy),
            "x3": ("Alpha News", "2024-12-06", "", text),
            "x4": ("Gamma Wire", "2024-12-05", "", ["Floods closed schools across the northern province today."])}
    c = build_comparison(make_frames(arts, extra_measures=False))
    pairs = set(zip(c.republished["source_id"], c.republished["copy_id"]))
    # x1/x3 share an outlet (never a pair); x4 shares nothing
    assert {frozenset(p) for p in pairs} == {frozenset(("x1", "x2")), frozenset(("x2", "x3"))}
    row = c.republished[(c.republished["source_id"] == "x1") & (c.republished["copy_id"] == "x2")].iloc[0]
    assert row["shared_sentences"] == 2 and row["direction"] == "earlier -> later"
    assert row["credit"] == "no credit found"
    ch = c.copy_changes[(c.copy_changes["source_id"] == "x1") & (c.copy_changes["copy_id"] == "x2")]
    assert ("replace", "Rebels", "Opposition fighters") in set(zip(ch["operation"], ch["source_words"],
                                                                   ch["copy_words"]))
    q = c.questions[c.questions["kind"] == "republished"]
    assert len(q) and "What did the copy change? Does it credit the source?" in q["question"].iloc[0]
    assert "“Rebels” → “Opposition fighters”" in " ".join(q["finding"])
    assert "x2#s0" in " ".join(q["evidence"])
    write_comparison(c, tmp_path, STAMP)
    assert {"republished.csv", "copy_changes.csv"} <= {p.name for p in tmp_path.iterdir()}
    assert not (tmp_path / "near_duplicates.csv").exists()
    html = (tmp_path / "comparison.html").read_text()
    assert "Republished copy" in html and "“Rebels” → “Opposition fighters”" in html and "No credit found" in html


def test_automatic_event_groups_respect_the_date_window():
    a = ["Rebels entered Hama after fierce battles with the army near the citadel."]
    b = ["Floods in Valencia killed dozens as rivers burst their banks overnight."]
    arts = {"h1": ("Alpha News", "2024-12-05", "", a), "h2": ("Beta Daily", "2024-12-06", "", a),
            "h3": ("Beta Daily", "2025-03-01", "", a), "v1": ("Gamma Wire", "2024-12-05", "", b)}
    c = build_comparison(make_frames(arts, extra_measures=False))
    g = dict(zip(c.groups["article_id"], c.groups["event_group"]))
    assert g["h1"] == g["h2"] and g["h3"] != g["h1"] and g["v1"] not in (g["h1"], g["h3"])
    assert c.groups["method"].str.contains("average-link").all()
    assert not c.groups["method"].str.contains("connected").any()
    h = c.groups[c.groups["article_id"] == "h1"].iloc[0]
    assert h["event_label"].startswith("Alpha News: Rebels") or h["event_label"].startswith("Beta Daily: Rebels")
    assert "hama" in h["shared_terms"].split(", ") and 0 < h["group_similarity"] <= 1


def test_missing_layers_and_empty_input_give_empty_frames(tmp_path):
    only = build_comparison({"articles": make_frames()["articles"]})
    assert only.labels_by_outlet.empty and only.sources_by_outlet.empty and only.agency_by_outlet.empty
    assert len(only.outlets[only.outlets["event_group"] == "all"]) == 3
    empty = build_comparison({})
    assert empty.outlets.empty and empty.questions.empty
    for c in (only, empty):
        paths = write_comparison(c, tmp_path / ("e" if c is empty else "o"), STAMP, worksheet=True)
        assert {p.name for p in paths} >= {"outlets.csv", "labels_by_outlet.csv", "sources_by_outlet.csv",
                                           "agency_by_outlet.csv", "distinctive_terms.csv", "event_groups.csv",
                                           "republished.csv", "copy_changes.csv", "comparison.html",
                                           "worksheet.html"}
    assert "mediaeval comparison" in only._repr_html_() and "mediaeval comparison" in empty._repr_html_()


def test_unknown_grouping_column_is_a_clear_error():
    with pytest.raises(MediaevalError, match="no such column"):
        build_comparison(make_frames(), by="country")
    c = build_comparison(make_frames(), by="event")
    assert c.group_names == ["hama"]


def test_written_report_is_escaped_self_contained_and_linked(tmp_path):
    arts = dict(ARTICLES)
    arts["a2"] = ("Alpha News", "2024-12-06", "hama", ["<script>alert(1)</script> rebels advanced.",
                                                        "<img src=x onerror=alert(1)> rebels fled."])
    frames = make_frames(arts)
    frames["labels"].loc[0, "label"] = "=HYPERLINK(\"http://x\")"
    c = build_comparison(frames, by="outlet", event="event")
    write_comparison(c, tmp_path, STAMP, worksheet=True, article_links={"a1": "articles/a-one.html"})
    html = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "articles/a-one.html#s" in html and "articles/b1.html#s" in html
    for section in ("summary", "questions", "labels", "sources", "density", "agency", "words", "tone", "origin",
                    "side", "glossary", "limits", "evidence"):
        assert f'id="{section}"' in html
    assert "z ≥ 1.96" in html and "small" in html
    with open(tmp_path / "labels_by_outlet.csv", newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    sheet = (tmp_path / "worksheet.html").read_text(encoding="utf-8")
    body = sheet.split("<body", 1)[1]
    assert "Questions" in body and "t-own" not in body and "att-content" not in body and "<script" not in sheet


def test_notebook_html_is_compact_and_escaped():
    frames = make_frames()
    frames["articles"].loc[0, "outlet"] = "<b>Alpha</b>"
    frames["articles"].loc[1, "outlet"] = "<b>Alpha</b>"
    html = build_comparison(frames)._repr_html_()
    assert "&lt;b&gt;Alpha&lt;/b&gt;" in html and "<b>Alpha" not in html
    assert "<html" not in html and len(html) < 20_000


def test_seed_sample_is_a_real_comparison():
    path = ROOT / "seeds" / "fakes_syria_sample.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert 8 <= len(records) <= 12
    assert all(r["id"] and r["outlet"] and r["date"] and r["text"] and r["event"] for r in records)
    assert 4 <= len({r["outlet"] for r in records}) <= 6
    per_event = pd.DataFrame(records).groupby("event")["outlet"].nunique()
    assert (per_event >= 2).all()
    readme = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    for f in (ROOT / "seeds").iterdir():
        if f.name != "README.md":
            assert f.name in readme, f"{f.name} is not documented in seeds/README.md"
    assert "CC BY 4.0" in readme and "Salem" in readme and "commas" in readme


def test_sources_count_state_affiliated_sources():
    frames = make_frames()
    atts = frames["attributions"]
    atts["state_affiliated"] = atts["source_type"].isin(["military", "government"])
    s = build_comparison(frames).sources_by_outlet
    types = s[s["level"] == "type"].set_index(["group", "source_type"])
    assert types.loc[("Beta Daily", "military"), "state_affiliated"] == 2
