"""Features and the small linear models that help the attribution rules.

Four logistic-regression models (scikit-learn at training time, plain
feature->weight tables at run time, shipped as ``lexicons/attribution_model.json``;
trained by ``scripts/train_attribution.py`` on the PolNeAR train split,
Newell, Margolin & Ruths 2018):

* ``cue``: is this token the head of an attribution cue? (lexical, syntactic and
  quotation features; the reporting-cue lexicon class is one feature)
* ``cue_span``: is this neighbour of a cue head part of the cue span
  ("has said", "according to", "called for")?
* ``source``: is this token the head of the cue's source? (dependency path from
  the cue, part of speech, entity type, position)
* ``content_trim``: does this side phrase of the content's head stay in the
  content? (dependency label, punctuation before it, size, cue word)

Features are strings; a model is ``{"bias": b, "weights": {feature: w}}`` and
scores with the logistic function. Limits: the models know PolNeAR's US
political news of 2016; unseen cue words get only the lexicon and syntax
features, so recall on other registers is lower.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from ..lexicons import bundled_path

MODEL_FILE = "attribution_model.json"
CANDIDATE_POS = {"VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADP", "ADV"}
SOURCE_POS = {"PROPN", "NOUN", "PRON", "NUM"}


class Linear:
    """A logistic model over string features."""

    def __init__(self, spec: dict):
        self.bias = float(spec.get("bias", 0.0))
        self.weights = spec.get("weights", {})
        self.threshold = float(spec.get("threshold", 0.5))
        self.known = frozenset(spec.get("vocab", ()))

    def prob(self, features) -> float:
        z = self.bias + sum(filter(None, map(self.weights.get, features)))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_models() -> dict:
    """The shipped models by name ({} when the file is absent: rules only)."""
    path = bundled_path(MODEL_FILE)
    if not path.exists():
        return {}
    spec = json.loads(path.read_text(encoding="utf-8"))
    models = {name: Linear(m) for name, m in spec.get("models", {}).items()}
    from .attribution_boundary import load_crf

    crf = load_crf()
    if crf is not None:  # learned content boundaries (attribution_boundary.py)
        models["content_crf"] = crf
    return models


def doc_text(doc) -> str:
    """``doc.text`` once per doc (spaCy rebuilds the string on every access); ``common.doc_text``."""
    from .common import doc_text as memoised

    return memoised(doc)


def sent_bounds(doc) -> list[tuple[int, int]]:
    """(start, end) token indices of each token's sentence, computed once per doc
    (``Token.sent`` scans the doc on every call)."""
    cached = doc.user_data.get("_mediaeval_sent_bounds")
    if cached is not None and len(cached) == len(doc):
        return cached
    out: list[tuple[int, int]] = [(0, 0)] * len(doc)
    for sent in doc.sents:
        bounds = (sent.start, sent.end)
        for i in range(sent.start, sent.end):
            out[i] = bounds
    doc.user_data["_mediaeval_sent_bounds"] = out
    return out


def name_run_starts(doc) -> list[int]:
    """Per token j: where the run of names and punctuation ending at j starts,
    the start of walking left from j while the token before is PROPN or PUNCT
    (not white space) and j is not a sentence start ("Pat Caddell: ...").
    One pass per doc, cached (walking left from every colon was quadratic on
    ":" * 8000)."""
    cached = doc.user_data.get("_mediaeval_name_runs")
    if cached is not None and len(cached) == len(doc):
        return cached
    out = [0] * len(doc)
    prev = None
    for t in doc:
        j = t.i
        if j > 0 and not t.is_sent_start and prev.pos_ in ("PROPN", "PUNCT") and not prev.is_space:
            out[j] = out[j - 1]
        else:
            out[j] = j
        prev = t
    doc.user_data["_mediaeval_name_runs"] = out
    return out


def is_cue_candidate(token) -> bool:
    if token.text == ":":
        return True
    return token.pos_ in CANDIDATE_POS and not token.is_space


def _nominal_kind(token) -> str:
    if token is None:
        return "none"
    if token.pos_ == "PRON":
        return "pron_" + token.lower_ if token.lower_ in ("i", "we", "it", "they", "he", "she", "you", "who", "which", "that") else "pron"
    if token.ent_type_:
        return "ent_" + token.ent_type_
    return token.pos_


def _nominal_kind_at(a, i) -> str:
    """``_nominal_kind`` of token ``i`` read from the doc's arrays (``common.TokenArrays``)."""
    if i is None:
        return "none"
    pos = a.texts("pos")[i]
    if pos == "PRON":
        lower = a.texts("lower")[i]
        return "pron_" + lower if lower in ("i", "we", "it", "they", "he", "she", "you", "who", "which", "that") else "pron"
    ent = a.texts("ent_type")[i]
    if ent:
        return "ent_" + ent
    return pos


_MORPH: dict[int, str] = {}


