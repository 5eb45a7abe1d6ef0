"""Uwazi ``/api/v2/search`` connector against a real local HTTP server and the real ``dbt build``.

Fixtures (tests/fixtures/uwazi_api, see SOURCE.md) are three pages of five entities in the v2
response shape, ``page[limit]=2``: the project's seed record plus four fictional entities.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from extract.base import QuarantinedRow, RawRecord, read_manifest
from extract.connectors import connector_for
from extract.http import FetchError
from extract.ingest import ShrinkGuardError, land_source
from hrdw import settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uwazi_api"
SEARCH = "/api/v2/search"
TEMPLATE = "5f7c1e2a9b3d4c0011a1b2c3"
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
SEED_ID = "k1yv4w7e2qd"
END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
START = END - dt.timedelta(days=1)


def page_bytes(number: int) -> bytes:
    return (FIXTURES / f"page-{number}.json").read_bytes()


def page_doc(number: int) -> dict:
    return json.loads(page_bytes(number))


def ok(body: bytes | dict, delay: float | None = None) -> tuple:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return (200, JSON_HEADERS, data) if delay is None else (200, JSON_HEADERS, data, delay)


def link(limit: int, offset: int) -> str:
    return SEARCH + "?" + urlencode([("page[limit]", limit), ("page[offset]", offset)])


ALL_PAGES = [ok(page_bytes(1)), ok(page_bytes(2)), ok(page_bytes(3))]


def queries(handler) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(path).query) for path in handler.requests]


def searches(handler) -> list[dict[str, str]]:
    """Request headers of the GETs to the search endpoint, in order."""
    return [
        headers for path, headers in zip(handler.requests, handler.headers_seen, strict=True) if path.startswith(SEARCH)
    ]


@pytest.fixture
def uwazi(http_server, make_spec):
    """``uwazi(script, **spec_fields)`` -> (spec, handler): a source reading a scripted /api/v2/search."""

    def start(script: list, options: dict | None = None, **fields):
        base_url, handler = http_server(FIXTURES, {SEARCH: script})
        fields.setdefault("name", "uwazi_api_test")
        spec = make_spec(
            kind="uwazi_api",
            location={"url": base_url + SEARCH},
            options={"page_size": 2, "template": TEMPLATE, **(options or {})},
            **fields,
        )
        return spec, handler

    return start


def partitions(name: str) -> list[str]:
    folder = settings.landing_dir() / name
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def landing_text(home: Path) -> str:
    folder = home / "landing"
    if not folder.exists():
        return ""
    return "".join(path.read_text(errors="replace") for path in folder.rglob("*") if path.is_file())


# --- paging and flattening --------------------------------------------------------------------


def test_pages_by_offset_to_the_end_and_flattens_metadata(hrdw_home, uwazi, land_and_parse):
    spec, handler = uwazi(list(ALL_PAGES))
    manifest, rows = land_and_parse(spec)

    asked = queries(handler)
    assert [query["page[offset]"] for query in asked] == [["0"], ["2"], ["4"]]
    assert all(query["page[limit]"] == ["2"] and query["filter[template]"] == [TEMPLATE] for query in asked)
    assert asked[0]["fields[]"] == [
        "sharedId", "title", "template", "language", "published", "creationDate", "editDate", "metadata"
    ]  # fmt: skip
    assert [entry["records"] for entry in manifest["files"]] == [2, 2, 1]
    assert manifest["record_count"] == 5
    assert manifest["rows_announced"] == {"default": 5}
    assert manifest["scope"] == f"full template={TEMPLATE}"
    partition = hrdw_home / "landing" / spec.name / manifest["batch_id"]
    assert (partition / "page-0002.json").read_bytes() == page_bytes(2), "landed byte for byte"

    assert all(isinstance(row, RawRecord) for row in rows) and len(rows) == 5
    seed = rows[0]
    assert (seed.record_id, seed.source_file, seed.source_row) == (SEED_ID, "page-0001.json", 1)
    values = seed.values
    assert values["title"] == "Kyrgyzstan: media outlet website, social media target of online harassment"
    assert values["country"] == "Kyrgyzstan"
    assert values["initial_date"] == "1601942400"  # epoch seconds as Uwazi stores them
    assert values["violation"] == "Intimidation and Threats|Online Attack and Harassment"
    assert values["rights_concerned"] == "Media freedom|Online|Right to healthy and safe environment"
    assert values["event_location_geolocation"] == "42.88654926606721|74.60373960534305"
    assert values["victim"] == "Radio Azattyk"
    assert values["impact_of_event"] == "1"
    assert (values["perpetrator_non_state"], values["perpetrator_state"]) == ("Non-state", None)
    assert values["monitoring_status"] == "Pending"
    assert (values["published"], values["language"], values["template"]) == ("true", "en", TEMPLATE)
    assert (values["creationDate"], values["editDate"]) == ("1602148467000", "1602500571000")
    assert values["_id"] == "5f7ed1b39a1c2e0012d4a7f1"

    tajik, kazakh, uzbek, draft = rows[1:]
    assert tajik.values["violation"] == "Deprivation of liberty::Arbitrary Arrest and Detention"
    assert tajik.values["source"] == "Partner report|https://example.org/reports/tj-2021-05"
    assert kazakh.values["period_of_harassment"] == "1641772800~1664496000"
    assert uzbek.values["published"] == "false"
    assert (draft.source_file, draft.source_row, draft.values["violation"]) == ("page-0003.json", 1, None)
    assert len({tuple(row.values) for row in rows}) == 1, "one column layout for every row"


def test_server_without_pagination_links_stops_at_a_short_page(hrdw_home, uwazi, land_and_parse):
    # Uwazi releases before offset paging answered with {self, first} links only.
    bodies = []
    for number in (1, 2, 3):
        document = page_doc(number)
        document["links"] = {key: document["links"][key] for key in ("self", "first")}
        bodies.append(ok(document))
    spec, handler = uwazi(bodies)
    manifest, rows = land_and_parse(spec)
    assert len(handler.requests) == 3, "the 1-entity page ends the result; no extra request"
    assert [row.record_id for row in rows][-1] == "p2d6h9v4kmz"
    assert manifest["rows_announced"] == {"default": None}


def test_every_run_is_a_full_read_and_records_the_newest_edit_date(hrdw_home, uwazi):
    spec, handler = uwazi(list(ALL_PAGES))
    first = land_source(spec, START - dt.timedelta(days=1), START)
    assert first["cursor_after"] == "1707115530000"  # the draft's editDate, the newest of the five

    edited = page_doc(3)
    edited["data"][0]["title"] = "Kyrgyzstan: threats reported against regional radio host"
    edited["data"][0]["editDate"] = 1767225600000
    handler.script[SEARCH] = [ok(page_bytes(1)), ok(page_bytes(2)), ok(edited)]
    handler.requests.clear()
    second = land_source(spec, START, END)

    # No editDate filter exists in the v2 search: the second run reads everything again.
    assert [query["page[offset]"] for query in queries(handler)] == [["0"], ["2"], ["4"]]
    assert not any("editDate" in key or "searchString" in key for query in queries(handler) for key in query)
    assert second["cursor_before"] == "1707115530000"
    assert second["cursor_after"] == "1767225600000"
    assert (second["scope"], second["record_count"], second["incremental"]) == (first["scope"], 5, False)
    partition = settings.landing_dir() / spec.name / second["batch_id"]
    rows = list(connector_for("uwazi_api").parse(spec, partition))
    assert rows[-1].values["title"] == "Kyrgyzstan: threats reported against regional radio host"


def test_shrink_guard_compares_a_full_read_with_the_last_full_read(hrdw_home, uwazi):
    spec, handler = uwazi(list(ALL_PAGES))
    first = land_source(spec, START - dt.timedelta(days=1), START)
    lonely = {"data": page_doc(1)["data"][:1], "links": {"self": SEARCH, "first": SEARCH, "last": link(2, -1)}}
    handler.script[SEARCH] = [ok(lonely)]
    with pytest.raises(ShrinkGuardError, match=r"returned 1 record\(s\) for scope 'full template="):
        land_source(spec, START, END)
    assert partitions(spec.name) == [first["batch_id"]], "the good landing stays, nothing half-written"


# --- transient and permanent faults ---------------------------------------------------------


def test_a_500_is_retried_then_the_run_succeeds(hrdw_home, uwazi, land_and_parse):
    spec, handler = uwazi([(500, {}, b"Internal Server Error"), *ALL_PAGES])
    manifest, rows = land_and_parse(spec)
    assert len(handler.requests) == 4
    assert handler.requests[0] == handler.requests[1], "the failed page is asked again"
    assert manifest["record_count"] == len(rows) == 5


def test_429_waits_as_long_as_retry_after_says(hrdw_home, uwazi, land_and_parse, caplog):
    spec, handler = uwazi([(429, {"Retry-After": "1"}, b"slow down"), *ALL_PAGES])
    caplog.set_level(logging.WARNING, logger="extract.http")
    manifest, _ = land_and_parse(spec)
    assert "HTTP 429; waiting 1.0s before attempt 2" in caplog.text
    assert len(handler.requests) == 4 and manifest["record_count"] == 5


def test_a_timeout_is_retried_then_succeeds(hrdw_home, uwazi, land_and_parse):
    spec, handler = uwazi([ok(page_bytes(1), delay=2), *ALL_PAGES], options={"timeout_seconds": 0.5})
    manifest, _ = land_and_parse(spec)
    assert len(handler.requests) == 4 and manifest["record_count"] == 5


def test_a_server_that_keeps_timing_out_fails_the_run(hrdw_home, uwazi):
    spec, _ = uwazi(
        [ok(page_bytes(1), delay=2)] * 2, options={"timeout_seconds": 0.5, "retry_attempts": 2}, name="uwazi_slow"
    )
    with pytest.raises(FetchError, match=r"source uwazi_slow: GET .* failed after 2 attempt\(s\): timed out"):
        land_source(spec, START, END)
    assert partitions("uwazi_slow") == [], "nothing half-landed"


def test_truncated_json_is_retried_and_fails_when_it_persists(hrdw_home, uwazi, land_and_parse):
    cut = page_bytes(1)[:700]
    spec, handler = uwazi([ok(cut), *ALL_PAGES])
    manifest, _ = land_and_parse(spec)
    assert len(handler.requests) == 4 and manifest["record_count"] == 5

    spec, _ = uwazi([ok(cut)] * 2, options={"retry_attempts": 2}, name="uwazi_cut")
    with pytest.raises(FetchError, match=r"source uwazi_cut: .*invalid or truncated JSON"):
        land_source(spec, START, END)


def test_html_error_page_with_status_200_fails_naming_the_source(hrdw_home, uwazi):
    html = b"<!DOCTYPE html><html><head><title>Uwazi</title></head><body>Something went wrong</body></html>"
    spec, _ = uwazi([(200, {"Content-Type": "text/html"}, html)] * 2, options={"retry_attempts": 2}, name="uwazi_html")
    with pytest.raises(FetchError, match=r"source uwazi_html: GET .*/api/v2/search\?.*expected JSON, got an HTML page"):
        land_source(spec, START, END)
    assert partitions("uwazi_html") == [], "nothing half-landed"


def test_empty_page_that_still_announces_a_next_page_fails(hrdw_home, uwazi):
    empty = {"data": [], "links": {"self": SEARCH, "first": SEARCH, "next": link(2, 4), "last": link(2, 3)}}
    spec, _ = uwazi([ok(page_bytes(1)), ok(empty)])
    with pytest.raises(FetchError, match=r"page 2 came back empty but announces a next page"):
        land_source(spec, START, END)


def test_fewer_entities_than_the_last_link_announces_fail(hrdw_home, uwazi):
    cut_short = page_doc(2)
    del cut_short["links"]["next"]  # the server stops after 4 entities while `last` says 5
    spec, _ = uwazi([ok(page_bytes(1)), ok(cut_short)])
    with pytest.raises(FetchError, match=r"announced 5 entities but 4 arrived"):
        land_source(spec, START, END)


def test_a_server_ignoring_the_offset_is_detected_instead_of_looping(hrdw_home, uwazi):
    spec, handler = uwazi([ok(page_bytes(1))] * 3)
    with pytest.raises(FetchError, match=r"only repeats entities already received: the server ignores page\[offset\]"):
        land_source(spec, START, END)
    assert len(handler.requests) == 2


def test_unreadable_elements_are_quarantined_with_a_reason(hrdw_home, uwazi, land_and_parse):
    odd = page_doc(3)
    no_id = dict(odd["data"][0], sharedId="")
    odd["data"] = [odd["data"][0], "not an entity", no_id]
    del odd["links"]["prev"]
    spec, _ = uwazi([ok(page_bytes(1)), ok(page_bytes(2)), ok(odd)])
    manifest, rows = land_and_parse(spec)
    bad = [row for row in rows if isinstance(row, QuarantinedRow)]
    assert [(row.source_file, row.source_row, row.reason) for row in bad] == [
        ("page-0003.json", 2, "array element is not a JSON object"),
        ("page-0003.json", 3, "entity has no sharedId"),
    ]
    assert '"title": "Kyrgyzstan: threats reported' in bad[1].raw
    assert manifest["record_count"] == 7 == len(rows)


# --- languages and authentication -------------------------------------------------------------


def test_each_language_is_read_with_content_language_and_keyed_per_language(hrdw_home, uwazi, land_and_parse):
    russian = page_doc(1)
    russian["data"] = [dict(russian["data"][0], language="ru", title="Кыргызстан: сайт и соцсети СМИ атакованы")]
    russian["links"] = {"self": SEARCH, "first": SEARCH, "last": link(2, -1)}
    spec, handler = uwazi([*ALL_PAGES, ok(russian)], options={"language": "en,ru"})
    manifest, rows = land_and_parse(spec)
    assert [headers.get("Content-Language") for headers in searches(handler)] == ["en", "en", "en", "ru"]
    assert [entry["name"] for entry in manifest["files"]] == [
        "en-page-0001.json", "en-page-0002.json", "en-page-0003.json", "ru-page-0001.json"
    ]  # fmt: skip
    assert manifest["scope"] == f"full template={TEMPLATE} language=en,ru"
    assert manifest["rows_announced"] == {"en": 5, "ru": 1}
    ids = [row.record_id for row in rows]
    assert ids[0] == f"{SEED_ID}:en" and ids[-1] == f"{SEED_ID}:ru"
    assert len(set(ids)) == 6


def test_bearer_token_is_sent_and_never_stored(hrdw_home, uwazi):
    spec, handler = uwazi(list(ALL_PAGES), connection_id="uwazi_gateway", options={"auth": "bearer"})
    manifest = land_source(spec, START, END, secrets={"password": "s3cr3t-token"})
    assert {headers.get("Authorization") for headers in searches(handler)} == {"Bearer s3cr3t-token"}
    assert manifest["auth"] == "bearer"
    assert "s3cr3t-token" not in landing_text(hrdw_home)


def test_401_names_the_connection_and_never_the_secret(hrdw_home, uwazi):
    refused = (401, JSON_HEADERS, b'{"error":"Unauthorized","message":"Unauthorized"}')
    spec, _ = uwazi([refused], connection_id="uwazi_partner_api", name="uwazi_locked")
    with pytest.raises(FetchError) as failure:
        land_source(spec, START, END, secrets={"password": "s3cr3t-token"})
    message = str(failure.value)
    assert "source uwazi_locked" in message and "HTTP 401" in message
    assert "Airflow connection 'uwazi_partner_api'" in message
    assert "s3cr3t-token" not in message
    assert "s3cr3t-token" not in landing_text(hrdw_home)
    assert partitions("uwazi_locked") == [], "nothing half-landed"


def _login_handler(handler, status: int, posted: list) -> None:
    """Give the test server Uwazi's POST /api/login: a JSON body in, a session cookie out."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        posted.append((self.path, dict(self.headers.items()), json.loads(body)))
        reply = b'{"success":true}' if status == 200 else b'{"error":"Invalid username or password"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if status == 200:
            self.send_header("Set-Cookie", "connect.sid=s%3AsessionXYZ.signature; Path=/; HttpOnly")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    handler.do_POST = do_POST


