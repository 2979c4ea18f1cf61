"""Aggregations behind ``compare.build_comparison``: per-group tables with evidence.

Each function takes per-article tables, typed as ``schema`` declares them and
already carrying a ``group`` column, and returns one tidy frame. Which
per-article measures are aggregated, and how, is the measure registry's
(``mediaeval.measures``). Evidence cells list up to five sentences as
``article_id#s<sentence_index>`` separated by "; " (``evidence_links`` reads them).
"""

from __future__ import annotations

import pandas as pd

from ..measures import registry
from ..codes import CODES

SOURCE_TYPES = tuple(CODES["source_type"])  # from mediaeval.source_types, via the codes
MAX_EVIDENCE = 5


def measure_columns(articles: pd.DataFrame) -> list[str]:
    """The registry's aggregated measures (size columns aside), in registry order."""
    return [m.name for m in registry().values()
            if m.aggregate != "none" and m.name not in ("n_words", "n_sentences") and m.name in articles.columns]


def evidence_string(pairs) -> str:
    """The first ``MAX_EVIDENCE`` distinct valid ``(article_id, sentence_index)`` pairs as one cell."""
    cells = EvidenceCells()
    pairs = list(pairs)
    cells.add([None] * len(pairs), [a for a, _ in pairs], [i for _, i in pairs])
    return cells.cell(None)


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


class EvidenceCells:
    """Evidence cells built row by row, a table piece at a time: per key, the first ``MAX_EVIDENCE``
    distinct valid ``(article_id, sentence_index)`` pairs in row order, as ``evidence_string`` takes them
    from the whole table; only those pairs are kept."""

    def __init__(self):
        self.pairs: dict = {}

    def add(self, keys, article_ids, indexes) -> None:
        for key, a, i in zip(keys, article_ids, indexes):
            seen = self.pairs.setdefault(key, [])
            if len(seen) >= MAX_EVIDENCE:
                continue
            try:
                pair = (str(a), int(i))
            except (TypeError, ValueError):
                continue
            if pair[1] >= 0 and pair not in seen:
                seen.append(pair)

    def cell(self, key) -> str:
        return "; ".join(f"{a}#s{i}" for a, i in self.pairs.get(key, ()))


def _evidence(f: pd.DataFrame, keys: list[str], name: str = "evidence") -> pd.DataFrame:
    """One row per ``keys`` with the evidence cell ``name`` (an empty frame keeps its columns)."""
    if f.empty:
        return pd.DataFrame({**{k: pd.Series(dtype="object") for k in keys}, name: pd.Series(dtype="string")})
    cells = f.groupby(keys, dropna=False)[["article_id", "sentence_index"]].apply(
        lambda g: evidence_string(zip(g["article_id"], g["sentence_index"])))
    return cells.rename(name).reset_index()


def _sizes(articles: pd.DataFrame) -> pd.DataFrame:
    return articles.groupby("group").agg(group_articles=("article_id", "size"),
                                         group_words=("n_words", "sum")).reset_index()


def outlet_table(articles: pd.DataFrame, min_articles: int) -> pd.DataFrame:
    """Every registry measure aggregated per group (each article counts once); overall and per event.

    One grouped pass over (scope, group), where scope is "all" or an event group.
    """
    from ..frames import typed

    reg = registry()
    measures = measure_columns(articles)
    sums = [m for m in measures if reg[m].aggregate == "mean_sum"]
    if articles.empty:
        return typed("outlets")
    events = sorted(articles["event_group"].dropna().astype(str).unique()) if "event_group" in articles else []
    stacked = [articles.assign(_scope="all")]
    if len(events) > 1:
        stacked.append(articles.assign(_scope=articles["event_group"].astype(str)))
    f = pd.concat(stacked, ignore_index=True)
    f["_scope"] = pd.Categorical(f["_scope"], categories=["all"] + [e for e in events if e != "all"])
    f["_origin"] = f["origin_agency"].fillna("")
    f["_wire"] = (f["_origin"] != "").astype(float)
    g = f.groupby(["_scope", "group"], observed=True, sort=True)
    out = {"n_articles": g.size(),
           "n_words": g["n_words"].sum(min_count=1).astype("Int64"),
           "n_sentences": g["n_sentences"].sum(min_count=1).astype("Int64"),
           "outlets": g["outlet"].agg(lambda s: "; ".join(sorted(set(s.dropna()) - {""}))),
           "wire_share": g["_wire"].mean().round(3),
           "origin_agencies": g["_origin"].agg(
               lambda s: "; ".join(f"{k} ({v})" for k, v in s[s != ""].value_counts().items()))}
    values = f[measures].astype("float64")
    values[["_scope", "group"]] = f[["_scope", "group"]]
    vg = values.groupby(["_scope", "group"], observed=True, sort=True)
    means = vg[measures].mean().map(lambda v: round(v, 4))  # Python rounding, as before
    totals = vg[sums].sum(min_count=1)
    columns = {}
    for m in measures:
        columns[m] = means[m]
        if m in sums:
            columns[m + "_sum"] = totals[m].round().astype("Int64")
    table = pd.concat([pd.DataFrame(out), pd.DataFrame(columns, index=means.index)], axis=1)
    table["small_group"] = table["n_articles"] < min_articles
    table = table.reset_index().rename(columns={"_scope": "event_group"})
    table["event_group"] = table["event_group"].astype(str)
    return typed("outlets", table)