def _verb_morph(token, key: int) -> str:
    """``str(VerbForm) + str(Tense)`` of a token's morphology, memoised by the morphology's id."""
    if key not in _MORPH:
        _MORPH[key] = str(token.morph.get("VerbForm")) + str(token.morph.get("Tense"))
    return _MORPH[key]


def cue_features(token, lexicon: dict, in_quote, quote_edge) -> list[str]:
    """Features of a cue-head candidate. ``in_quote(i)``: token i inside a
    quotation; ``quote_edge(i)``: a quotation opens or closes within 3 tokens.
    Token attributes are read from the doc's arrays (``common.token_arrays``)."""
    from .common import token_arrays

    doc = token.doc
    a = token_arrays(doc)
    i = token.i
    lemmas, poss, deps, lowers = a.texts("lemma_lower"), a.texts("pos"), a.texts("dep"), a.texts("lower")
    lem, pos, dep = lemmas[i], poss[i], deps[i]
    cls = lexicon.get(lem, "")
    f = ["l=" + lem, "p=" + pos, "t=" + a.texts("tag")[i], "d=" + dep, "lp=" + lem + pos,
         "ld=" + lem + "|" + dep, "pd=" + pos + dep, "w=" + lowers[i],
         "cls=" + cls, "clsd=" + cls + "|" + dep, "clsp=" + cls + "|" + pos]
    deps_seen = set()
    children = a.children()[i]
    for c in children:
        cd = deps[c]
        deps_seen.add(cd)
        if cd == "prep":
            f.append("prep=" + lowers[c])
            f.append("lprep=" + lem + "|" + lowers[c])
        if cd == "mark":
            f.append("mark=" + lowers[c])
        if cd == "aux" and lowers[c] == "to":
            f.append("to_inf")
    for cd in sorted(deps_seen):
        f.append("c=" + cd)
        if cd in ("ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prep", "advcl", "parataxis", "acomp", "attr", "pobj"):
            f.append("lc=" + lem + "|" + cd)
            f.append("clsc=" + cls + "|" + cd)
    subj = next((c for c in children if deps[c] in ("nsubj", "nsubjpass", "csubj")), None)
    sk = _nominal_kind_at(a, subj)
    f.append("subj=" + sk)
    f.append("lsubj=" + lem + "|" + sk.split("_")[0])
    head = a.heads()[i]
    f.append("h=" + lemmas[head] + "|" + dep)
    f.append("hp=" + poss[head] + "|" + dep)
    f.append("hcls=" + lexicon.get(lemmas[head], "") + "|" + dep)
    f.append("morph=" + _verb_morph(token, int(a.morph[i])))
    prev = lowers[i - 1] if i > 0 else "<s>"
    nxt = lowers[i + 1] if i + 1 < a.n else "</s>"
    f.append("pw=" + prev)
    f.append("nw=" + nxt)
    f.append("lnw=" + lem + "|" + nxt)
    if in_quote(i):
        f.append("inq")
        f.append("inq|" + cls)
    if quote_edge(i):
        f.append("qedge")
        f.append("qedge|" + cls)
        f.append("qedge|" + lem)
    if token.is_sent_start:
        f.append("first")
    if token.text in (":", "―") and i > 0:  # "TAPPER: ...", "Pat Caddell: ...", "”― Name"
        before = doc[i - 1]
        f.append("colon_prev=" + ("upper" if before.is_upper and before.is_alpha else before.pos_))
        start = name_run_starts(doc)[i - 1]
        f.append("colon_name_start=" + str(doc[start].is_sent_start or doc[start - 1].is_space))
        f.append("colon_next_quote=" + str(i + 1 < len(doc) and doc[i + 1].is_quote))
    ent = a.texts("ent_type")[i]
    if ent:
        f.append("ent=" + ent)
    return f


def cue_span_features(head, token, lexicon: dict) -> list[str]:
    """Features of a neighbour ``token`` of cue head ``head``."""
    side = "L" if token.i < head.i else "R"
    dist = min(abs(token.i - head.i), 4)
    lem = token.lemma_.lower()
    hl = head.lemma_.lower()
    rel = "child" if token.head.i == head.i else ("head" if head.head.i == token.i else "other")
    f = ["side=" + side + str(dist), "d=" + token.dep_ + side, "w=" + token.lower_ + side,
         "hw=" + hl + "|" + token.lower_ + side, "hd=" + hl + "|" + token.dep_ + side,
         "p=" + token.pos_ + side, "rel=" + rel + side, "reld=" + rel + token.dep_ + side,
         "hp=" + head.pos_ + "|" + token.dep_ + side, "cls=" + lexicon.get(hl, "") + "|" + token.dep_ + side,
         "ld=" + lem + "|" + token.dep_]
    if token.dep_ == "prep":
        f.append("prep_has_pobj=" + str(any(c.dep_ == "pobj" for c in token.children)))
    if token.ent_type_:
        f.append("ent=" + token.ent_type_ + side)
    return f


