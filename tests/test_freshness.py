"""Staleness by night (issue 18 point 4; issue 20 point 3: the warehouse knows it).

A source is stale when it has no good batch of the night built: ``dim_source.is_stale``, from
``raw._load_batches`` (written by the load in the batch's transaction); its dbt unit test is in
``models/marts/_marts__unit_tests.yml``. Here: the load's batch log, and the manifest section."""

from __future__ import annotations

import datetime as dt

import duckdb

from extract.base import RawRecord
from extract.raw import BATCH_LOG, load_batch
from publish.freshness import source_freshness


def test_every_good_batch_is_logged_typed_once_an_empty_one_too(make_spec) -> None:
    spec = make_spec(name="kobo_forms", kind="spreadsheet", location={"path": "unused.csv"})
    con = duckdb.connect()
    row = RawRecord(values={"a": "1"}, source_file="f.csv", source_row=1, record_id="r1")
    load_batch(con, spec, "20261206T000000Z", [row])
    load_batch(con, spec, "20261206T000000Z", [row])  # a retried load replaces its entry
    load_batch(con, spec, "20261207T000000Z", [])  # an incremental source with nothing new
    load_batch(con, spec, "20261207T235959Z", [])  # a manual run late that night: still the 7th
    logged = con.execute(
        f"select _batch_id, batch_night, typeof(loaded_at), rows_loaded from raw.{BATCH_LOG} order by 1"
    ).fetchall()
    assert logged == [
        ("20261206T000000Z", dt.date(2026, 12, 6), "TIMESTAMP WITH TIME ZONE", 1),
        ("20261207T000000Z", dt.date(2026, 12, 7), "TIMESTAMP WITH TIME ZONE", 0),
        ("20261207T235959Z", dt.date(2026, 12, 7), "TIMESTAMP WITH TIME ZONE", 0),
    ]


def test_the_manifest_section_is_dim_source_and_the_build_notes() -> None:
    rows = {
        "cpj_feed": {"last_batch_id": "20261206T143012Z", "last_batch_night": dt.date(2026, 12, 6), "is_stale": False},
        "partner_sheet": {
            "last_batch_id": "20261205T000000Z",
            "last_batch_night": dt.date(2026, 12, 5),
            "is_stale": True,
        },
    }
    notes = {"partner_sheet": "built from batch 20261205T000000Z", "never_loaded": "no good batch yet: left out"}

    fresh = source_freshness(rows, notes, dt.date(2026, 12, 6), "20261206T000000Z")

    assert (fresh["night"], fresh["batch_id"]) == ("2026-12-06", "20261206T000000Z")
    sources = fresh["sources"]
    assert (sources["cpj_feed"]["stale"], sources["cpj_feed"]["last_batch_night"]) == (False, "2026-12-06")
    assert sources["partner_sheet"]["stale"] and sources["partner_sheet"]["why"] == notes["partner_sheet"]
    assert sources["never_loaded"] == {"last_successful_batch_id": None, "stale": True, "why": notes["never_loaded"]}
