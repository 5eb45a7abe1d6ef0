"""Operations without a full sync: one warehouse writer at a time across real processes, the
writer pool on every task that touches the warehouse, the failure alert (log line, record, JSON
POST to a webhook named by a real Airflow connection), credentials kept out of errors, and the
replay CLI. HTTP goes to real local servers; Airflow connections come from ``AIRFLOW_CONN_*``."""

from __future__ import annotations

import base64
import inspect
import json
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
import traceback
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import yaml

from extract.http import FetchError
from extract.ingest import land_source
from hrdw import secrets, settings, warehouse
from hrdw.sources import load_spec, load_specs
from orchestration import airflow_support, alerts

REPO = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 29, tzinfo=UTC)
START = END - timedelta(days=1)
BATCH = "20261129T000000Z"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UWAZI_SEARCH = "/api/v2/search"


def subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


class LineReader:
    """Lines of a child's stream, read on a thread so the test can wait for one without a deadlock."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, text: str) -> str:
        """The first line containing ``text``; fails if the stream ends first. (The timeout only
        stops a hung test; nothing is measured.)"""
        while True:
            line = self._queue.get(timeout=300)
            if line is None:
                raise AssertionError(f"stream ended without {text!r}; got:\n" + "".join(self.lines))
            self.lines.append(line)
            if text in line:
                return line

    def rest(self) -> str:
        while True:
            line = self._queue.get(timeout=300)
            if line is None:
                return "".join(self.lines)
            self.lines.append(line)


# --- one writer -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


WAREHOUSE_MARKERS = ("load_source", "run_dbt", "writer_lock", "warehouse.connect", "from publish", "duckdb")


def test_every_task_that_touches_the_warehouse_is_in_the_writer_pool(dagbag):
    """Found from the task code, not from a list of task ids: a new task that loads, builds or
    exports without the pool fails here."""
    touching = set()
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            code = inspect.getsource(task.python_callable)
            if any(marker in code for marker in WAREHOUSE_MARKERS):
                touching.add((dag.dag_id, task.task_id))
                assert task.pool == settings.WAREHOUSE_POOL, (dag.dag_id, task.task_id)
            else:
                assert task.task_id == "land", f"{dag.dag_id}.{task.task_id}: unclassified task"
    sources = [spec.dag_id for spec in load_specs(REPO / "sources")]
    assert touching == {(dag_id, "load_raw") for dag_id in sources} | {
        ("build_warehouse", "dbt_build"),
        ("publish_snapshot", "publish"),
    }
    # land only fetches into landing/: it must not open the warehouse either.
    assert not any(marker in inspect.getsource(airflow_support.land_from_yaml) for marker in WAREHOUSE_MARKERS)
    assert dagbag.dags["build_warehouse"].max_active_runs == 1
    assert "writer_lock" in inspect.getsource(dagbag.dags["build_warehouse"].get_task("dbt_build").python_callable)


def test_the_writer_pool_has_one_slot_wherever_it_is_created():
    """The compose deployment's pool; ``make run``'s is checked in Airflow's database after a real sync
    (tests/test_operations_e2e.py), ``make airflow``'s after a real night (tests/test_scheduler_e2e.py)."""
    from orchestration import airflow_plugin

    compose = (REPO / "docker-compose.yml").read_text()
    assert f'airflow pools set {settings.WAREHOUSE_POOL} 1 "' in compose
    assert airflow_plugin.WAREHOUSE_POOL_SLOTS == 1


POOL_CHECK = """
from airflow.models.pool import Pool
from airflow.utils import db
db.upgradedb()
before = Pool.get_pool("hrdw_warehouse_writer")
from airflow.jobs.job import Job
Job(job_type="SchedulerJob")  # what `airflow scheduler` constructs first; its listeners run here
after = Pool.get_pool("hrdw_warehouse_writer")
print("POOL", before is None, after.slots)
after.slots = 5  # an operator's setting is kept by the next start
from airflow.utils.session import create_session
with create_session() as session:
    session.merge(after)
Job(job_type="DagProcessorJob")
print("POOL", Pool.get_pool("hrdw_warehouse_writer").slots)
"""


