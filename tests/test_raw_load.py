"""Raw loading: lineage columns, idempotent batches, duplicate keys, growing schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.base import QuarantinedRow, RawRecord
from extract.raw import LINEAGE_COLUMNS, load_batch
from hrdw import warehouse
from hrdw.sources import SourceSpec


@pytest.fixture
def spec(tmp_path: Path) -> SourceSpec:
    return SourceSpec(
        name="sheet",
        kind="spreadsheet",
        description="t",
        location={"path": "x.csv"},
        record_key=["id"],
        yaml_path=tmp_path / "sheet.yml",
    )


def rows(*values: dict) -> list[RawRecord]:
    return [RawRecord(values=value, source_file="f.csv", source_row=index) for index, value in enumerate(values, 1)]


def table(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_rows_carry_every_lineage_column(hrdw_home, spec):
    con = warehouse.connect()
    load_batch(con, spec, "B1", rows({"id": "1", "name": "Ana"}))
    columns = [row[0] for row in table(con, "describe raw.sheet__reports")]
    assert columns == ["id", "name", *LINEAGE_COLUMNS]
    record = table(
        con, "select _source, _source_record_id, _source_file, _source_row, _batch_id from raw.sheet__reports"
    )
    assert record == [("sheet", "1", "f.csv", "1", "B1")]


def test_reloading_a_batch_replaces_it_and_leaves_other_batches(hrdw_home, spec):
    con = warehouse.connect()
    load_batch(con, spec, "B1", rows({"id": "1", "name": "Ana"}))
    load_batch(con, spec, "B2", rows({"id": "1", "name": "Ana"}, {"id": "2", "name": "Bo"}))
    before = table(con, "select * exclude (_loaded_at) from raw.sheet__reports order by all")
    load_batch(con, spec, "B2", rows({"id": "1", "name": "Ana"}, {"id": "2", "name": "Bo"}))
    after = table(con, "select * exclude (_loaded_at) from raw.sheet__reports order by all")
    assert before == after
    assert table(con, "select _batch_id, count(*) from raw.sheet__reports group by 1 order by 1") == [
        ("B1", 1),
        ("B2", 2),
    ]


def test_duplicate_key_in_one_delivery_is_quarantined_not_double_counted(hrdw_home, spec):
    con = warehouse.connect()
    report = load_batch(con, spec, "B1", rows({"id": "7", "name": "Ana"}, {"id": "7", "name": "Ana again"}))
    assert (report.loaded, report.quarantined) == (1, 1)
    reason = table(con, "select reason from raw._quarantine")[0][0]
    assert reason == "duplicate record key '7' (first seen in f.csv row 1)"


def test_missing_key_falls_back_to_a_content_hash(hrdw_home, spec):
    con = warehouse.connect()
    load_batch(con, spec, "B1", rows({"id": None, "name": "Ana"}))
    record_id = table(con, "select _source_record_id from raw.sheet__reports")[0][0]
    assert record_id.startswith("sha256:") and len(record_id) == 7 + 32


def test_new_columns_are_added_and_old_rows_kept(hrdw_home, spec):
    con = warehouse.connect()
    load_batch(con, spec, "B1", rows({"id": "1", "name": "Ana"}))
    load_batch(con, spec, "B2", rows({"id": "1", "name": "Ana", "city": "Osh"}))
    assert table(con, "select _batch_id, city from raw.sheet__reports order by 1") == [("B1", None), ("B2", "Osh")]


def test_quarantine_is_replaced_per_batch_too(hrdw_home, spec):
    con = warehouse.connect()
    bad = QuarantinedRow("f.csv", 4, "expected 3 fields, found 2", '["a","b"]')
    load_batch(con, spec, "B1", [bad])
    load_batch(con, spec, "B1", [bad])
    assert table(con, "select count(*) from raw._quarantine") == [(1,)]


def test_rerunning_every_bundled_source_leaves_raw_identical(hrdw_home):
    """Land and load every bundled source twice for the same interval: same raw tables, no duplicates."""
    import datetime as dt

    from extract.ingest import land_source, load_source
    from hrdw.sources import load_specs

    repo = Path(__file__).resolve().parent.parent
    end = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)

    def sync_all() -> dict[str, list[tuple]]:
        for source in load_specs(repo / "sources"):
            load_source(source, land_source(source, end - dt.timedelta(days=1), end)["batch_id"])
        con = warehouse.connect(read_only=True)
        try:
            tables = [row[0] for row in table(con, "select table_name from duckdb_tables() where schema_name = 'raw'")]
            return {name: table(con, f'select * from raw."{name}" order by all') for name in sorted(tables)}
        finally:
            con.close()

    first, second = sync_all(), sync_all()
    assert first == second
    assert len(first) == len(load_specs(repo / "sources")) + 2  # one per source, _quarantine, _load_batches
    assert len(first["_load_batches"]) == len(load_specs(repo / "sources"))  # a rerun replaces its entry
    assert sum(len(rows) for name, rows in first.items() if name != "_load_batches") == 42 + 28 + 8 + 4 + 1
