"""One table schema: every output table's columns and dtypes, declared once.

Columns of the record tables (attributions, terms, agency, actors) are the
dataclass fields of ``mediaeval.model``; their dtypes follow the field types
(``int`` -> Int64, ``str`` -> string, ``bool`` -> boolean, ``float`` -> Float64).
articles.csv adds the article's metadata, structure and origin, then every
measure of the registry (``mediaeval.measures``). The comparison tables are
declared here too. Each column carries a description, a unit, its method and
limits (``DOCS``); each code (``nonstate_armed``, ``military``, ``reported``)
has its plain-language label in ``CODES``. From this one declaration come:

* ``frames.to_frames(results)``: typed pandas frames, one per table, in memory;
* ``frames.typed(table, frame)``: the same dtypes for a frame read from CSV or built by hand;
* ``codebook()``: codebook.csv and the codebook section of the HTML.

Lists inside a cell use one documented format each (``Column.format``):
evidence ``article_id#s<sentence_index>`` joined by "; ", content segments
``start-end`` joined by ";", mention sentences as space-separated indexes.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Optional

from . import model
from .codes import CODES, label  # noqa: F401  (the codes' labels are part of this declaration)
from .voice import VOICES

# ------------------------------------------------------------------ column declarations
@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # string, Int64, Float64, boolean
    meaning: str
    unit: str = ""
    method: str = ""
    limits: str = ""
    codes: str = ""  # CODES key
    format: str = ""  # how a list inside the cell is written


EVIDENCE = "article_id#s<sentence_index>, up to five, joined by '; '"
OFFSET = ("character offset", "Half-open [start, end) into the article's original text (after decoding, before any "
          "cleaning): text[start:end].")

#: name -> (meaning, unit, method, codes, format); shared by every table that has the column
DOCS: dict[str, tuple] = {
    "article_id": ("the article's id (the record's id, else the file's stem; made unique per run)",),
    "source_path": ("the input file", "path"),
    "record": ("where the article sits in its file (line or row)",),
    "outlet": ("the outlet that published it (input metadata)",),
    "date": ("publication date as given in the input",),
    "title": ("the title given in the input metadata",),
    "url": ("the article's address as given in the input",),
    "encoding": ("the text encoding the input was decoded with",),
    "headline": ("the headline found in the text", "", "First line followed by a blank line, or the title."),
    "dateline": ("the dateline found in the text (\"DAMASCUS —\")",),
    "dateline_city": ("the city of the dateline",),
    "origin_agency": ("the news agency the copy comes from", "", "Credit line, dateline, byline or house "
                      "signature matched against agencies.csv.", "", "A rewritten story without a credit is missed."),
    "origin_country": ("the agency's country",),
    "origin_ownership": ("the agency's ownership type", "", "agencies.csv, with the date it holds for", "ownership"),
    "origin_as_of": ("the date the ownership classification holds for",),
    "origin_method": ("where the agency was found", "", "", "origin_method"),
    "origin_evidence": ("the words naming the agency",),
    "origin_evidence_start": ("start of the origin evidence", *OFFSET),
    "origin_evidence_end": ("end of the origin evidence", *OFFSET),
    "origin_own_copy": ("the outlet is the origin agency itself (Reuters copy on reuters.com)", "", "The outlet "
                        "name or address matched against the agency's names (extract/origin.py)", "", "",
                        ),
    # attributions
    "attribution_id": ("id of the attribution within its article",),
    "kind": ("how the source's words are given", "", "Quotation marks and the parse.", "kind"),
    "source_text": ("the words naming the source in the sentence",),
    "source_start": ("start of the source words", *OFFSET),
    "source_end": ("end of the source words", *OFFSET),
    "source_resolved": ("the source after pronouns and short references are resolved", "", "Nearest earlier "
                        "fitting source (rule-based, not a trained resolver)."),
    "source_type": ("the kind of source", "", "Word patterns of source_types.csv.", "source_type"),
    "state_affiliated": ("the source speaks for a state (its government, forces or state media)", "", "The agency "
                         "table and the words naming the source."),
    "anonymous": ("the source is not named",),
    "cue_text": ("the reporting word (said, claimed, according to)",),
    "cue_start": ("start of the cue", *OFFSET),
    "cue_end": ("end of the cue", *OFFSET),
    "cue_class": ("the stance the reporting word lends", "", "reporting_cues.csv", "cue_class"),
    "content_text": ("what the source is quoted or reported as saying",),
    "content_start": ("start of the content", *OFFSET),
    "content_end": ("end of the content", *OFFSET),
    "content_segments": ("the content's pieces when a cue interrupts it", "character offsets", "", "",
                         "start-end pairs joined by ';' (empty: one piece, content_start-content_end)"),
    "sentence_index": ("the sentence (0-based, as in sentences.csv)", "index"),
    # terms
    "term": ("the lexicon entry matched", "", "loaded_terms.csv, matched on lemmas"),
    "matched_text": ("the words as written in the article",),
    "start": ("start of the span", *OFFSET),
    "end": ("end of the span", *OFFSET),
    "category": ("the lexicon category", "", "loaded_terms.csv", "category"),
    "function": ("what the word does (delegitimizing, softening …)", "", "loaded_terms.csv"),
    "refers_to": ("the group of people the word names", "", "The lexicon's default, not read from context.",
                  "refers_to"),
    "voice": ("whose words these are", "", "Quotation marks and the sources layer: own voice, quoted (inside a "
              "source's quotation marks), reported (inside a source's paraphrase, worded by the outlet), scare "
              "quotes (quotation marks with no source).", "voice"),
    "speaker": ("the source whose words these are (empty in own voice)",),
    "neutral_alternative": ("a more neutral wording", "", "loaded_terms.csv"),
    "rationale": ("why the word matters", "", "loaded_terms.csv"),
    "source": ("the guidance behind the rationale", "", "loaded_terms.csv (codes listed in loaded_terms.md)"),
    "loaded": ("the word is flagged as loaded (intensifier, euphemism, demonizing …), not just a label",),
    # agency
    "verb_text": ("the verb or event noun",),
    "verb_lemma": ("its dictionary form",),
    "verb_start": ("start of the verb", *OFFSET),
    "verb_end": ("end of the verb", *OFFSET),
    "verb_class": ("the verb's class (harm_violence, speech …)", "", "verb_classes.csv"),
    "clause_voice": ("active or passive", "", "Dependency parse (after PassivePy).", "clause_voice"),
    "agent_text": ("the doer as written",),
    "agent_start": ("start of the doer", *OFFSET),
    "agent_end": ("end of the doer", *OFFSET),
    "agent_actor": ("the actor the doer is",),
    "patient_text": ("the one done to, as written",),
    "patient_start": ("start of the one done to", *OFFSET),
    "patient_end": ("end of the one done to", *OFFSET),
    "patient_actor": ("the actor done to",),
    "agent_hidden": ("the doer is not named (agentless passive or nominalisation)",),
    "nominalization": ("an event noun (\"the withdrawal\") rather than a verb",),
    "note": ("a remark of the agency layer (for example a euphemism)",),
    # actors
    "actor": ("a participant: an entity or a lexicon group",),
    "mentions": ("times the actor is mentioned, counting the understood subject of each further clause a mention serves (so as_agent and as_patient never exceed it)", "mentions"),
    "as_agent": ("clauses where the actor is the doer", "clauses"),
    "as_patient": ("clauses where the actor is done to", "clauses"),
    "hidden_agent_events": ("clauses where the actor is done to and the doer is hidden", "clauses"),
    "agency_score": ("mean agency of the verbs it is the doer of", "score", "A user-supplied connotation-frame "
                     "lexicon (Sap et al. 2017); empty without it."),
    "power_score": ("mean power of the verbs it is the doer of", "score", "As agency_score."),
    "mention_sentences": ("the sentences that mention the actor", "indexes", "", "", "space-separated indexes"),
    # labels, sentences, skipped
    "label": ("the label used for the group (a lexicon term)",),
    "count": ("how often", "occurrences"),
    "text": ("the sentence as written",),
    "path": ("the input that was not analysed",),
    "reason": ("why it was not analysed, and what to do",),
}


def _dtype(annotation) -> str:
    hint = str(annotation)
    if "bool" in hint:
        return "boolean"
    if "float" in hint:
        return "Float64"
    if "int" in hint and "tuple" not in hint:
        return "Int64"
    return "string"


def _record_columns(record, rename: Optional[dict] = None, skip: tuple = ()) -> list[tuple[str, str]]:
    hints = typing.get_type_hints(record)
    rename = rename or {}
    return [(rename.get(f.name, f.name), _dtype(hints[f.name])) for f in dataclasses.fields(record)
            if f.name not in skip]


ARTICLE_FIXED = [("article_id", "string"), ("source_path", "string"), ("record", "string"), ("encoding", "string"),
                 ("outlet", "string"),
                 ("date", "string"), ("title", "string"), ("url", "string"), ("headline", "string"),
                 ("dateline", "string"), ("dateline_city", "string"), ("origin_agency", "string"),
                 ("origin_country", "string"), ("origin_ownership", "string"), ("origin_as_of", "string"),
                 ("origin_method", "string"), ("origin_evidence", "string"), ("origin_evidence_start", "Int64"),
                 ("origin_evidence_end", "Int64"), ("origin_own_copy", "boolean")]
# agency.csv's grammatical voice is "clause_voice" in the docs (it is not the term voice)
RECORD_TABLES = {
    "attributions": ("an attribution", model.Attribution, {}),
    "terms": ("a lexicon hit", model.TermHit, {}),
    "agency": ("a clause with a verb or event noun", model.Clause, {}),
    "actors": ("an actor in an article", model.ActorRole, {}),
}

ANALYSIS_TABLES = ("articles", "attributions", "terms", "agency", "actors", "labels", "sentences", "skipped")
ROW_OF = {"articles": "an article", "labels": "a (group named, label, voice) in an article",
          "sentences": "a sentence", "skipped": "an input not analysed",
          **{k: v[0] for k, v in RECORD_TABLES.items()}}


def analysis_columns(table: str) -> list[tuple[str, str]]:
    """(name, dtype) of an analysis table's declared columns, in CSV order."""
    if table == "articles":
        from .measures import registry

        return ARTICLE_FIXED + [(m.name, m.dtype) for m in registry().values()
                                if m.name not in dict(ARTICLE_FIXED)]
    if table in RECORD_TABLES:
        return [("article_id", "string")] + _record_columns(RECORD_TABLES[table][1])
    return {
        "labels": [("article_id", "string"), ("outlet", "string"), ("refers_to", "string"), ("label", "string"),
                   ("voice", "string"), ("count", "Int64")],
        "sentences": [("article_id", "string"), ("sentence_index", "Int64"), ("start", "Int64"), ("end", "Int64"),
                      ("text", "string")],
        "skipped": [("path", "string"), ("record", "string"), ("reason", "string")],
    }[table]


