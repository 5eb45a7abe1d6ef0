"""Publishing end to end: two full syncs (python -m hrdw.sync, real Airflow DAGs and dbt) of the
demo sources, the partner sheet carrying one extra row of hostile cell values, on two nights
with unchanged inputs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import run_sync, sync_env
from test_publish_marts import MART_COLUMNS
from test_publish_policy import every_value

from publish.tables import CSV_FORMULA_PREFIXES, RUN_METADATA

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e

# A partner row whose cells a spreadsheet would run as formulas (OWASP CSV injection payloads).
HOSTILE_ROW = {
    "Дата / Date": "01.02.2024",
    "Страна / Country": "Kyrgyzstan",
    "Город / City": "-2+3",
    "ФИО (кириллица)": "@SUM(A1)",
    "Name (Latin)": '=HYPERLINK("http://evil","x")',
    "Тип жертвы / Victim type": "\rЖурналист",
    "СМИ / Outlet": "+1+1",
    "Нарушение / Violation": "Угрозы / Threats",
    "Исполнитель / Perpetrator": "Неизвестно / Unknown",
    "Описание / Description": "\tleading tab in the description",
}
# Where those values land in the marts.
HOSTILE_CELLS = {
    ("dim_event", "city"): "-2+3",
    ("dim_event", "victim_names"): '=HYPERLINK("http://evil","x")',
    ("dim_actor", "display_name"): '=HYPERLINK("http://evil","x")',
    ("dim_actor", "organizations"): "+1+1",
    ("dim_actor", "actor_role"): "\rЖурналист",
    ("dim_actor", "original_script_names"): "@SUM(A1)",
    ("dim_event", "description"): "\tleading tab in the description",
}


def add_hostile_row(workbook_path: Path) -> None:
    """Insert a row above the sheet's total line, every cell stored as text (not as a formula)."""
    book = openpyxl.load_workbook(workbook_path)
    sheet = book["Инциденты"]
    header = [cell.value for cell in sheet[3]]
    total = next(row for row in range(4, sheet.max_row + 1) if sheet.cell(row, 1).value == "Итого / Total")
    sheet.insert_rows(total)
    sheet.cell(total, 1, 99)
    for name, value in HOSTILE_ROW.items():
        cell = sheet.cell(total, header.index(name) + 1, value)
        cell.data_type = "s"
    book.save(workbook_path)


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("publish_e2e")
    sources = base / "sources"
    shutil.copytree(REPO / "sources", sources)
    add_hostile_row(sources / "demo_data" / "partner_central_asia_incidents.xlsx")
    home = base / "home"
    first = run_sync(sync_env(home, sources), "2026-11-29")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    first_id = (home / "snapshots" / "LATEST").read_text().strip()
    second = run_sync(sync_env(home, sources), "2026-11-30")
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    second_id = (home / "snapshots" / "LATEST").read_text().strip()
    return {
        "home": home,
        "first": home / "snapshots" / first_id,
        "second": home / "snapshots" / second_id,
        "stdout": second.stdout,
    }


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_unchanged_inputs_give_the_same_content_and_files_and_an_empty_changelog(two_nights):
    first, second = manifest(two_nights["first"]), manifest(two_nights["second"])
    assert first["snapshot_id"] != second["snapshot_id"]  # another night, another snapshot
    assert first["snapshot_id"].split("-")[1] == second["snapshot_id"].split("-")[1]

    def checksums(tables: dict) -> dict:
        return {name: (info["content_sha256"], info["sha256"], info["csv"]["sha256"]) for name, info in tables.items()}

    assert checksums(second["tables"]) == checksums(first["tables"])
    assert checksums(second["public"]["tables"]) == checksums(first["public"]["tables"])
    assert (
        len(second["tables"]) == 11
        and second["tables"]["dim_event"]["rows"] == first["tables"]["dim_event"]["rows"] > 0
    )
    # The run metadata did change between the nights: it is kept apart, not compared.
    assert (
        first["tables"]["dim_event"]["run_metadata"]["sha256"]
        != second["tables"]["dim_event"]["run_metadata"]["sha256"]
    )
    assert second["changelog"]["previous_snapshot"] == first["snapshot_id"]
    assert second["changelog"]["counts"] == {"added": 0, "changed": 0, "removed": 0, "merged": 0}
    assert json.loads((two_nights["second"] / "changelog.json").read_text())["changed"] == []
    assert second["public"]["changelog"]["counts"] == {"added": 0, "changed": 0, "removed": 0, "merged": 0}
    assert "Since the previous snapshot: 0 added, 0 changed, 0 removed, 0 merged" in two_nights["stdout"]


