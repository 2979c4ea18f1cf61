"""Aggregations behind ``compare.build_comparison``: per-group tables with evidence.

Each function takes per-article tables that already carry a ``group`` column and
returns one tidy frame. Evidence cells list up to five sentences as
``article_id#s<sentence_index>`` separated by "; " (``evidence_links`` reads them).
"""

from __future__ import annotations

import pandas as pd

KNOWN_MEASURES = ("attributions", "attributions_per_1k_words", "attributed_sentence_share", "attributed_word_share",
                  "direct_quote_word_share", "distinct_sources", "source_type_entropy", "anonymous_share",
                  "loaded_per_1k_words_own", "loaded_per_1k_words_quoted", "tone_own", "tone_quoted",
                  "passive_clause_share", "agentless_passive_share", "hidden_agent_harm_share")
MEASURE_PREFIXES = ("share_source_", "count_", "tone_")
MEASURE_SUFFIXES = ("_share", "_per_1k_words", "_entropy", "_per_1k_words_own", "_per_1k_words_quoted")
COUNT_MEASURES = ("attributions", "distinct_sources")
SOURCE_TYPES = ("government", "military", "armed_group", "ngo_monitor", "international_org", "media",
                "witness_civilian", "expert", "anonymous", "unknown")
MAX_EVIDENCE = 5


def frame(frames: dict | None, name: str, columns: list[str]) -> pd.DataFrame:
    """``frames[name]`` with at least ``columns`` (missing ones filled with NA); empty if absent."""
    f = (frames or {}).get(name)
    if f is None or not isinstance(f, pd.DataFrame):
        f = pd.DataFrame(columns=columns)
    missing = [c for c in columns if c not in f.columns]
    return f.assign(**{c: pd.NA for c in missing}) if missing else f


def measure_columns(articles: pd.DataFrame) -> list[str]:
    """The per-article measure columns present (DESIGN.md names, prefixes and suffixes)."""
    return [c for c in articles.columns
            if c in KNOWN_MEASURES or c.startswith(MEASURE_PREFIXES) or c.endswith(MEASURE_SUFFIXES)]


def truthy(values: pd.Series) -> pd.Series:
    """Booleans from bools, numbers or CSV strings ("True", "1", "yes")."""
    return values.map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "y", "1.0"))


def evidence_string(pairs) -> str:
    seen = []
    for a, i in pairs:
        try:
            key = (str(a), int(i))
        except (TypeError, ValueError):
            continue
        if key[1] >= 0 and key not in seen:
            seen.append(key)
        if len(seen) >= MAX_EVIDENCE:
            break
    return "; ".join(f"{a}#s{i}" for a, i in seen)


def evidence_links(cell) -> list[tuple[str, int]]:
    """Parse an evidence cell back into ``(article_id, sentence_index)`` pairs."""
    out = []
    if not isinstance(cell, str):
        return out
    for part in cell.split("; "):
        aid, sep, idx = part.strip().rpartition("#s")
        if sep and idx.isdigit():
            out.append((aid, int(idx)))
    return out


def _evidence(f: pd.DataFrame, keys: list[str]) -> pd.Series:
    if f.empty:
        return pd.Series(dtype="object")
    return f.groupby(keys, dropna=False).apply(
        lambda g: evidence_string(zip(g["article_id"], g["sentence_index"])), include_groups=False)


def _sizes(articles: pd.DataFrame) -> pd.DataFrame:
    return articles.groupby("group").agg(group_articles=("article_id", "size"),
                                         group_words=("n_words", "sum")).reset_index()