# comparison tables: (file, one row per, [(name, dtype, meaning, unit, method, format, codes, limits)])
G = ("group", "string", "the group compared (an outlet, or the value of --by)")
GA = ("group_articles", "Int64", "articles in the group", "articles")
GW = ("group_words", "Int64", "counted words in the group", "words")
NA_ = ("n_articles", "Int64", "articles of the group with at least one such row", "articles")
EV = ("evidence", "string", "sentences behind the figure", "", "", EVIDENCE)
COMPARISON_TABLES: dict[str, tuple[str, str, list[tuple]]] = {
    "labels_by_outlet": ("labels_by_outlet.csv", "a (group named, label, voice, group)", [
        ("refers_to", "string", DOCS["refers_to"][0], "", "", "", "refers_to"),
        ("label", "string", DOCS["label"][0]), ("voice", "string", DOCS["voice"][0], "", DOCS["voice"][2], "",
                                                 "voice"),
        G, ("count", "Int64", "uses of the label in this voice", "occurrences"), NA_, GA, GW,
        ("per_1k_words", "Float64", "uses per 1,000 words of the group", "per 1,000 words",
         "1000 × count / group_words"), EV]),
    "sources_by_outlet": ("sources_by_outlet.csv", "a source type (level=type) or named source (level=source) "
                          "in a group", [
        G, ("level", "string", "type or source", "", "", "", "level"),
        ("source_type", "string", DOCS["source_type"][0], "", "", "", "source_type"),
        ("source", "string", "the named source (empty at level=type)"),
        ("attributions", "Int64", "attributions", "attributions"),
        ("share", "Float64", "share of the group's attributions", "share (0–1)"), NA_,
        ("anonymous", "Int64", "attributions to unnamed sources", "attributions"),
        ("state_affiliated", "Int64", "attributions to sources that speak for a state", "attributions",
         "Attribution.state_affiliated (empty until the analysis records it)"), GA, GW, EV]),
    "agency_by_outlet": ("agency_by_outlet.csv", "an actor in a group", [
        G, ("actor", "string", DOCS["actor"][0]), NA_,
        ("mentions", "Int64", DOCS["mentions"][0], "mentions"), ("as_agent", "Int64", DOCS["as_agent"][0], "clauses"),
        ("as_patient", "Int64", DOCS["as_patient"][0], "clauses"),
        ("hidden_agent_events", "Int64", DOCS["hidden_agent_events"][0], "clauses"),
        ("agent_share", "Float64", "as_agent / (as_agent + as_patient)", "share (0–1)"), GA, GW,
        ("evidence_agent", "string", "sentences where the actor is the doer", "", "", EVIDENCE),
        ("evidence_patient", "string", "sentences where the actor is done to", "", "", EVIDENCE),
        ("evidence_hidden", "string", "sentences where the actor is done to by a hidden doer", "", "", EVIDENCE)]),
    "distinctive_terms": ("distinctive_terms.csv", "a distinctive word of a group", [
        G, ("term", "string", "the word (lower case)"), ("count_group", "Int64", "uses in the group", "occurrences"),
        ("count_rest", "Int64", "uses in the other groups", "occurrences"),
        ("words_group", "Int64", "words in the group", "words"), ("words_rest", "Int64", "words elsewhere", "words"),
        ("per_1k_group", "Float64", "uses per 1,000 words in the group", "per 1,000 words"),
        ("per_1k_rest", "Float64", "uses per 1,000 words elsewhere", "per 1,000 words"),
        ("delta", "Float64", "log-odds ratio with an informative Dirichlet prior", "log-odds",
         "Monroe, Colaresi & Quinn (2008)"),
        ("z", "Float64", "delta / its standard deviation", "z-score", "Listed only when z ≥ 1.96; not corrected "
         "for testing many words: a ranking, not proof"),
        ("articles_with_term", "Int64", "articles of the group using the word", "articles"), GA,
        *[(f"count_{v}", "Int64", f"uses in {label}", "occurrences") for v, label in VOICES.items()],
        ("example_article_id", "string", "the article of the example sentence"),
        ("example_sentence_index", "Int64", "the example sentence", "index"),
        ("example_sentence", "string", "a sentence using the word"), EV]),
    "event_groups": ("event_groups.csv", "an article in an event group", [
        ("event_group", "string", "the event (same-event group)"),
        ("event_label", "string", "a title for the event", "", "The title of the group's most central article "
         "(highest mean similarity to the other members), or the --event value"),
        ("shared_terms", "string", "the words the group's articles share: why they are together", "",
         "Words of the title + lead ranked by summed TF-IDF weight over the members that contain them (in two or "
         "more members when the group has several); empty with --event", "joined by ', '", "",
         "Words, not meaning: two stories with the same place names share terms"),
        ("group_similarity", "Float64", "mean similarity over the group's article pairs", "similarity (0–1)",
         "Weighted title + lead TF-IDF cosine minus a penalty per day apart; missing edges count 0; empty for a "
         "lone article or with --event"),
        ("method", "string", "how the event was found", "", "--event column, or average-link clustering of title + "
         "lead TF-IDF similarity within date blocks (compare/grouping.py)"),
        ("article_id", "string", DOCS["article_id"][0]), G, ("outlet", "string", DOCS["outlet"][0]),
        ("date", "string", DOCS["date"][0]), ("title", "string", DOCS["title"][0]),
        ("n_words", "Int64", "counted words", "words"),
        ("max_similarity", "Float64", "highest similarity to another member of the event", "similarity (0–1)",
         "Weighted title + lead TF-IDF cosine minus a penalty per day apart"),
        ("event_articles", "Int64", "articles in the event", "articles"),
        ("event_groups_covered", "Int64", "groups reporting the event", "groups")]),
    "republished": ("republished.csv", "a pair of articles from different outlets sharing sentences: a copy and "
                    "its source", [
        ("source_id", "string", "the earlier article (the source)", "", "Earlier date; on the same date the order "
         "is arbitrary (see direction)"),
        ("copy_id", "string", "the later article (the copy)"),
        ("source_outlet", "string", "the source's outlet"), ("copy_outlet", "string", "the copy's outlet"),
        ("source_date", "string", "the source's date"), ("copy_date", "string", "the copy's date"),
        ("direction", "string", "whether the dates say who copied whom", "", "earlier -> later, or same date or "
         "unknown: no direction", "", "", "A date is a guess at direction: both may copy a third, unseen text"),
        ("shared_sentences", "Int64", "sentences of the copy nearly the same as one of the source", "sentences",
         "Sentences of six words or more aligned by word-sequence ratio >= 0.6 (difflib); reported with 3 or "
         "more shared, or 2 covering half of the shorter article, at least 2 outside quotation marks",
         "", "", "Translations and full paraphrases share no word sequences and are missed"),
        ("shared_quotes", "Int64", "shared sentences that are mostly inside quotation marks", "sentences",
         "Half or more of the sentence inside quotation marks in either article"),
        ("source_sentences", "Int64", "sentences of six words or more in the source", "sentences"),
        ("copy_sentences", "Int64", "sentences of six words or more in the copy", "sentences"),
        ("share_of_copy", "Float64", "shared_sentences / copy_sentences", "share (0–1)"),
        ("mean_ratio", "Float64", "mean word-sequence similarity of the shared sentences", "ratio (0–1)",
         "difflib.SequenceMatcher on words; 1 = word for word"),
        ("words_changed", "Int64", "words replaced, cut or added in the shared sentences", "words",
         "Sum over copy_changes.csv rows of the longer side of each change"),
        ("source_origin", "string", "the source's origin agency (articles.csv origin_agency)"),
        ("copy_origin", "string", "the copy's origin agency (articles.csv origin_agency)"),
        ("credit", "string", "whether the copy credits the source", "", "The copy's origin agency compared with "
         "the source's origin agency and outlet: 'credits X', 'credits X, not the source', or 'no credit found'",
         "", "", "Credit lines lost in scraping read as no credit; an agency named only inside the story is not a "
         "credit")]),
    "copy_changes": ("copy_changes.csv", "a word-level change in a shared sentence of a republished pair", [
        ("source_id", "string", "the source article (republished.csv)"),
        ("copy_id", "string", "the copy article (republished.csv)"),
        ("copy_sentence_start", "Int64", "start of the copy's sentence", *OFFSET),
        ("copy_sentence_end", "Int64", "end of the copy's sentence", *OFFSET),
        ("ratio", "Float64", "word-sequence similarity of the two sentences", "ratio (0–1)",
         "difflib.SequenceMatcher on words"),
        ("operation", "string", "replace, delete (cut from the copy) or insert (added by the copy)", "",
         "difflib opcodes on the words, case and edge punctuation ignored"),
        ("source_words", "string", "the source's words (empty for an insert)"),
        ("copy_words", "string", "the copy's words (empty for a delete)", "", "", "", "",
         "A change of words is not always a change of meaning: read the sentence")]),
    "questions": ("questions.csv", "a discussion question", [
        ("kind", "string", "what the finding is about"), ("question", "string", "the question to discuss"),
        ("finding", "string", "the finding, in plain words"), ("groups", "string", "the groups concerned", "", "",
                                                                                    "joined by '; '"),
        ("section", "string", "the part of comparison.html holding the figure"), EV,
        ("rank", "Int64", "strength of the evidence (higher first)", "rank")]),
}


