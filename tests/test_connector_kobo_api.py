"""kobo_api against a real local HTTP server: real KoboToolbox data.json pages (robotoolbox
recordings) and a fictional incident-report form in the same shape (tests/fixtures/kobo_api/SOURCE.md)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.base import QuarantinedRow, RawRecord, read_manifest
from extract.connectors import connector_for
from extract.connectors._kobo import record_key
from extract.http import FetchError
from extract.ingest import land_source
from hrdw import settings

START = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
TOKEN = "s3cr3t-token"
JSON = {"Content-Type": "application/json"}
REAL_UID = "aYuTZn9vegi3Z49MXwKjep"
REAL_PATH = f"/api/v2/assets/{REAL_UID}/data.json"
FORM_PATH = "/api/v2/assets/aHrdIncidentRep0rtDemo/data.json"
FORM_COLUMNS = {
    "event_date": "incident/date",
    "country": "incident/country",
    "geopoint": "incident/location",
    "victim_name": "victim/name",
    "victim_type": "victim/role",
    "violations": "incident/violation",
    "perpetrator": "incident/perpetrator",
    "description": "incident/description",
}


@pytest.fixture
def kobo_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "kobo_api"


def body(kobo_dir: Path, name: str) -> bytes:
    return (kobo_dir / name).read_bytes()


def page(results: list, count: int | None = None, next_url: str | None = None) -> bytes:
    return json.dumps(
        {"count": len(results) if count is None else count, "next": next_url, "results": results}
    ).encode()


def form_results(kobo_dir: Path, name: str = "incident_form_all.json") -> list[dict]:
    return json.loads(body(kobo_dir, name))["results"]


def land_and_read(spec, end=END, **kwargs) -> tuple[dict, list]:
    manifest = land_source(spec, end - dt.timedelta(days=1), end, **kwargs)
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    return manifest, list(connector_for(spec.kind).parse(spec, partition))


def query_of(request_path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request_path).query)


def partitions(source: str) -> list[str]:
    """Landing partitions of a source (a failed run leaves none, not even a partial one)."""
    folder = settings.landing_dir() / source
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def kobo_spec(make_spec, url: str, name: str = "kobo_test", **fields):
    return make_spec(name=name, kind="kobo_api", location={"url": url}, connection_id="kobo_partner", **fields)


# --- paging, envelope and values --------------------------------------------------------------


def test_pages_through_absolute_next_urls_with_the_token_header(hrdw_home, make_spec, http_server, kobo_dir):
    # The real 5-submission response split in pages of 3 + 2; `next` points at kobo.unhcr.org.
    script = {
        REAL_PATH: [
            (200, JSON, body(kobo_dir, f"{REAL_UID}_page1.json")),
            (200, JSON, body(kobo_dir, f"{REAL_UID}_page2.json")),
        ]
    }
    base_url, handler = http_server(kobo_dir, script)
    spec = kobo_spec(make_spec, base_url + REAL_PATH, options={"page_size": 3})
    manifest, rows = land_and_read(spec, secrets={"password": TOKEN})

    assert len(handler.requests) == 2, "followed next to the end and stopped at next: null"
    first, second = (query_of(path) for path in handler.requests)
    assert first == {"limit": ["3"]}
    assert second == {"limit": ["3"], "start": ["3"]}  # the server's start, re-based onto the configured host
    assert all(headers["Authorization"] == f"Token {TOKEN}" for headers in handler.headers_seen)

    expected = json.loads(body(kobo_dir, f"{REAL_UID}_data.json"))["results"]
    assert [row.values["full_name"] for row in rows] == [item["full_name"] for item in expected]
    assert [row.record_id for row in rows] == [item["_uuid"] for item in expected]
    assert [(row.source_file, row.source_row) for row in rows] == [
        ("page-0001.json", 1),
        ("page-0001.json", 2),
        ("page-0001.json", 3),
        ("page-0002.json", 1),
        ("page-0002.json", 2),
    ]
    assert manifest["record_count"] == 5 and manifest["rows_announced"] == 5 and manifest["pages"] == 2
    assert manifest["scope"] == "full" and manifest["cursor_before"] is None
    assert manifest["cursor_after"] == "2022-01-07T10:40:12"  # the newest _submission_time
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    assert (partition / "page-0002.json").read_bytes() == body(kobo_dir, f"{REAL_UID}_page2.json")
    assert TOKEN not in json.dumps(manifest)


def test_real_payloads_keep_kobo_names_and_land_nested_values_as_json(hrdw_home, make_spec, http_server, kobo_dir):
    base_url, _ = http_server(kobo_dir)
    read = {}
    for sample in (
        "aDMHypRASH2EuJdvKMx5Mi_group_names",
        "a9NCKTJxBPKdy49gX57WL5_geodata",
        "apBgxt6Nw4Vcjnn7wYpF33_validation",
    ):
        spec = kobo_spec(make_spec, f"{base_url}/{sample}_data.json", name="kobo_" + sample.split("_", 1)[1])
        read[sample.split("_", 1)[1]] = land_and_read(spec)[1]

    groups = read["group_names"]
    assert len(groups) == 6
    assert groups[0].values["v1/hh_sex"] == "1" and groups[3].values["v2/hh_sex"] == "1"  # group paths verbatim
    assert "v1/hh_sex" not in groups[3].values  # Kobo omits unanswered questions; no column invented
    assert groups[0].values["pet_type"] == "2 4"  # select_multiple stays space-separated text
    assert groups[0].values["_validation_status"] == "{}"
    assert groups[0].values["_geolocation"] == "[null, null]"
    assert groups[0].values["_attachments"] == "[]" and groups[0].values["_tags"] == "[]"
    assert groups[0].values["_submitted_by"] is None
    assert groups[0].values["_id"] == "29076619"

    (geo,) = read["geodata"]
    assert geo.values["point"] == "14.719783 -17.459261 0 0"
    assert json.loads(geo.values["_geolocation"]) == [14.719783, -17.459261]
    assert geo.values["line"].count(";") == 6  # geotrace kept whole

    statuses = [json.loads(row.values["_validation_status"]) for row in read["validation"]]
    assert [status["uid"] for status in statuses] == [
        "validation_status_on_hold",
        "validation_status_not_approved",
        "validation_status_approved",
    ]
    for rows in read.values():
        assert all(row.record_id == row.values["_uuid"] for row in rows), "unedited: the key is _uuid"


def test_record_key_survives_edits_and_falls_back_in_order(hrdw_home, make_spec, http_server, kobo_dir):
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, body(kobo_dir, "incident_form_all.json"))]})
    spec = kobo_spec(make_spec, base_url + FORM_PATH, columns=FORM_COLUMNS, required_columns=["event_date"])
    _, rows = land_and_read(spec)
    edited = next(row for row in rows if row.values["victim/name"] == "Dilnoza Rakhimova")
    assert edited.values["meta/deprecatedID"] == "uuid:a5fd76b3-253d-44a7-bb2a-8c21a804ec65"
    assert edited.values["_uuid"] == "52ef61e9-41ae-4885-bae9-cabaca0318ab"
    assert edited.record_id == "a5fd76b3-253d-44a7-bb2a-8c21a804ec65"  # the first version's uuid, stable
    # A question left unanswered is absent from Kobo's JSON: a required one is added as None (so
    # the row is quarantined for its missing value), any other stays absent.
    undated = next(row for row in rows if row.values["victim/name"] == "Saule Omarova")
    assert undated.values["incident/date"] is None and "incident/location" not in undated.values

    assert record_key({"_uuid": "u-1", "meta/instanceID": "uuid:i-1", "_id": "7"}) == "u-1"
    assert record_key({"meta/instanceID": "uuid:i-1", "_id": "7"}) == "i-1"
    assert record_key({"_id": "7"}) == "7"
    assert record_key({"_uuid": None, "_id": None}) is None


def test_a_submission_that_is_not_an_object_is_quarantined(hrdw_home, make_spec, http_server, kobo_dir):
    results = [*form_results(kobo_dir)[:1], "not a submission"]
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, page(results))]})
    _, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert isinstance(rows[0], RawRecord)
    assert isinstance(rows[1], QuarantinedRow) and rows[1].source_row == 2 and "not a JSON object" in rows[1].reason


# --- incremental ------------------------------------------------------------------------------


def test_incremental_run_sends_the_cursor_filter_and_lands_only_new_submissions(
    hrdw_home, make_spec, http_server, kobo_dir
):
    script = {
        FORM_PATH: [
            (200, JSON, body(kobo_dir, "incident_form_all.json")),
            (200, JSON, body(kobo_dir, "incident_form_since.json")),
        ]
    }
    base_url, handler = http_server(kobo_dir, script)
    spec = kobo_spec(make_spec, base_url + FORM_PATH, columns=FORM_COLUMNS)

    first, _ = land_and_read(spec, end=START)
    assert "query" not in query_of(handler.requests[0]), "the first run asks for everything"
    assert (first["scope"], first["cursor_after"]) == ("full", "2026-06-02T09:30:00")

    second, rows = land_and_read(spec, end=END)
    sent = query_of(handler.requests[1])
    assert json.loads(sent["query"][0]) == {"_submission_time": {"$gte": "2026-06-01T09:30:00"}}  # cursor - 24 h
    assert sent["limit"] == ["1000"]
    assert second["cursor_before"] == "2026-06-02T09:30:00"
    assert second["scope"] == "since 2026-06-01T09:30:00"
    assert second["cursor_after"] == "2026-11-28T16:05:09"
    assert [row.values["victim/name"] for row in rows] == ["Saule Omarova", "Bakyt Osmonov"]
    assert second["record_count"] == 2
    manifest = read_manifest(settings.landing_dir() / spec.name / second["batch_id"])
    assert "%22_submission_time%22" in manifest["files"][0]["origin"]


def test_next_page_keeps_our_filter_and_host_even_when_the_server_drops_them(
    hrdw_home, make_spec, http_server, kobo_dir
):
    saule, bakyt = form_results(kobo_dir, "incident_form_since.json")
    # A proxy that announces an internal host and forgets the query filter in `next`.
    foreign_next = "http://kobo-internal:8000" + FORM_PATH + "?limit=1&start=1"
    script = {FORM_PATH: [(200, JSON, page([saule], 2, foreign_next)), (200, JSON, page([bakyt], 2))]}
    base_url, handler = http_server(kobo_dir, script)
    spec = kobo_spec(make_spec, base_url + FORM_PATH + "?format=json", options={"page_size": 1, "look_back_hours": 48})
    manifest, rows = land_and_read(spec, cursor="2026-06-03T09:30:00", secrets={"password": TOKEN})

    first, second = (query_of(path) for path in handler.requests)
    ours = {"_submission_time": {"$gte": "2026-06-01T09:30:00"}}  # look_back_hours: 48
    assert json.loads(first["query"][0]) == ours and first["format"] == ["json"]
    assert json.loads(second["query"][0]) == ours
    assert (second["start"], second["limit"]) == (["1"], ["1"])
    assert len(rows) == 2 and manifest["cursor_after"] == "2026-11-28T16:05:09"
    assert handler.headers_seen[1]["Authorization"] == f"Token {TOKEN}"  # sent to our host only


def test_filter_in_the_url_is_combined_with_the_cursor_filter(hrdw_home, make_spec, http_server, kobo_dir):
    base_url, handler = http_server(kobo_dir, {FORM_PATH: [(200, JSON, page([]))]})
    url = base_url + FORM_PATH + '?query={"incident/country":"kyrgyzstan"}'
    land_and_read(kobo_spec(make_spec, url), cursor="2026-06-02T09:30:00")
    assert json.loads(query_of(handler.requests[0])["query"][0]) == {
        "incident/country": "kyrgyzstan",
        "_submission_time": {"$gte": "2026-06-01T09:30:00"},
    }


def test_a_run_without_new_submissions_keeps_the_cursor(hrdw_home, make_spec, http_server, kobo_dir):
    saule = form_results(kobo_dir)[3]  # submitted 2026-06-02T09:30:00, the cursor itself
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, page([saule])), (200, JSON, page([]))]})
    again, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH), cursor="2026-06-02T09:30:00")
    assert len(rows) == 1 and again["cursor_after"] == "2026-06-02T09:30:00"
    quiet = kobo_spec(make_spec, base_url + FORM_PATH, name="kobo_quiet")
    empty, rows = land_and_read(quiet, cursor="2026-07-01T00:00:00")
    assert rows == [] and empty["record_count"] == 0 and empty["scope"] == "since 2026-06-30T00:00:00"
    assert empty["cursor_after"] == "2026-07-01T00:00:00"  # not reset, not moved


def test_a_full_refresh_every_seven_days_picks_up_edits(hrdw_home, make_spec, http_server, kobo_dir):
    full = body(kobo_dir, "incident_form_all.json")
    base_url, handler = http_server(kobo_dir, {FORM_PATH: [(200, JSON, full)] * 3})
    spec = kobo_spec(make_spec, base_url + FORM_PATH)
    land_and_read(spec, end=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    incremental, _ = land_and_read(spec, end=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    refreshed, _ = land_and_read(spec, end=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    assert "query" in query_of(handler.requests[1]) and incremental["scope"].startswith("since ")
    assert "query" not in query_of(handler.requests[2]), "7 days after the last full run: everything again"
    assert refreshed["scope"] == "full" and "full_refresh" in refreshed


# --- failures ---------------------------------------------------------------------------------


def test_500_then_success(hrdw_home, make_spec, http_server, kobo_dir):
    script = {FORM_PATH: [(500, {}, b"Internal Server Error"), (200, JSON, body(kobo_dir, "incident_form_all.json"))]}
    base_url, handler = http_server(kobo_dir, script)
    manifest, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert len(handler.requests) == 2 and len(rows) == 4 and manifest["record_count"] == 4


def test_429_waits_for_retry_after(hrdw_home, make_spec, http_server, kobo_dir, caplog):
    script = {
        FORM_PATH: [(429, {"Retry-After": "1"}, b"slow down"), (200, JSON, body(kobo_dir, "incident_form_all.json"))]
    }
    base_url, handler = http_server(kobo_dir, script)
    caplog.set_level(logging.WARNING, logger="extract.http")
    _, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert "HTTP 429; waiting 1.0s before attempt 2" in caplog.text, "Retry-After: 1 was honoured"
    assert len(handler.requests) == 2 and len(rows) == 4


def test_a_timeout_then_success(hrdw_home, make_spec, http_server, kobo_dir):
    full = body(kobo_dir, "incident_form_all.json")
    base_url, handler = http_server(kobo_dir, {FORM_PATH: [(200, JSON, full, 2), (200, JSON, full)]})
    _, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH, options={"timeout_seconds": 0.5}))
    assert len(handler.requests) == 2 and len(rows) == 4


def test_a_server_that_keeps_timing_out_fails_the_run(hrdw_home, make_spec, http_server, kobo_dir):
    full = body(kobo_dir, "incident_form_all.json")
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, full, 2)] * 2})
    spec = kobo_spec(make_spec, base_url + FORM_PATH, options={"timeout_seconds": 0.5, "retry_attempts": 2})
    with pytest.raises(FetchError, match=r"source kobo_test: GET .* failed after 2 attempt\(s\): timed out after 0.5s"):
        land_and_read(spec)
    assert partitions("kobo_test") == [], "nothing half-landed"


def test_truncated_json_is_retried_and_fails_if_it_persists(hrdw_home, make_spec, http_server, kobo_dir):
    full = body(kobo_dir, "incident_form_all.json")
    base_url, handler = http_server(kobo_dir, {FORM_PATH: [(200, JSON, full[:700]), (200, JSON, full)]})
    _, rows = land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert len(handler.requests) == 2 and len(rows) == 4

    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, full[:700])] * 2})
    spec = kobo_spec(make_spec, base_url + FORM_PATH, name="kobo_cut", options={"retry_attempts": 2})
    with pytest.raises(FetchError, match=r"source kobo_cut: .*invalid or truncated JSON"):
        land_and_read(spec)


def test_an_html_page_with_status_200_fails_naming_the_source(hrdw_home, make_spec, http_server, kobo_dir):
    login_page = b"<!DOCTYPE html><html><head><title>KoboToolbox - Login</title></head><body>Sign in</body></html>"
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, {"Content-Type": "text/html"}, login_page)] * 2})
    spec = kobo_spec(make_spec, base_url + FORM_PATH, name="kobo_html", options={"retry_attempts": 2})
    with pytest.raises(FetchError, match=r"source kobo_html: .*expected JSON, got an HTML page"):
        land_and_read(spec)
    assert partitions("kobo_html") == []


def test_an_empty_page_while_next_is_set_fails_the_run(hrdw_home, make_spec, http_server, kobo_dir):
    next_url = "https://kf.kobotoolbox.org" + FORM_PATH + "?limit=2&start=4"
    first = page(form_results(kobo_dir)[:2], 6, next_url.replace("start=4", "start=2"))
    script = {FORM_PATH: [(200, JSON, first), (200, JSON, page([], 6, next_url))]}
    base_url, _ = http_server(kobo_dir, script)
    spec = kobo_spec(make_spec, base_url + FORM_PATH, options={"page_size": 2})
    with pytest.raises(FetchError, match="source kobo_test: page 2 came back empty but announces a next page"):
        land_and_read(spec)
    assert partitions("kobo_test") == [], "the shortened result was not landed"


def test_a_next_url_that_loops_back_fails_the_run(hrdw_home, make_spec, http_server, kobo_dir):
    same_page = "https://kf.kobotoolbox.org" + FORM_PATH + "?limit=1000"
    base_url, handler = http_server(
        kobo_dir, {FORM_PATH: [(200, JSON, page(form_results(kobo_dir)[:1], 9, same_page))]}
    )
    with pytest.raises(FetchError, match=r"source kobo_test: paging does not end \(page 2 repeats "):
        land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert len(handler.requests) == 1 and partitions("kobo_test") == []


def test_fewer_rows_than_the_announced_count_fail_the_run(hrdw_home, make_spec, http_server, kobo_dir):
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, page(form_results(kobo_dir), 5))]})
    with pytest.raises(FetchError, match="source kobo_test: the API announced 5 submissions but 4 arrived"):
        land_and_read(kobo_spec(make_spec, base_url + FORM_PATH))
    assert partitions("kobo_test") == []


def test_401_names_the_connection_and_never_the_token(hrdw_home, make_spec, http_server, kobo_dir):
    unauthorised = (401, JSON, b'{"detail":"Invalid token."}')
    base_url, handler = http_server(kobo_dir, {FORM_PATH: [unauthorised]})
    spec = kobo_spec(make_spec, base_url + FORM_PATH)
    with pytest.raises(FetchError) as failure:
        land_and_read(spec, secrets={"password": TOKEN})
    message = str(failure.value)
    assert "kobo_partner" in message and "HTTP 401" in message and "source kobo_test" in message
    assert TOKEN not in message
    assert len(handler.requests) == 1, "a refused token is not retried"
    landing = settings.landing_dir()
    leaked = [path for path in landing.rglob("*") if path.is_file() and TOKEN.encode() in path.read_bytes()]
    assert leaked == []


# --- into the warehouse -----------------------------------------------------------------------


def test_submissions_reach_int_reports_conformed(hrdw_home, make_spec, http_server, build_warehouse, kobo_dir):
    base_url, _ = http_server(kobo_dir, {FORM_PATH: [(200, JSON, body(kobo_dir, "incident_form_all.json"))]})
    form = kobo_spec(
        make_spec,
        base_url + FORM_PATH,
        name="kobo_incidents",
        columns=FORM_COLUMNS,
        required_columns=["event_date", "country"],
    )
    # The real recordings: `_geolocation` gives coordinates without a mapped geopoint; a
    # select_multiple of choice numbers; validation statuses in the API's JSON object.
    geo = kobo_spec(
        make_spec,
        f"{base_url}/a9NCKTJxBPKdy49gX57WL5_geodata_data.json",
        name="kobo_geo",
        columns={"title": "point_description"},
    )
    pets = kobo_spec(
        make_spec,
        f"{base_url}/apBgxt6Nw4Vcjnn7wYpF33_validation_data.json",
        name="kobo_pets",
        columns={"victim_name": "full_name", "violations": "pet_type", "event_date": "today"},
    )
    con = build_warehouse([form, geo, pets], select="+int_reports_conformed")
    rows = con.execute(
        """
        select victim_name, country_code, cast(event_date as varchar), violation_labels, perpetrator_labels,
               latitude, longitude, published_in_source, violation_vocabulary, source_record_id
        from intermediate.int_reports_conformed where source_name = 'kobo_incidents' order by event_date
        """
    ).fetchall()
    assert rows == [
        ("Aida Mamatova", "KG", "2026-03-14", "arbitrary_detention|threats", "police", 42.8746, 74.5698, True,
         "kobo", "a4c27a96-ce38-4d8a-a948-ce1a92ffc970"),
        ("Timur Bekov", "KZ", "2026-04-02", "online_harassment", "unknown", None, None, False,
         "kobo", "d2fe94b7-afd5-4d60-b099-fc21c52e76a0"),
        ("Dilnoza Rakhimova", "TJ", "2026-05-20", "judicial_harassment", "local_officials", 38.5598, 68.787, True,
         "kobo", "a5fd76b3-253d-44a7-bb2a-8c21a804ec65"),  # the edited submission under its first uuid
    ]  # fmt: skip
    quarantined = con.execute("select _source, reason from raw._quarantine where _source like 'kobo_%'").fetchall()
    assert quarantined == [("kobo_incidents", "missing required value(s): event_date ('incident/date')")]
    # reported_at: the day of _submission_time, the day after each event here
    reported = con.execute(
        "select cast(reported_at as varchar) from intermediate.int_reports_conformed "
        "where source_name = 'kobo_incidents' order by event_date"
    ).fetchall()
    assert reported == [("2026-03-15",), ("2026-04-03",), ("2026-05-21",)]

    assert con.execute(
        "select title, latitude, longitude from intermediate.int_reports_conformed where source_name = 'kobo_geo'"
    ).fetchall() == [("Jardin Liberte", 14.719783, -17.459261)]
    assert con.execute(
        """
        select victim_name, violation_labels, published_in_source, cast(event_date as varchar)
        from intermediate.int_reports_conformed where source_name = 'kobo_pets' order by victim_name
        """
    ).fetchall() == [
        ("Coco", "3|4", True, "2022-05-10"),  # on hold: publishable
        ("Jah", "2|3|5", True, "2022-05-10"),  # approved
        ("Moe", "2|5", False, "2022-05-10"),  # not approved: held back
    ]

    for spec in (form, geo, pets):
        landed = sum(
            json.loads(manifest.read_text())["record_count"]
            for manifest in (settings.landing_dir() / spec.name).glob("*/manifest.json")
        )
        staged = con.execute(
            "select count(*) from intermediate.int_reports_conformed where source_name = ?", [spec.name]
        ).fetchone()[0]
        held = con.execute("select count(*) from raw._quarantine where _source = ?", [spec.name]).fetchone()[0]
        assert landed == staged + held, spec.name


def test_a_saved_response_replays_under_its_own_file_name(hrdw_home, make_spec, kobo_dir, tmp_path):
    """A data.json saved from the API and replayed from disk keeps its name in landing and in the
    rows' lineage (it landed as page-0001.json, which names no file anyone has)."""
    saved = tmp_path / "saved" / f"{REAL_UID}_data.json"
    saved.parent.mkdir()
    saved.write_bytes(body(kobo_dir, f"{REAL_UID}_data.json"))
    spec = make_spec(name="kobo_replay", kind="kobo_api", location={"url": str(saved)})
    manifest, rows = land_and_read(spec)
    assert [entry["name"] for entry in manifest["files"]] == [saved.name]
    partition = settings.landing_dir() / "kobo_replay" / manifest["batch_id"]
    assert (partition / saved.name).read_bytes() == saved.read_bytes()
    records = [row for row in rows if isinstance(row, RawRecord)]
    assert len(records) == 5 and {row.source_file for row in records} == {saved.name}


