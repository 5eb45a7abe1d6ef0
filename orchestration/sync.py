"""Run the whole nightly sync through Airflow, in order, and print a short summary.

    python -m orchestration.sync            # what `make run` does

Every ``ingest_<source>`` DAG, then ``build_warehouse``, then ``publish_snapshot``, each run with
``DAG.test()`` (the real DAG objects and task code, executed in this process against the
project-local Airflow metadata database). One failing ingest does not stop the others or the
build; the exit code is non-zero if any DAG failed. Airflow's own log goes to a file; the
terminal gets the summary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hrdw import settings
from hrdw.sources import scan_specs
from orchestration import airflow_env


@dataclass
class DagOutcome:
    dag_id: str
    state: str
    seconds: float
    note: str = ""
    run_id: str | None = None


@contextlib.contextmanager
def output_to(log_path: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors, so Airflow's too) to a log file."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log_path.open("ab") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def prepare_airflow(log_path: Path) -> None:
    """Migrate the metadata database and make sure the one-slot warehouse-writer pool exists.

    What ``airflow db migrate`` and ``airflow pools set`` do, in this process: the CLI would start
    two more interpreters and import Airflow twice more (about 8 s per sync).
    """
    with output_to(log_path):
        from airflow.utils import db

        from orchestration.airflow_plugin import ensure_warehouse_pool

        db.upgradedb()
        ensure_warehouse_pool()


def _log_size(log_path: Path) -> int:
    try:
        return log_path.stat().st_size
    except OSError:
        return 0


def _last_error_line(log_path: Path, offset: int) -> str | None:
    """The last line logged at ERROR (or an exception line) since ``offset``: the cause a failure
    outside a task leaves only in the log."""
    try:
        with log_path.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if " ERROR " in line or "Error:" in line or "Exception:" in line]
    return errors[-1][:500] if errors else None


def _with_cause(error: BaseException) -> str:
    """``Type: message``, and the exception it came from (what a traceback would print next)."""
    cause = error.__cause__ or error.__context__
    return f"{type(error).__name__}: {error}" + (f"; caused by {type(cause).__name__}: {cause}" if cause else "")


def _alert_unreported(outcome: DagOutcome, error: BaseException | None, log_path: Path, offset: int) -> None:
    """A DAG that failed without any task alert (its failure was outside a task: the metadata
    database, the disk, the runner): alert here, with the cause."""
    from orchestration.alerts import already_alerted, outside_task_alert, record_alert

    try:  # never let the alerting of one failure stop the rest of the night
        if already_alerted(outcome.dag_id, outcome.run_id):
            return
        parts = [_with_cause(error) if error else f"the run ended {outcome.state}"]
        logged = _last_error_line(log_path, offset)
        if logged and all(logged not in part for part in parts):
            parts.append(f"last error in the log: {logged}")
        alert = outside_task_alert(outcome.dag_id, outcome.run_id, "; ".join(parts), task_id="(outside a task)")
        with output_to(log_path):
            record_alert(alert)
    except Exception as failure:
        print(f"  could not alert the failure of {outcome.dag_id}: {type(failure).__name__}: {failure}", flush=True)


def _asset_uris(condition: Any) -> set[str]:
    """The asset URIs a schedule's condition waits for (an asset, or any/all of several)."""
    if condition is None:
        return set()
    if getattr(condition, "uri", None):
        return {condition.uri}
    return set().union(*(_asset_uris(part) for part in getattr(condition, "objects", ())))


def producers_of(dags: dict[str, Any]) -> dict[str, set[str]]:
    """For each DAG, the DAGs whose tasks emit an asset its schedule waits for."""
    waits_for = {dag_id: _asset_uris(getattr(dag.timetable, "asset_condition", None)) for dag_id, dag in dags.items()}
    emits = {dag_id: {outlet.uri for task in dag.tasks for outlet in task.outlets} for dag_id, dag in dags.items()}
    return {
        dag_id: {producer for producer in dags if producer != dag_id and emits[producer] & waits_for[dag_id]}
        for dag_id in dags
    }


