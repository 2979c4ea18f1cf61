"""Learned content boundaries (attribution_boundary.py) and bounded cost of the
attribution features on pathological shapes."""

from __future__ import annotations

import itertools

import pytest
from spacy.tokens import Doc

from mediaeval.extract import attribution_boundary as boundary
from mediaeval.extract.attribution_model import cue_features, load_models, name_run_starts
from mediaeval.extract.attribution_rules import Found, cue_lexicon, quote_context


def _walk(doc, i):
    """The left walk cue_features once made from every colon (the reference)."""
    start = i
    while start > 0 and not doc[start].is_sent_start and doc[start - 1].pos_ in ("PROPN", "PUNCT") \
            and not doc[start - 1].is_space:
        start -= 1
    return start


def test_name_run_starts_match_the_left_walk_on_the_seed(nlp, seed_text):
    doc = nlp(seed_text + "\n\nTAPPER: Pat Caddell: “We will see.”")
    starts = name_run_starts(doc)
    assert starts == [_walk(doc, i) for i in range(len(doc))]
    assert name_run_starts(doc) is starts  # computed once per doc


def test_cue_features_on_a_long_run_of_colons(nlp):
    """":" * 20000 as one sentence whose tokens all hang on the first: every
    colon is a cue candidate whose name run reaches back to the start. The old
    walk made 2 * 10^8 token look-ups here; one pass now serves all of them."""
    n = 20000
    doc = Doc(nlp.vocab, words=[":"] * n, spaces=[False] * n, pos=["PUNCT"] * n,
              heads=[0] * n, deps=["ROOT"] + ["punct"] * (n - 1), sent_starts=[True] + [False] * (n - 1))
    lexicon = {k: v["class"] for k, v in cue_lexicon().items()}
    in_quote, quote_edge = quote_context(doc)
    feats = [cue_features(t, lexicon, in_quote, quote_edge) for t in doc]
    assert len(feats) == n
    assert all("colon_name_start=True" in f for f in feats[1:])
    assert set(name_run_starts(doc)) == {0}


def test_long_window_keeps_the_rules_content(nlp):
    """A sentence longer than MAX_WINDOW tokens is left to the rules (bounded cost per cue)."""
    text = "The minister said that " + ", ".join(f"village {k}" for k in range(boundary.MAX_WINDOW)) + " were shelled."
    doc = nlp(text)
    head = next(t.i for t in doc if t.lower_ == "said")
    f = Found(head, (head, head + 1), 1.0)
    from mediaeval.extract.attribution_model import sent_bounds

    assert boundary.window(doc, f, None, sent_bounds(doc)) is None


def test_viterbi_finds_the_best_sequence(nlp):
    """The plain-Python decoder agrees with brute force over all label sequences."""
    crf = load_models().get("content_crf")
    if crf is None:
        pytest.skip("no content CRF shipped")
    doc = nlp("Rebels left the city, the army said.")
    head = next(t.i for t in doc if t.lower_ == "said")
    f = Found(head, (head, head + 1), 1.0)
    f.source = (head - 2, head)
    in_quote, _ = quote_context(doc)
    lexicon = {k: v["class"] for k, v in cue_lexicon().items()}
    rule = boundary.rule_labels(doc, 0, len(doc), [(0, doc[4].idx)])
    seq = boundary.token_features(doc, f, 0, len(doc), rule, in_quote, {head}, lexicon)
    labels = crf.labels

    def score(path):
        total = 0.0
        for k, (feats, lab) in enumerate(zip(seq, path)):
            j = labels.index(lab)
            total += sum(crf.weights[x][j] for x in feats if x in crf.weights)
            if k:
                total += crf.trans[labels.index(path[k - 1])][j]
        return total

    best = max(itertools.product(labels, repeat=len(seq)), key=score)
    assert pytest.approx(score(crf.tag(seq))) == score(best)