def test_manifest_reports_freshness_and_the_dbt_build(two_nights):
    second = manifest(two_nights["second"])
    freshness = second["freshness"]
    assert freshness["batch_id"] == "20261130T000000Z"
    assert set(freshness["sources"]) == {
        "cpj_killed_export",
        "cpj_people_list",
        "partner_central_asia",
        "uwazi_hrd_events",
    }
    assert all(
        not info["stale"] and info["last_successful_batch_id"] == "20261130T000000Z"
        for info in freshness["sources"].values()
    )
    assert freshness["sources"]["partner_central_asia"]["records_quarantined"] == 1
    run_results = json.loads((two_nights["home"] / "dbt" / "target" / "run_results.json").read_text())
    assert second["dbt"]["invocation_id"] == run_results["metadata"]["invocation_id"]
    assert sum(second["dbt"]["counts"].values()) == len(run_results["results"])
    assert second["dbt"]["failures"] == [] and second["dbt"]["command"] == "build"


def test_run_metadata_is_declared_and_the_hand_made_marts_match_the_real_ones(two_nights):
    con = duckdb.connect(str(two_nights["home"] / "warehouse.duckdb"), read_only=True)
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts' "
        "order by table_name, ordinal_position"
    ).fetchall()
    run_like = {
        (table, column)
        for table, column, data_type in columns
        if data_type.startswith("TIMESTAMP") or column.endswith(("batch_id", "loaded_at"))
    }
    declared = {(table, column) for table, (_, names) in RUN_METADATA.items() for column in names}
    assert run_like <= declared
    real = {}
    for table, column, data_type in columns:
        real.setdefault(table, []).append(f"{column} {data_type}")
    assert {table: ", ".join(parts) for table, parts in real.items()} == MART_COLUMNS


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_hostile_partner_cells_are_neutralised_in_csv_and_true_in_parquet_and_duckdb(two_nights):
    folder = two_nights["second"]
    con = duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True)
    for (table, column), value in HOSTILE_CELLS.items():
        assert ["'" + value] == [
            row[column] for row in csv_rows(folder / f"{table}.csv") if row[column].endswith(value)
        ]
        assert value in pq.read_table(folder / f"{table}.parquet").column(column).to_pylist(), (table, column)
        assert con.execute(f"select count(*) from {table} where {column} = ?", [value]).fetchone()[0] >= 1
    for variant in (manifest(folder), manifest(folder)["public"]):
        base = folder if variant.get("snapshot_id") else folder / "public"
        for entry in variant["tables"].values():
            text_columns = [column["name"] for column in entry["columns"] if column["type"] == "VARCHAR"]
            for row in csv_rows(base / entry["csv"]["file"]):
                assert not [column for column in text_columns if row[column].startswith(CSV_FORMULA_PREFIXES)]


def test_public_variant_of_the_demo_follows_the_policy(two_nights):
    folder = two_nights["second"]
    policy = yaml.safe_load((REPO / "config" / "publication_policy.yml").read_text())
    internal = {row["event_id"]: row for row in pq.read_table(folder / "dim_event.parquet").to_pylist()}
    sources_of: dict[str, set[str]] = {}
    for row in pq.read_table(folder / "bridge_event_source_record.parquet").to_pylist():
        sources_of.setdefault(row["event_id"], set()).add(row["source_name"])
    yaml_publish = {
        row["source_name"]: row["publish"] for row in pq.read_table(folder / "dim_source.parquet").to_pylist()
    }
    rules = policy["sources"]
    publishable = {name for name, rule in rules.items() if rule["publish"] and yaml_publish.get(name)}
    status_free = {name for name in publishable if rules[name].get("publish_without_monitoring_status")}
    allowed = {status.lower() for status in policy["monitoring_status"]["allowed"]}
    withhold_on_conflict = policy["monitoring_status"].get("withhold_on_conflict", True)
    expected = {
        event_id
        for event_id, event in internal.items()
        if event["published_in_all_sources"]
        and sources_of[event_id] <= publishable
        and not (withhold_on_conflict and "monitoring_status" in (event["conflicting_fields"] or "").split("|"))
        and (
            (event["monitoring_status"] or "").strip().lower() in allowed
            or (not (event["monitoring_status"] or "").strip() and sources_of[event_id] <= status_free)
        )
    }
    public = {row["event_id"]: row for row in pq.read_table(folder / "public" / "dim_event.parquet").to_pylist()}
    assert set(public) == expected and 0 < len(expected) < len(internal)
    assert manifest(folder)["public"]["public_events"] == len(expected)
    for row in public.values():
        for column in ("latitude", "longitude"):
            if row[column] is not None:
                assert abs(row[column] * 10 - round(row[column] * 10)) < 1e-9
    # Nothing of the withheld partner source, and no internal description, in any public file.
    descriptions = {
        row["description"] for row in internal.values() if row["description"] and len(row["description"]) > 15
    }
    summaries = {row["summary_for_publication"] for row in internal.values()}
    withheld_texts = (descriptions - summaries) | {"partner_central_asia", "partner_central_asia_incidents.xlsx"}
    assert len(withheld_texts) > 10
    found = [(name, text) for name, text in every_value(folder / "public") if any(t in text for t in withheld_texts)]
    assert found == []