def path_to(cue, cand, limit: int = 4) -> str:
    """Dependency path from ``cue`` to ``cand``: up-steps (^dep) then down-steps."""
    from .common import token_arrays

    a = token_arrays(cue.doc)
    heads, deps = a.heads(), a.texts("dep")
    up = [cue.i]
    while heads[up[-1]] != up[-1] and len(up) < 6:
        up.append(heads[up[-1]])
    down = [cand.i]
    while heads[down[-1]] != down[-1] and len(down) < 6:
        down.append(heads[down[-1]])
    down_ids = {t: k for k, t in enumerate(down)}
    for k, t in enumerate(up):
        if t in down_ids:
            j = down_ids[t]
            ups = ["^" + deps[x] for x in up[:k]]
            downs = [deps[x] for x in reversed(down[:j])]
            steps = ups + downs
            if len(steps) > limit:
                return "far"
            return " ".join(steps) or "self"
    return "none"


def source_features(cue, cand, lexicon: dict, in_quote) -> list[str]:
    """Features of a source-head candidate ``cand`` for the cue head ``cue``."""
    path = path_to(cue, cand)
    cl = cue.lemma_.lower()
    side = "L" if cand.i < cue.i else "R"
    dist = abs(cand.i - cue.i)
    db = "d1" if dist <= 1 else "d3" if dist <= 3 else "d8" if dist <= 8 else "dfar"
    kind = _nominal_kind(cand)
    f = ["path=" + path, "pathl=" + path + "|" + cl, "pathp=" + path + "|" + cue.pos_,
         "kind=" + kind, "pk=" + path + "|" + kind.split("_")[0], "side=" + side + db,
         "cd=" + cand.dep_, "cdp=" + cand.dep_ + "|" + cue.dep_, "cp=" + cand.pos_,
         "cls=" + lexicon.get(cl, "") + "|" + path, "cuep=" + cue.pos_ + "|" + cand.dep_ + side]
    if in_quote(cand.i) != in_quote(cue.i):
        f.append("quote_boundary")
    doc = cand.doc
    left = cand.left_edge.i
    if left > 0 and (doc[left - 1].is_quote or doc[left - 1].text in "”\"'"):
        f.append("after_quote")
    from .common import token_arrays

    a = token_arrays(doc)
    punct, poss, heads, deps = a.is_punct, a.texts("pos"), a.heads(), a.texts("dep")
    ci, ui = cand.i, cue.i
    if ci < ui:
        if all(punct[x] or poss[x] in ("AUX", "ADV", "PART") or heads[x] == ci or deps[x] in ("appos", "compound", "prep", "pobj", "det", "amod", "relcl", "acl") for x in range(ci + 1, ui)):
            f.append("adjacent_left|" + cand.pos_)
    elif ci > ui and all(poss[x] in ("PROPN", "ADJ", "DET", "PUNCT", "NOUN") for x in range(ui + 1, ci)):
        f.append("adjacent_right|" + cand.pos_)
    bounds = sent_bounds(cand.doc)
    if bounds[cand.i] != bounds[cue.i]:
        f.append("other_sentence")
    return f


def content_trim_features(cue, root, child, in_quote, depth: int = 0, lexicon: dict | None = None) -> list[str]:
    """Features of a child of the content's root: does its phrase stay in the content?"""
    doc = root.doc
    side = "L" if child.i < root.i else "R"
    dep = child.dep_
    left, right = child.left_edge.i, child.right_edge.i
    before = doc[left - 1].text if left > 0 else "<s>"
    after = doc[right + 1].text if right + 1 < len(doc) else "</s>"
    n = right - left + 1
    size = "1" if n == 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9+"
    punct_before = before if before in (",", ";", ":", "--", "—", "–", "-", "(") else "w"
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc[left:right + 1])
    cl = cue.lemma_.lower()
    f = ["d=" + dep + side, "dp=" + dep + side + punct_before, "w=" + child.lower_ + side,
         "wd=" + child.lower_ + dep + side, "size=" + size + side, "ds=" + dep + size + side,
         "verb=" + str(has_verb) + dep + side, "rd=" + root.dep_ + "|" + dep + side,
         "cue=" + cl + "|" + dep + side, "pb=" + punct_before + side, "pa=" + after + side,
         "rp=" + root.pos_ + dep + side, "depth=" + str(depth) + side, "dd=" + str(depth) + dep + side]
    if in_quote(child.i):
        f.append("inq" + side)
    if dep in ("mark", "cc", "advmod", "prep", "advcl", "npadvmod") and side == "L":
        f.append("lead=" + child.lower_)
    if dep in ("conj", "advcl", "parataxis", "relcl", "acl", "appos"):
        own_subj = any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        f.append("subj=" + str(own_subj) + dep)
        if lexicon is not None:
            f.append("ccls=" + lexicon.get(child.lemma_.lower(), "none") + dep)
        f.append("cl=" + child.lemma_.lower() + dep)
    return f