def outlet_table(articles: pd.DataFrame, min_articles: int) -> pd.DataFrame:
    """Every per-article measure averaged per group (each article counts once); overall and per event."""
    measures = measure_columns(articles)
    num = articles.copy()
    for m in measures:
        num[m] = pd.to_numeric(num[m], errors="coerce")
    scopes = [("all", num)]
    if "event_group" in num and num["event_group"].nunique() > 1:
        scopes += [(str(e), f) for e, f in num.groupby("event_group")]
    rows = []
    for scope, f in scopes:
        for g, part in f.groupby("group"):
            row = {"event_group": scope, "group": g, "n_articles": len(part),
                   "n_words": int(part["n_words"].sum()) if part["n_words"].notna().any() else pd.NA,
                   "n_sentences": int(part["n_sentences"].sum()) if part["n_sentences"].notna().any() else pd.NA,
                   "small_group": len(part) < min_articles}
            if "outlet" in part:
                row["outlets"] = "; ".join(sorted(set(part["outlet"].dropna().astype(str)) - {""}))
            if "origin_agency" in part:
                origins = part["origin_agency"].astype("string").fillna("").astype(str)
                row["wire_share"] = round(float((origins != "").mean()), 3)
                counts = origins[origins != ""].value_counts()
                row["origin_agencies"] = "; ".join(f"{k} ({v})" for k, v in counts.items())
            for m in measures:
                row[m] = round(float(part[m].mean()), 4) if part[m].notna().any() else pd.NA
                if m in COUNT_MEASURES or m.startswith("count_"):
                    row[m + "_sum"] = int(part[m].sum()) if part[m].notna().any() else pd.NA
            rows.append(row)
    return pd.DataFrame(rows)