def outlet_columns() -> list[Column]:
    """outlets.csv: group sizes, origin, then each registry measure aggregated as it declares."""
    from .measures import registry

    cols = [Column("event_group", "string", "'all', or one event group"), Column(*G),
            Column("n_articles", "Int64", "articles in the group", "articles"),
            Column("n_words", "Int64", "counted words in the group", "words", "sum over articles"),
            Column("n_sentences", "Int64", "counted sentences in the group", "sentences", "sum over articles"),
            Column("small_group", "boolean", "fewer articles than the minimum: never ranked"),
            Column("outlets", "string", "outlets in the group", format="joined by '; '"),
            Column("wire_share", "Float64", "share of articles with an origin agency", "share (0–1)"),
            Column("origin_agencies", "string", "origin agencies with their article counts",
                   format="'agency (n)' joined by '; '")]
    for m in registry().values():
        if m.aggregate == "none" or m.name in ("n_words", "n_sentences"):
            continue
        cols.append(Column(m.name, "Float64", f"{m.label}: mean over the group's articles", m.unit,
                           "Each article counts once. " + m.method, m.limits))
        if m.aggregate == "mean_sum":
            cols.append(Column(m.name + "_sum", "Int64", f"{m.label}: total over the group's articles", m.unit,
                               m.method, m.limits))
    return cols


