"""Airflow conventions shared by every DAG: the one tag list, the assets and the night's schedule,
default arguments (retries, the failure notifiers of ``orchestration.alerts``), and the land step with its
Airflow connection.

Imported by the thin files in ``dags/``; keeps Airflow-specific glue out of ``extract/`` and
``publish/``, which are tested without Airflow.

Secrets: credentials come from Airflow connections and are handed to the connector in memory
only; an error whose text holds one is re-raised scrubbed (``hrdw.secrets``), without its chain.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hrdw.kinds import KIND_TAGS
from hrdw.secrets import scrub, secret_forms
from orchestration.alerts import failure_notifier
from orchestration.connections import connection_credentials

log = logging.getLogger("hrdw.airflow")

# Every DAG's tags come from this list (checked by tests/test_dag_integrity.py).
ALLOWED_TAGS = frozenset({"hrdw", "ingest", "warehouse", "publish", *KIND_TAGS})
START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
MARTS_ASSET_URI = "hrdw://warehouse/marts"


def raw_asset_uri(source_name: str) -> str:
    return f"hrdw://raw/{source_name}"


def load_event_extra(report: Any) -> dict[str, Any]:
    """What a raw asset event carries: the batch and its records landed, loaded and quarantined."""
    return {
        "source": report.source,
        "batch_id": report.batch_id,
        "records_landed": report.loaded + report.quarantined,
        "records_loaded": report.loaded,
        "records_quarantined": report.quarantined,
    }


# The night's order, stated once: every ingest DAG's load_raw emits its source's raw asset;
# build_warehouse waits for all of them (or this deadline) and emits the marts asset, which
# publish_snapshot waits for. orchestration.sync derives its order from these same assets.
BUILD_DEADLINE_CRON = "0 3 * * *"  # UTC: by then the night builds with whatever arrived


def night_build_schedule(source_names: Iterable[str]) -> Any:
    """``build_warehouse``'s schedule: as soon as every source's ingest has loaded its raw asset
    since the last build, or at the 03:00 UTC deadline with whatever arrived (a source without a
    good batch of the night is built from its previous batch and marked stale in the snapshot)."""
    from airflow.sdk import Asset, AssetAll, AssetOrTimeSchedule, CronTriggerTimetable

    # run_immediately=0: a deployment first started at 03:10 waits for the next 03:00. Airflow's
    # default fires a missed trigger at once when it is under a tenth of the period old (2.4 hours):
    # a build then, before any ingest has run, fails with nothing to build.
    deadline = CronTriggerTimetable(BUILD_DEADLINE_CRON, timezone="UTC", run_immediately=timedelta(0))
    assets = [Asset(raw_asset_uri(name)) for name in sorted(source_names)]
    return AssetOrTimeSchedule(timetable=deadline, assets=AssetAll(*assets)) if assets else deadline


def _env_number(name: str, default: float) -> float:
    """A numeric setting from the environment (for tests and one-off runs), else the production default."""
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


# Production: 2 retries, 2 then 4 minutes apart. HRDW_TASK_RETRIES / HRDW_TASK_RETRY_DELAY_SECONDS
# shorten them (read when the DAG files are parsed), e.g. in tests. Development mode (HRDW_DEV=1,
# the one switch docs/adding-a-source.md names) retries nothing: a mistake fails at once.
DEV_MODE = os.environ.get("HRDW_DEV", "").strip().lower() in {"1", "true", "yes"}
TASK_RETRIES = int(_env_number("HRDW_TASK_RETRIES", 0 if DEV_MODE else 2))
TASK_RETRY_DELAY = timedelta(seconds=_env_number("HRDW_TASK_RETRY_DELAY_SECONDS", 120))


def interval_of(context: dict[str, Any]) -> tuple[datetime, datetime]:
    """The run's data interval; for runs without one (manual, asset-triggered), the run's logical time."""
    end = context.get("data_interval_end") or context.get("logical_date") or context["dag_run"].run_after
    start = context.get("data_interval_start") or end
    return start, end


# --- secrets --------------------------------------------------------------------------------------


def _exception_chain(error: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        # what a traceback prints: the cause, else the context unless suppressed (``raise ... from None``)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


class SourceFailure(RuntimeError):
    """A source step failed with an error whose text held a credential; this is that text, scrubbed."""


def land_from_yaml(yaml_path: Path, context: dict[str, Any]) -> str:
    """The ``land`` task: re-read the YAML, fetch credentials from its Airflow connection, land the interval."""
    from extract.ingest import land_source
    from hrdw.sources import load_spec

    spec = load_spec(yaml_path)  # re-read: the YAML may have changed since parsing
    start, end = interval_of(context)
    # Credentials live in the Airflow connection; the YAML only names it.
    login, secrets = connection_credentials(spec.connection_id)
    try:
        manifest = land_source(spec, start, end, secrets=secrets, login=login)
    except Exception as error:
        forms = secret_forms(secrets.values(), login)
        if forms and any(form in str(link) for link in _exception_chain(error) for form in forms):
            # Tracebacks print every chained exception: drop the chain, keep the message without the secret.
            raise SourceFailure(scrub(f"{type(error).__name__}: {error}", forms)) from None
        raise
    return manifest["batch_id"]


DEFAULT_ARGS: dict[str, Any] = {
    "owner": "hrdw",
    "retries": TASK_RETRIES,
    "retry_delay": TASK_RETRY_DELAY,
    "retry_exponential_backoff": True,
    "on_failure_callback": failure_notifier("task"),
}
DAG_RUN_FAILURE_ALERT = failure_notifier("dag_run")  # every DAG's on_failure_callback
