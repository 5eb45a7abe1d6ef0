"""End to end under the real scheduler (issue 18, points 1-3): ``python -m orchestration.serve`` (what
``make airflow`` runs) starts the api-server, scheduler, DAG processor and triggerer with the
LocalExecutor on a fresh HRDW_HOME; the scheduler runs one night on its own (every ingest, the
build when their assets have arrived, the publish); Ctrl-C stops every process it started.

One night, shared by the tests of this file (module fixture): it is the expensive part. It runs
on two of the bundled sources copied to a folder of their own (``HRDW_SOURCES_DIR``) into a
fresh ``HRDW_HOME``: that both settings move everything is checked here too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import sync_env

from hrdw import settings
from hrdw.sources import load_specs

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e
SOURCES = ("cpj_killed_export", "partner_central_asia")
NIGHT_TIMEOUT_SECONDS = 420  # the bound on one night; it takes about a minute on an idle 2-core machine
STOP_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as /proc/net/tcp{,6} write them) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("scheduler")
    home, sources = root / "home", root / "sources"
    sources.mkdir()
    shutil.copytree(REPO / "sources" / "demo_data", sources / "demo_data")
    for name in SOURCES:
        shutil.copy(REPO / "sources" / f"{name}.yml", sources)
    port = free_port()
    output = home.parent / "serve.out"
    started = time.monotonic()
    with output.open("w") as handle:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "orchestration.serve", "--port", str(port)],
            cwd=REPO,
            env=sync_env(home, sources),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    manifest_path = home / "snapshots" / "latest" / "manifest.json"
    try:
        while not manifest_path.exists() and launcher.poll() is None:
            assert time.monotonic() - started < NIGHT_TIMEOUT_SECONDS, output.read_text()[-3000:]
            time.sleep(2)
        night_seconds = time.monotonic() - started
        # the snapshot is written before Airflow records the publish run's end: wait for every run to end
        while metadata(home, "select count(*) from dag_run where state in ('queued', 'running')")[0][0]:
            assert time.monotonic() - started < NIGHT_TIMEOUT_SECONDS, output.read_text()[-3000:]
            time.sleep(1)
        assert launcher.poll() is None, output.read_text()[-3000:]
        text = output.read_text()
        pids = [int(part.split(")")[0]) for part in text.split("(pid ")[1:]]
        state = SimpleNamespace(
            home=home,
            sources=sources,
            port=port,
            manifest=json.loads(manifest_path.read_text()),
            night_seconds=night_seconds,
            pids=pids,
            listening={p: listening_addresses(p) for p in (port, 8793, 8794)},
            unauthenticated=None,
        )
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/dags", timeout=10)
        except urllib.error.HTTPError as refused:
            state.unauthenticated = refused.code
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            state.exit_code = launcher.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            launcher.kill()
            raise
    state.output = output.read_text()
    time.sleep(1)
    state.survivors = [pid for pid in state.pids if alive(pid)]
    print(f"scheduler night: snapshot after {night_seconds:.0f} s")
    return state


def metadata(home: Path, query: str) -> list[tuple]:
    con = sqlite3.connect(home / "airflow" / "airflow.db")
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_the_scheduler_runs_one_night_in_data_order_and_publishes(night):
    runs = metadata(night.home, "select dag_id, run_type, state, start_date, end_date from dag_run order by start_date")
    by_dag = {dag_id: (run_type, state) for dag_id, run_type, state, _, _ in runs}
    ingests = {spec.dag_id for spec in load_specs(night.sources)}
    assert set(by_dag) == ingests | {"build_warehouse", "publish_snapshot"}, runs
    assert all(state == "success" for _, state in by_dag.values()), runs
    # the build ran because the ingests' assets arrived, not because the clock said so
    assert by_dag["build_warehouse"] == ("asset_triggered", "success"), runs
    assert by_dag["publish_snapshot"] == ("asset_triggered", "success"), runs
    tasks = metadata(night.home, "select dag_id, task_id, start_date, end_date from task_instance")
    build_start = next(start for dag_id, _, start, _ in tasks if dag_id == "build_warehouse")
    loads_ended = [end for dag_id, task_id, _, end in tasks if task_id == "load_raw"]
    assert len(loads_ended) == len(ingests) and max(loads_ended) <= build_start, tasks

    manifest = night.manifest
    assert manifest["tables"]["dim_event"]["rows"] > 0
    assert manifest["dbt"]["counts"].get("error", 0) == 0 and manifest["dbt"]["counts"].get("fail", 0) == 0
    fresh = {name for name, info in manifest["freshness"]["sources"].items() if not info["stale"]}
    assert fresh == {spec.name for spec in load_specs(night.sources)}, manifest["freshness"]


def test_asset_events_and_task_logs_tell_the_night_s_story(night):
    """Issue 18, point 5: what each ingest brought is on its asset event; quarantined rows are in
    load_raw's log with file, row and reason."""
    events = metadata(night.home, "select a.uri, e.extra from asset_event e join asset a on a.id = e.asset_id")
    extras = {uri: json.loads(extra) for uri, extra in events}
    partner = extras["hrdw://raw/partner_central_asia"]
    assert partner["records_landed"] == partner["records_loaded"] + partner["records_quarantined"]
    assert partner["records_quarantined"] == 1 and partner["batch_id"].endswith("T000000Z")
    assert extras["hrdw://warehouse/marts"]["dbt"].get("error", 0) == 0
    assert (
        extras["hrdw://warehouse/marts"]["night"]
        == partner["batch_id"][:4] + "-" + partner["batch_id"][4:6] + "-" + partner["batch_id"][6:8]
    )
    logs = list((night.home / "airflow" / "logs").glob("dag_id=ingest_partner_central_asia/**/task_id=load_raw/*.log"))
    assert len(logs) == 1
    text = logs[0].read_text()
    assert (
        "quarantined: partner_central_asia: partner_central_asia_incidents.xlsx row 9: missing required value(s)"
        in text
    )