# --- form versions: a plain victim group, then a victims repeat (issue 16, point 2) --------------

VERSIONS_PATH = "/api/v2/assets/aHrdIncidentRep0rtDemo/versions/data.json"
VERSIONS_COLUMNS = {
    "event_date": "incident/date",
    "country": "incident/country",
    "victims_repeat": "victim",
    "victim_name": ["victim/name", "victim/full_name"],  # the older version's plain group reads the same path
    "victim_type": "victim/role",
    "victim_count": "victim_count",
    "violations": "incident/violation",
    "perpetrator": "incident/perpetrator",
    "description": "incident/description",
}
VERSIONS_MAPS = {
    "victim_type": {"hrd": "human rights defender"},
    "violations": {"physical_attack": "attack", "equipment destroyed": "destruction of equipment"},
    "perpetrator": {"government": "state"},
}
OLD_KEY, REPEAT_KEY, SHORT_KEY, EMPTY_KEY = (
    "0b7c1e52-3d4f-4a61-9a2e-6f0d8c3b1a01",
    "61f705cc-2a1e-4c1b-9d7e-5edef1666579",
    "7a2e9b14-5c6d-4e83-a1f4-2b7c8d9e0f03",
    "8b3fa025-6d7e-4f94-b205-3c8d9eaf1004",
)


