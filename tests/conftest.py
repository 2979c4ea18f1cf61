"""Shared fixtures: the seed article, the spaCy pipeline (loaded once), ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "xinhua_hama_withdrawal.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from mediaeval import nlp as nlp_module

    return nlp_module.load()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not here (development data is not part of a user's clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_analysis():
    """The seed article through the whole pipeline, once per test session."""
    from mediaeval.analyze import analyze_article
    from mediaeval.ingest.readers import read_articles

    (article,) = [a for a in read_articles([SEED])]
    return analyze_article(article)
