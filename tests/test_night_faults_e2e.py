"""End to end: a night with faults the operator must be told about and that must not spread
(issue 15): bad source files, a new source whose first ingest fails, a second sync started on the
same home, a dbt build killed half-way, and a metadata database that can no longer grow.

One real sync (DAG.test, real dbt) builds the home; the tests that break things work on copies.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import sync_env

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e

SPREADSHEET_SPEC = """\
name: {name}
kind: {kind}
description: A partner sheet used to test a broken night.
location: {{path: {path}}}
{extra}
"""
# file name -> (file text, what the operator must be told: field and reason)
BAD_FILES = {
    "partner_typo.yml": (
        SPREADSHEET_SPEC.format(name="partner_typo", kind="spreadshet", path="demo_data/x.xlsx", extra=""),
        ["partner_typo.yml", "field `kind`", "unknown source kind 'spreadshet'"],
    ),
    "partner_options.yaml": (
        SPREADSHEET_SPEC.format(
            name="partner_options", kind="spreadsheet", path="demo_data/x.xlsx", extra="options: {sheet_names: [A]}"
        ),
        ["partner_options.yaml", "field `options`", "'sheet_names'"],
    ),
    "partner_nodesc.yml": (
        "name: partner_nodesc\nkind: spreadsheet\nlocation: {path: demo_data/x.xlsx}\n",
        ["partner_nodesc.yml", "field `description`", "Field required"],
    ),
}
NEW_SOURCE = "partner_new"  # valid, but its file has not arrived: its first ingest fails


def night_env(home: Path, sources: Path) -> dict[str, str]:
    return sync_env(home, sources, HRDW_TASK_RETRIES="0", HRDW_TASK_RETRY_DELAY_SECONDS="1")


@pytest.fixture(scope="module")
def night(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("faults")
    sources, home = root / "sources", root / "home"
    shutil.copytree(REPO / "sources", sources)
    for name, (text, _) in BAD_FILES.items():
        (sources / name).write_text(text)
    (sources / f"{NEW_SOURCE}.yml").write_text(
        SPREADSHEET_SPEC.format(name=NEW_SOURCE, kind="spreadsheet", path="incoming/new_partner.xlsx", extra="")
    )
    env = night_env(home, sources)
    command = [sys.executable, "-m", "orchestration.sync", "--date", "2026-11-29"]
    first = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = home / "sync.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.2)
    second = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    first_out, first_err = first.communicate(timeout=900)
    return {
        "home": home,
        "sources": sources,
        "first": (first.returncode, first_out, first_err),
        "second": second,
    }


def manifest(home: Path) -> dict:
    return json.loads((home / "snapshots" / "latest" / "manifest.json").read_text())


def alerts(home: Path) -> list[dict]:
    path = home / "logs" / "alerts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def dag_states(summary: str) -> dict[str, str]:
    block = summary.split("DAG runs:", 1)[1].split("\n", 1)[1]
    states = {}
    for line in block.splitlines():
        if not line.startswith("  "):
            break
        dag_id, state = line.split()[:2]
        states[dag_id] = state
    return states


def test_a_second_sync_on_the_same_home_refuses_clearly_and_the_first_finishes(night):
    """Issue 15.7: one run refuses with a clear message on the terminal; the other finishes cleanly."""
    second = night["second"]
    assert second.returncode == 75, second.stdout + second.stderr
    assert "another sync is running on" in second.stderr and "pid " in second.stderr
    code, out, err = night["first"]
    assert code == 1, out + err  # the broken sources failed (alone), so the night says so
    assert "Traceback" not in err
    snapshots = [p for p in (night["home"] / "snapshots").iterdir() if p.name.startswith("2026")]
    assert len(snapshots) == 1  # one snapshot for the night, not two


def test_bad_source_files_fail_only_their_own_ingest_and_say_why(night):
    """Issue 15.3: file, field and reason are reported; an alert goes out; the rest goes on."""
    _, out, _ = night["first"]
    states = dag_states(out)
    bad_dags = {"ingest_partner_typo", "ingest_partner_options", "ingest_partner_nodesc"}
    assert {dag_id: states[dag_id] for dag_id in bad_dags} == dict.fromkeys(bad_dags, "failed")
    for dag_id in ("ingest_cpj_killed_export", "ingest_partner_central_asia", "build_warehouse", "publish_snapshot"):
        assert states[dag_id] == "success", out
    problems = out.split("Source files with errors", 1)[1].split("Records landed", 1)[0]
    recorded = alerts(night["home"])
    for name, (_, told) in BAD_FILES.items():
        dag_id = f"ingest_{Path(name).stem}"
        assert all(words in problems for words in told), (name, problems)
        alert = next(alert for alert in recorded if alert["dag_id"] == dag_id)
        assert all(words in alert["error"] for words in told), alert


def test_a_new_source_whose_first_ingest_failed_is_left_out_of_the_build(night):
    """Issue 15.4: no raw table yet; the build and publish go on; summary and manifest say so."""
    _, out, _ = night["first"]
    assert dag_states(out)[f"ingest_{NEW_SOURCE}"] == "failed"
    notes = manifest(night["home"])["dbt"]["build"]["source_notes"]
    assert "no good batch loaded yet" in notes[NEW_SOURCE]
    assert NEW_SOURCE not in manifest(night["home"])["dbt"]["build"]["sources_built"]
    assert f"  {NEW_SOURCE}: left out: no good batch loaded yet" in out
    assert "Marts: 52 events" in out  # the demo sources are all there


def test_a_build_killed_after_writing_a_mart_is_never_published(night, tmp_path, monkeypatch):
    """Issue 15.2: kill dbt build right after marts.dim_event is written, then publish as an
    operator clearing the task would: the gate refuses, latest stays."""
    home = tmp_path / "home"
    shutil.copytree(night["home"], home, symlinks=True)
    monkeypatch.setenv("HRDW_HOME", str(home))
    from hrdw import settings
    from orchestration import dbt
    from publish.quality import QualityGateError
    from publish.snapshot import publish

    before = (home / "snapshots" / "LATEST").read_text()
    project = settings.dbt_work_dir() / "project"  # the night's working copy, as the build left it
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(settings.dbt_work_dir() / "target"),
    ]
    build = subprocess.Popen(command, env=dbt.dbt_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in build.stdout:
        if "model marts.dim_event" in line and "OK created" in line:
            build.send_signal(signal.SIGKILL)
            break
    build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL  # killed mid-build, not finished
    with pytest.raises(QualityGateError, match="never finished"):
        publish(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert (home / "snapshots" / "LATEST").read_text() == before


def test_a_failure_outside_any_task_reaches_the_alert_channel(night, tmp_path):
    """Issue 15.8: the metadata database can no longer grow (a file-size limit, as a full disk):
    Airflow itself fails outside the tasks; every failed DAG is alerted with the cause."""
    home = tmp_path / "home"
    shutil.copytree(night["home"], home, symlinks=True)
    (home / "logs" / "alerts.jsonl").unlink()
    limit = (home / "airflow" / "airflow.db").stat().st_size

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.sync", "--date", "2026-11-30"],
        cwd=REPO,
        env=night_env(home, night["sources"]),
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    failed = {dag_id for dag_id, state in dag_states(completed.stdout).items() if state == "failed"}
    assert failed, completed.stdout
    recorded = alerts(home)
    assert {alert["dag_id"] for alert in recorded} >= failed
    causes = " ".join(alert["error"] for alert in recorded)
    assert "disk I/O error" in causes or "disk is full" in causes or "File too large" in causes, causes
    assert "; see the log" not in completed.stdout
