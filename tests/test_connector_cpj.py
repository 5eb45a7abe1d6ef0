"""CPJ connectors: both JSON APIs over a real local HTTP server with faults, both CSV layouts,
incremental year windows, the shrink guard, and staging through real dbt."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from extract.base import RawRecord
from extract.http import FetchError
from extract.ingest import ShrinkGuardError, land_source

END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
FAST = {"retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0, "timeout_seconds": 1}


@pytest.fixture
def people_list(fixtures_dir: Path) -> Path:
    return fixtures_dir / "cpj_people_list"


def people_spec(make_spec, base_url: str, **options):
    return make_spec(
        name="cpj_people",
        kind="cpj_people_list",
        location={"url": base_url + "/page-{page}.json?status=Killed&year={year_from},{year_to}&token=T0P-S3CRET"},
        options={**FAST, **options},
    )


def test_people_list_sends_user_agent_and_year_window(hrdw_home, make_spec, people_list, http_server, land_and_parse):
    base_url, handler = http_server(people_list)
    spec = people_spec(make_spec, base_url, user_agent="hrdw-test/1 (ops@example.org)", year_from=2000)
    manifest, rows = land_and_parse(spec)
    assert len(rows) == 45
    assert all(headers["User-Agent"] == "hrdw-test/1 (ops@example.org)" for headers in handler.headers_seen)
    assert "year=2000,2026" in handler.requests[0]
    assert (manifest["scope"], manifest["cursor_after"], manifest["record_count"]) == ("years 2000-2026", "2026", 45)
    assert [entry["records"] for entry in manifest["files"]] == [20, 20, 5]
    assert "T0P-S3CRET" not in json.dumps(manifest)


def test_saved_pages_replay_under_their_own_zero_padded_names(
    hrdw_home, make_spec, people_list, tmp_path, land_and_parse
):
    """Pages saved from the API (page-001.json ...) replay from disk with `{page:03d}` and land under
    their own names, which the rows' lineage then names."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for number in (1, 2, 3):
        (saved / f"page-{number:03d}.json").write_bytes((people_list / f"page-{number}.json").read_bytes())
    spec = make_spec(
        name="cpj_replay", kind="cpj_people_list", location={"url": str(saved / "page-{page:03d}.json")}, options=FAST
    )
    manifest, rows = land_and_parse(spec)
    assert [entry["name"] for entry in manifest["files"]] == ["page-001.json", "page-002.json", "page-003.json"]
    assert len(rows) == 45 and rows[-1].source_file == "page-003.json"


def test_people_list_next_run_looks_back_from_the_cursor(hrdw_home, make_spec, people_list, http_server):
    base_url, handler = http_server(people_list)
    spec = people_spec(make_spec, base_url, look_back_years=3)
    land_source(spec, END - dt.timedelta(days=1), END)
    handler.requests.clear()
    later = END + dt.timedelta(days=100)
    manifest = land_source(spec, later - dt.timedelta(days=1), later)
    assert manifest["cursor_before"] == "2026"
    assert "year=2023,2027" in handler.requests[0]


@pytest.mark.parametrize(
    ("script", "expected_requests"),
    [
        ([(500, {}, b"Internal Server Error")], 2),
        ([(429, {"Retry-After": "1"}, b"slow down")], 2),
        ([(502, {}, b"Bad Gateway"), (503, {}, b"unavailable")], 3),
        ([(200, {"Content-Type": "application/json"}, b'{"pageCount": 3, "data": [{"fullName"')], 2),
    ],
    ids=["500-then-ok", "429-retry-after", "two-5xx-then-ok", "truncated-json-then-ok"],
)
def test_people_list_recovers_from_transient_faults(
    hrdw_home, make_spec, people_list, http_server, land_and_parse, script, expected_requests
):
    base_url, handler = http_server(people_list, {"/page-2.json": script})
    _manifest, rows = land_and_parse(people_spec(make_spec, base_url))
    assert len(rows) == 45
    assert sum(path.startswith("/page-2.json") for path in handler.requests) == expected_requests


def test_429_waits_as_long_as_retry_after_says(hrdw_home, make_spec, people_list, http_server, caplog):
    caplog.set_level(logging.WARNING, logger="extract.http")
    base_url, _handler = http_server(people_list, {"/page-1.json": [(429, {"Retry-After": "1"}, b"")]})
    land_source(people_spec(make_spec, base_url), END - dt.timedelta(days=1), END)
    assert "HTTP 429; waiting 1.0s before attempt 2 of 4" in caplog.text


def test_timeout_is_retried_then_reported(hrdw_home, make_spec, people_list, http_server):
    hung = [(200, {}, b"{}", 2.0)] * 3
    base_url, _ = http_server(people_list, {"/page-1.json": hung})
    spec = people_spec(make_spec, base_url, timeout_seconds=0.3, retry_attempts=2)
    with pytest.raises(FetchError, match=r"cpj_people: GET .*/page-1\.json.* failed after 2 attempt\(s\): timed out"):
        land_source(spec, END - dt.timedelta(days=1), END)


