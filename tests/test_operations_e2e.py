"""End to end: fault isolation, alerts and secrets over two real nightly syncs (``python -m orchestration.sync``:
the real DAGs through DAG.test(), real dbt) into one temporary HRDW_HOME.

The sources are the bundled demo sources plus two API sources served by a local HTTP server, each
with its credential in an Airflow connection (``AIRFLOW_CONN_*``, unique sentinel values):
``uwazi_partner_api`` (Uwazi search API, bearer token) and ``odk_partner_forms`` (ODK Central
OData, HTTP Basic). Night 1 both answer; night 2 the Uwazi API answers 500 to everything and ODK
answers 401. Alerts go to a second local server through the ``hrdw_alert_webhook`` connection,
which refuses the first alert with a 500.
"""

from __future__ import annotations

import base64
import json
import shutil
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, quote_plus

import duckdb
import pytest
import yaml
from conftest import ScriptedHandler, run_sync, sync_env

from orchestration import scaffold

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
pytestmark = pytest.mark.e2e

UWAZI = "uwazi_partner_api"
ODK = "odk_partner_forms"
SEARCH = "/api/v2/search"
SVC = "/v1/projects/7/forms/incident_report.svc/Submissions"
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
NIGHT_1, NIGHT_2 = "20261129T000000Z", "20261130T000000Z"
FAST_HTTP = {"retry_attempts": 2, "retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0}
ODK_LOGIN = "monitor@example.org"
DRAFT = "draft_partner"


def start_server(root: Path, script: dict) -> tuple[str, type[ScriptedHandler], object]:
    """conftest's ScriptedHandler (real HTTP on 127.0.0.1), plus POST capture for the webhook."""
    import functools
    import http.server
    import threading

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.posts.append((self.path, dict(self.headers.items()), body))
        status = self.post_statuses.pop(0) if self.post_statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    attributes = {
        "root": root,
        "script": {path: list(entries) for path, entries in script.items()},
        "requests": [],
        "headers_seen": [],
        "posts": [],
        "post_statuses": [],
        "do_POST": do_POST,
    }
    handler = type("Handler", (ScriptedHandler,), attributes)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", handler, server


def write_sources(folder: Path, api_url: str) -> None:
    shutil.copytree(REPO / "sources", folder)
    uwazi = {
        "name": UWAZI,
        "kind": "uwazi_api",
        "description": "A partner's Uwazi instance behind a token-checking gateway (test server).",
        "connection_id": "hrdw_e2e_uwazi",
        "location": {"url": api_url + SEARCH},
        "options": {"auth": "bearer", "page_size": 2, "template": "5f7c1e2a9b3d4c0011a1b2c3", **FAST_HTTP},
        "required_columns": ["title", "event_date", "country", "violations"],
        "columns": {
            "event_date": "initial_date",
            "country": "country",
            "victim_name": "victim",
            "victim_type": "hrd",
            "violations": "violation",
            "perpetrator_state": "perpetrator_state",
            "perpetrator_non_state": "perpetrator_non_state",
            "monitoring_status": "monitoring_status",
            "description": "event_description",
        },
    }
    odk = {
        "name": ODK,
        "kind": "odk_odata",
        "description": "A partner's ODK Central form (test server).",
        "connection_id": "hrdw_e2e_odk",
        "location": {"url": api_url + SVC},
        "options": {"page_size": 2, **FAST_HTTP},
        "columns": {
            "event_date": "incident/date",
            "country": "incident/country",
            "city": "incident/city",
            "violations": "incident/violations",
            "perpetrator": "incident/perpetrator",
            "victim_name": "main_victim",
        },
    }
    for document in (uwazi, odk):
        (folder / f"{document['name']}.yml").write_text(yaml.safe_dump(document, sort_keys=False))


def dag_states(stdout: str) -> dict[str, str]:
    block = stdout.split("DAG runs:", 1)[1].split("\n")
    states = {}
    for line in block[1:]:
        if not line.startswith("  ") or line.startswith("   "):
            break
        dag_id, state, *_ = line.split()
        states[dag_id] = state
    return states


def snapshot_query(snapshot: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in snapshot.glob("*.parquet"):
        con.execute(f"create view {table.stem} as select * from read_parquet('{table}')")
    return con.execute(sql).fetchall()


def api_records(snapshot: Path) -> set[tuple]:
    return set(
        snapshot_query(
            snapshot,
            "select source_name, source_record_id from bridge_event_source_record "
            f"where source_name in ('{UWAZI}', '{ODK}')",
        )
    )


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("ops-e2e")
    home, sources = root / "home", root / "sources"
    uwazi_pages = [(200, JSON_HEADERS, (FIXTURES / "uwazi_api" / f"page-{n}.json").read_bytes()) for n in (1, 2, 3)]
    odk_dir = FIXTURES / "odk_odata"
    odk_pages = [(200, JSON_HEADERS, (odk_dir / f"submissions-page-{n}.json").read_bytes()) for n in (1, 2)]
    api_url, api, api_server = start_server(root, {SEARCH: uwazi_pages, SVC: odk_pages})
    hook_url, hook, hook_server = start_server(root, {})
    hook.post_statuses.append(500)  # the first alert is refused: it must not hide the failure it reports
    write_sources(sources, api_url)
    # a scaffolded source, example data in its delivery folder: a draft must reach nothing
    scaffold.write(DRAFT, "spreadsheet", root=REPO, sources_dir=sources)
    shutil.copy(sources / "data" / DRAFT / "example" / "example.csv", sources / "data" / DRAFT / "delivery.csv")
    secrets = SimpleNamespace(
        uwazi_token=f"uwz-{uuid.uuid4().hex}",
        odk_password=f"p@ss/{uuid.uuid4().hex}+w",
        hook_path=f"/services/hook-{uuid.uuid4().hex}",
    )
    env = sync_env(
        home,
        sources,
        **{
            # fast Airflow retries for the test (production: 2 retries, 2 then 4 minutes apart)
            "HRDW_TASK_RETRIES": "1",
            "HRDW_TASK_RETRY_DELAY_SECONDS": "1",
            "AIRFLOW_CONN_HRDW_E2E_UWAZI": json.dumps({"conn_type": "http", "password": secrets.uwazi_token}),
            "AIRFLOW_CONN_HRDW_E2E_ODK": json.dumps(
                {"conn_type": "http", "login": ODK_LOGIN, "password": secrets.odk_password}
            ),
            "AIRFLOW_CONN_HRDW_ALERT_WEBHOOK": hook_url + secrets.hook_path,
        },
    )
    try:
        first = run_sync(env, "2026-11-29")
        assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
        first_snapshot = home / "snapshots" / (home / "snapshots" / "LATEST").read_text().strip()
        night_1_requests = len(api.requests)
        api.script[SEARCH] = [(500, {"Content-Type": "text/plain"}, b"internal error")] * 50
        api.script[SVC] = [(401, JSON_HEADERS, b'{"message":"Could not authenticate with the provided credentials."}')]
        api.script[SVC] *= 50
        second = run_sync(env, "2026-11-30")
    finally:
        api_server.shutdown()
        hook_server.shutdown()
    return SimpleNamespace(
        home=home,
        api_url=api_url,
        api=api,
        hook=hook,
        first=first,
        second=second,
        first_snapshot=first_snapshot,
        night_2_requests=api.requests[night_1_requests:],
        night_1_headers=api.headers_seen[:night_1_requests],
        secrets=secrets,
    )


def test_a_draft_source_is_never_ingested_built_or_published(two_nights):
    """Issue 18, point 6: `make new-source` output with data in its delivery folder reaches nothing."""
    home = two_nights.home
    assert not (home / "landing" / DRAFT).exists()
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        sources = {row[0] for row in con.execute("select source_name from marts.dim_source").fetchall()}
    finally:
        con.close()
    assert not any(DRAFT in table for table in tables) and DRAFT not in sources
    assert f"Draft sources (not ingested, built or published until `draft: true` leaves their file):\n  {DRAFT}" in (
        two_nights.first.stdout
    )
    assert f"ingest_{DRAFT}" not in two_nights.first.stdout.split("Records landed")[0]  # not run
    manifest = json.loads((two_nights.first_snapshot / "manifest.json").read_text())
    assert manifest["dbt"]["build"]["source_notes"][DRAFT].startswith("left out: a draft")


# --- point 7: one failing source ---------------------------------------------------------------


def test_night_two_fails_only_the_broken_sources_and_says_which(two_nights):
    second = two_nights.second
    assert second.returncode == 1
    states = dag_states(second.stdout)
    assert states.pop(f"ingest_{UWAZI}") == "failed"
    assert states.pop(f"ingest_{ODK}") == "failed"
    assert set(states.values()) == {"success"} and {"build_warehouse", "publish_snapshot"} <= set(states)
    failures = second.stdout.split("Failures (also in", 1)[1].split("Records landed", 1)[0]
    port_url = two_nights.api_url
    assert (
        f"ingest_{UWAZI}.land (source {UWAZI}): FetchError: source {UWAZI}: GET {port_url}{SEARCH}?page%5Blimit%5D=2"
    ) in failures
    assert "failed after 2 attempt(s): HTTP 500 [webhook: sent]" in failures
    assert f"ingest_{ODK}.land (source {ODK}): FetchError: source {ODK}: GET {port_url}{SVC}?" in failures
    assert "was refused (HTTP 401); check the credentials in Airflow connection 'hrdw_e2e_odk'" in failures
    assert "[webhook: failed (HTTP 500)]" in failures


def test_the_sync_created_the_one_slot_writer_pool(two_nights):
    import sqlite3

    con = sqlite3.connect(two_nights.home / "airflow" / "airflow.db")
    try:
        assert con.execute("select slots from slot_pool where pool = 'hrdw_warehouse_writer'").fetchall() == [(1,)]
    finally:
        con.close()


def test_retries_happened_as_configured_and_then_stopped(two_nights):
    # Uwazi: 2 HTTP attempts in each of 2 Airflow tries. ODK: a 401 is not retried by the client, only by Airflow.
    paths = [path.split("?", 1)[0] for path in two_nights.night_2_requests]
    assert paths.count(SEARCH) == 4
    assert paths.count(SVC) == 2


def test_the_failure_is_logged_with_a_clear_message(two_nights):
    log = (two_nights.home / "logs" / f"sync-{NIGHT_2}.log").read_text()
    lines = [line for line in log.splitlines() if "HRDW FAILURE" in line]
    uwazi = [line for line in lines if f"dag=ingest_{UWAZI} task=land" in line]
    assert len(uwazi) == 1, lines
    assert f"source={UWAZI}" in uwazi[0] and "try=2" in uwazi[0]
    assert f"GET {two_nights.api_url}{SEARCH}?" in uwazi[0]
    assert "failed after 2 attempt(s): HTTP 500" in uwazi[0]
    assert any(f"dag=ingest_{ODK} task=land" in line and "HTTP 401" in line for line in lines)


def test_each_failed_try_says_what_failed_at_the_top_level_before_the_traceback(two_nights):
    """Issue 18, point 5: the callback's line sits in the log's collapsed "Post Execute" group; the
    task's own headline comes first, outside any group."""
    lines = (two_nights.home / "logs" / f"sync-{NIGHT_2}.log").read_text().splitlines()
    headline = f"HRDW FAILURE ingest_{UWAZI}.land (source {UWAZI}): "
    heads = [index for index, line in enumerate(lines) if headline in line]
    assert len(heads) == 2, "one per Airflow try"
    for index in heads:
        assert "failed after 2 attempt(s): HTTP 500" in lines[index]
        following = lines[index:]
        traceback = next(i for i, line in enumerate(following) if "Task failed with exception" in line)
        group = next(i for i, line in enumerate(following) if "::group::Post Execute" in line)
        assert traceback < group
    assert any(f"HRDW FAILURE ingest_{ODK}.land (source {ODK}): " in line and "HTTP 401" in line for line in lines)


def test_the_webhook_received_one_alert_per_failed_task(two_nights):
    posts = two_nights.hook.posts
    assert [path for path, _, _ in posts] == [two_nights.secrets.hook_path] * 2
    assert all(headers["Content-Type"] == "application/json" for _, headers, _ in posts)
    alerts = [json.loads(body) for _, _, body in posts]
    assert [(a["dag_id"], a["task_id"], a["source"], a["try_number"]) for a in alerts] == [
        (f"ingest_{ODK}", "land", ODK, 2),  # refused by the webhook with a 500, still reported everywhere
        (f"ingest_{UWAZI}", "land", UWAZI, 2),
    ]
    assert "HTTP 401" in alerts[0]["error"] and "HTTP 500" in alerts[1]["error"]
    assert all(a["logical_date"].startswith("2026-11-30") and a["event"] == "hrdw.task_failed" for a in alerts)
    recorded = [json.loads(line) for line in (two_nights.home / "logs" / "alerts.jsonl").read_text().splitlines()]
    assert [(a["source"], a["webhook"]) for a in recorded] == [(ODK, "failed (HTTP 500)"), (UWAZI, "sent")]


def test_raw_keeps_the_last_good_batch_and_the_marts_still_hold_the_failed_sources(two_nights):
    home = two_nights.home
    for source in (UWAZI, ODK):
        partitions = sorted(path.name for path in (home / "landing" / source).iterdir())
        assert partitions == [NIGHT_1], "nothing half-landed on night 2"
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        for source in (UWAZI, ODK):
            batches = con.execute(f"select distinct _batch_id from raw.{source}__reports").fetchall()
            assert batches == [(NIGHT_1,)], source
        healthy = con.execute("select distinct _batch_id from raw.cpj_killed_export__reports order by 1").fetchall()
        assert healthy == [(NIGHT_1,), (NIGHT_2,)]
    finally:
        con.close()
    second_snapshot = home / "snapshots" / (home / "snapshots" / "LATEST").read_text().strip()
    assert second_snapshot.name.startswith(NIGHT_2) and two_nights.first_snapshot.name.startswith(NIGHT_1)
    night_1 = api_records(two_nights.first_snapshot)
    assert {source for source, _ in night_1} == {UWAZI, ODK}
    assert api_records(second_snapshot) == night_1


def test_the_snapshot_manifest_marks_the_failed_sources_stale(two_nights):
    home = two_nights.home
    manifest = json.loads((home / "snapshots" / "latest" / "manifest.json").read_text())
    sources = manifest["freshness"]["sources"]
    for source in (UWAZI, ODK):
        assert (sources[source]["stale"], sources[source]["last_successful_batch_id"]) == (True, NIGHT_1), source
    assert (sources["cpj_killed_export"]["stale"], sources["cpj_killed_export"]["last_successful_batch_id"]) == (
        False,
        NIGHT_2,
    )


# --- point 9: secrets ---------------------------------------------------------------------------


def secret_forms(secrets: SimpleNamespace) -> dict[str, str]:
    forms = {"webhook path": secrets.hook_path.rsplit("/", 1)[1]}
    for label, secret in (("uwazi token", secrets.uwazi_token), ("odk password", secrets.odk_password)):
        forms[label] = secret
        forms[f"{label}, URL-encoded"] = quote(secret, safe="")
        forms[f"{label}, form-encoded"] = quote_plus(secret)
        forms[f"{label}, base64"] = base64.b64encode(secret.encode()).decode()
    forms["odk Basic auth"] = base64.b64encode(f"{ODK_LOGIN}:{secrets.odk_password}".encode()).decode()
    return forms


def warehouse_text(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        views = con.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall()
        return "\n".join(
            str(con.execute(f'select * from "{schema}"."{name}"').fetchall()) for schema, name in tables + views
        )
    finally:
        con.close()


def test_the_credentials_were_really_used(two_nights):
    """The control for the searches below: the sentinels did reach the API."""
    secrets = two_nights.secrets
    sent = {headers.get("Authorization") for headers in two_nights.night_1_headers}
    assert f"Bearer {secrets.uwazi_token}" in sent
    assert "Basic " + base64.b64encode(f"{ODK_LOGIN}:{secrets.odk_password}".encode()).decode() in sent


def test_no_credential_in_any_file_output_or_alert(two_nights):
    home, forms = two_nights.home, secret_forms(two_nights.secrets)
    assert len({len(form) for form in forms.values()}) > 1 and all(len(form) > 20 for form in forms.values())
    texts: dict[str, bytes] = {}
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == "airflow.db" for path in files) and any(path.suffix == ".parquet" for path in files)
    for path in files:
        texts[str(path)] = path.read_bytes()
    databases = sorted(home.rglob("*.duckdb"))  # the warehouse, and the copies snapshots may carry
    for database in databases:
        texts[f"{database}, tables as text"] = warehouse_text(database).encode()
    for parquet in home.glob("snapshots/*/*.parquet"):
        texts[f"{parquet}, decoded"] = str(snapshot_query(parquet.parent, f"select * from {parquet.stem}")).encode()
    for name, completed in (("night 1", two_nights.first), ("night 2", two_nights.second)):
        texts[f"{name} stdout"] = completed.stdout.encode()
        texts[f"{name} stderr"] = completed.stderr.encode()
    for index, (_, _, body) in enumerate(two_nights.hook.posts):
        texts[f"webhook payload {index}"] = body
    assert sum(len(text) for text in texts.values()) > 1_000_000, "the search covered the real outputs"
    # Controls: the searched texts hold the error paths of the credentialed sources (401 and 500).
    everything = b"\n".join(texts.values())
    assert b"check the credentials in Airflow connection 'hrdw_e2e_odk'" in everything
    assert f"source {UWAZI}: GET ".encode() in everything and b"failed after 2 attempt(s): HTTP 500" in everything
    leaks = [
        f"{label} in {where}" for where, text in texts.items() for label, form in forms.items() if form.encode() in text
    ]
    assert leaks == []