def label_table(labels: pd.DataFrame, terms: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """refers_to x label x voice x group counts, with articles, rate and evidence sentences."""
    cols = ["refers_to", "label", "voice", "group", "count", "n_articles", "group_articles", "group_words",
            "per_1k_words", "evidence"]
    t = terms.copy()
    t["label"] = t["term"].fillna(t["matched_text"]).str.lower()
    if labels.empty and not t.empty:  # no label rows given: count them from the hits
        labels = t[t["refers_to"].fillna("") != ""].groupby(
            ["article_id", "group", "refers_to", "label", "voice"]).size().rename("count").reset_index()
    lab = labels[labels["count"].fillna(0) > 0]
    if lab.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    keys = ["refers_to", "label", "voice", "group"]
    out = lab.groupby(keys).agg(count=("count", "sum"), n_articles=("article_id", "nunique")).reset_index()
    out = out.merge(_sizes(articles), on="group", how="left")
    out["per_1k_words"] = (1000 * out["count"] / out["group_words"].where(out["group_words"] > 0)).round(2)
    t["label_l"] = t["label"]
    out["label_l"] = out["label"].str.lower()
    out = out.merge(_evidence(t, ["refers_to", "label_l", "voice", "group"]), how="left",
                    on=["refers_to", "label_l", "voice", "group"]).drop(columns="label_l")
    out["evidence"] = out["evidence"].fillna("")
    return out[cols].sort_values(["refers_to", "label", "group", "voice"], ignore_index=True)


def source_table(attributions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Source types per group (with zeros) and named sources per group, with evidence."""
    cols = ["group", "level", "source_type", "source", "attributions", "share", "n_articles", "anonymous",
            "state_affiliated", "group_articles", "group_words", "evidence"]
    if attributions.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    a = attributions.copy()
    a["source_type"] = a["source_type"].fillna("").replace("", "unknown")
    a["anon"] = a["anonymous"].fillna(False).astype(bool)
    known = "state_affiliated" in a  # the record field of the annotation-model work; NA until it exists
    a["state"] = a["state_affiliated"].fillna(False).astype(bool) if known else False
    name = a["source_resolved"].fillna("").str.strip()
    a["source"] = name.where(name != "", a["source_text"].fillna("").str.strip())
    totals = a.groupby("group").size()
    types = a.groupby(["group", "source_type"]).agg(attributions=("article_id", "size"),
                                                    n_articles=("article_id", "nunique"),
                                                    anonymous=("anon", "sum"), state_affiliated=("state", "sum"))
    grid = pd.MultiIndex.from_product([sorted(articles["group"].unique()), sorted(a["source_type"].unique())],
                                      names=["group", "source_type"])
    types = types.reindex(grid, fill_value=0).reset_index()
    types = types.merge(_evidence(a, ["group", "source_type"]), on=["group", "source_type"], how="left")
    types["evidence"] = types["evidence"].fillna("")
    types["level"], types["source"] = "type", ""
    a["key"] = a["source"].str.lower()
    named = a[a["key"] != ""]
    names = named.groupby(["group", "key"]).agg(
        source=("source", lambda s: s.value_counts().index[0]),
        source_type=("source_type", lambda s: s.value_counts().index[0]),
        attributions=("article_id", "size"), n_articles=("article_id", "nunique"),
        anonymous=("anon", "sum"), state_affiliated=("state", "sum")).reset_index()
    names = names.merge(_evidence(named, ["group", "key"]), on=["group", "key"], how="left")
    names["evidence"] = names["evidence"].fillna("")
    names["level"] = "source"
    out = pd.concat([types, names.drop(columns="key")], ignore_index=True)
    out["share"] = (out["attributions"] / out["group"].map(totals)).fillna(0).round(3)
    out = out.merge(_sizes(articles), on="group", how="left")
    out["anonymous"] = out["anonymous"].astype(int)
    out["state_affiliated"] = out["state_affiliated"].astype("Int64") if known else pd.NA
    return out[cols].sort_values(["level", "group", "attributions"], ascending=[False, True, False],
                                 ignore_index=True)


def _roles(agency: pd.DataFrame) -> pd.DataFrame:
    ag = agency.copy()
    ag["hidden"] = ag["agent_hidden"].fillna(False).astype(bool)
    for c in ("agent_actor", "patient_actor"):
        ag[c] = ag[c].fillna("")
    return ag


def agency_table(actors: pd.DataFrame, agency, articles: pd.DataFrame) -> pd.DataFrame:
    """Per actor and group: mentions, agent, patient, hidden agent, with evidence sentences.

    ``agency`` is a frame or an iterable of frames (a run's batches, read one at a time): only the
    evidence pairs are kept from it, unless there is no actors table to count roles from."""
    cols = ["group", "actor", "n_articles", "mentions", "as_agent", "as_patient", "hidden_agent_events",
            "agent_share", "group_articles", "group_words", "evidence_agent", "evidence_patient", "evidence_hidden"]
    pieces = iter([agency] if isinstance(agency, pd.DataFrame) else agency)
    if actors.empty:  # no actors table: count roles from the clauses, all of them at once
        whole = list(pieces)
        ag = _roles(pd.concat(whole, ignore_index=True) if whole else pd.DataFrame(
            columns=["article_id", "group", "sentence_index", "agent_actor", "patient_actor", "agent_hidden"]))
        pieces = iter([ag])
        if ag.empty:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
        rows = []
        for (aid, g), f in ag.groupby(["article_id", "group"]):
            for actor in (set(f["agent_actor"]) | set(f["patient_actor"])) - {""}:
                pat = f["patient_actor"] == actor
                rows.append({"article_id": aid, "group": g, "actor": actor, "mentions": pd.NA,
                             "as_agent": int(((f["agent_actor"] == actor) & ~f["hidden"]).sum()),
                             "as_patient": int(pat.sum()), "hidden_agent_events": int((pat & f["hidden"]).sum())})
        actors = pd.DataFrame(rows).astype({"mentions": "Int64"})
    if actors.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    cells = {c: EvidenceCells() for c in ("evidence_agent", "evidence_patient", "evidence_hidden")}
    for piece in pieces:
        ag = piece if "hidden" in piece else _roles(piece)
        hidden = ag["hidden"].to_numpy(dtype=bool)
        for col, actor, rows in (("evidence_agent", "agent_actor", ~hidden),
                                 ("evidence_patient", "patient_actor", slice(None)),
                                 ("evidence_hidden", "patient_actor", hidden)):
            sel = ag[rows]
            cells[col].add(zip(sel["group"], sel[actor]), sel["article_id"], sel["sentence_index"])
    out = actors.groupby(["group", "actor"]).agg(
        n_articles=("article_id", "nunique"), mentions=("mentions", lambda s: s.sum(min_count=1)),
        as_agent=("as_agent", "sum"), as_patient=("as_patient", "sum"),
        hidden_agent_events=("hidden_agent_events", "sum")).reset_index()
    roles = out["as_agent"] + out["as_patient"]
    out["agent_share"] = (out["as_agent"] / roles.where(roles > 0)).astype("Float64").round(3)
    out = out.merge(_sizes(articles), on="group", how="left")
    keys = list(zip(out["group"], out["actor"]))
    for col, found in cells.items():
        out[col] = pd.Series([found.cell(k) for k in keys], index=out.index, dtype="object")
    return out[cols].sort_values(["actor", "group"], ignore_index=True)