def test_login_posts_credentials_and_sends_the_session_cookie(hrdw_home, uwazi):
    spec, handler = uwazi(list(ALL_PAGES), connection_id="uwazi_partner")
    posted: list = []
    _login_handler(handler, 200, posted)
    manifest = land_source(spec, START, END, secrets={"password": "s3cr3t-token"}, login="monitor@example.org")
    assert len(posted) == 1
    path, headers, body = posted[0]
    assert path == "/api/login"
    assert headers.get("X-Requested-With") == "XMLHttpRequest"
    assert body == {"username": "monitor@example.org", "password": "s3cr3t-token"}
    assert all("connect.sid=s%3AsessionXYZ.signature" in headers.get("Cookie", "") for headers in searches(handler))
    assert manifest["auth"] == "login" and manifest["record_count"] == 5
    assert "s3cr3t-token" not in landing_text(hrdw_home)


def test_refused_login_names_the_connection_and_never_the_secret(hrdw_home, uwazi):
    spec, handler = uwazi(list(ALL_PAGES), connection_id="uwazi_partner", name="uwazi_badlogin")
    _login_handler(handler, 401, [])
    with pytest.raises(FetchError) as failure:
        land_source(spec, START, END, secrets={"password": "s3cr3t-token"}, login="monitor@example.org")
    message = str(failure.value)
    assert "POST" in message and "/api/login" in message and "HTTP 401" in message
    assert "Airflow connection 'uwazi_partner'" in message
    assert "s3cr3t-token" not in message
    assert not any(path.startswith(SEARCH) for path in handler.requests), "no search without a session"


