"""Snapshot publishing on a hand-made warehouse: contents, changelog, quality gate, atomicity,
retention, CSV safety and idempotency (the demo-data versions are in tests/test_e2e.py)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import pathlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from test_publish_marts import (
    BATCH,
    HOSTILE,
    MART_COLUMNS,
    REPO,
    scenario,
    write_build_log,
    write_home,
    write_policy,
    write_run_results,
)

from publish.quality import QualityGateError
from publish.snapshot import publish
from publish.tables import CSV_FORMULA_PREFIXES

DAY = dt.timedelta(days=1)
RUN_TIME = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


@pytest.fixture
def home(hrdw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(write_policy(tmp_path / "policy.yml")))
    monkeypatch.delenv("HRDW_SNAPSHOT_RETENTION", raising=False)
    write_home(hrdw_home)
    return hrdw_home


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def snapshot_files_match_manifest(folder: Path) -> bool:
    """Every file the manifest lists exists with its sha256 (the snapshot is whole)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    entries = [manifest["duckdb_file"], manifest["changelog"]["json"], manifest["changelog"]["markdown"]]
    for info in manifest["tables"].values():
        entries += [
            info,
            info["csv"],
            *([info["run_metadata"], info["run_metadata"]["csv"]] if "run_metadata" in info else []),
        ]
    return all(sha256(folder / entry["file"]) == entry["sha256"] for entry in entries)


def test_snapshot_holds_every_mart_as_parquet_csv_and_duckdb_with_a_complete_manifest(home):
    # Tonight (the 29th) open_wire's ingest failed (its newest good batch is the 28th's), the others loaded:
    rows = scenario()
    for source in rows["dim_source"]:
        stale = source["source_name"] == "open_wire"
        source.update(
            last_batch_id=BATCH if stale else "20261129T000000Z",
            last_batch_night=dt.date(2026, 11, 28 if stale else 29),
            last_batch_rows_loaded=5,
            last_batch_rows_quarantined=1,
            is_stale=stale,
        )
    write_home(home, rows)
    write_run_results(
        home,
        [
            ("model.hrdw.dim_event", "success", "OK"),
            ("test.hrdw.accepted_values_dim_event_x", "warn", "Got 2 results, configured to warn if != 0"),
            ("test.hrdw.unique_dim_event_event_id", "pass", None),
        ],
    )
    snapshot = publish(RUN_TIME, batch_id="20261129T000000Z")
    folder, manifest = snapshot.path, snapshot.manifest
    assert (home / "snapshots" / "latest").resolve() == folder
    assert json.loads((folder / "manifest.json").read_text()) == json.loads(json.dumps(manifest, default=str))

    assert set(manifest["tables"]) == set(MART_COLUMNS)
    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    for table, info in manifest["tables"].items():
        parquet = pq.read_table(folder / info["file"])
        assert info["file"] == f"{table}.parquet" and info["csv"]["file"] == f"{table}.csv"
        assert parquet.num_rows == info["rows"] == len(csv_rows(folder / info["csv"]["file"]))
        assert parquet.column_names == [column["name"] for column in info["columns"]]
        assert con.execute(f"select count(*) from main.{table}").fetchone()[0] == info["rows"]
    assert snapshot_files_match_manifest(folder)

    # Run metadata sits apart, keyed; the DuckDB file has every mart whole.
    assert manifest["run_metadata_columns"] == {
        "bridge_event_source_record": ["batch_id"],
        "dim_event": ["first_loaded_at", "last_loaded_at"],
        "dim_source": [
            "last_loaded_at",
            "last_batch_id",
            "last_batch_night",
            "last_batch_rows_loaded",
            "last_batch_rows_quarantined",
            "is_stale",
        ],
        "event_id_redirects": ["retired_at"],
    }
    assert "first_loaded_at" not in pq.read_schema(folder / "dim_event.parquet").names
    assert pq.read_schema(folder / "run_metadata" / "dim_event.parquet").names == [
        "event_id",
        "first_loaded_at",
        "last_loaded_at",
    ]
    assert "first_loaded_at" in [row[0] for row in con.execute("describe main.dim_event").fetchall()]

    freshness = manifest["freshness"]
    assert freshness["batch_id"] == "20261129T000000Z"
    sources = freshness["sources"]
    assert sources["open_wire"]["stale"] is True and sources["open_wire"]["last_successful_batch_id"] == BATCH
    assert sources["partner_sheet"] == {
        "last_successful_batch_id": "20261129T000000Z",
        "last_batch_night": "2026-11-29",
        "last_loaded_at": "2026-11-29T01:02:03",
        "records_loaded": 5,
        "records_quarantined": 1,
        "records_in_warehouse": 6,
        "stale": False,
    }
    assert set(sources) == {"open_wire", "partner_sheet", "sentinel_secret_partner", "sentinel_unlisted_feed"}

    dbt = manifest["dbt"]
    assert (dbt["invocation_id"], dbt["dbt_version"], dbt["elapsed_seconds"]) == (
        "0f0e0d0c-test-invocation",
        "1.11.16",
        4.25,
    )
    assert dbt["counts"] == {"pass": 1, "success": 1, "warn": 1}
    assert dbt["warnings"] == [
        {
            "node": "test.hrdw.accepted_values_dim_event_x",
            "status": "warn",
            "message": "Got 2 results, configured to warn if != 0",
        }
    ]
    assert manifest["code_version"] and manifest["code_version"] != "unknown"

    changes = json.loads((folder / "changelog.json").read_text())
    assert changes["previous_snapshot"] is None and changes["counts"]["added"] == 10
    assert "First snapshot" in (folder / "CHANGELOG.md").read_text()