def test_other_sources_and_home_are_configurable(night):
    """Only the two sources of HRDW_SOURCES_DIR, everything under HRDW_HOME; the build generated
    their staging in its working copy, and nothing per source in the repository's project."""
    import duckdb

    latest = night.home / "snapshots" / "latest"
    con = duckdb.connect()
    built = con.execute(f"select source_name from '{latest}/dim_source.parquet' order by 1").fetchall()
    bridged = con.execute(
        f"select distinct source_name from '{latest}/bridge_event_source_record.parquet' order by 1"
    ).fetchall()
    assert [row[0] for row in built] == [row[0] for row in bridged] == list(SOURCES)
    assert sorted(path.name for path in (night.home / "landing").iterdir()) == list(SOURCES)
    generated = night.home / "dbt" / "project" / "generated_models" / "staging"
    assert sorted(path.name for path in generated.iterdir()) == list(SOURCES)
    assert sorted(path.name for path in (REPO / "dbt_project" / "models" / "staging").iterdir()) == ["hrdw_ops"]
    assert (night.home / "airflow").is_dir()


def test_the_pool_exists_with_one_slot_and_every_writer_ran_in_it(night):
    assert metadata(night.home, f"select slots from slot_pool where pool = '{settings.WAREHOUSE_POOL}'") == [(1,)]
    writers = metadata(
        night.home, "select dag_id, pool from task_instance where task_id in ('load_raw', 'dbt_build', 'publish')"
    )
    assert len(writers) == len(load_specs(night.sources)) + 2
    assert {pool for _, pool in writers} == {settings.WAREHOUSE_POOL}


def test_the_ui_listens_on_this_machine_only_and_asks_for_a_login(night):
    assert night.listening[night.port] == {"0100007F"}, night.listening  # 127.0.0.1
    assert night.listening[8793] == night.listening[8794] == set(), "no log server on every interface"
    assert night.unauthenticated == 401
    passwords = night.home / "airflow" / "simple_auth_manager_passwords.json.generated"
    assert set(json.loads(passwords.read_text())) == {"operator", "analyst"}
    assert (passwords.stat().st_mode & 0o077) == 0
    secrets_file = night.home / "airflow" / "deployment-secrets.json"
    assert (secrets_file.stat().st_mode & 0o777) == 0o600
    assert not any(value in night.output for value in json.loads(secrets_file.read_text()).values())


def test_ctrl_c_stops_every_process_it_started(night):
    assert night.exit_code == 0, night.output[-2000:]
    assert len(night.pids) == 4
    assert night.survivors == []
    assert "every process it started has stopped" in night.output