def night_order(dags: dict[str, Any]) -> list[str]:
    """The DAGs of one night in the order their data flows, read from the DAGs themselves: a DAG
    runs after every DAG whose tasks emit an asset its schedule waits for (the scheduler's own
    definition, ``orchestration.airflow_support.night_build_schedule``; no second list). Ties: by id."""
    after = producers_of(dags)
    order: list[str] = []
    while len(order) < len(dags):
        ready = sorted(dag_id for dag_id in dags if dag_id not in order and after[dag_id] <= set(order))
        if not ready:  # a cycle: tests/test_dag_integrity.py keeps the project free of them
            raise RuntimeError(f"the DAGs' assets form a cycle among {sorted(set(dags) - set(order))}")
        order.append(ready[0])
    return order


def _has_deadline(dag: Any) -> bool:
    """Whether the DAG also runs on the clock (build_warehouse's deadline), not only on its assets."""
    return getattr(dag.timetable, "asset_condition", None) is None or hasattr(dag.timetable, "timetable")


def run_dags(logical_date: datetime, log_path: Path) -> list[DagOutcome]:
    from airflow.dag_processing.dagbag import DagBag

    outcomes: list[DagOutcome] = []
    offset = _log_size(log_path)
    with output_to(log_path):
        bag = DagBag(dag_folder=str(settings.REPO_ROOT / "dags"))
    for file_name, error in bag.import_errors.items():
        outcome = DagOutcome(f"(DAG file {Path(file_name).name})", "failed", 0.0, "import error")
        _alert_unreported(outcome, RuntimeError(f"DAG file {file_name} failed to import: {error}"), log_path, offset)
        outcomes.append(outcome)
    specs, problems = scan_specs()
    expected = ["build_warehouse", "publish_snapshot", *(item.dag_id for item in [*specs, *problems])]
    for dag_id in sorted(set(expected) - set(bag.dags)):
        outcomes.append(DagOutcome(dag_id, "failed", 0.0, "not loaded: see the DAG import errors above"))
    drafts = {spec.dag_id for spec in specs if spec.draft}  # never part of a night (their DAGs are unscheduled)
    night = {dag_id: dag for dag_id, dag in bag.dags.items() if dag_id not in drafts}
    producers, states = producers_of(night), {}
    for dag_id in night_order(night):
        failed = sorted(producer for producer in producers[dag_id] if states[producer] != "success")
        if failed and not _has_deadline(night[dag_id]):  # as the scheduler: no asset event, no run
            note = f"{', '.join(failed)} did not succeed; latest snapshot unchanged"
            outcomes.append(DagOutcome(dag_id, "skipped", 0.0, note))
            states[dag_id] = "skipped"
            continue
        started, offset, error = time.monotonic(), _log_size(log_path), None
        print(f"  running {dag_id} ...", flush=True)
        with output_to(log_path):
            # DAG.test() runs each task through the Task SDK's in-process runner, whose finalize step
            # calls the task's on_failure_callback once retries are exhausted, as a worker does (checked
            # on Airflow 3.3: tests/test_operations_e2e.py sees the callback's webhook POST). So the
            # alert path here is the production one; the runner only reads back what it recorded.
            # Retries are honoured too: DAG.test() waits out retry_delay (HRDW_TASK_RETRY_DELAY_SECONDS).
            try:
                run = night[dag_id].test(logical_date=logical_date)
                state = str(getattr(run, "state", "unknown"))
            except Exception as failure:  # a failure outside the tasks (metadata database, disk): alerted below
                state, run, error = f"failed ({type(failure).__name__}: {failure})", None, failure
        outcome = DagOutcome(
            dag_id,
            state.replace("DagRunState.", ""),
            time.monotonic() - started,
            run_id=getattr(run, "run_id", None),
        )
        if outcome.state != "success":
            _alert_unreported(outcome, error, log_path, offset)
        outcomes.append(outcome)
        states[dag_id] = outcome.state
    return outcomes


def _failure_lines(outcomes: list[DagOutcome]) -> list[str]:
    """What failed and why, from the alerts recorded for these runs (in alerts.jsonl, or in this
    process when the file could not be written)."""
    from orchestration.alerts import alerts_of_run

    lines = []
    for outcome in outcomes:
        if outcome.state in {"success", "skipped"}:
            continue
        alerts = [alert for alert in alerts_of_run(outcome.run_id) if alert.get("dag_id") == outcome.dag_id]
        if not alerts:
            lines.append(f"  {outcome.dag_id}: {outcome.state}; see the log")
        for alert in alerts:
            source = f" (source {alert['source']})" if alert.get("source") else ""
            lines.append(
                f"  {alert['dag_id']}.{alert['task_id']}{source}: {alert['error']} [webhook: {alert.get('webhook')}]"
            )
    return lines