def test_any_scheduler_of_the_project_creates_the_missing_pool(tmp_path):
    """Issue 18, point 1: a deployment that never ran `airflow pools set` still gets the pool, from
    the project's Airflow plugin (entry point ``airflow.plugins``), when a scheduler job starts."""
    from importlib.metadata import entry_points

    assert [entry.value for entry in entry_points(group="airflow.plugins")] == [
        "orchestration.airflow_plugin:HrdwPlugin"
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env |= {"AIRFLOW_HOME": str(tmp_path / "airflow"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run(
        [sys.executable, "-c", POOL_CHECK], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("POOL ")]
    assert printed == [["True", "1"], ["5"]]
    assert "created the missing pool hrdw_warehouse_writer" in result.stdout + result.stderr


def test_the_writer_lock_names_its_holder_and_is_reentrant_in_one_process(hrdw_home):
    assert warehouse.lock_holder() == ""
    with warehouse.writer_lock(purpose="outer"):
        assert warehouse.lock_holder().startswith(f"pid {os.getpid()} on ")
        assert warehouse.lock_holder().endswith(": outer")
        con = warehouse.connect()  # the same process may open a writer inside its own lock
        con.execute("create table t as select 1 as x")
        con.close()
        assert "outer" in warehouse.lock_holder(), "closing the inner connection keeps the outer hold"
    assert warehouse.lock_holder() == ""
    assert warehouse.lock_path() == hrdw_home / "warehouse.lock"


HOLD_AND_WRITE = """
import os, sys
from hrdw import warehouse
con = warehouse.connect()
con.execute("create schema if not exists ops")
con.execute("create table ops.first_writer as select ? as pid, now() as written_at", [os.getpid()])
print("holding the writer connection", flush=True)
sys.stdin.readline()
con.close()
print("closed", flush=True)
"""


def test_a_second_writer_process_waits_for_the_first_and_both_writes_land(hrdw_home):
    """Writer 1 (a process with a read-write connection, as an analyst or a task has) holds the
    warehouse; writer 2 (a real raw load: ``python -m orchestration.replay``) starts meanwhile, says it waits
    for writer 1's pid, and proceeds once writer 1 closes. DuckDB alone would make writer 2 fail
    after 60 s ("Could not set lock on file"), without saying who holds the file."""
    spec = load_spec(REPO / "sources" / "cpj_killed_export.yml")
    assert land_source(spec, START, END)["batch_id"] == BATCH  # landing only: the warehouse is untouched
    env = subprocess_env(HRDW_HOME=str(hrdw_home), HRDW_SOURCES_DIR=str(REPO / "sources"))
    first = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_WRITE],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    second = None
    try:
        first_out = LineReader(first.stdout)
        first_out.wait_for("holding the writer connection")
        second = subprocess.Popen(
            [sys.executable, "-m", "orchestration.replay", "cpj_killed_export", BATCH],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        second_out = LineReader(second.stdout)
        waiting = second_out.wait_for("waiting for the warehouse writer lock held by")
        assert f"held by pid {first.pid} on " in waiting
        first.stdin.write("\n")
        first.stdin.flush()
        first_out.wait_for("closed")
        assert first.wait(timeout=300) == 0
        second_out.wait_for("acquired the warehouse writer lock after waiting")
        rest = second_out.rest()
        assert second.wait(timeout=300) == 0, rest
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.kill()
    assert "replayed cpj_killed_export batch 20261129T000000Z from landing: 42 row(s) loaded" in rest
    con = duckdb.connect(str(hrdw_home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select pid from ops.first_writer").fetchall() == [(first.pid,)]
        loaded = con.execute(
            "select _batch_id, count(*), min(_loaded_at::timestamptz) > (select max(written_at) from ops.first_writer) "
            "from raw.cpj_killed_export__reports group by 1"
        ).fetchall()
    finally:
        con.close()
    assert loaded == [(BATCH, 42, True)], "writer 2 loaded after writer 1 had written, and nothing was lost"
    assert warehouse.lock_holder() == "", "both released the lock"


# --- replay -----------------------------------------------------------------------------------


def test_replay_reloads_a_batch_from_landing_after_the_yaml_is_fixed(hrdw_home, tmp_path):
    """load_raw failed on a mapping error; the operator fixes the YAML and replays the landed bytes
    (the source file itself is gone by then: nothing is fetched again)."""
    from extract.ingest import MissingColumnsError, load_source

    sources = tmp_path / "sources"
    (sources / "demo_data").mkdir(parents=True)
    shutil.copy(REPO / "sources" / "demo_data" / "cpj_killed_export_excerpt.csv", sources / "demo_data")
    document = yaml.safe_load((REPO / "sources" / "cpj_killed_export.yml").read_text())
    document["required_columns"] = ["full_name"]  # a canonical name the CSV does not have: a broken mapping
    yaml_path = sources / "cpj_killed_export.yml"
    yaml_path.write_text(yaml.safe_dump(document))
    spec = load_spec(yaml_path)
    batch = land_source(spec, START, END)["batch_id"]
    with pytest.raises(MissingColumnsError):
        load_source(spec, batch)
    (sources / "demo_data" / "cpj_killed_export_excerpt.csv").unlink()
    document["columns"] = {"full_name": "fullName"}  # the fix
    yaml_path.write_text(yaml.safe_dump(document))

    def replay(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "orchestration.replay", *args],
            cwd=REPO,
            env=subprocess_env(HRDW_HOME=str(hrdw_home), HRDW_SOURCES_DIR=str(sources)),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    listed = replay("cpj_killed_export", "--list")
    assert listed.returncode == 0 and listed.stdout.split() [:1] == [batch]  # fmt: skip
    assert "not loaded" in listed.stdout
    unknown = replay("cpj_killed_export", "20200101T000000Z")
    assert unknown.returncode == 2 and f"newest: {batch}" in unknown.stderr
    done = replay("cpj_killed_export", "latest")
    assert done.returncode == 0, done.stderr
    assert f"replayed cpj_killed_export batch {batch} from landing: 42 row(s) loaded, 0 quarantined" in done.stdout
    report = json.loads((hrdw_home / "landing" / "cpj_killed_export" / batch / "load_report.json").read_text())
    assert (report["loaded"], report["quarantined"]) == (42, 0)
    con = duckdb.connect(str(hrdw_home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from raw.cpj_killed_export__reports").fetchone()[0] == 42
    finally:
        con.close()


# --- failure alerts ---------------------------------------------------------------------------


def webhook(http_server, tmp_path: Path, statuses: list[int]):
    """A local server capturing POSTs (path, headers, JSON body); answers ``statuses`` in turn, then 200."""
    base_url, handler = http_server(tmp_path)
    handler.posts = []
    replies = list(statuses)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.posts.append((self.path, dict(self.headers.items()), json.loads(body)))
        status = replies.pop(0) if replies else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    handler.do_POST = do_POST
    return base_url, handler


@pytest.fixture
def api_source(tmp_path, monkeypatch):
    """An Uwazi API source whose credential is in Airflow connection ``ops_uwazi`` (a unique token)."""

    def make(url: str, token: str) -> Path:
        sources = tmp_path / "sources"
        sources.mkdir(exist_ok=True)
        document = {
            "name": "ops_uwazi",
            "kind": "uwazi_api",
            "description": "test",
            "connection_id": "ops_uwazi",
            "location": {"url": url},
            "options": {
                "auth": "bearer",
                "page_size": 2,
                "retry_attempts": 2,
                "retry_backoff_seconds": 0.01,
                "min_request_interval_seconds": 0,
                "timeout_seconds": 5,
            },
        }
        (sources / "ops_uwazi.yml").write_text(yaml.safe_dump(document))
        monkeypatch.setenv("HRDW_SOURCES_DIR", str(sources))
        monkeypatch.setenv("AIRFLOW_CONN_OPS_UWAZI", json.dumps({"conn_type": "http", "password": token}))
        return sources / "ops_uwazi.yml"

    return make


def failed_context(dag_id: str, task_id: str, error: BaseException) -> dict:
    """The context Airflow hands a failure callback (the fields it reads)."""
    task_instance = SimpleNamespace(dag_id=dag_id, task_id=task_id, run_id="manual__2026-11-30", try_number=2)
    return {
        "task_instance": task_instance,
        "run_id": task_instance.run_id,
        "logical_date": datetime(2026, 11, 30, tzinfo=UTC),
        "exception": error,
    }


def test_failure_is_logged_recorded_and_posted_to_the_webhook_without_secrets(
    hrdw_home, tmp_path, http_server, api_source, monkeypatch, caplog
):
    token = f"tok-{uuid.uuid4().hex}"
    hook_secret = f"hook-{uuid.uuid4().hex}"
    api_url, api = http_server(tmp_path, {UWAZI_SEARCH: [(500, {}, b"boom")] * 10})
    yaml_path = api_source(api_url + UWAZI_SEARCH, token)
    hook_url, hook = webhook(http_server, tmp_path, [])
    monkeypatch.setenv("AIRFLOW_CONN_HRDW_ALERT_WEBHOOK", f"{hook_url}/services/{hook_secret}")
    context = {"data_interval_start": START, "data_interval_end": END}
    with pytest.raises(FetchError) as failure:
        airflow_support.land_from_yaml(yaml_path, context)
    assert [headers.get("Authorization") for headers in api.headers_seen] == [f"Bearer {token}"] * 2
    # A third-party error quoting the credential in every form it might take:
    leaky = RuntimeError(
        f"{failure.value} | header 'Bearer {token}' | b64 {base64.b64encode(token.encode()).decode()} "
        f"| https://user:{token}@api.example.org/x?api_key={token}"
    )
    listen_to_hrdw_log(caplog, monkeypatch)
    alerts.log_failure(failed_context("ingest_ops_uwazi", "land", leaky))

    assert len(hook.posts) == 1
    path, headers, alert = hook.posts[0]
    assert path == f"/services/{hook_secret}"
    assert headers["Content-Type"] == "application/json"
    assert (alert["dag_id"], alert["task_id"], alert["source"], alert["try_number"]) == (
        "ingest_ops_uwazi",
        "land",
        "ops_uwazi",
        2,
    )
    assert alert["error"].startswith(
        f"RuntimeError: source ops_uwazi: GET {api_url}{UWAZI_SEARCH}?page%5Blimit%5D=2"
    ), alert["error"]
    assert "failed after 2 attempt(s): HTTP 500" in alert["error"]
    assert alert["text"].startswith("hrd-warehouse: ingest_ops_uwazi.land failed (source ops_uwazi): RuntimeError")
    line = next(record.getMessage() for record in caplog.records if "HRDW FAILURE" in record.getMessage())
    assert "dag=ingest_ops_uwazi task=land run=manual__2026-11-30 try=2 source=ops_uwazi" in line
    assert "HTTP 500" in line
    recorded = alerts.read_alerts("manual__2026-11-30")
    assert [entry["webhook"] for entry in recorded] == ["sent"]
    payloads = json.dumps([body for _, _, body in hook.posts])
    everything = payloads + caplog.text + (hrdw_home / "logs" / "alerts.jsonl").read_text()
    for form in (token, base64.b64encode(token.encode()).decode(), hook_secret):
        assert form not in everything
    assert everything.count("***") >= 4


def listen_to_hrdw_log(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """caplog for the `hrdw.airflow` logger whatever Airflow's logging setup (run by whichever test
    imported Airflow first) did to it: it may stop the records reaching the root logger, where
    caplog listens, so listen on the logger itself (restored after the test)."""
    caplog.set_level(logging.INFO, logger="hrdw.airflow")
    hrdw_logger = logging.getLogger("hrdw.airflow")
    monkeypatch.setattr(hrdw_logger, "disabled", False)
    monkeypatch.setattr(hrdw_logger, "handlers", [caplog.handler])
    monkeypatch.setattr(hrdw_logger, "propagate", False)  # once, not twice through the root


@pytest.mark.parametrize("webhook_state", ["answers 500", "unreachable"])
def test_a_broken_webhook_never_hides_the_failure(hrdw_home, tmp_path, http_server, monkeypatch, caplog, webhook_state):
    hook_secret = f"hook-{uuid.uuid4().hex}"
    if webhook_state == "answers 500":
        hook_url, _ = webhook(http_server, tmp_path, [500])
    else:
        hook_url, _ = webhook(http_server, tmp_path, [])
        hook_url = hook_url.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens
    monkeypatch.setenv("AIRFLOW_CONN_HRDW_ALERT_WEBHOOK", f"{hook_url}/services/{hook_secret}")
    listen_to_hrdw_log(caplog, monkeypatch)
    original = RuntimeError("dbt build failed: model int_mentions: error")

    alerts.log_failure(failed_context("build_warehouse", "dbt_build", original))  # returns, never raises

    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("HRDW FAILURE dag=build_warehouse task=dbt_build") and str(original) in m for m in messages)
    warning = next(m for m in messages if m.startswith("alert webhook"))
    expected = "answered HTTP 500" if webhook_state == "answers 500" else "failed (ConnectionError)"
    assert expected in warning and "the failure itself is logged above" in warning
    assert hook_secret not in caplog.text, "the webhook's path is its secret: only the origin is logged"
    [recorded] = alerts.read_alerts("manual__2026-11-30")
    assert recorded["error"] == f"RuntimeError: {original}"
    assert recorded["webhook"] == expected.replace("answered HTTP 500", "failed (HTTP 500)")
    assert recorded["source"] is None


def test_without_a_webhook_connection_the_failure_is_logged_and_recorded_only(hrdw_home, monkeypatch, caplog):
    monkeypatch.delenv("AIRFLOW_CONN_HRDW_ALERT_WEBHOOK", raising=False)
    listen_to_hrdw_log(caplog, monkeypatch)
    alerts.log_failure(failed_context("publish_snapshot", "publish", OSError("disk full")))
    assert "HRDW FAILURE dag=publish_snapshot task=publish" in caplog.text
    assert "no alert webhook: Airflow connection 'hrdw_alert_webhook' is not configured" in caplog.text
    assert [a["webhook"] for a in alerts.read_alerts()] == ["not configured"]


def test_webhook_url_from_every_form_of_http_connection():
    from airflow.sdk import Connection

    def url(**fields) -> str:
        return alerts.webhook_url(Connection(conn_id="hrdw_alert_webhook", **fields))

    uri = Connection.from_uri("https://hooks.example.org:8443/services/T0/B0/XyZ", conn_id="hrdw_alert_webhook")
    assert alerts.webhook_url(uri) == "https://hooks.example.org:8443/services/T0/B0/XyZ"
    assert url(conn_type="http", host="http://127.0.0.1:8080/alerts") == "http://127.0.0.1:8080/alerts"
    assert url(conn_type="http", host="alerts.example.org", schema="https", extra='{"endpoint": "/hrdw"}') == (
        "https://alerts.example.org/hrdw"
    )
    assert url(conn_type="http", host="ignored", extra='{"url": "https://x.example.org/h?k=1"}') == (
        "https://x.example.org/h?k=1"
    )


# --- secrets in errors ------------------------------------------------------------------------


def test_a_token_pasted_with_a_newline_never_reaches_the_task_error(hrdw_home, tmp_path, http_server, api_source):
    """requests refuses such a header with an error quoting it ('Bearer <token>\\n'); the task's error
    (and the traceback's chained exceptions) must name the problem, not the token."""
    token = f"tok-{uuid.uuid4().hex}"
    api_url, api = http_server(tmp_path)
    yaml_path = api_source(api_url + UWAZI_SEARCH, token + "\n")
    with pytest.raises(FetchError) as failure:
        airflow_support.land_from_yaml(yaml_path, {"data_interval_start": START, "data_interval_end": END})
    message = str(failure.value)
    assert "the request could not be sent (InvalidHeader)" in message
    assert "Airflow connection 'ops_uwazi'" in message
    assert failure.value.__cause__ is None and failure.value.__suppress_context__, "the traceback shows no chain"
    assert token not in "".join(traceback.format_exception(failure.value))
    assert api.requests == [], "nothing was sent"


def test_secret_forms_cover_plain_encoded_escaped_and_basic_auth():
    secret, login = "p@ss/wörd+1\n", "monitor@example.org"
    forms = secrets.secret_forms([secret], login)
    text = (
        f"a {secret} b {secret.strip()} c {secret!r} d p%40ss%2Fw%C3%B6rd%2B1 e p%40ss%2Fw%C3%B6rd%2B1%0A "
        f"f {base64.b64encode(f'{login}:{secret.strip()}'.encode()).decode()} "
        f"g {base64.b64encode(secret.strip().encode()).decode()}"
    )
    cleaned = secrets.scrub(text, forms)
    assert "p@ss" not in cleaned and "ss%2F" not in cleaned and "w\\xf6rd" not in cleaned
    assert base64.b64encode(f"{login}:{secret.strip()}".encode()).decode() not in cleaned
    assert cleaned.count("***") == 7


def test_retries_are_shortened_only_through_the_environment():
    """DEFAULT_ARGS as a fresh import computes them under three environments (one subprocess)."""
    code = (
        "import importlib, json, os, sys\n"
        "from orchestration import airflow_support as a\n"
        "for env in json.loads(sys.argv[1]):\n"
        "    for key in ('HRDW_TASK_RETRIES', 'HRDW_TASK_RETRY_DELAY_SECONDS', 'HRDW_DEV'):\n"
        "        os.environ.pop(key, None)\n"
        "    os.environ.update(env)\n"
        "    importlib.reload(a)\n"
        "    print(a.DEFAULT_ARGS['retries'], a.DEFAULT_ARGS['retry_delay'])\n"
    )
    environments = [{}, {"HRDW_TASK_RETRIES": "1", "HRDW_TASK_RETRY_DELAY_SECONDS": "1"}, {"HRDW_DEV": "1"}]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HRDW_TASK_", "HRDW_DEV"))}
    completed = subprocess.run(
        [sys.executable, "-c", code, json.dumps(environments)],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        check=True,
    )
    defaults, shortened, development = completed.stdout.strip().splitlines()
    assert defaults == "2 0:02:00"
    assert shortened == "1 0:00:01"
    assert development == "0 0:02:00", "development mode: a mistake fails at once"


def test_a_line_cut_short_in_alerts_jsonl_is_skipped_not_fatal(hrdw_home):
    """A full disk can cut an alert line mid-character: the next nights must still read the rest."""
    from orchestration.alerts import alerts_path, read_alerts

    path = alerts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    whole = json.dumps({"dag_id": "ingest_a", "run_id": "r1", "error": "x"})
    path.write_bytes(whole.encode() + b"\n" + '{"dag_id": "ingest_b", "error": "Журнал'.encode()[:-1] + b"\n")
    assert [alert["dag_id"] for alert in read_alerts()] == ["ingest_a"]
    assert [alert["dag_id"] for alert in read_alerts("r1")] == ["ingest_a"]


@pytest.mark.parametrize(
    ("value", "enabled"), [(None, True), ("1", True), ("on", True), ("0", False), ("false", False), ("off", False)]
)
def test_the_documentation_site_switch(monkeypatch, value, enabled):
    if value is None:
        monkeypatch.delenv("HRDW_DOCS_SITE", raising=False)
    else:
        monkeypatch.setenv("HRDW_DOCS_SITE", value)
    assert settings.docs_site_enabled() is enabled


def test_a_documentation_site_switch_that_is_neither_is_refused(monkeypatch):
    monkeypatch.setenv("HRDW_DOCS_SITE", "sometimes")
    with pytest.raises(ValueError, match="HRDW_DOCS_SITE must be 1 or 0"):
        settings.docs_site_enabled()