def test_changelog_lists_added_changed_removed_and_merged_events(home):
    first = publish(RUN_TIME)
    rows = scenario()
    events = {event["event_id"]: event for event in rows["dim_event"]}
    events["ev_public_active"]["title"] = "Journalist detained in Bishkek, released after 8 hours"
    events["ev_public_active"]["source_record_count"] = 2
    events["ev_public_open"]["first_loaded_at"] = dt.datetime(2026, 11, 30)  # run metadata: not a change
    added = dict(events["ev_public_open"], event_id="ev_new", title="A new event")
    del events["ev_sentinel_no_status"]  # removed
    del events["ev_sentinel_unlisted"]  # merged into ev_public_active
    rows["dim_event"] = [*events.values(), added]
    for actor in rows["dim_actor"]:
        actor["_events"] = [event for event in actor["_events"] if event in events]
    rows["event_id_redirects"].append(
        {"retired_event_id": "ev_sentinel_unlisted", "current_event_id": "ev_public_active"}
    )
    write_home(home, rows)
    second = publish(RUN_TIME + DAY)

    changes = json.loads((second.path / "changelog.json").read_text())
    assert changes["previous_snapshot"] == first.snapshot_id
    assert [item["event_id"] for item in changes["added"]] == ["ev_new"]
    assert changes["changed"] == [
        {
            "event_id": "ev_public_active",
            "fields": ["title", "source_record_count"],
            "before": {"title": "Journalist detained in Bishkek", "source_record_count": 1},
            "after": {"title": "Journalist detained in Bishkek, released after 8 hours", "source_record_count": 2},
        }
    ]
    assert [item["event_id"] for item in changes["removed"]] == ["ev_sentinel_no_status"]
    assert changes["merged"] == [{"retired_event_id": "ev_sentinel_unlisted", "current_event_id": "ev_public_active"}]
    assert changes["counts"] == {"added": 1, "changed": 1, "removed": 1, "merged": 1}
    assert second.manifest["changelog"]["counts"] == changes["counts"]
    markdown = (second.path / "CHANGELOG.md").read_text()
    assert f"Compared with the previous snapshot `{first.snapshot_id}`" in markdown
    assert "`ev_sentinel_unlisted` → `ev_public_active`" in markdown
    assert "title: Journalist detained in Bishkek → Journalist detained in Bishkek, released after 8 hours;" in markdown
    # The public changelog sees public events only: the new one and the change; nothing withheld.
    public = json.loads((second.public_path / "changelog.json").read_text())
    assert public["counts"] == {"added": 1, "changed": 1, "removed": 0, "merged": 0}


FAILED_BUILDS = [
    [("model.hrdw.dim_event", "success", "OK"), ("test.hrdw.not_null_dim_event_event_id", "fail", "Got 3 results")],
    [("model.hrdw.dim_actor", "error", "Binder Error: column x not found")],
    None,  # no run_results.json at all
]


def test_quality_gate_refuses_a_failed_build_and_latest_stays(home):
    good = publish(RUN_TIME)
    root = home / "snapshots"
    for results in FAILED_BUILDS:
        if results is None:
            (home / "dbt" / "target" / "run_results.json").unlink()
        else:
            write_run_results(home, results)
        with pytest.raises(QualityGateError) as refusal:
            publish(RUN_TIME + DAY)
        if results:
            assert results[-1][0] in str(refusal.value)
        assert (root / "LATEST").read_text().strip() == good.snapshot_id
        assert (root / "latest").resolve() == good.path
        assert {path.name for path in root.iterdir() if not path.name.startswith(".")} == {
            good.snapshot_id,
            "LATEST",
            "latest",
        }


