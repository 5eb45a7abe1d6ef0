"""Files under HRDW_HOME hold the names of people at risk: every task that writes them makes them
private to the service user (no group or other permission bits), whatever umask it was started
with. Each step runs the real code (without Airflow) after the test opens things up again (umask
``0o022``, HRDW_HOME ``0755``), so a step that forgot to make its files private fails here.
``tests/test_e2e.py`` checks the same on a whole ``make run`` sync, Airflow's logs included."""

from __future__ import annotations

import collections
import datetime as dt
import importlib.util
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_publish_marts import write_home, write_policy

from hrdw import privacy
from hrdw.sources import load_spec
from orchestration import airflow_env, airflow_support, alerts

REPO = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 29, tzinfo=UTC)
START = END - timedelta(days=1)


def loose_paths(home: Path) -> list[str]:
    """Every file or folder under ``home`` (itself included) that its group or others may use."""
    loose = []
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if not path.is_symlink() and mode & 0o077:
            loose.append(f"{mode:o} {path.relative_to(home)}")
    return sorted(loose)


@pytest.fixture
def opened_up(hrdw_home: Path):
    """Call before each step: a permissive umask and a home anyone may enter, as a fresh task may find them."""
    saved = os.umask(0o022)

    def open_up() -> None:
        os.umask(0o022)
        hrdw_home.mkdir(parents=True, exist_ok=True)
        hrdw_home.chmod(0o755)

    yield open_up
    os.umask(saved)


def test_land_and_load_write_private_files(hrdw_home, opened_up):
    spec = load_spec(REPO / "sources" / "partner_central_asia.yml")
    opened_up()
    batch = airflow_support.land_from_yaml(
        REPO / "sources" / "partner_central_asia.yml", {"data_interval_start": START, "data_interval_end": END}
    )
    partition = hrdw_home / "landing" / spec.name / batch
    assert (partition / "manifest.json").is_file()
    assert loose_paths(hrdw_home) == []

    opened_up()
    from extract.ingest import load_source

    assert load_source(spec, batch).loaded > 0
    assert (hrdw_home / "warehouse.duckdb").is_file() and (partition / "load_report.json").is_file()
    assert loose_paths(hrdw_home) == []


def test_publish_writes_a_private_snapshot_public_variant_included(hrdw_home, tmp_path, monkeypatch, opened_up):
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(write_policy(tmp_path / "policy.yml")))
    os.umask(0o077)
    write_home(hrdw_home)  # stands in for what load_raw and dbt_build leave (each checked on its own)
    opened_up()
    from publish.snapshot import publish

    snapshot = publish(END)
    assert (snapshot.path / "public" / "manifest.json").is_file()
    assert loose_paths(hrdw_home) == []


def test_dbt_build_task_runs_dbt_under_the_private_umask(hrdw_home, monkeypatch, opened_up):
    """dbt runs in a subprocess: it inherits the umask the task set (the fake dbt writes as dbt would)."""
    from hrdw import sources
    from orchestration import dbt

    def fake_build(*specs, **options):
        script = (
            "import pathlib, sys\n"
            "for name in ('target/run_results.json', 'logs/dbt.log'):\n"
            "    path = pathlib.Path(sys.argv[1]) / name\n"
            "    path.parent.mkdir(parents=True, exist_ok=True)\n"
            "    path.write_text('Venera Djumataeva')\n"
        )
        subprocess.run([sys.executable, "-c", script, str(hrdw_home / "dbt")], check=True)
        return SimpleNamespace(ok=True, counts={}, warnings=[]), SimpleNamespace(notes=[])

    monkeypatch.setattr(dbt, "build", fake_build)
    monkeypatch.setattr(sources, "scan_specs", lambda: ([], []))
    dag_file = REPO / "dags" / "build_warehouse.py"
    module_spec = importlib.util.spec_from_file_location("hrdw_test_build_warehouse", dag_file)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    opened_up()
    outlet_events = collections.defaultdict(SimpleNamespace)  # what Airflow hands the task for its assets
    module.dag.get_task("dbt_build").python_callable(
        logical_date=dt.datetime(2026, 11, 29, tzinfo=dt.UTC), outlet_events=outlet_events
    )
    assert (hrdw_home / "dbt" / "logs" / "dbt.log").is_file()
    assert loose_paths(hrdw_home) == []


def test_a_failure_alert_is_recorded_privately(hrdw_home, monkeypatch, opened_up):
    monkeypatch.delenv("AIRFLOW_CONN_HRDW_ALERT_WEBHOOK", raising=False)
    opened_up()
    run_id = "manual__2026-11-30"
    task_instance = SimpleNamespace(dag_id="ingest_x", task_id="land", run_id=run_id, try_number=1)
    context = {"task_instance": task_instance, "run_id": run_id, "logical_date": END, "exception": OSError("disk")}
    alerts.log_failure(context)
    assert (hrdw_home / "logs" / "alerts.jsonl").is_file()
    assert loose_paths(hrdw_home) == []


def test_make_run_sets_the_private_umask_and_private_airflow_logs(hrdw_home, monkeypatch, opened_up):
    monkeypatch.setattr(os, "environ", dict(os.environ))  # configure() sets defaults in os.environ
    opened_up()
    (hrdw_home / "landing").mkdir(mode=0o755)  # what an older version left: closed by the home's mode
    configured = airflow_env.configure()
    assert configured["AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS"] == "0o700"
    assert configured["AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS"] == "0o600"
    assert stat.S_IMODE(hrdw_home.stat().st_mode) == 0o700
    (hrdw_home / "logs").mkdir()
    (hrdw_home / "logs" / "sync.log").write_text("x")
    assert loose_paths(hrdw_home) == ["755 landing"]


def test_make_private_only_tightens_the_umask(hrdw_home, opened_up):
    os.umask(0o277)
    privacy.make_private()
    assert os.umask(0o022) == 0o277
    privacy.make_private()
    assert os.umask(0o022) == 0o077