def _load_reports(specs: list, batch_id: str) -> dict[str, dict]:
    reports = {}
    for spec in [spec for spec in specs if not spec.draft]:
        path = settings.landing_dir() / spec.name / batch_id / "load_report.json"
        reports[spec.name] = json.loads(path.read_text()) if path.exists() else {}
    return reports


def quarantined_rows(batch_id: str) -> list[tuple]:
    """``(source, file, row, reason)`` of every row of the batch in ``raw._quarantine``, in file order."""
    from hrdw import warehouse

    if not settings.warehouse_path().exists():
        return []
    con = warehouse.connect(read_only=True)
    try:
        return con.execute(
            "select _source, _source_file, _source_row, reason from raw._quarantine "
            "where _batch_id = ? order by _source, _source_file, cast(_source_row as integer)",
            [batch_id],
        ).fetchall()
    except Exception:
        return []
    finally:
        con.close()


def summary(outcomes: list[DagOutcome], batch_id: str, log_path: Path) -> str:
    from publish.snapshot import latest_snapshot

    lines = ["", "hrd-warehouse sync summary", "=" * 26, "DAG runs:"]
    lines += [f"  {o.dag_id:<34} {o.state:<10} {o.seconds:5.1f}s {o.note}" for o in outcomes]
    failures = _failure_lines(outcomes)
    if failures:
        lines.append(f"Failures (also in {settings.home() / 'logs' / 'alerts.jsonl'}):")
        lines += failures
    specs, problems = scan_specs()
    drafts = sorted(spec.name for spec in specs if spec.draft)
    if drafts:
        lines.append("Draft sources (not ingested, built or published until `draft: true` leaves their file):")
        lines.append("  " + ", ".join(drafts) + "  (check one with `make check-source NAME=<name>`)")
    if problems:
        lines.append("Source files with errors (each fails only its own ingest; fix the file):")
        lines += [f"  {problem.dag_id}: {problem.message}" for problem in problems]
    lines.append(f"Records landed per source (batch {batch_id}):")
    for source, report in _load_reports(specs, batch_id).items():
        if report:
            landed = report["loaded"] + report["quarantined"]
            lines.append(
                f"  {source:<34} {landed:>5} landed, {report['loaded']:>5} loaded, {report['quarantined']} quarantined"
            )
        else:
            lines.append(f"  {source:<34} no load report (ingest failed?)")
    quarantined = quarantined_rows(batch_id)
    lines.append(f"Rows quarantined: {len(quarantined)}")
    lines += [f"  {src}: {file} row {row}: {reason}" for src, file, row, reason in quarantined]
    from hrdw import date_issues  # reports whose event date was not read exactly, per source

    lines += date_issues.summary_lines()
    from hrdw import label_issues  # labels that mapped to nothing, per source

    lines += label_issues.summary_lines()
    from hrdw import victim_issues  # form submissions whose victims do not add up, per source

    lines += victim_issues.summary_lines()
    snapshot = latest_snapshot()
    if snapshot and (snapshot / "manifest.json").exists():
        manifest = json.loads((snapshot / "manifest.json").read_text())
        tables = manifest["tables"]

        def rows(name: str) -> int:
            return tables.get(name, {}).get("rows", 0)

        lines.append(
            f"Marts: {rows('dim_event')} events, {rows('fct_violation')} violations, {rows('dim_actor')} actors, "
            f"{rows('bridge_event_source_record')} source records"
        )
        lines.append(f"Snapshot: {snapshot}  (snapshots/latest points here)")
        changes = manifest.get("changelog", {}).get("counts", {})
        lines.append("Since the previous snapshot: " + ", ".join(f"{n} {kind}" for kind, n in changes.items()))
        if "public" in manifest:
            public = manifest["public"]
            lines.append(f"Public variant: {snapshot / public['path']}  ({public['public_events']} events public)")
            withheld = {
                name: rule["why"] for name, rule in public.get("sources", {}).items() if not rule["publishable"]
            }
            lines += [f"  withheld source {name}: {why}" for name, why in withheld.items()]
        notes = manifest.get("dbt", {}).get("build", {}).get("source_notes", {})
        if notes:
            lines.append("Sources the build left out or built from an older file:")
            lines += [f"  {name}: {note}" for name, note in notes.items()]
        freshness = manifest.get("freshness", {}).get("sources", {})
        stale = sorted(name for name, info in freshness.items() if info.get("stale"))
        if stale:
            lines.append(f"Stale sources (their previous batch is published): {', '.join(stale)}")
        query = (
            "select e.event_date, e.country_code, e.victim_names, e.violation_type_codes, e.source_names "
            f"from '{snapshot}/dim_event.parquet' e where e.source_count > 1 order by e.event_date"
        )
        lines.append(
            f"Report (charts, SDG 16.10.1, map): {snapshot}/report.html; public: {snapshot}/public/report.html"
        )
        lines.append(f"Data dictionary: {snapshot}/dictionary.html (dbt's site: {snapshot}/docs/index.html)")
        lines.append("Look around: `make shell` (read-only SQL on this snapshot; docs/analysts.md), or paste:")
        lines.append(f'  {sys.executable} -c "import duckdb; duckdb.sql(\\"{query}\\").show(max_width=200)"')
        lines.append(f"Warehouse (all schemas): {settings.warehouse_path()}")
    else:
        lines.append("No snapshot was published.")
    lines.append(f"Full Airflow and dbt log: {log_path}")
    return "\n".join(lines)