# Build-log rows written after the checked build (invocation id, finished, command, selection, hours
# the writer's clock was behind), the invocation whose run_results.json is on disk afterwards (None:
# still the checked build's), and the words the refusal must say.
UNPROVEN_BUILDS = [
    # killed (or still running) after writing some marts: the old run_results.json is still there
    ([("a1b2c3-killed-build", False, "build", "", 0)], None, "a1b2c3-killed-build .* never finished"),
    # ... by a process whose clock or time zone is behind: the log's order is its own, not the clock's
    ([("b2c3d4-killed-elsewhere", False, "run", "", 10)], None, "b2c3d4-killed-elsewhere"),
    # a later build finished but its results were not written (killed between the hook and the file)
    ([("d4e5f6-later-build", True, "build", "", 0)], None, "d4e5f6-later-build"),
    # an operator's partial `dbt run` rewrote some marts after the checked build
    ([("0a0b0c-partial-run", True, "run", "", 0)], None, "0a0b0c-partial-run"),
    # results on disk, but the build was killed before its end hook: not known to have finished
    ([("e5f6a7-unended", False, "build", "", 0)], "e5f6a7-unended", "e5f6a7-unended started at .* never finished"),
    # a finished build of part of the project: its tests covered only that part
    ([("f6a7b8-narrow", True, "build", "select:dim_event", 0)], "f6a7b8-narrow", "not a whole dbt build"),
]


@pytest.mark.parametrize(("later", "results_of", "said"), UNPROVEN_BUILDS)
def test_quality_gate_refuses_marts_that_the_checked_build_did_not_write(home, later, results_of, said):
    """A publish after a killed build must not pass on the previous build's results (issue 15.2)."""
    good = publish(RUN_TIME)
    for invocation_id, finished, command, selection, behind in later:
        write_build_log(
            home / "warehouse.duckdb",
            invocation_id,
            finished=finished,
            command=command,
            selection=selection,
            clock_behind_hours=behind,
        )
    if results_of:
        write_run_results(home, invocation_id=results_of)
    with pytest.raises(QualityGateError, match=said):
        publish(RUN_TIME + DAY)
    assert (home / "snapshots" / "LATEST").read_text().strip() == good.snapshot_id
    assert not [path for path in (home / "snapshots").iterdir() if path.name.endswith(".partial")]


def test_the_manifest_names_the_build_it_publishes(home):
    snapshot = publish(RUN_TIME)
    build = snapshot.manifest["dbt"]["build"]
    assert snapshot.manifest["dbt"]["invocation_id"] == "0f0e0d0c-test-invocation"
    assert build["finished_at"] and build["sources_built"] == [] and build["source_notes"] == {}


def test_warnings_do_not_block_and_are_listed(home):
    write_run_results(home, [("test.hrdw.some_warning_test", "warn", "Got 1 result, configured to warn if != 0")])
    snapshot = publish(RUN_TIME)
    assert [item["node"] for item in snapshot.manifest["dbt"]["warnings"]] == ["test.hrdw.some_warning_test"]
    assert snapshot.manifest["dbt"]["failures"] == []


def test_a_failure_mid_publish_leaves_the_previous_snapshot_and_latest(home, monkeypatch):
    previous = publish(RUN_TIME)
    rows = scenario()
    rows["dim_event"][0]["title"] = "changed, so the next snapshot differs"
    write_home(home, rows)
    real_write_text = pathlib.Path.write_text
    written_before_failure = []

    def disk_full_at_the_manifest(self, data, *args, **kwargs):
        if self.name == "manifest.json" and self.parent.name.endswith(".partial"):
            written_before_failure.extend(path.name for path in self.parent.iterdir())
            raise OSError(28, "No space left on device (injected)")
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", disk_full_at_the_manifest)
    with pytest.raises(OSError, match="injected"):
        publish(RUN_TIME + DAY)
    monkeypatch.undo()

    assert "dim_event.parquet" in written_before_failure and "warehouse.duckdb" in written_before_failure
    root = home / "snapshots"
    assert (root / "LATEST").read_text().strip() == previous.snapshot_id
    assert (root / "latest").resolve() == previous.path
    assert [path.name for path in root.iterdir() if path.name.endswith(".partial")] == []
    assert snapshot_files_match_manifest(previous.path)


KILLED_PUBLISH = """
import datetime as dt, os, pathlib
real_rename = pathlib.Path.rename
def killed_at_the_rename(self, target):
    if self.name.endswith(".partial"):
        os._exit(137)  # like kill -9: no cleanup, no exception handlers
    return real_rename(self, target)
pathlib.Path.rename = killed_at_the_rename
from publish.snapshot import publish
publish(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
"""