def test_token_features_name_the_branch_of_the_cue(nlp):
    doc = nlp("The army said that rebels left the city on Sunday.")
    head = 2
    f = Found(head, (head, head + 1), 1.0)
    f.source = (0, 2)
    in_quote, _ = quote_context(doc)
    rule = boundary.rule_labels(doc, 0, len(doc), [(doc[3].idx, doc[9].idx)])
    seq = boundary.token_features(doc, f, 0, len(doc), rule, in_quote, {head}, {"say": "neutral"})
    assert rule[:4] == ["O", "O", "O", "B"] and rule[4] == "I"
    assert "b=ccomp" in seq[5]  # "left" heads the complement clause
    assert "b=nsubj" in seq[1] and "side=S" in seq[1]  # "army": the source
    assert "side=C" in seq[2] and "cls=neutral|cue" in seq[2]


def test_spans_from_labels():
    assert boundary.spans_from_labels(["O", "B", "I", "O", "B", "B", "I"], 10) == [(11, 13), (14, 15), (15, 17)]
    assert boundary.spans_from_labels(["O", "I", "I"], 0) == [(1, 3)]


def _cover_by_pairs(found, chars):
    out = []
    for k, c in enumerate(chars):
        probs = [g.prob for j, g in enumerate(found) if j != k and any(a <= c < b for a, b in g.content)]
        out.append(max(probs) if probs else None)
    return out


def test_best_cover_matches_the_pairwise_definition():
    """The sweep in ``outermost`` agrees with checking every pair (random layouts)."""
    import random

    from mediaeval.extract.attribution_content import _best_cover

    rng = random.Random(7)
    for _ in range(200):
        found, chars = [], []
        for k in range(rng.randint(0, 12)):
            f = Found(k, (k, k + 1), round(rng.random(), 1))
            segs, at = [], rng.randint(0, 50)
            for _ in range(rng.randint(0, 3)):
                a = at + rng.randint(0, 10)
                at = a + rng.randint(1, 30)
                segs.append((a, at))
            f.content = segs
            found.append(f)
            chars.append(rng.randint(0, 120))
        assert _best_cover(found, chars) == _cover_by_pairs(found, chars)


def test_best_cover_on_deeply_nested_contents():
    """20,000 contents nested inside each other (each cue inside all outer
    contents): all pairs would be 4 * 10^8 checks; the sweep is n log n."""
    from mediaeval.extract.attribution_content import _best_cover

    n = 20000
    found, chars = [], []
    for k in range(n):
        f = Found(k, (k, k + 1), 0.5 + k / (4 * n))
        f.content = [(k + 1, 2 * n - k)]
        found.append(f)
        chars.append(k)
    best = _best_cover(found, chars)
    assert best[0] is None  # the outermost cue stands outside every content
    assert best[1] == found[0].prob and best[-1] == found[-2].prob  # the most confident cover around it


def test_lead_scanner_matches_the_search_back(seed_text):
    """The one-pass scanner of floating_quotes agrees with searching back from
    every position for the last ".!?\\n:" (the old, quadratic way)."""
    from mediaeval.extract.attribution_content import _lead_scanner

    text = seed_text + "\n\n“Who?” “Them.” ... “” “ “ “ 12 “"
    lead_alnum = _lead_scanner(text)
    for pos in range(0, len(text), 7):
        stop = max(text.rfind(ch, 0, pos) for ch in ".!?\n:")
        lead = text[stop + 1:pos] if stop >= 0 else text[:pos]
        assert lead_alnum(pos) == any(c.isalnum() for c in lead), pos


def test_many_quotations_without_a_stop(nlp):
    """Many short quotations with no full stop between them: the search for
    each one's sentence lead no longer walks back to the start."""
    from mediaeval.extract.attribution import extract_attributions
    from mediaeval.model import Article, Structure

    text = "The minister said the talks failed. " + " ".join(f"“word {k} here”" for k in range(1500))
    records = extract_attributions(nlp(text), Article(article_id="t", text=text), Structure())
    assert records and records[0].cue_text == "said"


