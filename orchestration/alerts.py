"""Failure alerts, stated once: what failed, where and why, without secrets; logged, recorded in
``HRDW_HOME/logs/alerts.jsonl`` and posted to the webhook of the Airflow connection
``hrdw_alert_webhook`` when it exists. Every DAG's tasks and runs use them as Airflow notifiers
(``failure_notifier``); ``orchestration.sync`` alerts a run that failed outside any task.

Every text that leaves a task on a failure (the headline in the task log, the alert line,
alerts.jsonl, the webhook payload) is scrubbed of the source's and the webhook's connection
secrets in plain, URL-encoded and base64 (HTTP Basic) forms, and of URL user-info and
secret-looking query values (``hrdw.secrets``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hrdw.secrets import scrub, secret_forms

log = logging.getLogger("hrdw.airflow")

# Airflow connection (type http) of the alert webhook; alerts are only posted when it exists.
ALERT_CONNECTION_ID = "hrdw_alert_webhook"
ALERT_TIMEOUT_SECONDS = 10.0


def _source_of(dag_id: str) -> str | None:
    return dag_id.removeprefix("ingest_") if dag_id.startswith("ingest_") else None


def _source_secret_forms(source: str | None) -> list[str]:
    """Secret forms of the failed source's connection, so that no alert can carry them."""
    if not source:
        return []
    try:
        from hrdw.sources import load_spec, spec_path
        from orchestration.connections import connection_credentials

        spec = load_spec(spec_path(source))
        login, secrets = connection_credentials(spec.connection_id)
    except Exception:  # no YAML, no connection: nothing of it to scrub
        return []
    return secret_forms(secrets.values(), login)


def _alert_error(error: str, source: str | None) -> str:
    """An alert's error text: without the source's or the webhook's secrets, at most 2,000 characters."""
    error = scrub(error, _source_secret_forms(source) + _webhook_secret_forms())
    return error[:2000] + "..." if len(error) > 2000 else error