def columns(table: str) -> list[Column]:
    """The declared columns of any output table, with their documentation."""
    if table == "outlets":
        return outlet_columns()
    if table in COMPARISON_TABLES:
        return [Column(*spec[:3], *(spec[3:5] if len(spec) > 3 else ()),
                       codes=spec[6] if len(spec) > 6 else "", format=spec[5] if len(spec) > 5 else "",
                       limits=spec[7] if len(spec) > 7 else "")
                for spec in COMPARISON_TABLES[table][2]]
    from .measures import registry

    reg = registry()
    out = []
    for name, dtype in analysis_columns(table):
        if table == "articles" and name in reg:
            m = reg[name]
            out.append(Column(name, dtype, m.label, m.unit, m.method, m.limits))
            continue
        key = "clause_voice" if (table, name) == ("agency", "voice") else name
        doc = DOCS.get(key, ("",)) + ("",) * 5
        out.append(Column(name, dtype, doc[0], doc[1], doc[2], codes=doc[3], format=doc[4]))
    return out


def dtypes(table: str) -> dict[str, str]:
    return {c.name: c.dtype for c in columns(table)}


# ------------------------------------------------------------------ the codebook
CODEBOOK_COLUMNS = ["file", "one_row_per", "column", "dtype", "meaning", "unit", "method", "limits", "codes",
                    "format"]