def test_html_error_page_with_status_200_fails_naming_source_and_page(hrdw_home, make_spec, people_list, http_server):
    html = (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    base_url, _ = http_server(people_list, {"/page-2.json": [html] * 4})
    with pytest.raises(FetchError) as failure:
        land_source(people_spec(make_spec, base_url), END - dt.timedelta(days=1), END)
    message = str(failure.value)
    assert "source cpj_people" in message and "/page-2.json" in message and "HTML page" in message
    assert "T0P-S3CRET" not in message and "token=REDACTED" in message
    assert not (hrdw_home / "landing" / "cpj_people" / "20261129T000000Z").exists()


def test_empty_page_mid_stream_fails_instead_of_landing_a_short_result(hrdw_home, make_spec, people_list, http_server):
    empty = json.dumps({"pageCount": 3, "rowCount": 45, "data": []}).encode()
    base_url, _ = http_server(people_list, {"/page-2.json": [(200, {}, empty)]})
    with pytest.raises(FetchError, match="page 2 came back empty but announces a next page"):
        land_source(people_spec(make_spec, base_url), END - dt.timedelta(days=1), END)


def test_401_names_the_connection_and_never_the_secret(hrdw_home, make_spec, people_list, http_server):
    base_url, _ = http_server(people_list, {"/page-1.json": [(401, {}, b"token s3cr3t-token rejected")]})
    spec = make_spec(
        name="cpj_people",
        kind="cpj_people_list",
        connection_id="cpj_api",
        location={"url": base_url + "/page-{page}.json?key=s3cr3t-token"},
        options=FAST,
    )
    with pytest.raises(FetchError) as failure:
        land_source(spec, END - dt.timedelta(days=1), END, secrets={"password": "s3cr3t-token"})
    message = str(failure.value)
    assert "HTTP 401" in message and "Airflow connection 'cpj_api'" in message
    assert "s3cr3t-token" not in message


def test_shrink_guard_refuses_a_run_that_suddenly_returns_nothing(hrdw_home, make_spec, people_list, http_server):
    base_url, _ = http_server(people_list)
    spec = people_spec(make_spec, base_url)
    first = land_source(spec, END - dt.timedelta(days=1), END)
    empty = json.dumps({"pageCount": 0, "rowCount": 0, "data": []}).encode()
    base_url_2, _ = http_server(people_list, {"/page-1.json": [(200, {}, empty)]})
    spec_2 = people_spec(make_spec, base_url_2)
    later = END + dt.timedelta(days=1)
    with pytest.raises(ShrinkGuardError, match=r"returned 0 record\(s\).*returned 45"):
        land_source(spec_2, later - dt.timedelta(days=1), later)
    partitions = sorted(path.name for path in (hrdw_home / "landing" / "cpj_people").iterdir())
    assert partitions == [first["batch_id"]]


def test_datamanager_reads_until_an_empty_page(hrdw_home, make_spec, fixtures_dir, http_server, land_and_parse):
    base_url, handler = http_server(fixtures_dir / "cpj_datamanager")
    spec = make_spec(
        name="cpj_dm",
        kind="cpj_datamanager",
        location={"url": base_url + "/page-{page}.json?pageNum={page}&pageSize={page_size}&ge(year,{year_from})="},
        options={**FAST, "page_size": 20},
    )
    manifest, rows = land_and_parse(spec)
    assert [path.split("?")[0] for path in handler.requests] == ["/page-1.json", "/page-2.json", "/page-3.json"]
    assert "pageSize=20" in handler.requests[0] and "ge(year,1992)=" in handler.requests[0]
    assert len(rows) == 26 and manifest["record_count"] == 26
    saipov = next(row for row in rows if row.values["fullName"] == "Alisher Saipov")
    assert (saipov.values["location"], saipov.values["country"]) == ("Osh", "Kyrgyzstan")
    assert saipov.record_id == "https://cpj.org/data/people/alisher-saipov/"


def test_legacy_18_column_export_keeps_embedded_newlines(hrdw_home, make_spec, fixtures_dir, land_and_parse):
    spec = make_spec(
        name="cpj_legacy",
        kind="cpj_csv",
        location={"path": str(fixtures_dir / "cpj_csv" / "cpj_killed_legacy_18col.csv")},
        record_key=["Name", "Date", "Country_killed"],
    )
    _, rows = land_and_parse(spec)
    assert len(rows) == 12 and all(isinstance(row, RawRecord) for row in rows)
    assert rows[0].values["Name"] == "Ali Risan"
    assert rows[0].values["Tortured"] == "\n" and rows[3].values["Tortured"] == "No\n"


def test_all_four_cpj_shapes_stage_into_one_contract(
    hrdw_home, make_spec, fixtures_dir, people_list, http_server, build_warehouse
):
    base_url, _ = http_server(people_list)
    dm_url, _ = http_server(fixtures_dir / "cpj_datamanager")
    specs = [
        make_spec(
            name="cpj_export_42",
            kind="cpj_csv",
            location={"path": str(fixtures_dir / "cpj_csv" / "cpj_killed_export_head.csv")},
            record_key=["fullName", "year", "country"],
        ),
        make_spec(
            name="cpj_export_18",
            kind="cpj_csv",
            location={"path": str(fixtures_dir / "cpj_csv" / "cpj_killed_legacy_18col.csv")},
            record_key=["Name", "Date", "Country_killed"],
        ),
        people_spec(make_spec, base_url),
        make_spec(
            name="cpj_dm",
            kind="cpj_datamanager",
            location={"url": dm_url + "/page-{page}.json?pageNum={page}"},
            options=FAST,
        ),
    ]
    con = build_warehouse(specs, select="+int_report_violations")
    rows = con.execute(
        "select source_name, victim_name, country_code, cast(event_date as varchar), event_date_precision, city "
        "from intermediate.int_reports_conformed where victim_name in ('Alisher Saipov', 'Ali Risan') order by 1, 2"
    ).fetchall()
    assert rows == [
        ("cpj_dm", "Alisher Saipov", "KG", "2007-10-24", "day", "Osh"),
        ("cpj_export_18", "Ali Risan", "IQ", "2016-10-22", "day", None),
        ("cpj_export_18", "Alisher Saipov", "KG", "2007-10-24", "day", None),
        ("cpj_export_42", "Alisher Saipov", "KG", "2007-01-01", "year", "Osh"),
    ]
    legacy_types = con.execute(
        "select distinct violation_type_code from intermediate.int_report_violations "
        "where report_id like 'cpj_export_18:%'"
    ).fetchall()
    assert legacy_types == [("killing",)]
    # Every landed row is staged or quarantined. The 42-column fixture repeats one real row: within
    # one export equal rows are different people (two "Maher", Iraq, 2006), so both are staged,
    # the second keyed `#2` (issue 16, point 5).
    for source, landed, quarantined in (
        ("cpj_export_42", 10, 0),
        ("cpj_export_18", 12, 0),
        ("cpj_people", 45, 0),
        ("cpj_dm", 26, 0),
    ):
        staged = con.execute(
            "select count(*) from intermediate.int_reports_conformed where source_name = ?", [source]
        ).fetchone()[0]
        in_quarantine = con.execute("select count(*) from raw._quarantine where _source = ?", [source]).fetchone()[0]
        assert (staged + in_quarantine, in_quarantine) == (landed, quarantined), source


def test_export_key_never_collides_on_the_real_file(hrdw_home, make_spec, fixtures_dir, land_and_parse):
    """CPJ's export holds rows equal in all 42 columns that are different people (two "Maher",
    Al-Shaabiya, Iraq, 2006) and "Unidentified" rows sharing name, year and country: every row
    gets its own key, the first of each keeps the plain declared key (issue 16, point 5)."""
    spec = make_spec(
        name="cpj_export_42",
        kind="cpj_csv",
        location={"path": str(fixtures_dir / "cpj_csv" / "cpj_killed_export_placeholders.csv")},
        record_key=["fullName", "year", "country"],
    )
    _, rows = land_and_parse(spec)
    maher = [row for row in rows if row.values["fullName"] == "Maher"]
    assert len(maher) == 2 and maher[0].values == maher[1].values  # no column tells them apart
    assert [row.record_id for row in maher] == ["Maher|2006|Iraq", "Maher|2006|Iraq#2"]
    unidentified_2006 = [row.record_id for row in rows if row.record_id.startswith("Unidentified|2006|")]
    assert unidentified_2006 == ["Unidentified|2006|Iraq", "Unidentified|2006|Iraq#2"]
    assert len({row.record_id for row in rows}) == len(rows) == 9


def datamanager_spec(make_spec, base_url: str, **options):
    return make_spec(
        name="cpj_dm",
        kind="cpj_datamanager",
        connection_id="cpj_datamanager",
        location={"url": base_url + "/page-{page}.json?pageNum={page}&pageSize={page_size}&key=s3cr3t-token"},
        options={**FAST, **options},
    )


@pytest.mark.parametrize(
    "fault",
    [
        (500, {}, b"Internal Server Error"),
        (429, {"Retry-After": "1"}, b"slow down"),
        (200, {"Content-Type": "application/json"}, b'{"data": [{"fullName": "Ali'),
        (200, {}, b"{}", 2.0),
    ],
    ids=["500", "429-retry-after", "truncated-json", "timeout"],
)
def test_datamanager_recovers_from_one_fault(hrdw_home, make_spec, fixtures_dir, http_server, land_and_parse, fault):
    base_url, handler = http_server(fixtures_dir / "cpj_datamanager", {"/page-2.json": [fault]})
    manifest, rows = land_and_parse(datamanager_spec(make_spec, base_url, timeout_seconds=0.5))
    assert len(rows) == 26 and manifest["record_count"] == 26
    assert sum(path.startswith("/page-2.json") for path in handler.requests) == 2


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ((200, {"Content-Type": "text/html"}, b"<html><body>Cloudflare error</body></html>"), "HTML page"),
        ((200, {}, b'{"data": [{"fullName'), "invalid or truncated JSON"),
        ((503, {}, b"unavailable"), "HTTP 503"),
        ((200, {}, b"{}", 2.0), "timed out"),
    ],
    ids=["html-200", "truncated-json", "503", "timeout"],
)
def test_datamanager_fails_clearly_when_a_fault_persists(
    hrdw_home, make_spec, fixtures_dir, http_server, fault, message
):
    base_url, _ = http_server(fixtures_dir / "cpj_datamanager", {"/page-2.json": [fault] * 3})
    spec = datamanager_spec(make_spec, base_url, timeout_seconds=0.5, retry_attempts=3)
    with pytest.raises(FetchError) as failure:
        land_source(spec, END - dt.timedelta(days=1), END, secrets={"password": "s3cr3t-token"})
    text = str(failure.value)
    assert "source cpj_dm" in text and "/page-2.json" in text and message in text
    assert "s3cr3t-token" not in text
    assert not (hrdw_home / "landing" / "cpj_dm").exists() or not any((hrdw_home / "landing" / "cpj_dm").iterdir())


