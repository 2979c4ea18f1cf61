"""Label choice (Glasgow Media Group): which words name which group, in which voice.

Only words that name a group of people count: actor and victim labels and
demonizing or dehumanizing names whose ``refers_to`` is a group (not event,
place, speech or general). Every row keeps its voice (``mediaeval.voice``), so a
table can show the outlet's own labels, its sources' quoted labels and the
labels of its paraphrases side by side: a label in reported speech is the
outlet's wording of a source's claim.

``label_counts`` works on one article's hits; ``label_rows`` on analysed
articles (the rows of labels.csv), so report code never recomputes labels.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from ..model import TermHit
from ..voice import VOICES
from .term_lexicon import NON_GROUPS

LABEL_CATEGORIES = frozenset({"actor_label", "victim_label", "demonizing", "dehumanizing"})


def is_label(hit: TermHit) -> bool:
    """True for a hit that names a group of people (a label to compare)."""
    return hit.category in LABEL_CATEGORIES and hit.refers_to not in NON_GROUPS


def label_counts(terms: Iterable[TermHit]) -> list[dict]:
    """One row per (refers_to group, label, voice) with its count, sorted."""
    counts = Counter((t.refers_to, t.term, t.voice) for t in terms if is_label(t))
    return [{"refers_to": g, "label": label, "voice": voice, "count": n}
            for (g, label, voice), n in sorted(counts.items())]


def label_rows(results: Iterable) -> list[dict]:
    """labels.csv rows for analysed articles: article_id, outlet, refers_to, label, voice, voice_label, count.

    Items that are not analyses (a ``Skipped``) are passed over."""
    rows = []
    for result in results:
        terms = getattr(result, "terms", None)
        if terms is None:
            continue
        article = result.article
        for r in label_counts(terms):
            rows.append({"article_id": article.article_id, "outlet": article.outlet, **r,
                         "voice_label": VOICES.get(r["voice"], r["voice"])})
    return rows
