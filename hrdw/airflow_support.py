"""Airflow conventions shared by every DAG: the one tag list, default arguments, callbacks.

Imported by the thin files in ``dags/``; keeps Airflow-specific glue out of ``extract/`` and
``publish/``, which are tested without Airflow.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger("hrdw.airflow")

# Every DAG's tags come from this list (checked by tests/test_dag_integrity.py).
ALLOWED_TAGS = frozenset({"hrdw", "ingest", "warehouse", "publish", "cpj", "spreadsheet", "forms", "review"})
START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
MARTS_ASSET_URI = "hrdw://warehouse/marts"


def raw_asset_uri(source_name: str) -> str:
    return f"hrdw://raw/{source_name}"


def log_failure(context: dict[str, Any]) -> None:
    """Failure callback: one clear line naming the DAG, task, run and error."""
    task_instance = context.get("task_instance") or context.get("ti")
    log.error(
        "HRDW FAILURE dag=%s task=%s run=%s error=%s",
        getattr(task_instance, "dag_id", "?"),
        getattr(task_instance, "task_id", "?"),
        context.get("run_id"),
        context.get("exception"),
    )


DEFAULT_ARGS: dict[str, Any] = {
    "owner": "hrdw",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "on_failure_callback": log_failure,
}


def interval_of(context: dict[str, Any]) -> tuple[datetime, datetime]:
    """The run's data interval; for runs without one (manual, asset-triggered), the run's logical time."""
    end = context.get("data_interval_end") or context.get("logical_date") or context["dag_run"].run_after
    start = context.get("data_interval_start") or end
    return start, end