def test_datamanager_401_names_the_connection_not_the_secret(hrdw_home, make_spec, fixtures_dir, http_server):
    base_url, _ = http_server(fixtures_dir / "cpj_datamanager", {"/page-1.json": [(401, {}, b"bad token")]})
    with pytest.raises(FetchError) as failure:
        land_source(
            datamanager_spec(make_spec, base_url), END - dt.timedelta(days=1), END, secrets={"password": "s3cr3t-token"}
        )
    assert "Airflow connection 'cpj_datamanager'" in str(failure.value)
    assert "s3cr3t-token" not in str(failure.value)


def _people_pages(folder: Path, years: list[int]) -> Path:
    """One people_list page holding a killed journalist for each year given."""
    folder.mkdir(parents=True)
    data = [
        {"fullName": f"Person {n}", "location": "Kyrgyzstan", "startDisplay": f"March {n % 28 + 1}, {year}",
         "mtpage": f"https://cpj.org/data/people/person-{n}/", "status": "Killed"}
        for n, year in enumerate(years)
    ]  # fmt: skip
    page = {"pageCount": 1, "rowCount": len(data), "data": data}
    (folder / "page-1.json").write_text(json.dumps(page), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("in_overlap", "fires"), [(5, True), (18, False)], ids=["20-to-5", "20-to-18"])