# --- end to end through dbt -------------------------------------------------------------------


def test_entities_reach_the_conformed_reports_with_typed_dates_countries_and_violations(
    hrdw_home, uwazi, build_warehouse, monkeypatch
):
    # Uwazi dates are UTC midnights: a session time zone west of UTC must not shift them a day back.
    monkeypatch.setenv("TZ", "America/New_York")
    spec, _ = uwazi(
        list(ALL_PAGES),
        name="uwazi_api_events",
        required_columns=["title", "event_date", "country", "violations"],
        columns={
            "event_date": "initial_date",
            "country": "country",
            "victim_name": "victim",
            "victim_gender": "gender_of_hrd",
            "victim_type": "hrd",
            "violations": "violation",
            "perpetrator_state": "perpetrator_state",
            "perpetrator_non_state": "perpetrator_non_state",
            "monitoring_status": "monitoring_status",
            "geolocation": "event_location_geolocation",
            "description": "event_description",
            "summary_for_publication": "summary_for_publications",
        },
    )
    con = build_warehouse([spec], select="+int_report_violations")
    try:
        reports = {
            row[0]: row[1:]
            for row in con.execute(
                """
                select source_record_id, event_date, event_date_precision, country_code, victim_name, victim_kind,
                       violation_labels, violation_detail, perpetrator_type, monitoring_status, latitude, longitude,
                       published_in_source, event_date_raw, reported_at
                from intermediate.int_reports_conformed
                where source_name = 'uwazi_api_events'
                """
            ).fetchall()
        }
        violations = con.execute(
            """
            select report_id, violation_type_code
            from intermediate.int_report_violations
            where report_id like 'uwazi_api_events:%'
            order by report_id, violation_type_code
            """
        ).fetchall()
        quarantined = con.execute(
            "select _source_row, reason from raw._quarantine where _source = 'uwazi_api_events'"
        ).fetchall()
        raw_rows = con.execute("select count(*) from raw.uwazi_api_events__reports").fetchone()[0]
    finally:
        con.close()

    seed = reports[SEED_ID]
    assert seed[:6] == (
        dt.date(2020, 10, 6),
        "day",
        "KG",
        "Radio Azattyk",
        "organization",
        "Intimidation and Threats|Online Attack and Harassment",
    )
    assert seed[7:13] == ("non_state", "Pending", 42.88654926606721, 74.60373960534305, True, "2020-10-06")
    # reported_at is the entity's creationDate (epoch milliseconds), two days after the event
    assert seed[13] == dt.date(2020, 10, 8)
    assert (f"uwazi_api_events:{SEED_ID}", "online_harassment") in violations
    assert (f"uwazi_api_events:{SEED_ID}", "threats") in violations

    tajik = reports["w3m8q2z6vtn"]
    assert tajik[2] == "TJ" and tajik[5] == "Arbitrary Arrest and Detention"  # group prefix removed for the crosswalk
    assert tajik[13] == dt.date(2021, 5, 5)
    assert tajik[6] == "Deprivation of liberty::Arbitrary Arrest and Detention"
    assert ("uwazi_api_events:w3m8q2z6vtn", "arbitrary_detention") in violations
    assert reports["b7x2k9r4pld"][2] == "KZ" and reports["b7x2k9r4pld"][7] == "state_and_non_state"
    assert reports["f5n1s8c3wqe"][0] == dt.date(2023, 3, 14) and reports["f5n1s8c3wqe"][11] is False

    # landed = staged + quarantined: the draft without a violation is kept aside with the reason.
    manifest = read_manifest(settings.landing_dir() / spec.name / "20261129T000000Z")
    assert manifest["record_count"] == 5 == len(reports) + len(quarantined)
    assert raw_rows == 4
    assert quarantined == [("1", "missing required value(s): violations ('violation')")]