def codebook():
    """Every column of every output file: meaning, unit, how it is computed, limits (codebook.csv)."""
    import pandas as pd

    rows = []
    tables = [(t, f"{t}.csv", ROW_OF[t]) for t in ANALYSIS_TABLES]
    tables.insert(ANALYSIS_TABLES.index("skipped"), ("outlets", "outlets.csv", "a group (overall and per event)"))
    tables += [(t, spec[0], spec[1]) for t, spec in COMPARISON_TABLES.items()]
    for table, file, per in tables:
        per = per[2:] if per.startswith("a ") else per[3:] if per.startswith("an ") else per
        for c in columns(table):
            codes = "; ".join(f"{k} = {v}" for k, v in CODES.get(c.codes, {}).items()) if c.codes else ""
            rows.append({"file": file, "one_row_per": per, "column": c.name, "dtype": c.dtype, "meaning": c.meaning,
                         "unit": c.unit, "method": c.method, "limits": c.limits, "codes": codes, "format": c.format})
    rows.append({"file": "articles.csv", "one_row_per": "article", "column": "(other columns)",
                 "dtype": "string", "meaning": "every other metadata field of the input records, as given",
                 "unit": "", "method": "", "limits": "", "codes": "", "format": ""})
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


__all__ = ["CODES", "Column", "codebook", "columns", "dtypes", "label"]
