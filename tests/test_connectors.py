"""Connectors against real fixtures (tests/fixtures, see ATTRIBUTION.md) and a real local HTTP server."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extract.base import QuarantinedRow, RawRecord, read_manifest
from extract.connectors import connector_for
from extract.http import FetchError
from extract.ingest import MissingColumnsError, land_source, load_source
from hrdw import settings, warehouse
from hrdw.sources import SourceSpec, load_spec

REPO = Path(__file__).resolve().parent.parent
START = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


def make_spec(folder: Path, **fields) -> SourceSpec:
    folder.mkdir(parents=True, exist_ok=True)
    fields.setdefault("description", "test source")
    return SourceSpec(**fields, yaml_path=folder / f"{fields['name']}.yml")


def parse_all(spec: SourceSpec) -> list:
    manifest = land_source(spec, START, END)
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    return list(connector_for(spec.kind).parse(spec, partition))


# --- CPJ CSV export -------------------------------------------------------------------------


def test_cpj_csv_lands_bytes_verbatim_and_reads_every_row(hrdw_home, tmp_path, fixtures_dir):
    source_file = fixtures_dir / "cpj_csv" / "cpj_killed_export_head.csv"
    spec = make_spec(
        tmp_path / "src",
        name="cpj_test",
        kind="cpj_csv",
        location={"path": str(source_file)},
        record_key=["fullName", "year", "country"],
    )
    rows = parse_all(spec)
    manifest = read_manifest(hrdw_home / "landing" / "cpj_test" / "20261129T000000Z")
    assert manifest["files"][0]["sha256"] == hashlib.sha256(source_file.read_bytes()).hexdigest()
    with source_file.open(newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(rows) == len(expected) == 10
    assert all(isinstance(row, RawRecord) for row in rows)
    saipov = next(row for row in rows if row.values["fullName"] == "Alisher Saipov")
    # Multi-values stay joined as CPJ wrote them: splitting happens in dbt staging.
    assert saipov.values["jobs"] == "Broadcast Reporter,Editor,Internet Reporter,Print Reporter"
    assert saipov.source_row == 10
    assert rows[0].source_row == 1


def test_csv_row_with_wrong_field_count_is_quarantined_with_reason(hrdw_home, tmp_path, fixtures_dir):
    lines = (fixtures_dir / "cpj_csv" / "cpj_killed_export_head.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "2006,Confirmed,Broken row with too few fields")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = make_spec(tmp_path / "src", name="cpj_broken", kind="cpj_csv", location={"path": str(broken)})
    rows = parse_all(spec)
    bad = [row for row in rows if isinstance(row, QuarantinedRow)]
    assert len(bad) == 1
    assert bad[0].source_row == 3
    assert bad[0].reason == "expected 42 fields, found 3"
    assert "Broken row" in bad[0].raw
    assert sum(isinstance(row, RawRecord) for row in rows) == 10


# --- CPJ people_list JSON API over real HTTP -------------------------------------------------


def test_people_list_pages_to_the_end_over_http(hrdw_home, tmp_path, fixtures_dir, http_server):
    base_url, handler = http_server(fixtures_dir / "cpj_people_list")
    spec = make_spec(
        tmp_path / "src",
        name="cpj_api_test",
        kind="cpj_people_list",
        location={"url": base_url + "/page-{page}.json?status=Killed&api_key=SECRET123"},
        options={"min_request_interval_seconds": 0},
    )
    rows = parse_all(spec)
    assert len(rows) == 45
    assert [path.split("?")[0] for path in handler.requests] == ["/page-1.json", "/page-2.json", "/page-3.json"]
    first = rows[0]
    assert first.record_id == "https://cpj.org/data/people/abadullah-hananzai/"
    assert (first.source_file, first.source_row) == ("page-0001.json", 1)
    assert rows[-1].source_file == "page-0003.json" and rows[-1].source_row == 5
    manifest = read_manifest(hrdw_home / "landing" / "cpj_api_test" / "20261129T000000Z")
    assert "SECRET123" not in json.dumps(manifest)
    assert manifest["files"][0]["origin"].endswith("api_key=REDACTED")
    landed = (hrdw_home / "landing" / "cpj_api_test" / "20261129T000000Z" / "page-0001.json").read_bytes()
    assert landed == (fixtures_dir / "cpj_people_list" / "page-1.json").read_bytes()


def test_http_client_retries_a_500_then_succeeds(hrdw_home, tmp_path, fixtures_dir, http_server):
    base_url, handler = http_server(
        fixtures_dir / "cpj_people_list", {"/page-2.json": [(500, {}, b"Internal Server Error")]}
    )
    spec = make_spec(
        tmp_path / "src",
        name="cpj_retry",
        kind="cpj_people_list",
        location={"url": base_url + "/page-{page}.json"},
        options={"retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0},
    )
    assert len(parse_all(spec)) == 45
    assert handler.requests.count("/page-2.json") == 2


def test_http_client_fails_clearly_when_the_server_keeps_failing(hrdw_home, tmp_path, fixtures_dir, http_server):
    failures = [(503, {"Retry-After": "0"}, b"down")] * 5
    base_url, _ = http_server(fixtures_dir / "cpj_people_list", {"/page-1.json": failures})
    spec = make_spec(
        tmp_path / "src",
        name="cpj_down",
        kind="cpj_people_list",
        location={"url": base_url + "/page-{page}.json"},
        options={"retry_attempts": 2, "retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0},
    )
    with pytest.raises(FetchError, match=r"source cpj_down: GET http://127\.0\.0\.1:\d+/page-1\.json failed after 2"):
        land_source(spec, START, END)
    assert not (hrdw_home / "landing" / "cpj_down" / "20261129T000000Z").exists(), "nothing half-landed"


# --- Partner spreadsheet ----------------------------------------------------------------------


def test_partner_sheet_missing_required_value_goes_to_quarantine(hrdw_home):
    spec = load_spec(REPO / "sources" / "partner_central_asia.yml")
    batch = land_source(spec, START, END)["batch_id"]
    report = load_source(spec, batch)
    assert (report.loaded, report.quarantined) == (8, 1)
    con = warehouse.connect(read_only=True)
    try:
        quarantined = con.execute(
            "select _source_file, _source_row, reason, raw_content from raw._quarantine"
        ).fetchall()
    finally:
        con.close()
    assert len(quarantined) == 1
    file_name, row, reason, raw = quarantined[0]
    assert (file_name, row) == ("partner_central_asia_incidents.xlsx", "9")
    assert reason.startswith("missing required value(s): event_date ('Дата / Date')")
    assert "Итого / Total" in raw


def test_renamed_required_column_fails_naming_source_file_sheet_expected_and_found(hrdw_home, tmp_path):
    original = REPO / "sources" / "demo_data" / "partner_central_asia_incidents.xlsx"
    workbook = load_workbook(original)
    workbook["Инциденты"]["F3"] = "Name"  # the partner renamed "Name (Latin)"
    renamed = tmp_path / "data" / "renamed.xlsx"
    renamed.parent.mkdir()
    workbook.save(renamed)
    spec = load_spec(REPO / "sources" / "partner_central_asia.yml")
    spec = SourceSpec(**{**spec.model_dump(), "location": {"path": str(renamed)}})
    batch = land_source(spec, START, END)["batch_id"]
    with pytest.raises((MissingColumnsError, ValueError)) as failure:
        load_source(spec, batch)
    message = str(failure.value)
    for expected in ("partner_central_asia", "renamed.xlsx", "Инциденты", "'Name (Latin)'", "found", "'Name'"):
        assert expected in message
    # The landed bytes stay for a replay after the YAML is fixed.
    assert (hrdw_home / "landing" / "partner_central_asia" / batch / "renamed.xlsx").exists()


# --- Uwazi CSV export -------------------------------------------------------------------------


def test_uwazi_export_fixture_keeps_multivalues_and_geolocation_as_text(hrdw_home, tmp_path, fixtures_dir):
    spec = make_spec(
        tmp_path / "src",
        name="uwazi_test",
        kind="uwazi_csv",
        location={"path": str(fixtures_dir / "uwazi_csv" / "export_expected.csv")},
        record_key=["Title", "Date added"],
    )
    rows = parse_all(spec)
    assert [row.values["Title"] for row in rows] == ["Star Lord  Wikipedia", "Scarecrow"]
    assert rows[0].values["Super powers"] == "equipment::tricky weapons|ability::fly|equipment::spaceship"
    assert rows[0].values["Geolocation"] == "45.974236866039696|2.154785156250431"
    assert rows[1].values["Costume"] == "Black"


def test_rerunning_an_interval_replaces_its_landing_partition_only(hrdw_home, tmp_path, fixtures_dir):
    data = tmp_path / "data" / "cpj.csv"
    data.parent.mkdir()
    shutil.copy(fixtures_dir / "cpj_csv" / "cpj_killed_export_head.csv", data)
    spec = make_spec(tmp_path / "src", name="cpj_rerun", kind="cpj_csv", location={"path": str(data)})
    earlier = land_source(spec, START - dt.timedelta(days=1), START)
    land_source(spec, START, END)
    data.write_text(data.read_text().replace("Alisher Saipov", "Alisher Saipov (edited)"))
    again = land_source(spec, START, END)
    partitions = sorted(path.name for path in (hrdw_home / "landing" / "cpj_rerun").iterdir())
    assert partitions == [earlier["batch_id"], again["batch_id"]]
    assert again["files"][0]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_uwazi_export_stages_geolocation_and_grouped_labels(make_spec, fixtures_dir, build_warehouse):
    spec = make_spec(
        name="uwazi_fixture",
        kind="uwazi_csv",
        location={"path": str(fixtures_dir / "uwazi_csv" / "export_expected.csv")},
        record_key=["Title", "Date added"],
        columns={
            "title": "Title",
            "event_date": "DOB",
            "country": "Country",
            "geolocation": "Geolocation",
            "violations": "Super powers",
            "published": "Published",
        },
    )
    con = build_warehouse([spec], select="+int_report_violations")
    rows = con.execute(
        "select title, country_code, latitude, longitude, violation_labels, violation_detail, "
        "cast(event_date as varchar), published_in_source from intermediate.int_reports_conformed order by title"
    ).fetchall()
    assert rows == [
        (
            "Scarecrow",
            None,
            None,
            None,
            "create chaos|tricky weapons",
            "create chaos|equipment::tricky weapons",
            "1941-09-23",
            True,
        ),
        (
            "Star Lord  Wikipedia",
            "ES",
            45.974236866039696,
            2.154785156250431,
            "tricky weapons|fly|spaceship",
            "equipment::tricky weapons|ability::fly|equipment::spaceship",
            None,
            True,
        ),
    ]


def test_url_placeholders_take_a_format_spec_for_zero_padded_pages():
    from extract.http import landed_page_name, render_url

    assert (
        render_url("saved/page-{page:03d}.json?y={year_from}", page=7, year_from=2024) == "saved/page-007.json?y=2024"
    )
    assert render_url("p-{page}.json{unknown}", page=12) == "p-12.json{unknown}"
    assert landed_page_name("saved/page-007.json?y=2024", 7) == "page-007.json"
    assert landed_page_name("https://cpj.org/api?page=7", 7) == "page-0007.json"
    assert landed_page_name("saved/uwazi-ru.json", 1, "ru-") == "ru-uwazi-ru.json"