def label_table(labels: pd.DataFrame, terms: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """refers_to x label x voice x group counts, with articles, rate and evidence sentences."""
    cols = ["refers_to", "label", "voice", "group", "count", "n_articles", "group_articles", "group_words",
            "per_1k_words", "evidence"]
    t = terms.copy()
    if not t.empty:
        t["label"] = t["term"].fillna(t["matched_text"]).astype(str).str.lower()
    if labels.empty and not t.empty:  # the label table of the analysis is missing: rebuild it from the hits
        labels = t[t["refers_to"].astype("string").fillna("") != ""].groupby(
            ["article_id", "group", "refers_to", "label", "voice"]).size().rename("count").reset_index()
    if labels.empty:
        return pd.DataFrame(columns=cols)
    lab = labels.copy()
    lab["label"] = lab["label"].astype(str)
    lab["count"] = pd.to_numeric(lab["count"], errors="coerce").fillna(0).astype(int)
    lab = lab[lab["count"] > 0]
    keys = ["refers_to", "label", "voice", "group"]
    out = lab.groupby(keys).agg(count=("count", "sum"), n_articles=("article_id", "nunique")).reset_index()
    out = out.merge(_sizes(articles), on="group", how="left")
    out["per_1k_words"] = (1000 * out["count"] / out["group_words"].where(out["group_words"] > 0)).round(2)
    if not t.empty:
        t = t.assign(sentence_index=pd.to_numeric(t["sentence_index"], errors="coerce"))
        t["label_l"] = t["label"]
        ev = _evidence(t, ["refers_to", "label_l", "voice", "group"]).rename("evidence").reset_index()
        out["label_l"] = out["label"].str.lower()
        out = out.merge(ev, on=["refers_to", "label_l", "voice", "group"], how="left").drop(columns="label_l")
    else:
        out["evidence"] = ""
    out["evidence"] = out["evidence"].fillna("")
    return out[cols].sort_values(["refers_to", "label", "group", "voice"], ignore_index=True)


def source_table(attributions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Source types per group (with zeros) and named sources per group, with evidence."""
    cols = ["group", "level", "source_type", "source", "attributions", "share", "n_articles", "anonymous",
            "group_articles", "group_words", "evidence"]
    if attributions.empty:
        return pd.DataFrame(columns=cols)
    a = attributions.copy()
    a["source_type"] = a["source_type"].astype("string").fillna("").astype(str).replace("", "unknown")
    a["anon"] = truthy(a["anonymous"])
    a["sentence_index"] = pd.to_numeric(a["sentence_index"], errors="coerce")
    name = a["source_resolved"].astype("string").fillna("").astype(str).str.strip()
    a["source"] = name.where(name != "", a["source_text"].astype("string").fillna("").astype(str).str.strip())
    totals = a.groupby("group").size()
    types = a.groupby(["group", "source_type"]).agg(attributions=("article_id", "size"),
                                                    n_articles=("article_id", "nunique"),
                                                    anonymous=("anon", "sum"))
    grid = pd.MultiIndex.from_product([sorted(articles["group"].unique()), sorted(a["source_type"].unique())],
                                      names=["group", "source_type"])
    types = types.reindex(grid, fill_value=0).reset_index()
    types["evidence"] = types.set_index(["group", "source_type"]).index.map(
        _evidence(a, ["group", "source_type"])).fillna("")
    types["level"], types["source"] = "type", ""
    a["key"] = a["source"].str.lower()
    named = a[a["key"] != ""]
    names = named.groupby(["group", "key"]).agg(
        source=("source", lambda s: s.value_counts().index[0]),
        source_type=("source_type", lambda s: s.value_counts().index[0]),
        attributions=("article_id", "size"), n_articles=("article_id", "nunique"),
        anonymous=("anon", "sum")).reset_index()
    names["evidence"] = names.set_index(["group", "key"]).index.map(_evidence(named, ["group", "key"])).fillna("")
    names["level"] = "source"
    out = pd.concat([types, names.drop(columns="key")], ignore_index=True)
    out["share"] = (out["attributions"] / out["group"].map(totals)).fillna(0).round(3)
    out = out.merge(_sizes(articles), on="group", how="left")
    out["anonymous"] = out["anonymous"].astype(int)
    return out[cols].sort_values(["level", "group", "attributions"], ascending=[False, True, False],
                                 ignore_index=True)


def agency_table(actors: pd.DataFrame, agency: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Per actor and group: mentions, agent, patient, hidden agent, with evidence sentences."""
    cols = ["group", "actor", "n_articles", "mentions", "as_agent", "as_patient", "hidden_agent_events",
            "agent_share", "group_articles", "group_words", "evidence_agent", "evidence_patient", "evidence_hidden"]
    ag = agency.copy()
    if not ag.empty:
        ag["sentence_index"] = pd.to_numeric(ag["sentence_index"], errors="coerce")
        ag["hidden"] = truthy(ag["agent_hidden"])
        for c in ("agent_actor", "patient_actor"):
            ag[c] = ag[c].astype("string").fillna("").astype(str)
    if actors.empty and not ag.empty:  # no actors table: count roles from the clauses
        rows = []
        for (aid, g), f in ag.groupby(["article_id", "group"]):
            for actor in (set(f["agent_actor"]) | set(f["patient_actor"])) - {""}:
                pat = f["patient_actor"] == actor
                rows.append({"article_id": aid, "group": g, "actor": actor, "mentions": pd.NA,
                             "as_agent": int(((f["agent_actor"] == actor) & ~f["hidden"]).sum()),
                             "as_patient": int(pat.sum()), "hidden_agent_events": int((pat & f["hidden"]).sum())})
        actors = pd.DataFrame(rows)
    if actors.empty:
        return pd.DataFrame(columns=cols)
    act = actors.copy()
    for c in ("mentions", "as_agent", "as_patient", "hidden_agent_events"):
        act[c] = pd.to_numeric(act[c], errors="coerce")
    out = act.groupby(["group", "actor"]).agg(
        n_articles=("article_id", "nunique"), mentions=("mentions", lambda s: s.sum(min_count=1)),
        as_agent=("as_agent", "sum"), as_patient=("as_patient", "sum"),
        hidden_agent_events=("hidden_agent_events", "sum")).reset_index()
    roles = out["as_agent"] + out["as_patient"]
    out["agent_share"] = (out["as_agent"] / roles.where(roles > 0)).round(3)
    out = out.merge(_sizes(articles), on="group", how="left")
    for col, sel in (("evidence_agent", lambda f: f.rename(columns={"agent_actor": "actor"})[~f["hidden"]]),
                     ("evidence_patient", lambda f: f.rename(columns={"patient_actor": "actor"})),
                     ("evidence_hidden", lambda f: f.rename(columns={"patient_actor": "actor"})[f["hidden"]])):
        if ag.empty:
            out[col] = ""
            continue
        ev = _evidence(sel(ag), ["group", "actor"]).rename(col).reset_index()
        out = out.merge(ev, on=["group", "actor"], how="left")
        out[col] = out[col].fillna("")
    return out[cols].sort_values(["actor", "group"], ignore_index=True)