def test_shrink_guard_compares_shifted_year_windows_over_the_years_both_cover(
    hrdw_home, tmp_path, make_spec, http_server, in_overlap, fires
):
    # The first run asks for 2000-2026: 28 records, 20 of them in 2024-2026.
    first_url, _ = http_server(_people_pages(tmp_path / "first", [2001] * 8 + [2024, 2025, 2026, 2025] * 5))
    first = land_source(people_spec(make_spec, first_url, year_from=2000), END - dt.timedelta(days=1), END)
    assert (first["scope"], first["record_count"]) == ("years 2000-2026", 28)
    assert (first["scope_counts"]["2001"], first["scope_counts"]["2025"], first["scope_counts"]["2020"]) == (8, 10, 0)
    # A later run's window moved with the cursor (2024-2027); of 2024-2026 it returns `in_overlap`.
    later_url, _ = http_server(_people_pages(tmp_path / "later", [2025] * in_overlap + [2027]))
    later = END + dt.timedelta(days=100)
    spec = people_spec(make_spec, later_url, year_from=2000)
    if not fires:
        assert land_source(spec, later - dt.timedelta(days=1), later)["scope"] == "years 2024-2027"
        return
    with pytest.raises(ShrinkGuardError) as failure:
        land_source(spec, later - dt.timedelta(days=1), later)
    message = str(failure.value)
    for part in ("source cpj_people", "returned 5 record(s) for 2024-2026", "'years 2024-2027'", "returned 20"):
        assert part in message, part
    assert sorted(path.name for path in (hrdw_home / "landing" / "cpj_people").iterdir()) == [first["batch_id"]]