def failure_alert(context: dict[str, Any]) -> dict[str, Any]:
    """The alert for a failed task: what failed, where, and why, without secrets."""
    task_instance = context.get("task_instance") or context.get("ti")
    dag_id = str(getattr(task_instance, "dag_id", None) or "?")
    task_id = str(getattr(task_instance, "task_id", None) or "?")
    source = _source_of(dag_id)
    exception = context.get("exception")
    error = f"{type(exception).__name__}: {exception}" if exception else "no exception recorded; see the task log"
    error = _alert_error(error, source)
    logical_date = context.get("logical_date")
    text = f"hrd-warehouse: {dag_id}.{task_id} failed" + (f" (source {source})" if source else "") + f": {error}"
    return {
        "event": "hrdw.task_failed",
        "text": text,  # chat webhooks (Slack, Mattermost, Teams workflows) show this field
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": context.get("run_id") or getattr(task_instance, "run_id", None),
        "logical_date": logical_date.isoformat() if hasattr(logical_date, "isoformat") else None,
        "try_number": getattr(task_instance, "try_number", None),
        "source": source,
        "error": error,
        "hostname": socket.gethostname(),
        "failed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _webhook_connection() -> Any | None:
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return Connection.get(ALERT_CONNECTION_ID)
    except AirflowNotFoundException:
        return None


def _webhook_secret_forms() -> list[str]:
    try:
        connection = _webhook_connection()
    except Exception:
        return []
    if connection is None:
        return []
    return secret_forms([connection.password, webhook_url(connection)], connection.login)


def webhook_url(connection: Any) -> str:
    """The URL an http connection names: ``extra.url``; else ``host`` when it is a full URL
    (plus ``extra.endpoint``); else ``<schema or conn type>://host[:port]/<path>``. A URI-form
    connection (``AIRFLOW_CONN_HRDW_ALERT_WEBHOOK=https://hooks.example.org/services/X``) parses
    as conn type ``https``, host, port and the path in ``schema``; all three forms work."""
    extra = connection.extra_dejson or {}
    if extra.get("url"):
        return str(extra["url"])
    host = (connection.host or "").strip()
    endpoint = str(extra.get("endpoint") or "")
    if "://" in host:
        base, path = host.rstrip("/"), ""
    else:
        schema = (connection.schema or "").strip()
        if schema in {"http", "https"}:
            scheme, path = schema, ""
        else:
            scheme = connection.conn_type if connection.conn_type in {"http", "https"} else "https"
            path = schema
        base = f"{scheme}://{host}" + (f":{connection.port}" if connection.port else "")
    for part in (path, endpoint):
        if part:
            base = base + "/" + part.lstrip("/")
    return base


def _origin(url: str) -> str:
    """Scheme, host and port only: a webhook's path often is its secret (Slack, Teams)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def send_alert(alert: dict[str, Any]) -> str:
    """POST the alert as JSON to the webhook connection, if one is configured. Never raises:
    a broken webhook must not hide the failure it reports. Returns what happened, for the record."""
    try:
        connection = _webhook_connection()
    except Exception as error:  # a broken secrets backend: say so, without its message
        log.warning("alert webhook: cannot read Airflow connection %r (%s)", ALERT_CONNECTION_ID, type(error).__name__)
        return f"connection unreadable ({type(error).__name__})"
    if connection is None:
        log.info("no alert webhook: Airflow connection %r is not configured", ALERT_CONNECTION_ID)
        return "not configured"
    origin = "?"
    try:
        import requests

        url = webhook_url(connection)
        origin = _origin(url)
        extra = connection.extra_dejson or {}
        auth = (connection.login or "", connection.password) if connection.password else None
        response = requests.post(
            url,
            json=alert,
            auth=auth,
            headers={str(key): str(value) for key, value in (extra.get("headers") or {}).items()},
            timeout=float(extra.get("timeout", ALERT_TIMEOUT_SECONDS)),
        )
    except Exception as error:  # the message of a connection error holds the full URL: log the type only
        log.warning("alert webhook %s failed (%s); the failure itself is logged above", origin, type(error).__name__)
        return f"failed ({type(error).__name__})"
    if response.status_code >= 400:
        log.warning(
            "alert webhook %s answered HTTP %d; the failure itself is logged above", origin, response.status_code
        )
        return f"failed (HTTP {response.status_code})"
    log.info("alert sent to webhook %s (HTTP %d)", origin, response.status_code)
    return "sent"


def alerts_path() -> Path:
    from hrdw import settings

    return settings.home() / "logs" / "alerts.jsonl"


@contextlib.contextmanager
def failure_headline() -> Iterator[None]:
    """Around a task's work: when it raises, one ERROR line first, at the top level of the task log
    (dag, task, source, cause; no secret), before Airflow's traceback. The failure callback's own
    line comes later, inside the collapsed "Post Execute" group of the log."""
    try:
        yield
    except Exception as error:
        from airflow.sdk import get_current_context

        task_instance = get_current_context().get("ti")
        dag_id = str(getattr(task_instance, "dag_id", "?"))
        task_id = str(getattr(task_instance, "task_id", "?"))
        source = _source_of(dag_id)
        lines = _alert_error(f"{type(error).__name__}: {error}", source).splitlines()
        cause = "; ".join(line.strip() for line in lines if line.strip())[:1000]
        log.error("HRDW FAILURE %s.%s%s: %s", dag_id, task_id, f" (source {source})" if source else "", cause)
        raise


def log_failure(context: dict[str, Any]) -> None:
    """Failure callback of every task: one clear log line, a record in ``HRDW_HOME/logs/alerts.jsonl``,
    and a JSON POST to the ``hrdw_alert_webhook`` connection when it is configured. Never raises."""
    try:
        alert = failure_alert(context)
    except Exception as error:  # keep the one line even if building the alert broke
        log.error("HRDW FAILURE (alert could not be built: %s)", type(error).__name__)
        return
    log.error(
        "HRDW FAILURE dag=%s task=%s run=%s try=%s source=%s error=%s",
        alert["dag_id"],
        alert["task_id"],
        alert["run_id"],
        alert["try_number"],
        alert["source"] or "-",
        alert["error"],
    )
    record_alert(alert)


def already_alerted(dag_id: str, run_id: str | None) -> bool:
    """Whether an alert of ``dag_id`` was recorded for the run (in alerts.jsonl or by this process)."""
    return any(alert.get("dag_id") == dag_id for alert in alerts_of_run(run_id))


def log_dag_run_failure(context: dict[str, Any]) -> None:
    """Failure callback of every DAG run: alerts a run that failed with no task alert of its own.

    A task's own callback reports the task's exception; a run can also fail outside any task (a
    task killed by the machine, a scheduler error, a timeout), and then this is the only alert.
    Never raises.
    """
    try:
        dag_run = context.get("dag_run")
        dag = context.get("dag")
        dag_id = str(getattr(dag, "dag_id", None) or getattr(dag_run, "dag_id", None) or "?")
        run_id = context.get("run_id") or getattr(dag_run, "run_id", None)
        if already_alerted(dag_id, run_id):
            return
        reason = context.get("reason") or "the run failed outside its tasks"
        alert = outside_task_alert(dag_id, run_id, f"DAG run failed: {reason}; see the scheduler and task logs")
    except Exception as error:
        log.error("HRDW FAILURE (DAG run alert could not be built: %s)", type(error).__name__)
        return
    log.error("HRDW FAILURE dag=%s run=%s error=%s", dag_id, run_id, alert["error"])
    record_alert(alert)


def outside_task_alert(dag_id: str, run_id: str | None, error: str, task_id: str = "-") -> dict[str, Any]:
    """An alert for a failure no task callback reported, in the shape of ``failure_alert``."""
    source = _source_of(dag_id)
    # one line; SQLAlchemy appends a "(Background on this error at: <url>)" line that says nothing here
    error = " ".join(line.strip() for line in error.splitlines() if not line.startswith("(Background on this"))
    error = _alert_error(error, source)
    return {
        "event": "hrdw.run_failed",
        "text": f"hrd-warehouse: {dag_id} failed" + (f" (source {source})" if source else "") + f": {error}",
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": run_id,
        "logical_date": None,
        "try_number": None,
        "source": source,
        "error": error,
        "hostname": socket.gethostname(),
        "failed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# Alerts this process recorded, newest last: the sync reads them back when alerts.jsonl cannot be
# written (a full disk) so that the terminal still shows the cause.
RECENT_ALERTS: list[dict[str, Any]] = []


def record_alert(alert: dict[str, Any]) -> dict[str, Any]:
    """Send ``alert`` to the webhook and append it to ``alerts.jsonl``; never raises.

    Used by the failure callbacks and by ``orchestration.sync`` for failures no task reported (the
    scheduler's or the sync's own). ``alert["recorded"]`` says whether the file took it.
    """
    alert["webhook"] = send_alert(alert)
    alert["recorded"] = False
    try:
        from hrdw import privacy

        privacy.make_private()  # the task may have failed before it wrote anything
        path = alerts_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({key: value for key, value in alert.items() if key != "recorded"}, ensure_ascii=False)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        alert["recorded"] = True
    except OSError as error:
        log.warning("could not record the alert in %s: %s", alerts_path(), error)
    RECENT_ALERTS.append(alert)
    return alert


def read_alerts(run_id: str | None = None) -> list[dict[str, Any]]:
    """Recorded alerts, oldest first (only those of ``run_id`` when given). A line a full disk cut
    short is skipped, never an error: it must not stop the next night's alerts."""
    path = alerts_path()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    alerts = []
    for line in text.splitlines():
        try:
            alert = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(alert, dict) and (run_id is None or alert.get("run_id") == run_id):
            alerts.append(alert)
    return alerts


def alerts_of_run(run_id: str | None) -> list[dict[str, Any]]:
    """Every alert of a run: those in ``alerts.jsonl`` and those this process recorded (which the file
    may lack when it could not be written). ``run_id`` None: every alert this process recorded."""
    recorded = read_alerts(run_id) if run_id else []
    seen = {(alert.get("dag_id"), alert.get("task_id"), alert.get("error")) for alert in recorded}
    recent = [
        alert
        for alert in RECENT_ALERTS
        if (run_id is None or alert.get("run_id") == run_id)
        and (alert.get("dag_id"), alert.get("task_id"), alert.get("error")) not in seen
    ]
    return recorded + recent


def failure_notifier(scope: str) -> Any:
    """The project's Airflow notifier for failures (``scope`` "task": a task whose retries are
    exhausted, ``log_failure``; "dag_run": a run that failed outside its tasks,
    ``log_dag_run_failure``): logged, recorded in alerts.jsonl, posted to the webhook. Never raises."""
    from airflow.sdk import BaseNotifier

    class FailureAlert(BaseNotifier):
        def notify(self, context: dict[str, Any]) -> None:
            (log_failure if scope == "task" else log_dag_run_failure)(context)

    return FailureAlert()