def test_both_form_versions_reach_staging_one_report_per_victim(
    hrdw_home, make_spec, http_server, build_warehouse, kobo_dir
):
    """One data.json mixing `__version__`s: the older plain group (`victim/name`) stays one report
    under its submission key; each row of the newer repeat (`victim`: a list) is one report keyed
    `<submission>/victim[n]`, sharing the submission as incident_key; `other` answers take their
    `*_other` text; `value_maps` apply as for sheets; an empty repeat and a victim_count that does
    not match are visible in victims_issue."""
    versions = body(kobo_dir, "incident_form_versions.json")
    base_url, _ = http_server(kobo_dir, {VERSIONS_PATH: [(200, JSON, versions)]})
    spec = kobo_spec(
        make_spec, base_url + VERSIONS_PATH, name="kobo_versions", columns=VERSIONS_COLUMNS, value_maps=VERSIONS_MAPS
    )
    con = build_warehouse([spec])
    rows = con.execute(
        """
        select source_record_id, incident_key, victim_name, victim_role, country_raw, violation_labels,
               perpetrator_labels, victims_issue
        from staging.stg_kobo_versions__reports order by source_record_id
        """
    ).fetchall()
    assert rows == [
        (OLD_KEY, OLD_KEY, "Nurlan Asanov", "journalist", "kyrgyzstan", "threats", "unknown", None),
        ("1c8d2f63-4e5a-4b72-8b3f-7a1e9d4c2b02", "1c8d2f63-4e5a-4b72-8b3f-7a1e9d4c2b02", "Gulnara Seitkali",
         "human rights defender", "kazakhstan", "arbitrary_detention", "police", None),
        (f"{REPEAT_KEY}/victim[1]", REPEAT_KEY, "Aizada Toktobaeva", "journalist", "kyrgyzstan",
         "attack|destruction of equipment", "non_state", None),
        (f"{REPEAT_KEY}/victim[2]", REPEAT_KEY, "Ermek Joldoshev", "media_worker", "kyrgyzstan",
         "attack|destruction of equipment", "non_state", None),
        (f"{REPEAT_KEY}/victim[3]", REPEAT_KEY, "Bermet Usenova", "Camera operator", "kyrgyzstan",
         "attack|destruction of equipment", "non_state", None),
        (f"{SHORT_KEY}/victim[1]", SHORT_KEY, "Dilshod Karimov", "blogger", "Uzbekistan", "online_harassment",
         "state", "victim_count 3 but 2 victim(s) read from the repeat victim"),
        (f"{SHORT_KEY}/victim[2]", SHORT_KEY, "Malika Yusupova", "human rights defender", "Uzbekistan",
         "online_harassment", "state", "victim_count 3 but 2 victim(s) read from the repeat victim"),
        (EMPTY_KEY, EMPTY_KEY, None, None, "kyrgyzstan", "censorship", "state",
         "no victim: the repeat victim has no rows"),
    ]  # fmt: skip
    conformed = con.execute(
        "select source_record_id, country_code, victims_issue from intermediate.int_reports_conformed "
        "where incident_key = ? order by source_record_id",
        [SHORT_KEY],
    ).fetchall()
    issue = "victim_count 3 but 2 victim(s) read from the repeat victim"
    # country `other` with incident/country_other "Uzbekistan": recognised, not "country not recognised: other"
    assert conformed == [(f"{SHORT_KEY}/victim[1]", "UZ", issue), (f"{SHORT_KEY}/victim[2]", "UZ", issue)]
    events = con.execute(
        "select count(distinct event_id) from marts.bridge_event_source_record where source_record_id like ?",
        [f"{REPEAT_KEY}/victim[%"],
    ).fetchone()
    assert events == (1,), "the three victims of one submission are one event"
    con.close()

    results = json.loads(settings.dbt_run_results_path().read_text())["results"]
    (warn_test,) = [node for node in results if node["unique_id"] == "test.hrdw.assert_form_victims_add_up"]
    assert (warn_test["status"], warn_test["failures"]) == ("warn", 3)  # 2 reports of one submission + 1

    from hrdw import victim_issues
    from orchestration import sync

    assert victim_issues.summary_lines() == [
        "Form submissions whose victims do not add up: 2 (kept; the reason is "
        "intermediate.int_reports_conformed.victims_issue)",
        "  kobo_versions: 2 submission(s):",
        f"    page-0001.json row 4: {issue}",
        "    page-0001.json row 5: no victim: the repeat victim has no rows",
    ]
    summary = sync.summary([], "20261129T000000Z", hrdw_home / "sync.log").splitlines()
    assert "  kobo_versions: 2 submission(s):" in summary