def test_token_table_matches_spacy_on_the_seed(nlp, seed_text):
    """The table read through Doc.to_array gives what the Token objects give: heads,
    tags, quotation marks, sentence starts, paragraph breaks, subtree edges."""
    doc = nlp(seed_text)
    tb = boundary._Table(doc)
    for t in doc:
        assert (tb.head[t.i], tb.pos[t.i], tb.tag[t.i], tb.dep[t.i]) == (t.head.i, t.pos_, t.tag_, t.dep_)
        assert tb.quote[t.i] == t.is_quote and tb.sstart[t.i] == bool(t.is_sent_start) and tb.idx[t.i] == t.idx
        assert tb.para[t.i] == ("\n" in t.whitespace_ or (t.is_space and "\n" in t.text))
        assert tb.left[t.i] <= t.left_edge.i and tb.right[t.i] >= t.right_edge.i  # equal where the parse is projective
        assert tb.left[t.i] == min(d.i for d in t.subtree) and tb.right[t.i] == max(d.i for d in t.subtree)


def test_cached_static_scores_equal_the_full_features(nlp):
    """refine sums the cue-independent features once per doc; the emissions equal
    those of the full feature lists the CRF was trained on."""
    crf = load_models().get("content_crf")
    if crf is None or crf.packed is None:
        pytest.skip("no three-label content CRF shipped")
    doc = nlp("The senator said on Monday that the bill, which passed last week, would “hurt farmers” in Iowa.")
    head = next(t.i for t in doc if t.lower_ == "said")
    f = Found(head, (head, head + 1), 1.0)
    f.source = (0, 2)
    in_quote, _ = quote_context(doc)
    lexicon = {k: v["class"] for k, v in cue_lexicon().items()}
    rule = boundary.rule_labels(doc, 0, len(doc), [(doc[head + 4].idx, doc[-2].idx + len(doc[-2]))])
    full = crf.emissions(boundary.token_features(doc, f, 0, len(doc), rule, in_quote, {head}, lexicon))
    fixed = boundary._static_scores(doc, crf, in_quote, 0, len(doc))
    dynamic = crf.packed_sums(boundary.token_features(doc, f, 0, len(doc), rule, in_quote, {head}, lexicon, static=False))
    for (z0, z1, z2), a, b in zip(full, fixed, dynamic):
        assert z0 == 0.0 and pytest.approx(z1) == (a + b).real and pytest.approx(z2) == (a + b).imag


def test_unrolled_viterbi_agrees_with_brute_force():
    """The three-label decoder finds the best path (random scores, every length up to 6)."""
    import random

    rng = random.Random(7)
    for _ in range(200):
        crf = boundary.ChainCRF({"labels": ["O", "B", "I"], "weights": {},
                                 "transitions": [[rng.gauss(0, 2) for _ in range(3)] for _ in range(3)]})
        emit = [tuple(rng.gauss(0, 3) for _ in range(3)) for _ in range(rng.randint(1, 6))]
        labels, best = crf.viterbi(emit)
        top = max(crf.path_score(emit, list(p)) for p in itertools.product(crf.labels, repeat=len(emit)))
        assert pytest.approx(best) == top and pytest.approx(crf.path_score(emit, labels)) == top


def test_learned_boundaries_never_swallow_another_cue(nlp):
    """A CRF content that would cover another cue head the rules' content leaves out is refused
    (outermost() would drop one relation: the CRF only moves boundaries)."""
    from mediaeval.extract.attribution_content import _swallows_cue

    doc = nlp("The mayor said the road was closed, and the police warned that it would flood.")
    said = next(t.i for t in doc if t.lower_ == "said")
    warned = next(t.i for t in doc if t.lower_ == "warned")
    f = Found(said, (said, said + 1), 1.0)
    f.content = [(doc[said + 1].idx, doc[said + 5].idx + len(doc[said + 5]))]  # "the road was closed"
    longer = [(doc[said + 1].idx, doc[-2].idx + len(doc[-2]))]
    assert _swallows_cue(doc, f, longer, {said, warned})
    assert not _swallows_cue(doc, f, f.content, {said, warned})
