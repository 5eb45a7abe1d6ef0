"""End to end: the real DAGs (DAG.test) and real dbt on the demo sources into a temporary HRDW_HOME."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import run_sync, sync_env

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    home = tmp_path_factory.mktemp("e2e") / "home"
    umask = os.umask(0o022)  # started as on most machines: the sync must not rely on a strict umask
    try:
        completed = run_sync(sync_env(home))
    finally:
        os.umask(umask)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return home, completed


def query(parquet_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in parquet_dir.glob("*.parquet"):
        con.execute(f"create view {table.stem} as select * from read_parquet('{table}')")
    return con.execute(sql).fetchall()


def test_summary_reports_landing_quarantine_marts_and_snapshot(synced):
    home, completed = synced
    out = completed.stdout
    dag_lines = out.split("DAG runs:", 1)[1].split("Records landed", 1)[0].split()
    states = dict(zip(dag_lines[0::3], dag_lines[1::3], strict=True))
    assert states == {
        dag_id: "success"
        for dag_id in (
            "ingest_cpj_killed_export",
            "ingest_cpj_people_list",
            "ingest_partner_central_asia",
            "ingest_uwazi_hrd_events",
            "build_warehouse",
            "publish_snapshot",
        )
    }
    assert "partner_central_asia" in out and "9 landed" in out and "1 quarantined" in out
    assert "Rows quarantined: 1" in out
    assert "Marts:" in out and "events" in out and "violations" in out and "actors" in out
    snapshot_id = (home / "snapshots" / "LATEST").read_text().strip()
    assert f"Snapshot: {home / 'snapshots' / snapshot_id}" in out
    assert "import duckdb" in out


def test_snapshot_has_every_mart_with_matching_checksums(synced):
    home, _ = synced
    latest = home / "snapshots" / "latest"
    assert latest.is_symlink() and latest.resolve().name == (home / "snapshots" / "LATEST").read_text().strip()
    manifest = json.loads((latest / "manifest.json").read_text())
    expected = {
        "dim_event",
        "dim_actor",
        "dim_violation_type",
        "dim_country",
        "dim_source",
        "fct_violation",
        "bridge_event_source_record",
    }
    assert expected <= set(manifest["tables"])
    for name, info in manifest["tables"].items():
        data = (latest / info["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name
        assert query(latest, f"select count(*) from {name}")[0][0] == info["rows"], name


def test_seed_event_is_published_with_its_attributes(synced):
    home, _ = synced
    latest = home / "snapshots" / "latest"
    rows = query(
        latest,
        "select event_id, country_code, event_date::varchar, victim_names, violation_type_codes, perpetrator_type, "
        "monitoring_status from dim_event where victim_names like '%Radio Azattyk%'",
    )
    assert len(rows) == 1
    event_id, country, date, victims, violation_types, perpetrator, status = rows[0]
    assert (country, date, perpetrator, status) == ("KG", "2020-10-06", "non_state", "Pending")
    assert "Radio Azattyk" in victims.split(" | ")
    assert set(violation_types.split("|")) == {"threats", "online_harassment"}
    violations = query(
        latest, f"select violation_type_code from fct_violation where event_id = '{event_id}' order by 1"
    )
    assert violations == [("online_harassment",), ("threats",)]
    labels = dict(query(latest, "select violation_type_code, violation_type_label from dim_violation_type"))
    assert labels["threats"] == "Intimidation and threats"
    assert labels["online_harassment"] == "Online attack and harassment"


def test_labels_places_and_placeholders_read_as_one_vocabulary(synced):
    """Issue 16: the partner's labels, mapped in its YAML only, leave nothing unmapped (the
    manifest lists what would be, per source); roles, places and placeholder names are normalised."""
    home, _ = synced
    latest = home / "snapshots" / "latest"
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["unmapped_labels"]["sources"] == {}
    assert query(latest, "select count(*) from fct_violation where violation_type_code = 'unclassified'") == [(0,)]
    roles = dict(
        query(latest, "select actor_role, actor_role_code from dim_actor where actor_kind <> 'perpetrator_group'")
    )
    assert (roles["Журналист"], roles["Journalist"], roles["Правозащитник / HRD"]) == (
        "journalist",
        "journalist",
        "hrd",
    )
    places = set(query(latest, "select city, city_original, admin1 from dim_event"))
    assert ("Bishkek", "Бишкек", "Bishkek") in places and ("Kara-Suu", "Kara-Suu", "Osh Region") in places
    assert (None, "an unknown place", None) in places and (None, "Unknown", None) in places
    assert not {city for city, _, _ in places} & {"Unknown", "an unknown place", "Place of death unknown"}
    unnamed = dict(query(latest, "select display_name, is_anonymous from dim_actor where actor_kind = 'person'"))
    assert unnamed["Unidentified"] and unnamed["Ahmad [full name unavailable]"] and not unnamed["Ahmad Omaid Khpalwak"]


def test_coordinates_carry_their_precision(synced):
    """The seed record's pin (14 decimals) is a point; a demo event pinned at Almaty's centre is a place."""
    home, _ = synced
    latest = home / "snapshots" / "latest"
    precision = dict(
        query(
            latest,
            "select case when victim_names like '%Radio Azattyk%' then 'seed' else title end, coordinates_precision "
            "from dim_event where latitude is not null",
        )
    )
    assert precision["seed"] == "point"
    assert precision["Kazakhstan: lawyer detained after defending protesters (fictional demo)"] == "place"


def test_incident_in_cpj_and_partner_sheet_is_one_event_with_two_source_records(synced):
    home, _ = synced
    latest = home / "snapshots" / "latest"
    events = query(latest, "select event_id from dim_event where victim_names = 'Ernis Nazalov'")
    assert len(events) == 1
    records = query(
        latest,
        "select source_name, source_record_id, source_file, source_row from bridge_event_source_record "
        f"where event_id = '{events[0][0]}' order by source_name",
    )
    assert records == [
        ("cpj_killed_export", "Ernis Nazalov|2003|Kyrgyzstan", "cpj_killed_export_excerpt.csv", 11),
        ("partner_central_asia", "1", "partner_central_asia_incidents.xlsx", 1),
    ]


def test_malformed_row_is_in_quarantine_with_its_reason(synced):
    home, _ = synced
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "select source_name, source_file, source_row, reason from staging.stg_hrdw_ops__quarantined_rows"
    ).fetchall()
    assert rows == [
        (
            "partner_central_asia",
            "partner_central_asia_incidents.xlsx",
            9,
            "missing required value(s): event_date ('Дата / Date'), country ('Страна / Country'), "
            "victim_name ('Name (Latin)'), violations ('Нарушение / Violation')",
        )
    ]


def test_every_landed_row_is_staged_or_quarantined(synced):
    home, _ = synced
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    for report_path in sorted((home / "landing").glob("*/*/load_report.json")):
        report = json.loads(report_path.read_text())
        source = report["source"]
        staged = con.execute(
            "select count(*) from intermediate.int_reports_conformed where source_name = ?", [source]
        ).fetchone()[0]
        quarantined = con.execute(
            "select count(*) from raw._quarantine where _source = ? and _batch_id = ?", [source, report["batch_id"]]
        ).fetchone()[0]
        landed = report["loaded"] + report["quarantined"]
        assert landed == staged + quarantined, source


def test_same_journalist_detained_twice_is_two_events_and_one_actor(synced):
    home, _ = synced
    latest = home / "snapshots" / "latest"
    events = query(latest, "select count(*) from dim_event where victim_names = 'Nurlan Abdyldaev'")
    actors = query(latest, "select event_count from dim_actor where display_name = 'Nurlan Abdyldaev'")
    assert events == [(2,)] and actors == [(2,)]


def test_every_file_the_sync_wrote_is_private_to_its_user(synced):
    """Started with umask 022, the sync leaves nothing its group or others may read: landing, the
    warehouse, dbt's target and logs, Airflow's home, metadata database and task logs, the sync log
    and every snapshot, public variant included. Only the dbt project's working copy keeps the
    modes of the repository files it copies (models and seeds, no records), inside the 0700 home."""
    home, _ = synced
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    copied_code = home / "dbt" / "project"
    loose = [
        f"{stat.S_IMODE(path.lstat().st_mode):o} {path.relative_to(home)}"
        for path in home.rglob("*")
        if not path.is_symlink()
        and stat.S_IMODE(path.lstat().st_mode) & 0o077
        and copied_code not in (path, *path.parents)
    ]
    assert loose == []
    written = {path.relative_to(home).parts[0] for path in home.rglob("*") if path.is_file()}
    assert {"landing", "warehouse.duckdb", "dbt", "airflow", "logs", "snapshots"} <= written
    assert (home / "airflow" / "airflow.db").is_file() and (home / "airflow" / "logs").is_dir()
    assert list((home / "snapshots").glob("*/public/manifest.json"))


def test_every_model_and_column_is_documented(synced):
    home, _ = synced
    manifest = json.loads((home / "dbt" / "target" / "manifest.json").read_text())
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    checked = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] not in {"model", "seed"} or node["package_name"] != "hrdw":
            continue
        assert node["description"].strip(), f"{node['name']} has no description"
        actual = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [node["schema"], node["alias"]],
            ).fetchall()
        ]
        documented = {name: column["description"] for name, column in node["columns"].items()}
        assert sorted(documented) == sorted(actual), node["name"]
        assert all(description.strip() for description in documented.values()), node["name"]
        checked += 1
    assert checked >= 20


def test_history_and_stable_ids_over_successive_syncs(synced, tmp_path):
    """After the first night (a copy of the `synced` home), sync again after the seed record's
    monitoring status moves from Pending to Active and a new report of an existing event arrives:
    both versions are in the snapshot, and every event keeps its id."""
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    home = tmp_path / "home"
    shutil.copytree(synced[0], home, symlinks=True)
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    ids_before = dict(con.execute("select report_id, event_id from marts.bridge_event_source_record").fetchall())
    con.close()

    export = sources / "demo_data" / "uwazi_hrd_events_export.csv"
    text = export.read_text(encoding="utf-8")
    assert text.count(",Pending,") == 2
    text = text.replace(",Pending,42.88654926606721", ",Active,42.88654926606721")
    # The export has no Victim column: the late report names its victim in its description, as the demo rows do.
    late_report = (
        '"Kyrgyzstan: Saipov killing recalled (fictional demo)",2021-10-24,Event,Kyrgyzstan,2007-10-24,'
        '"Late report of a killing already known: journalist Alisher Saipov was shot dead in Osh.",'
        "1,Man,Killing,Media freedom,Journalist,,Unknown,,Active,40.5283|72.7985,,,,Published\n"
    )
    export.write_text(text + late_report, encoding="utf-8")
    second = run_sync(sync_env(home, sources), "2026-11-30")
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    ids_after = dict(con.execute("select report_id, event_id from marts.bridge_event_source_record").fetchall())
    assert {report: ids_after[report] for report in ids_before} == ids_before
    seed_event = ids_before[
        "uwazi_hrd_events:Kyrgyzstan: media outlet website, social media target of online harassment|2020-10-08"
    ]
    versions = con.execute(
        "select monitoring_status, dbt_valid_to is null from snapshots.snap_dim_event where event_id = ? "
        "order by dbt_valid_from",
        [seed_event],
    ).fetchall()
    assert versions == [("Pending", False), ("Active", True)]
    saipov = [report for report, event in ids_after.items() if report.startswith("uwazi_hrd_events:Kyrgyzstan: Saipov")]
    assert len(saipov) == 1
    assert ids_after[saipov[0]] == ids_before["partner_central_asia:2"]  # the late report joined the known event


def test_the_projects_dbt_unit_tests_pass(synced, tmp_path, monkeypatch):
    """dbt's unit tests (matching rules, ids, dates) test the project's code, not a night's data:
    the nightly build leaves them out, and they run here, against the built warehouse."""
    import yaml

    from hrdw import dbt

    home = tmp_path / "home"  # a copy: the run rewrites dbt's target folder
    shutil.copytree(synced[0], home, symlinks=True)
    monkeypatch.setenv("HRDW_HOME", str(home))
    declared = sum(
        len(yaml.safe_load(path.read_text()).get("unit_tests") or [])
        for path in (REPO / "dbt_project" / "models").rglob("_*__*.yml")
    )
    result = dbt.run_dbt(home / "dbt" / "project", ["test", "--select", "test_type:unit"])
    assert result.ok, "\n".join(result.failures) + result.output_tail
    assert declared > 0 and result.counts.get("pass") == declared  # (and the two hooks: "success")
