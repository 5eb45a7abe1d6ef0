"""ODK Central OData connector against a real local HTTP server replaying Central-shaped pages
(tests/fixtures/odk_odata, see SOURCE.md): paging by @odata.nextLink, incremental filters that
bring deletions back, faults, credentials, and staging through real dbt."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.base import QuarantinedRow, RawRecord
from extract.connectors import connector_for
from extract.http import FetchError
from extract.ingest import land_source, load_source
from hrdw import settings

END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SVC = "/v1/projects/7/forms/incident_report.svc/Submissions"
FAST = {"retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0, "timeout_seconds": 2}
JSON = {"Content-Type": "application/json; charset=utf-8"}
S1 = "uuid:3f9d0a52-6c1e-4b8a-9e57-0d2b8c41a7e3"
S2 = "uuid:8b27e6f4-1d3a-4c59-a2e8-5f60b9d3c814"
S3 = "uuid:c5a19e07-92b4-47d6-8f1c-e3b6a0d52f98"
S4 = "uuid:e1d47b3c-5a08-4f2e-b9c6-7a2f18d0e635"
S5 = "uuid:9a6c2f10-4e7b-4d35-8c1a-b2f03e9d7a46"  # expanded pages only: no victim entered yet
# canonical name -> the form's OData column (groups flattened with "/")
COLUMNS = {
    "event_date": "incident/date",
    "country": "incident/country",
    "city": "incident/city",
    "geolocation": "incident/location",
    "violations": "incident/violations",
    "perpetrator": "incident/perpetrator",
    "description": "incident/description",
    "victim_name": "main_victim",
    "monitoring_status": "follow_up",
}

# The same form read per victim: the repeat `victims` inlined by $expand=*.
VICTIM_COLUMNS = {
    **COLUMNS,
    "victims_repeat": "victims",
    "victim_name": "victims/name",
    "victim_gender": "victims/gender",
    "victim_type": "victims/role",
    "organization": "victims/outlet",
    "victim_count": "victim_count",
}


@pytest.fixture
def odk_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "odk_odata"


def page(odk_dir: Path, name: str) -> tuple[int, dict[str, str], bytes]:
    return 200, JSON, (odk_dir / f"submissions-{name}.json").read_bytes()


def odk_spec(make_spec, base_url: str, url_query: str = "", name: str = "odk_incidents", columns=None, **options):
    return make_spec(
        name=name,
        kind="odk_odata",
        connection_id="odk_central_hrd",
        location={"url": base_url + SVC + url_query},
        columns=columns or COLUMNS,
        options={**FAST, "page_size": 2, **options},
    )


def expanded_export(odk_dir: Path) -> list:
    return [page(odk_dir, "expanded-page-1"), page(odk_dir, "expanded-page-2")]


def query(request_path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request_path).query)


def land(spec, end: dt.datetime = END, **kwargs) -> dict:
    return land_source(spec, end - DAY, end, **kwargs)


def parse_partition(spec, manifest: dict) -> list:
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    return list(connector_for(spec.kind).parse(spec, partition))


def full_export(odk_dir: Path) -> list:
    return [page(odk_dir, "page-1"), page(odk_dir, "page-2")]


def test_pages_to_the_end_following_next_link_on_the_configured_host(hrdw_home, make_spec, odk_dir, http_server):
    base_url, handler = http_server(odk_dir, {SVC: full_export(odk_dir)})
    spec = odk_spec(make_spec, base_url)
    manifest = land(spec, login="monitor@example.org", secrets={"password": "pw-for-test"})
    assert len(handler.requests) == 2
    first, second = query(handler.requests[0]), query(handler.requests[1])
    assert (first["$top"], first["$count"], "$filter" in first, "$skiptoken" in first) == (
        ["2"],
        ["true"],
        False,
        False,
    )
    # Central wrote its own DOMAIN (https://central.example.org) into nextLink; the cursor is followed
    # on the configured host, so credentials never travel elsewhere.
    token = json.loads(base64.b64decode(second["$skiptoken"][0][2:]))
    assert token == {"instanceId": S2}
    assert second["$top"] == ["2"] and second["$count"] == ["true"]
    assert "$expand" not in first and "$expand" not in second  # no repeat mapped: nothing inlined
    expected_auth = "Basic " + base64.b64encode(b"monitor@example.org:pw-for-test").decode()
    assert all(headers["Authorization"] == expected_auth for headers in handler.headers_seen)
    assert [entry["records"] for entry in manifest["files"]] == [2, 1]
    assert manifest["files"][1]["origin"].startswith(base_url + SVC)
    assert (manifest["scope"], manifest["record_count"], manifest["rows_announced"]) == ("full", 3, 3)
    assert manifest["cursor_after"] == "2024-06-11T07:02:15.210Z"  # S3's updatedAt, the latest change seen
    partition = hrdw_home / "landing" / "odk_incidents" / manifest["batch_id"]
    landed = (partition / "page-0001.json").read_bytes()
    assert landed == (odk_dir / "submissions-page-1.json").read_bytes()
    assert manifest["files"][0]["sha256"] == hashlib.sha256(landed).hexdigest()
    assert "pw-for-test" not in json.dumps(manifest)


def test_rows_flatten_groups_keep_repeat_links_and_every_system_column(hrdw_home, make_spec, odk_dir, http_server):
    base_url, _ = http_server(odk_dir, {SVC: full_export(odk_dir)})
    spec = odk_spec(make_spec, base_url)
    rows = parse_partition(spec, land(spec))
    assert all(isinstance(row, RawRecord) for row in rows)
    assert [row.record_id for row in rows] == [S3, S2, S1]  # Central pages newest first
    assert [(row.source_file, row.source_row) for row in rows] == [
        ("page-0001.json", 1),
        ("page-0001.json", 2),
        ("page-0002.json", 1),
    ]
    edited, gulu, nakuru = (row.values for row in rows)
    assert nakuru["incident/date"] == "2024-05-28" and nakuru["incident/violations"] == "physical_attack threats"
    assert json.loads(nakuru["incident/location"]) == {
        "type": "Point",
        "coordinates": [36.0663, -0.2831, 1859.6],
        "properties": {"accuracy": 4.9},
    }
    assert nakuru["victims@odata.navigationLink"] == f"Submissions('{S1.replace(':', '%3A')}')/victims"
    assert gulu["incident/description"].endswith("allocation.\nReleased the next morning without charge.")
    assert (gulu["follow_up"], gulu["__system/updatedAt"], gulu["__system/reviewState"]) == (None, None, None)
    # __id stays the submission's first instanceID; meta/instanceID is the edited version's.
    assert edited["__id"] == S3 and edited["meta/instanceID"] == "uuid:7d0e4b91-3c2f-4a86-b5d1-96e8f2a07c34"
    assert (edited["__system/edits"], edited["__system/attachmentsPresent"]) == ("1", "0")
    assert edited["incident/location"] is None
    for values in (edited, gulu, nakuru):
        assert {f"__system/{name}" for name in ("deletedAt", "status", "deviceId", "formVersion")} <= set(values)
        assert values["__system/deletedAt"] is None


def test_incremental_run_filters_on_changes_since_the_cursor_and_brings_deletions(
    hrdw_home, make_spec, odk_dir, http_server
):
    base_url, handler = http_server(odk_dir, {SVC: [*full_export(odk_dir), page(odk_dir, "delta")]})
    spec = odk_spec(make_spec, base_url, look_back_hours=24)
    first = land(spec, END - DAY)
    second = land(spec, END)
    assert len(handler.requests) == 3
    sent = query(handler.requests[2])
    since = "2024-06-10T07:02:15.210Z"  # the first run's cursor_after minus 24 hours
    assert sent["$filter"] == [
        f"__system/submissionDate gt {since} or __system/updatedAt gt {since} or __system/deletedAt gt {since}"
    ]
    assert sent["$count"] == ["true"] and sent["$top"] == ["2"]
    assert (second["cursor_before"], second["cursor_after"]) == (first["cursor_after"], "2024-06-15T09:30:12.006Z")
    assert (second["scope"], second["record_count"], second["delta_records"]) == (f"since {since}", None, 3)
    rows = parse_partition(spec, second)
    assert [row.record_id for row in rows] == [S4, S3, S2]
    deleted = rows[2].values
    assert deleted["__system/deletedAt"] == "2024-06-15T09:30:12.006Z" and deleted["main_victim"] == "Peter Okello Ocen"
    assert first["batch_id"] != second["batch_id"]


def test_a_quiet_day_lands_an_empty_delta_without_tripping_the_shrink_guard(hrdw_home, make_spec, odk_dir, http_server):
    empty = b'{"value":[],"@odata.context":"https://central.example.org/v1/projects/7/forms/incident_report.svc/$metadata#Submissions","@odata.count":0}'
    base_url, handler = http_server(odk_dir, {SVC: [*full_export(odk_dir), (200, JSON, empty)]})
    spec = odk_spec(make_spec, base_url)
    first = land(spec, END - DAY)
    quiet = land(spec, END)
    assert "$filter" in query(handler.requests[2])
    assert (quiet["delta_records"], quiet["cursor_after"]) == (0, first["cursor_after"])
    assert [entry["records"] for entry in quiet["files"]] == [0]
    assert parse_partition(spec, quiet) == []


@pytest.mark.parametrize(
    ("fault", "expected_requests"),
    [
        ((500, {}, b"Internal Server Error"), 3),
        ((502, JSON, b'{"message":"Bad Gateway"}'), 3),
        ((200, JSON, b'{"value":[{"__id":"uuid:c5a19e07-92b4-47d6-8f1c-e3b6a0d52f98","incident":{"da'), 3),
        ((200, JSON, b"{}", 2.0), 3),
    ],
    ids=["500-then-ok", "502-then-ok", "truncated-json-then-ok", "timeout-then-ok"],
)
def test_a_transient_fault_on_the_next_page_is_retried(
    hrdw_home, make_spec, odk_dir, http_server, fault, expected_requests
):
    script = [page(odk_dir, "page-1"), fault, page(odk_dir, "page-2")]
    base_url, handler = http_server(odk_dir, {SVC: script})
    spec = odk_spec(make_spec, base_url, timeout_seconds=0.5)
    manifest = land(spec)
    assert len(handler.requests) == expected_requests
    assert handler.requests[1] == handler.requests[2], "the same next link is asked again"
    assert manifest["record_count"] == 3
    assert len(parse_partition(spec, manifest)) == 3


def test_429_waits_as_long_as_retry_after_says(hrdw_home, make_spec, odk_dir, http_server, caplog):
    script = [(429, {"Retry-After": "1"}, b"Too Many Requests"), *full_export(odk_dir)]
    base_url, handler = http_server(odk_dir, {SVC: script})
    caplog.set_level(logging.WARNING, logger="extract.http")
    manifest = land(odk_spec(make_spec, base_url))
    assert "HTTP 429; waiting 1.0s before attempt 2" in caplog.text
    assert len(handler.requests) == 3 and manifest["record_count"] == 3


def test_a_server_that_keeps_timing_out_fails_naming_the_source(hrdw_home, make_spec, odk_dir, http_server):
    base_url, _ = http_server(odk_dir, {SVC: [(200, JSON, b"{}", 2.0)] * 2})
    spec = odk_spec(make_spec, base_url, timeout_seconds=0.5, retry_attempts=2)
    with pytest.raises(
        FetchError, match=r"source odk_incidents: GET .*Submissions.* failed after 2 attempt\(s\): timed out"
    ):
        land(spec)
    assert not (hrdw_home / "landing" / "odk_incidents" / "20261129T000000Z").exists()


def test_truncated_json_every_time_fails(hrdw_home, make_spec, odk_dir, http_server):
    cut = page(odk_dir, "page-1")[2][:700]
    base_url, _ = http_server(odk_dir, {SVC: [(200, JSON, cut)] * 2})
    with pytest.raises(FetchError, match="invalid or truncated JSON"):
        land(odk_spec(make_spec, base_url, retry_attempts=2))


def test_html_error_page_with_status_200_fails_naming_the_source(hrdw_home, make_spec, odk_dir, http_server):
    login_page = (200, {"Content-Type": "text/html"}, b"<!doctype html><html><title>ODK Central</title></html>")
    base_url, _ = http_server(odk_dir, {SVC: [page(odk_dir, "page-1"), *[login_page] * 2]})
    with pytest.raises(FetchError) as failure:
        land(odk_spec(make_spec, base_url, retry_attempts=2))
    message = str(failure.value)
    assert "source odk_incidents" in message and "skiptoken" in message and "HTML page" in message
    assert not (hrdw_home / "landing" / "odk_incidents" / "20261129T000000Z").exists()


def test_an_empty_page_that_still_links_onwards_fails(hrdw_home, make_spec, odk_dir, http_server):
    document = json.loads(page(odk_dir, "page-1")[2])
    document["value"] = []
    base_url, _ = http_server(odk_dir, {SVC: [(200, JSON, json.dumps(document).encode())]})
    with pytest.raises(FetchError, match="page 1 came back empty but announces a next page"):
        land(odk_spec(make_spec, base_url))


def test_a_next_link_that_loops_back_fails(hrdw_home, make_spec, odk_dir, http_server):
    document = json.loads(page(odk_dir, "page-1")[2])
    document["@odata.nextLink"] = f"https://central.example.org{SVC}?$top=2&$count=true"  # the first page again
    base_url, handler = http_server(odk_dir, {SVC: [(200, JSON, json.dumps(document).encode())] * 3})
    with pytest.raises(FetchError, match=r"paging does not end \(page 2 repeats "):
        land(odk_spec(make_spec, base_url))
    assert len(handler.requests) == 1


def test_fewer_rows_than_odata_count_fails(hrdw_home, make_spec, odk_dir, http_server):
    document = json.loads(page(odk_dir, "page-1")[2])
    del document["@odata.nextLink"]  # a proxy that dropped the link: 2 of 3 rows arrive
    base_url, _ = http_server(odk_dir, {SVC: [(200, JSON, json.dumps(document).encode())]})
    with pytest.raises(FetchError, match=r"announced 3 submissions \(@odata.count\) but 2 arrived"):
        land(odk_spec(make_spec, base_url))
    assert not (hrdw_home / "landing" / "odk_incidents" / "20261129T000000Z").exists()


def test_401_names_the_airflow_connection_and_never_the_secret(hrdw_home, make_spec, odk_dir, http_server):
    refused = (401, JSON, b'{"message":"Could not authenticate with the provided credentials.","code":401.2}')
    base_url, handler = http_server(odk_dir, {SVC: [refused]})
    spec = odk_spec(make_spec, base_url)
    with pytest.raises(FetchError) as failure:
        land(spec, login="monitor@example.org", secrets={"password": "s3cr3t-token"})
    message = str(failure.value)
    assert "HTTP 401" in message and "Airflow connection 'odk_central_hrd'" in message
    assert "s3cr3t-token" not in message
    assert handler.headers_seen[0]["Authorization"].startswith("Basic ")
    landing = hrdw_home / "landing"
    leaked = [path for path in landing.rglob("*") if path.is_file() and b"s3cr3t-token" in path.read_bytes()]
    assert leaked == []
    assert not (landing / "odk_incidents" / "20261129T000000Z").exists()


def test_a_row_without_id_is_quarantined_with_the_reason(hrdw_home, make_spec, odk_dir, http_server):
    document = json.loads(page(odk_dir, "page-2")[2])
    stray = dict(document["value"][0])
    del stray["__id"]
    document["value"].append(stray)
    document["@odata.count"] = 2
    base_url, _ = http_server(odk_dir, {SVC: [(200, JSON, json.dumps(document).encode())]})
    spec = odk_spec(make_spec, base_url)
    rows = parse_partition(spec, land(spec))
    assert isinstance(rows[0], RawRecord)
    assert isinstance(rows[1], QuarantinedRow)
    assert (rows[1].source_row, rows[1].reason) == (2, "OData row has no __id (submission instanceID)")
    assert "Grace Njeri Kamau" in rows[1].raw


def test_a_user_filter_in_the_url_is_combined_with_the_delta_filter(hrdw_home, make_spec, odk_dir, http_server):
    base_url, handler = http_server(odk_dir, {SVC: [*full_export(odk_dir), page(odk_dir, "delta")]})
    spec = odk_spec(make_spec, base_url, url_query="?$filter=__system/reviewState ne 'rejected'&$wkt=true")
    land(spec, END - DAY)
    land(spec, END)
    assert query(handler.requests[0])["$filter"] == ["__system/reviewState ne 'rejected'"]
    assert query(handler.requests[0])["$wkt"] == ["true"]
    assert query(handler.requests[2])["$filter"][0].startswith("(__system/reviewState ne 'rejected') and (")


def test_a_mapped_victims_repeat_asks_every_page_for_inline_repeats(hrdw_home, make_spec, odk_dir, http_server):
    first_page = json.loads(page(odk_dir, "expanded-page-1")[2])
    assert "%24expand=*" in first_page["@odata.nextLink"]  # Central keeps $expand in its next link...
    first_page["@odata.nextLink"] = first_page["@odata.nextLink"].replace("&%24expand=*", "")  # ...a proxy may not
    second_page = json.loads(page(odk_dir, "expanded-page-2")[2])
    second_page["value"][1]["victims"][1]["contact"] = {"phone_known": True}  # a group inside the repeat
    script = [(200, JSON, json.dumps(document).encode()) for document in (first_page, second_page)]
    base_url, handler = http_server(odk_dir, {SVC: script})
    spec = odk_spec(make_spec, base_url, url_query="?$expand=magic&$wkt=true", columns=VICTIM_COLUMNS)
    manifest = land(spec)
    first, second = (query(request) for request in handler.requests)
    assert first["$expand"] == second["$expand"] == ["*"]  # on the first request and on the followed link
    assert first["$wkt"] == ["true"] and (first["$top"], first["$count"]) == (["2"], ["true"])
    assert json.loads(base64.b64decode(second["$skiptoken"][0][2:])) == {"instanceId": S3}
    assert (manifest["record_count"], manifest["expand"]) == (4, "*")
    rows = {row.record_id: row.values for row in parse_partition(spec, manifest)}
    assert list(rows) == [S5, S3, S2, S1]
    assert rows[S5]["victims"] is None  # Central leaves out a repeat without instances; the column stays
    nakuru = json.loads(rows[S1]["victims"])
    assert [victim["name"] for victim in nakuru] == ["Grace Njeri Kamau", "Daniel Ochieng Were"]
    assert nakuru[1]["contact/phone_known"] is True and "contact" not in nakuru[1]  # groups flattened, JSON kept
    assert nakuru[0]["__id"] == hashlib.sha1(f"Submissions#{S1}%%victims#0".encode()).hexdigest()
    assert json.loads(rows[S3]["victims"]) == [
        {"name": "Neema Joseph Mollel", "gender": "female", "role": "blogger", "outlet": None,
         "__id": hashlib.sha1(f"Submissions#{S3}%%victims#0".encode()).hexdigest()}
    ]  # fmt: skip


def test_the_first_run_reading_repeats_fetches_everything_once(hrdw_home, make_spec, odk_dir, http_server):
    empty = b'{"value":[],"@odata.context":"https://central.example.org/v1/projects/7/forms/incident_report.svc/$metadata#Submissions","@odata.count":0}'
    script = [*full_export(odk_dir), *expanded_export(odk_dir), (200, JSON, empty)]
    base_url, handler = http_server(odk_dir, {SVC: script})
    land(odk_spec(make_spec, base_url), END - DAY)  # before the YAML mapped the repeat
    spec = odk_spec(make_spec, base_url, columns=VICTIM_COLUMNS)
    switched = land(spec, END)
    following = land(spec, END + DAY)
    asked = [query(request) for request in handler.requests]
    assert ["$expand" in sent for sent in asked] == [False, False, True, True, True]
    # Submissions landed without their repeat rows are all asked for again, once.
    assert "$filter" not in asked[2] and "$filter" in asked[4]
    assert (switched["scope"], switched["record_count"]) == ("full", 4)
    assert "did not expand repeats" in switched["cursor_ignored"]
    assert following["scope"].startswith("since ") and "cursor_ignored" not in following


def test_a_victims_repeat_odata_cannot_read_is_refused_before_anything_lands(
    hrdw_home, tmp_path, make_spec, monkeypatch, capsys
):
    """A list where one repeat path belongs, or $select next to the repeat (Central refuses it with
    $expand): this kind's own problems, named with their field before the land step asks Central
    for anything, and by `make check-source`. Reading the YAML does not import connector code (the
    DAG processor reads it), so it checks what every kind shares and the options each declares."""
    from extract.connectors import spec_problems
    from hrdw.sources import load_spec

    def write(name: str, url: str, repeat) -> Path:
        document = {
            "name": name,
            "kind": "odk_odata",
            "description": "d",
            "location": {"url": url},
            "columns": {"victims_repeat": repeat, "victim_name": "victims/name"},
        }
        path = tmp_path / f"{name}.yml"
        path.write_text(json.dumps(document))
        return path

    url = "https://central.example.org" + SVC
    assert load_spec(write("odk_ok", url + "?$wkt=true", "incident/victims")).columns["victims_repeat"] == (
        "incident/victims"
    )
    assert spec_problems(load_spec(write("odk_ok", url + "?$wkt=true", "incident/victims"))) == []
    aliases = spec_problems(load_spec(write("odk_aliases", url, ["victims", "victim"])))
    assert len(aliases) == 1 and aliases[0].startswith("field `columns.victims_repeat`") and "not a list" in aliases[0]
    selected_yaml = spec_problems(load_spec(write("odk_select", url + "?$select=__id,incident", "victims")))
    assert len(selected_yaml) == 1 and selected_yaml[0].startswith("field `location.url`")
    assert "$expand=*" in selected_yaml[0]
    from orchestration import check_source

    monkeypatch.setenv("HRDW_SOURCES_DIR", str(tmp_path))
    assert check_source.main(["odk_select"]) == 1
    printed = capsys.readouterr().out
    assert "[FAILED] source file:" in printed and "odk_select.yml: kind 'odk_odata': field `location.url`" in printed
    selected = make_spec(
        name="odk_select", kind="odk_odata", location={"url": url + "?$select=__id"}, columns=VICTIM_COLUMNS
    )
    with pytest.raises(ValueError, match=r"source odk_select .*field `location.url`.*\$select"):
        land(selected)


def test_runs_stage_with_deletions_marked_and_one_report_per_expanded_victim(
    hrdw_home, make_spec, odk_dir, http_server, build_warehouse
):
    script = [*full_export(odk_dir), page(odk_dir, "delta"), *expanded_export(odk_dir)]
    base_url, _ = http_server(odk_dir, {SVC: script})
    spec = odk_spec(make_spec, base_url)
    per_victim = odk_spec(make_spec, base_url, name="odk_victims", columns=VICTIM_COLUMNS)
    first = land(spec, END - DAY)  # the full run, the day before build_warehouse's own (incremental) run
    first_report = load_source(spec, first["batch_id"])
    # per_victim lands the expanded pages (one dbt build for both)
    con = build_warehouse([spec, per_victim], select="+int_reports_conformed")
    victims = con.execute(
        "select source_record_id, incident_key, victim_name, victim_gender, victim_role, organization, country_raw, "
        "victims_issue from staging.stg_odk_victims__reports order by source_record_id"
    ).fetchall()
    no_victim = "no victim: the repeat victims has no rows"
    assert victims == [
        (f"{S1}/victims[1]", S1, "Grace Njeri Kamau", "female", "journalist", "Rift Valley Voice", "KE", None),
        (f"{S1}/victims[2]", S1, "Daniel Ochieng Were", "male", "media_worker", "Rift Valley Voice", "KE", None),
        (f"{S2}/victims[1]", S2, "Peter Okello Ocen", "male", "hrd", "Acholi Land Rights Forum", "UG", None),
        (S5, S5, None, None, None, None, "KE", no_victim),
        (f"{S3}/victims[1]", S3, "Neema Joseph Mollel", "female", "blogger", None, "TZ", None),
    ]  # fmt: skip
    results = json.loads(settings.dbt_run_results_path().read_text())["results"]
    (warn_test,) = [node for node in results if node["unique_id"] == "test.hrdw.assert_form_victims_add_up"]
    assert (warn_test["status"], warn_test["failures"]) == ("warn", 1)  # S5, the empty repeat
    rows = con.execute(
        "select source_record_id, country_code, cast(event_date as varchar), victim_name, violation_labels, "
        "perpetrator_labels, latitude, longitude, monitoring_status, published_in_source "
        "from intermediate.int_reports_conformed where source_name = 'odk_incidents'"
    ).fetchall()
    assert len(rows) == 4
    by_id = {row[0]: row for row in rows}
    assert by_id[S1] == (
        S1,
        "KE",
        "2024-05-28",
        "Grace Njeri Kamau",
        "physical_attack|threats",
        "police",
        -0.2831,
        36.0663,
        "active",
        True,
    )
    assert by_id[S2][1:5] == ("UG", "2024-06-01", "Peter Okello Ocen", "arbitrary_detention")
    assert by_id[S2][8:] == ("Deleted in source", False)
    assert by_id[S3][1:6] == (
        "TZ",
        "2024-06-08",
        "Neema Joseph Mollel",
        "online_harassment|legal_harassment",
        "government_official",
    )
    assert by_id[S3][6:] == (None, None, "pending", True)
    assert by_id[S4][1:5] == ("KE", "2024-06-13", "Fatuma Akinyi Odhiambo", "threats")
    assert by_id[S4][6:8] == (-0.0917, 34.7617)
    # The edited S3 came again in the delta (look-back): staging shows the newest batch's version.
    batches = dict(
        con.execute(
            "select source_record_id, batch_id from intermediate.int_reports_conformed "
            "where source_name = 'odk_incidents'"
        ).fetchall()
    )
    assert batches[S3] == batches[S4] == "20261129T000000Z" and batches[S1] == first["batch_id"]
    # reported_at: the day of __system/submissionDate
    reported = dict(
        con.execute(
            "select source_record_id, reported_at from intermediate.int_reports_conformed "
            "where source_name = 'odk_incidents'"
        ).fetchall()
    )
    assert reported[S1] == dt.date(2024, 5, 28)
    # Nothing lost: every landed row is in raw or quarantine, and every landed submission is staged once.
    second = json.loads((hrdw_home / "landing" / "odk_incidents" / "20261129T000000Z" / "manifest.json").read_text())
    landed = sum(entry["records"] for manifest in (first, second) for entry in manifest["files"])
    raw_rows = con.execute('select count(*) from raw."odk_incidents__reports"').fetchone()[0]
    quarantined = con.execute("select count(*) from raw._quarantine where _source = 'odk_incidents'").fetchone()[0]
    assert (first_report.loaded, raw_rows, quarantined, landed) == (3, 6, 0, 6)
    staged = con.execute(
        "select count(*) from intermediate.int_reports_conformed where source_name = 'odk_incidents'"
    ).fetchone()[0]
    distinct_landed = con.execute('select count(distinct _source_record_id) from raw."odk_incidents__reports"')
    assert staged == distinct_landed.fetchone()[0] == 4
