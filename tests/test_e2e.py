"""End to end: the real DAGs (DAG.test) and real dbt on the demo sources into a temporary HRDW_HOME.

One demo night (``demo_night``: the partner sheet carries one extra row of hostile cell values, its
row 9) is read by every test here; the history test and the publishing tests (second half) each
run the next night on a copy of its home. One file, so that one pytest-xdist worker runs the
first night once."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import run_sync, sync_env
from report_page import read_report
from test_publish_marts import MART_COLUMNS
from test_publish_policy import every_value

from publish.tables import CSV_FORMULA_PREFIXES, RUN_METADATA

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e
SOURCES = ("cpj_killed_export", "cpj_people_list", "partner_central_asia", "uwazi_hrd_events")  # the demo's

# A partner row whose cells a spreadsheet would run as formulas (OWASP CSV injection payloads),
# added to the demo night's partner sheet (HOSTILE_CELLS: where they land in the marts).
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
def demo_night(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """One real nightly sync of the bundled demo sources (the partner sheet with the hostile row)
    into a fresh HRDW_HOME, started with umask 022 as on most machines. Every test of this file
    reads it; copy ``home`` before running anything that writes."""
    root = tmp_path_factory.mktemp("demo_night")
    home, sources = root / "home", root / "sources"
    shutil.copytree(REPO / "sources", sources)
    add_hostile_row(sources / "demo_data" / "partner_central_asia_incidents.xlsx")
    umask = os.umask(0o022)  # the sync must not rely on a strict umask
    try:
        completed = run_sync(sync_env(home, sources, HRDW_DOCS_SITE="1"))
    finally:
        os.umask(umask)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return SimpleNamespace(home=home, sources=sources, completed=completed)


@pytest.fixture(scope="module")
def synced(demo_night) -> tuple[Path, subprocess.CompletedProcess]:
    return demo_night.home, demo_night.completed


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
    assert "partner_central_asia" in out and "10 landed" in out and "1 quarantined" in out
    assert "Rows quarantined: 1" in out
    assert "Marts:" in out and "events" in out and "violations" in out and "actors" in out
    snapshot_id = (home / "snapshots" / "LATEST").read_text().strip()
    assert f"Snapshot: {home / 'snapshots' / snapshot_id}" in out
    assert f"{home / 'snapshots' / snapshot_id}/public/report.html" in out
    # the demo partner has no publication agreement recorded: withheld, and the summary says by whom
    assert "withheld source partner_central_asia: publication_policy.yml says publish: false" in out
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
        query(
            latest,
            "select actor_role_source_label, actor_role_code from dim_actor where actor_kind <> 'perpetrator_group'",
        )
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


def test_values_read_in_one_vocabulary_and_every_event_titled(synced):
    """Issue 19, point 6: every event has a title (built from its fields when no source gave one);
    actor_role is one vocabulary's label whatever the source wrote (Журналист, Journalist); the
    labels naming one perpetrator category in two languages are one perpetrator actor."""
    home, _ = synced
    latest = home / "snapshots" / "latest"
    assert query(latest, "select count(*) from dim_event where title is null or trim(title) = ''") == [(0,)]
    built = dict(query(latest, "select event_id, title from dim_event where title_is_built"))
    given = query(latest, "select count(*) from dim_event where not title_is_built")[0][0]
    assert built and given >= 1
    nazalov = query(latest, "select title from dim_event where victim_names = 'Ernis Nazalov'")
    assert nazalov == [("Killing: Ernis Nazalov, Kara-Suu, Kyrgyzstan (2003-09-15)",)]
    roles = query(
        latest,
        "select actor_role_source_label, actor_role from dim_actor "
        "where actor_role_source_label in ('Журналист', 'Journalist', 'Правозащитник / HRD', 'СМИ / Media outlet')",
    )
    assert dict(roles) == {
        "Журналист": "Journalist",
        "Journalist": "Journalist",
        "Правозащитник / HRD": "Human rights defender",
        "СМИ / Media outlet": "Media outlet",
    }
    vocabulary = {
        row["victim_role_label"] for row in csv.DictReader((REPO / "dbt_project/seeds/victim_roles.csv").open())
    }
    vocabulary |= {
        row["perpetrator_type_label"]
        for row in csv.DictReader((REPO / "dbt_project/seeds/perpetrator_types.csv").open())
    }
    assert {
        role for (role,) in query(latest, "select distinct actor_role from dim_actor where actor_role is not null")
    } <= vocabulary
    seed_perpetrators = query(
        latest,
        "select a.display_name, a.name_variants from dim_event as e "
        "join bridge_event_actor as b using (event_id) join dim_actor as a using (actor_id) "
        "where e.country_code = 'KG' and e.event_date = date '2020-10-06' and b.involvement = 'perpetrator'",
    )
    assert seed_perpetrators == [("Non-state actor", "Non-state | Негосударственный / Non-state")]
    named = {
        name for (name,) in query(latest, "select display_name from dim_actor where actor_kind = 'perpetrator_group'")
    }
    assert {"Police", "Government Officials", "Paramilitary Group"} <= named  # named groups stay themselves


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
            10,  # the total line, below the hostile row
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
    and every snapshot, public variant included, and the dbt working copy's generated files (its
    links point at the repository's project, which holds no records)."""
    home, _ = synced
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    loose = [
        f"{stat.S_IMODE(path.lstat().st_mode):o} {path.relative_to(home)}"
        for path in home.rglob("*")
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077
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


def comments(database: Path) -> dict[tuple[str, str | None], str | None]:
    """(table, None) -> the table's comment and (table, column) -> the column's, of a DuckDB file."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute("select table_name, comment from duckdb_tables() where schema_name = 'main'").fetchall()
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where database_name = current_database() and schema_name = 'main'"
        ).fetchall()
    finally:
        con.close()
    return {(table, None): comment for table, comment in tables} | {
        (table, column): comment for table, column, comment in columns
    }


def test_a_data_dictionary_travels_with_the_snapshot_and_its_public_variant(synced):
    """Issue 19, point 1: every table and column of both DuckDB files carries its description as a
    comment, the manifests carry the same, dictionary.html lists them, and dbt's documentation site
    of the build is in the internal snapshot only; the public variant describes what it holds."""
    home, _ = synced
    snapshot = home / "snapshots" / "latest"
    dbt_manifest = json.loads((home / "dbt" / "target" / "manifest.json").read_text())
    written = {node["name"]: node for node in dbt_manifest["nodes"].values() if node["resource_type"] == "model"}
    for folder in (snapshot, snapshot / "public"):
        manifest = json.loads((folder / "manifest.json").read_text())
        tables = manifest["tables"]
        found = comments(folder / "warehouse.duckdb")
        assert {table for table, _ in found} == set(tables), folder
        assert all(found.values()), [key for key, comment in found.items() if not comment]
        page = html.unescape((folder / "dictionary.html").read_text(encoding="utf-8"))
        assert manifest["dictionary"]["sha256"] == hashlib.sha256((folder / "dictionary.html").read_bytes()).hexdigest()
        for table, entry in tables.items():
            model = written[table]
            assert entry["description"] == found[(table, None)] == model["description"].strip()
            assert f"{table}</code></h2><p>{model['description'].strip()}" in page
            for column in entry["columns"]:
                documented = model["columns"][column["name"]]["description"].strip()
                assert found[(table, column["name"])].startswith(documented)
                assert column["description"] == found[(table, column["name"])]
                assert column["description"] in page
    public = json.loads((snapshot / "public" / "manifest.json").read_text())
    assert "review_queue" not in public["tables"] and "review_queue" not in (
        snapshot / "public" / "dictionary.html"
    ).read_text(encoding="utf-8")
    latitude = next(column for column in public["tables"]["dim_event"]["columns"] if column["name"] == "latitude")
    assert "rounded to a grid of 0.1 degrees" in latitude["description"]
    site = json.loads((snapshot / "manifest.json").read_text())["docs_site"]
    assert site["file"] == "docs/index.html" and (snapshot / "docs" / "index.html").is_file()
    text = (snapshot / "docs" / "index.html").read_text(encoding="utf-8")
    assert "model.hrdw.dim_event" in text and '"catalog"' not in text[:100]
    assert site["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert not (snapshot / "public" / "docs").exists()


def test_make_docs_writes_the_documentation_site_on_a_fresh_home(tmp_path):
    """`make docs` needs no warehouse and no build: the site is generated from the project's files."""
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.docs"],
        cwd=REPO,
        env=sync_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    site = home / "docs" / "index.html"
    assert str(site) in done.stdout
    text = site.read_text(encoding="utf-8")
    assert "model.hrdw.dim_event" in text and "Stable event id" in text
    assert stat.S_IMODE(site.stat().st_mode) == 0o600
    assert sorted(path.name for path in home.iterdir()) == ["docs"]  # no warehouse, no leftovers


FLAT_EVENT_COLUMNS = [
    "event_id", "event_date", "event_date_precision", "event_year", "country_code", "country_name", "admin1", "city",
    "latitude", "longitude", "coordinates_precision", "title", "violation_types", "violation_type_codes",
    "perpetrator_type", "perpetrator_names", "victim_names", "victim_count", "victim_categories", "fatalities",
    "source_count", "source_names", "monitoring_status", "summary_for_publication",
]  # fmt: skip


def xlsx_rows(path: Path) -> tuple[list[str], list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    strings_only = all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert strings_only, f"{path.name}: a cell is a formula"
    return list(header), rows


def test_flat_exports_one_row_per_event_and_per_victim_and_violation(synced):
    """Issue 19, point 2: flat_events (ACLED-like, one row per event) and flat_victim_violations
    (one row per victim and violation) as CSV, Parquet and XLSX, full and public."""
    home, _ = synced
    latest = home / "snapshots" / "latest"
    events = pq.read_table(latest / "flat_events.parquet")
    assert events.column_names == [*FLAT_EVENT_COLUMNS, "description"]
    assert sorted(events.column("event_id").to_pylist()) == sorted(
        pq.read_table(latest / "dim_event.parquet").column("event_id").to_pylist()
    )
    by_id = {row["event_id"]: row for row in events.to_pylist()}
    seed = next(row for row in by_id.values() if row["country_code"] == "KG" and str(row["event_date"]) == "2020-10-06")
    assert (seed["country_name"], seed["city"], seed["violation_types"]) == (
        "Kyrgyzstan",
        "Bishkek",
        "Intimidation and threats | Online attack and harassment",
    )
    assert (seed["perpetrator_names"], seed["victim_names"], seed["victim_categories"]) == (
        "Non-state actor",
        "Radio Azattyk",
        "Media outlet",
    )
    assert (seed["fatalities"], seed["source_count"], seed["monitoring_status"]) == (0, 2, "Pending")
    nazalov = next(row for row in by_id.values() if row["victim_names"] == "Ernis Nazalov")
    assert nazalov["fatalities"] == 1 and nazalov["violation_types"] == "Killing"
    violations = pq.read_table(latest / "flat_victim_violations.parquet")
    assert violations.num_rows == pq.read_table(latest / "fct_violation.parquet").num_rows
    header, rows = xlsx_rows(latest / "flat_events.xlsx")
    assert header == events.column_names and len(rows) == events.num_rows
    with (latest / "flat_events.csv").open(newline="", encoding="utf-8") as handle:
        csv_ids = [row["event_id"] for row in csv.DictReader(handle)]
    assert [row[0] for row in rows] == csv_ids  # the same order as the CSV
    hostile = HOSTILE_CELLS[("dim_event", "victim_names")]
    assert any(hostile in row for row in rows)  # kept as text, and no cell is a formula (xlsx_rows)
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["tables"]["flat_events"]["xlsx"]["file"] == "flat_events.xlsx"
    assert "xlsx" not in manifest["tables"]["dim_event"]
    public = latest / "public"
    public_events = pq.read_table(public / "flat_events.parquet")
    assert public_events.column_names == FLAT_EVENT_COLUMNS  # no internal description
    assert sorted(public_events.column("event_id").to_pylist()) == sorted(
        pq.read_table(public / "dim_event.parquet").column("event_id").to_pylist()
    )
    public_header, public_rows = xlsx_rows(public / "flat_victim_violations.xlsx")
    assert "victim_gender" not in public_header and "victim_gender" in violations.column_names
    assert len(public_rows) == pq.read_table(public / "fct_violation.parquet").num_rows


def test_sdg_16_10_1_counts_each_person_once_and_verifies_by_independent_organisations(synced):
    """Issue 19, point 3: the indicator's cases, recounted here from the flat export and the seeds:
    one case per person, act and event; verified when organisations (not files) agree: the two
    CPJ files are one organisation, CPJ and the partner sheet are two."""
    home, _ = synced
    latest = home / "snapshots" / "latest"

    def seed(name: str, key: str, value: str) -> dict[str, str]:
        with (REPO / "dbt_project" / "seeds" / f"{name}.csv").open(encoding="utf-8") as handle:
            return {row[key]: row[value] for row in csv.DictReader(handle)}

    acts = seed("sdg_16_10_1_acts", "violation_type_code", "sdg_act")
    groups = seed("sdg_16_10_1_victim_groups", "victim_role", "sdg_victim_group")
    actors = {row["actor_id"]: row for row in pq.read_table(latest / "dim_actor.parquet").to_pylist()}
    organisations = {
        row["source_name"]: row["organization"] for row in pq.read_table(latest / "dim_source.parquet").to_pylist()
    }
    assert organisations["cpj_killed_export"] == organisations["cpj_people_list"] == "CPJ"
    reporters: dict[str, set[str]] = {}
    for row in pq.read_table(latest / "bridge_event_source_record.parquet").to_pylist():
        reporters.setdefault(row["event_id"], set()).add(organisations[row["source_name"]])
    cases = {
        (row["event_id"], row["victim_id"], acts[row["violation_type_code"]])
        for row in pq.read_table(latest / "flat_victim_violations.parquet").to_pylist()
        if row["violation_type_code"] in acts
        and actors[row["victim_id"]]["actor_kind"] == "person"
        and actors[row["victim_id"]]["actor_role_code"] in groups
    }
    verified = {case for case in cases if len(reporters[case[0]]) >= 2}
    cells = pq.read_table(latest / "fct_sdg_16_10_1.parquet").to_pylist()
    assert sum(cell["verified_cases"] for cell in cells) == len(verified) > 0
    assert sum(cell["verified_cases"] + cell["unverified_cases"] for cell in cells) == len(cases)
    assert {cell["sdg_victim_group"] for cell in cells} == {groups[actors[a]["actor_role_code"]] for _, a, _ in cases}
    # Ernis Nazalov (CPJ and the partner sheet): a verified killing; a CPJ-only killing is not.
    nazalov = [c for c in cells if (c["event_year"], c["country_code"], c["sdg_act"]) == (2003, "KG", "killing")]
    assert [(c["verified_cases"], c["unverified_cases"]) for c in nazalov] == [(1, 0)]
    cpj_only = [c for c in cells if (c["event_year"], c["country_code"]) == (1992, "TJ")]
    assert cpj_only and all(c["verified_cases"] == 0 for c in cpj_only)
    assert not (latest / "public" / "fct_sdg_16_10_1.parquet").exists()  # withheld: counts over withheld events


def _expected_report(folder: Path) -> dict:
    """What the report of ``folder`` (a snapshot or its public variant) must show, from its own flat export."""
    events = pq.read_table(folder / "flat_events.parquet").to_pylist()

    def count(values) -> list[tuple[str, int]]:
        return sorted(Counter(values).items())

    return {
        "events": events,
        "years": count(str(e["event_year"]) if e["event_year"] is not None else "unknown year" for e in events),
        "countries": count(e["country_name"] or e["country_code"] or "unknown country" for e in events),
        "violations": count(
            label for e in events for label in set((e["violation_types"] or "no violation recorded").split(" | "))
        ),
        "countries_shaded": dict(count(e["country_code"] for e in events if e["country_code"])),
        "dots": {
            e["event_id"]: (round(e["longitude"] + 180, 3), round(90 - e["latitude"], 3))
            for e in events
            if e["latitude"] is not None and e["longitude"] is not None
        },
    }


def _on_grid(value: float, grid: float) -> bool:
    return abs(value / grid - round(value / grid)) < 1e-6


def _bars(page: dict, chart: str) -> list[tuple[str, int]]:
    return sorted((bar["label"], bar["value"]) for bar in page["charts"][chart])


def test_the_report_renders_offline_in_a_real_browser_and_shows_what_the_variant_holds(synced, browser):
    """Issue 19, point 4: each variant's report.html, rendered by headless Chromium, shows events by
    year, country and violation type, the SDG table, the changes and a map, every figure recounted
    here from that variant's own flat export; nothing is fetched, nothing fails, and the public
    report names no event the public variant withholds."""
    home, _ = synced
    latest = home / "snapshots" / "latest"
    internal_ids = {e["event_id"] for e in pq.read_table(latest / "flat_events.parquet").to_pylist()}
    for folder, public in ((latest, False), (latest / "public", True)):
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["report"]["file"] == "report.html"
        assert manifest["report"]["sha256"] == hashlib.sha256((folder / "report.html").read_bytes()).hexdigest()
        page = read_report(browser, folder / "report.html")
        expected = _expected_report(folder)
        assert page["errors"] == [] and page["fetched"] == [], folder
        assert manifest["snapshot_id"] in page["title"]
        assert page["headings"] == [
            "Events by year", "Events by country", "Events by violation type", "Map of events",
            "SDG indicator 16.10.1", "What changed",
        ]  # fmt: skip
        assert _bars(page, "chart-years") == expected["years"]
        assert _bars(page, "chart-countries") == expected["countries"]  # the demo has fewer than 21
        assert _bars(page, "chart-violations") == expected["violations"]
        for chart in ("chart-years", "chart-countries", "chart-violations"):
            assert all(bar["width"] > 0 for bar in page["charts"][chart] if bar["value"] > 0), chart
        assert page["countries"] == expected["countries_shaded"]
        assert {dot["event_id"]: (dot["x"], dot["y"]) for dot in page["dots"]} == expected["dots"]
        assert page["dots"] and all(dot["visible"] for dot in page["dots"]) and page["map_height"] > 200
        assert dict(_bars(page, "chart-changes"))["added"] == len(expected["events"])  # the first snapshot
        assert len(page["changes"]) == len(expected["events"])
        if public:
            assert page["sdg_withheld"] and page["sdg_rows"] == []
            withheld = internal_ids - {e["event_id"] for e in expected["events"]}
            assert withheld and not any(event_id in page["text"] for event_id in withheld)
            grid = json.loads((folder / "manifest.json").read_text())["policy"]["coordinate_grid_degrees"]
            assert all(_on_grid(dot["x"] - 180, grid) and _on_grid(90 - dot["y"], grid) for dot in page["dots"])
            assert set(expected["dots"].items()) - set(_expected_report(latest)["dots"].items())  # not the true ones
        else:
            cells = pq.read_table(folder / "fct_sdg_16_10_1.parquet").to_pylist()
            assert sum(int(row[3]) for row in page["sdg_rows"]) == sum(c["verified_cases"] for c in cells)
            assert sum(int(row[4]) for row in page["sdg_rows"]) == sum(c["unverified_cases"] for c in cells)
        browser.save_screenshot(str(home.parent / f"report-{'public' if public else 'internal'}.png"))


def test_the_analysts_guide_queries_run_on_the_snapshot(synced):
    """Issue 19, point 5: every query of docs/analysts.md runs on the demo snapshot and finds rows;
    the seed record's event comes back with its violations, perpetrators and two sources."""
    home, _ = synced
    guide = (REPO / "docs" / "analysts.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", guide, flags=re.S)
    assert len(queries) >= 6
    con = duckdb.connect(str(home / "snapshots" / "latest" / "warehouse.duckdb"), read_only=True)
    results = [con.sql(sql).fetchall() for sql in queries]
    assert all(results), [sql[:80] for sql, rows in zip(queries, results, strict=True) if not rows]
    seed, violations, actors, provenance = results[3:7]
    assert len(seed) == 1 and seed[0][6] == "Pending" and seed[0][7] == "online_harassment|threats"
    assert sorted(row[0] for row in violations) == ["online_harassment", "threats"]
    assert {row[0] for row in actors} == {"perpetrator", "victim"}
    assert sorted(row[0] for row in provenance) == ["partner_central_asia", "uwazi_hrd_events"]


def test_make_shell_answers_sql_on_the_latest_snapshot_read_only(synced):
    home, _ = synced

    def shell(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "orchestration.shell", *args],
            cwd=REPO,
            env=sync_env(home),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    events = len(pq.read_table(home / "snapshots" / "latest" / "dim_event.parquet"))
    counted = shell("-c", "select count(*) as n from dim_event")
    assert counted.returncode == 0 and re.search(rf"│\s*{events}\s*│", counted.stdout), counted.stdout
    session = shell(stdin=".tables\nselect count(*) as n\n  from fct_violation;\n.describe dim_event\n.quit\n")
    assert session.returncode == 0, session.stderr
    assert "dim_event" in session.stdout and "One row per event" in session.stdout  # .tables with descriptions
    assert "Stable event id" in session.stdout  # .describe
    violations = len(pq.read_table(home / "snapshots" / "latest" / "fct_violation.parquet"))
    assert re.search(rf"│\s*{violations}\s*│", session.stdout)  # the statement over two lines
    refused = shell("-c", "delete from dim_event")
    assert refused.returncode == 1 and "read-only" in refused.stderr.lower()
    public = shell("--public", "-c", "select count(*) from review_queue")
    assert public.returncode == 1 and "review_queue" in public.stderr  # not in the public variant


def test_history_and_stable_ids_over_successive_syncs(synced, demo_night, tmp_path, browser):
    """After the first night (a copy of the `synced` home), sync again after the seed record's
    monitoring status moves from Pending to Active and a new report of an existing event arrives:
    both versions are in the snapshot, and every event keeps its id."""
    sources = tmp_path / "sources"
    shutil.copytree(demo_night.sources, sources)
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

    # Issue 20, point 4: history is kept twice (README, "History"); where they overlap they agree:
    # the events the changelog lists as changed in a tracked field are those with a new dbt version.
    snapshots_yml = yaml.safe_load((REPO / "dbt_project" / "snapshots" / "_snapshots.yml").read_text())
    tracked = set(next(s for s in snapshots_yml["snapshots"] if s["name"] == "snap_dim_event")["config"]["check_cols"])
    new_versions = {
        event_id
        for (event_id,) in con.execute(
            "select event_id from snapshots.snap_dim_event where dbt_valid_from = "
            "(select max(dbt_valid_from) from snapshots.snap_dim_event) and event_id in "
            "(select event_id from snapshots.snap_dim_event group by event_id having count(*) > 1)"
        ).fetchall()
    }
    changes = json.loads((home / "snapshots" / "latest" / "changelog.json").read_text())
    changed_tracked = {item["event_id"] for item in changes["changed"] if tracked & set(item["fields"])}
    assert seed_event in new_versions and new_versions == changed_tracked

    # the second night's report (issue 19, point 4) shows the same changes, rendered in the browser
    page = read_report(browser, home / "snapshots" / "latest" / "report.html")
    assert page["errors"] == [] and dict(_bars(page, "chart-changes")) == changes["counts"]
    assert changes["counts"]["changed"] > 0
    assert any(line.startswith(f"changed: {seed_event} (") and "monitoring_status" in line for line in page["changes"])


def test_the_projects_dbt_unit_tests_pass(synced, tmp_path, monkeypatch):
    """dbt's unit tests (matching rules, ids, dates) test the project's code, not a night's data:
    the nightly build leaves them out, and they run here, against the built warehouse."""
    import yaml

    from orchestration import dbt

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


def test_make_freshness_reads_the_typed_load_times_and_leaves_the_builds_artifacts(synced, tmp_path, monkeypatch):
    """Issue 20, point 3: `dbt source freshness` on raw._load_batches (make freshness): every demo
    source loaded minutes ago passes; the build's target folder, which publish reads, is untouched."""
    from orchestration import freshness

    home = tmp_path / "home"  # a copy: dbt's hooks log the invocation in the warehouse
    shutil.copytree(synced[0], home, symlinks=True)
    monkeypatch.setenv("HRDW_HOME", str(home))
    target = home / "dbt" / "target"
    before = {path.name: path.stat().st_mtime_ns for path in target.glob("*.json")}
    returncode, rows = freshness.freshness(home / "dbt" / "project")
    assert returncode == 0
    statuses = {source.split(".")[0]: status for source, _, status in rows}
    assert statuses == {name: "pass" for name in (*SOURCES, "hrdw_ops")}
    assert {path.name: path.stat().st_mtime_ns for path in target.glob("*.json")} == before
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    stale = dict(con.execute("select source_name, is_stale from marts.dim_source").fetchall())
    assert stale == {name: False for name in SOURCES}


# --- publishing: two nights with unchanged inputs ----------------------------------------------

# Where the values of HOSTILE_ROW land in the marts.
HOSTILE_CELLS = {
    ("dim_event", "city"): "-2+3",
    ("dim_event", "victim_names"): '=HYPERLINK("http://evil","x")',
    ("dim_actor", "display_name"): '=HYPERLINK("http://evil","x")',
    ("dim_actor", "organizations"): "+1+1",
    ("dim_actor", "actor_role_source_label"): "\rЖурналист",
    ("dim_actor", "original_script_names"): "@SUM(A1)",
    ("dim_event", "description"): "\tleading tab in the description",
}


@pytest.fixture(scope="module")
def two_nights(demo_night, tmp_path_factory) -> dict:
    """The demo night (conftest), then the next night on a copy of its home with the same inputs."""
    home = tmp_path_factory.mktemp("publish_e2e") / "home"
    shutil.copytree(demo_night.home, home, symlinks=True)
    first_id = (home / "snapshots" / "LATEST").read_text().strip()
    second = run_sync(sync_env(home, demo_night.sources), "2026-11-30")
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
        set(second["tables"]) == set(MART_COLUMNS)
        and second["tables"]["dim_event"]["rows"] == first["tables"]["dim_event"]["rows"] > 0
    )
    # The run metadata did change between the nights: it is kept apart, not compared.
    assert (
        first["tables"]["dim_event"]["run_metadata"]["sha256"]
        != second["tables"]["dim_event"]["run_metadata"]["sha256"]
    )
    # the second night ran with HRDW_DOCS_SITE=0 (conftest.sync_env): no site, and the manifest says why
    assert first["docs_site"]["file"] == "docs/index.html" and second["docs_site"]["file"] is None
    assert "HRDW_DOCS_SITE=0" in second["docs_site"]["why"] and not (two_nights["second"] / "docs").exists()
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