def test_a_killed_publish_leaves_the_previous_snapshot_and_latest_and_is_cleaned_up(home):
    previous = publish(RUN_TIME)
    rows = scenario()
    rows["dim_event"][0]["title"] = "changed, so the next snapshot differs"
    write_home(home, rows)
    completed = subprocess.run([sys.executable, "-c", KILLED_PUBLISH], cwd=REPO, env=dict(os.environ), check=False)
    assert completed.returncode == 137
    root = home / "snapshots"
    leftover = root / ".20261130T000000Z.partial"
    assert (leftover / "manifest.json").is_file()  # killed with every file written, before the rename
    assert (root / "LATEST").read_text().strip() == previous.snapshot_id
    assert (root / "latest").resolve() == previous.path
    assert snapshot_files_match_manifest(previous.path)

    following = publish(RUN_TIME + 2 * DAY)
    assert not leftover.exists()
    assert (root / "LATEST").read_text().strip() == following.snapshot_id


def test_retention_keeps_the_newest_and_never_the_latest(home, monkeypatch):
    monkeypatch.setenv("HRDW_SNAPSHOT_RETENTION", "2")
    day3, day2, day1 = (publish(RUN_TIME + n * DAY) for n in (3, 2, 1))  # a backfill: latest is the oldest
    root = home / "snapshots"

    def snapshot_ids() -> set[str]:
        return {path.name for path in root.iterdir() if not path.name.startswith(".") and path.is_dir()} - {"latest"}

    assert snapshot_ids() == {day1.snapshot_id, day2.snapshot_id, day3.snapshot_id}
    assert (root / "LATEST").read_text().strip() == day1.snapshot_id
    day4 = publish(RUN_TIME + 4 * DAY)
    assert snapshot_ids() == {day3.snapshot_id, day4.snapshot_id}


def test_csv_cells_that_would_run_as_formulas_are_neutralised_and_parquet_keeps_the_truth(home):
    snapshot = publish(RUN_TIME)
    for folder in (snapshot.path, snapshot.public_path):
        event = next(row for row in csv_rows(folder / "dim_event.csv") if row["event_id"] == "ev_hostile")
        for column, value in HOSTILE.items():
            assert event[column] == "'" + value, (folder.name, column)
        assert event["longitude"] == "-70.6601" if folder == snapshot.path else "-70.7"  # a typed number stays
        actor = next(row for row in csv_rows(folder / "dim_actor.csv") if row["actor_id"] == "ac_hostile")
        assert (actor["display_name"], actor["organizations"], actor["name_variants"]) == (
            "'" + HOSTILE["title"],
            "'+1+1",
            "'@SUM(A1)",
        )
        parquet = next(
            row for row in pq.read_table(folder / "dim_event.parquet").to_pylist() if row["event_id"] == "ev_hostile"
        )
        assert {column: parquet[column] for column in HOSTILE} == HOSTILE
        con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
        title = con.execute("select title from dim_event where event_id = 'ev_hostile'").fetchone()[0]
        assert title == HOSTILE["title"]
        # And in general: no text cell of any CSV starts like a formula.
        manifest = json.loads((folder / "manifest.json").read_text())
        for info in manifest["tables"].values():
            text_columns = [column["name"] for column in info["columns"] if column["type"] == "VARCHAR"]
            for row in csv_rows(folder / info["csv"]["file"]):
                assert not [column for column in text_columns if row[column].startswith(CSV_FORMULA_PREFIXES)]


def test_same_content_twice_gives_the_same_checksums_and_files_and_an_empty_changelog(home):
    first = publish(RUN_TIME)
    rows = scenario()
    later = dt.datetime(2026, 11, 30, 2, 0, 0)
    for event in rows["dim_event"]:
        event["first_loaded_at"] = event["last_loaded_at"] = later
    for source in rows["dim_source"]:
        source["last_loaded_at"], source["last_batch_id"] = later, "20261130T000000Z"
    write_home(home, rows, batch="20261130T000000Z")  # run metadata differs, content does not
    second = publish(RUN_TIME + DAY)

    assert second.snapshot_id.split("-")[1] == first.snapshot_id.split("-")[1]
    assert second.manifest["content_sha256"] == first.manifest["content_sha256"]
    for variant in ("tables", "public"):
        one = first.manifest["tables"] if variant == "tables" else first.manifest["public"]["tables"]
        two = second.manifest["tables"] if variant == "tables" else second.manifest["public"]["tables"]
        assert {
            name: (info["content_sha256"], info["sha256"], info["csv"]["sha256"]) for name, info in one.items()
        } == {name: (info["content_sha256"], info["sha256"], info["csv"]["sha256"]) for name, info in two.items()}
    # The run metadata did change (so the equality above is not vacuous).
    assert (
        first.manifest["tables"]["dim_event"]["run_metadata"]["sha256"]
        != (second.manifest["tables"]["dim_event"]["run_metadata"]["sha256"])
    )
    assert second.manifest["changelog"]["counts"] == {"added": 0, "changed": 0, "removed": 0, "merged": 0}
    assert second.manifest["changelog"]["previous_snapshot"] == first.snapshot_id
    assert second.manifest["public"]["changelog"]["counts"] == {"added": 0, "changed": 0, "removed": 0, "merged": 0}