class SyncBusy(RuntimeError):
    """Another sync holds this HRDW_HOME."""


@contextlib.contextmanager
def sync_lock(wait: bool) -> Iterator[None]:
    """One sync per ``HRDW_HOME`` at a time: two would share one Airflow metadata database and one
    warehouse, fail each other's runs and publish two snapshots of one night. ``HRDW_HOME/sync.lock``
    names the holder; the kernel drops the lock when its process dies."""
    import fcntl

    path = settings.home() / "sync.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if not wait:
                raise SyncBusy(
                    f"another sync is running on {settings.home()} ({holder}); not starting a second one. "
                    "Wait for it to finish, or run with --wait to start after it."
                ) from None
            print(f"  another sync is running on {settings.home()} ({holder}); waiting for it ...", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alert_sync_failure(error: BaseException, log_path: Path) -> None:
    """The sync itself failed (not a DAG): alert with the cause, and say so on the terminal."""
    from orchestration.alerts import outside_task_alert, record_alert

    text = _with_cause(error)
    webhook = "not sent"
    with contextlib.suppress(Exception), output_to(log_path):
        webhook = record_alert(outside_task_alert("orchestration.sync", None, text, task_id="(the sync itself)"))[
            "webhook"
        ]
    print(f"hrd-warehouse sync FAILED: {text}", file=sys.stderr)
    print(f"  alert webhook: {webhook}; full log: {log_path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", help="logical date (UTC, YYYY-MM-DD) of the nightly run; default: today")
    parser.add_argument("--wait", action="store_true", help="if another sync runs on this HRDW_HOME, wait for it")
    args = parser.parse_args(argv)
    airflow_env.configure()
    today = datetime.now(UTC).date()
    day = datetime.fromisoformat(args.date).date() if args.date else today
    logical_date = datetime(day.year, day.month, day.day, tzinfo=UTC)
    batch_id = logical_date.strftime("%Y%m%dT%H%M%SZ")
    log_path = settings.home() / "logs" / f"sync-{batch_id}.log"
    print(f"hrd-warehouse sync: sources {settings.sources_dir()} -> {settings.home()}", flush=True)
    try:
        with sync_lock(args.wait):
            print(f"  preparing Airflow home {os.environ['AIRFLOW_HOME']} ...", flush=True)
            prepare_airflow(log_path)
            outcomes = run_dags(logical_date, log_path)
            try:
                print(summary(outcomes, batch_id, log_path))
            except Exception as error:  # the night's outcome stands; only its report broke
                states = ", ".join(f"{outcome.dag_id} {outcome.state}" for outcome in outcomes)
                print(f"(no summary: {type(error).__name__}: {error}) DAG runs: {states}; log: {log_path}")
    except SyncBusy as busy:
        print(f"hrd-warehouse sync: {busy}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except Exception as error:  # anything outside the DAGs (disk, metadata database): alert, never a bare traceback
        _alert_sync_failure(error, log_path)
        return 1
    return 0 if all(o.state == "success" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
