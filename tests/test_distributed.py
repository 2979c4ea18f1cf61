"""The Dask engine on a LocalCluster of 2 worker processes (loopback, no dashboard), started and
stopped here: its tables must equal the local engine's, for a bag, a dataframe and ``--engine dask``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediaeval import parts
from mediaeval.analyze import AnalysisOptions
from mediaeval.ingest.readers import ReadOptions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "fakes_syria_sample.jsonl"


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def records() -> list[dict]:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    rows.insert(4, {"id": "no-text", "outlet": "SANA"})  # becomes a row of skipped, in its place
    return rows


@pytest.fixture(scope="module")
def local_tables(records) -> dict:
    """The local engine on the same records, named as analyze_dask names them."""
    from mediaeval.distributed import _as_items
    from mediaeval.durable_run import analyze_items

    items = _as_items(records[:6], 0, "dask", ReadOptions()) + _as_items(records[6:], 1, "dask", ReadOptions())
    return parts.frames_of(analyze_items(items, AnalysisOptions()))


def _same(dask_tables: dict, local: dict) -> None:
    import dask

    computed = dict(zip(dask_tables, dask.compute(*dask_tables.values())))
    for table, expected in local.items():
        got = computed[table].reset_index(drop=True)
        assert list(got.columns)[:len(expected.columns)] == list(expected.columns) or table == "articles", table
        got = got[list(expected.columns)]
        assert got.astype(object).where(got.notna(), None).values.tolist() == \
            expected.astype(object).where(expected.notna(), None).values.tolist(), table
    assert len(computed["skipped"]) == 1 and computed["skipped"].loc[0, "record"] == "partition 0 row 5"
    assert len(computed["articles"]) == 10


def test_bag_of_records_gives_the_local_engines_tables(client, records, local_tables):
    import dask.bag as db

    bag = db.from_sequence(records, partition_size=6)  # partitions of 6 and 5 records
    assert bag.npartitions == 2
    from mediaeval.distributed import analyze_dask

    _same(analyze_dask(bag, client=client), local_tables)


def test_dataframe_with_an_empty_partition_gives_the_same_tables(client, records, local_tables):
    import dask.dataframe as dd
    import pandas as pd

    from mediaeval.distributed import analyze_dask

    frame = pd.DataFrame(records)
    parts_ = [dd.from_pandas(frame.iloc[:6], npartitions=1), dd.from_pandas(frame.iloc[6:], npartitions=1),
              dd.from_pandas(frame.iloc[:0], npartitions=1)]  # an empty partition still concatenates
    tables = analyze_dask(dd.concat(parts_), client=client)
    assert list(tables["terms"]._meta.columns) == [c for c, _ in parts.columns("terms")]
    _same(tables, local_tables)


def test_engine_dask_run_is_byte_identical_to_the_local_engine(client, tmp_path):
    from mediaeval.runner import run_analysis

    inputs = [str(SAMPLE), str(ROOT / "seeds" / "xinhua_hama_withdrawal.txt")]
    run_analysis(inputs, tmp_path / "local", batch_size=4)
    run_analysis(inputs, tmp_path / "dask", batch_size=3, engine="dask", scheduler=client.scheduler.address)
    for name in [p.name for p in (tmp_path / "local").glob("*.csv")]:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    pages = sorted(p.name for p in (tmp_path / "local" / "articles").iterdir())
    assert pages == sorted(p.name for p in (tmp_path / "dask" / "articles").iterdir()) and len(pages) == 11


def test_a_worker_with_other_versions_refuses():
    from mediaeval.distributed import VersionMismatch, check_here, local_versions

    expected = local_versions(AnalysisOptions())
    check_here(AnalysisOptions(), expected)  # same versions: fine
    with pytest.raises(VersionMismatch, match=r"spacy: '0\.0\.1' on the client, '3[0-9.]+' on this worker"):
        check_here(AnalysisOptions(), {**expected, "spacy": "0.0.1"})
