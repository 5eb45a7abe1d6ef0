"""Staleness by night (issue 18, point 4): a source is stale when it has no good batch of the night built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from publish.freshness import night_of, source_freshness
from tests.test_publish_marts import write_load_report


def test_a_manual_reingest_of_one_source_leaves_the_others_of_that_night_fresh(tmp_path: Path) -> None:
    for source in ("cpj_feed", "partner_sheet", "kobo_forms"):
        write_load_report(tmp_path, source, "20261206T000000Z")  # the scheduled night of 6 December
    write_load_report(tmp_path, "cpj_feed", "20261206T143012Z")  # a manual trigger that afternoon

    freshness = source_freshness(tmp_path / "landing", {})

    assert freshness["batch_id"] == "20261206T143012Z" and freshness["night"] == "2026-12-06"
    assert {name: info["stale"] for name, info in freshness["sources"].items()} == {
        "cpj_feed": False,
        "partner_sheet": False,
        "kobo_forms": False,
    }
    assert freshness["sources"]["cpj_feed"]["last_successful_batch_id"] == "20261206T143012Z"


def test_a_source_whose_newest_good_batch_is_an_earlier_night_is_stale(tmp_path: Path) -> None:
    write_load_report(tmp_path, "cpj_feed", "20261206T000000Z")
    write_load_report(tmp_path, "partner_sheet", "20261205T000000Z")  # its ingest failed on the 6th
    (tmp_path / "landing" / "partner_sheet" / "20261206T000000Z").mkdir()  # landed, never loaded
    (tmp_path / "landing" / "never_loaded").mkdir(parents=True)

    sources = source_freshness(tmp_path / "landing", {}, night=dt.date(2026, 12, 6))["sources"]

    assert sources["cpj_feed"]["stale"] is False
    assert (sources["partner_sheet"]["stale"], sources["partner_sheet"]["last_successful_batch_id"]) == (
        True,
        "20261205T000000Z",
    )
    assert (sources["never_loaded"]["stale"], sources["never_loaded"]["last_successful_batch_id"]) == (True, None)


def test_the_night_built_is_given_by_the_publishing_run_not_by_the_newest_batch(tmp_path: Path) -> None:
    write_load_report(tmp_path, "cpj_feed", "20261206T000000Z")

    assert source_freshness(tmp_path / "landing", {}, night=dt.date(2026, 12, 7))["sources"]["cpj_feed"]["stale"]
    assert not source_freshness(tmp_path / "landing", {}, night=dt.date(2026, 12, 5))["sources"]["cpj_feed"]["stale"]
    assert night_of("20261206T235959Z") == dt.date(2026, 12, 6)
