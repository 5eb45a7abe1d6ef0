"""Airflow plugin of the project: whichever way Airflow is started, the warehouse-writer pool exists.

Every ``load_raw``, ``dbt_build`` and ``publish`` task runs in the one-slot pool
``hrdw_warehouse_writer`` (DuckDB allows one writer). Airflow never schedules a task whose pool
does not exist, and says so only in the scheduler's log and on a task's Details tab, so a
deployment that forgot ``airflow pools set`` would sit in "Scheduled" for ever. This plugin
(registered as the ``airflow.plugins`` entry point of this package, so any Airflow of the
project's environment loads it) creates the pool when a scheduler, DAG processor or triggerer
starts, before the first night. A pool that exists is left as the operator set it.
``make airflow``, ``make run`` and docker-compose's ``airflow-init`` create it too.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin

log = logging.getLogger("hrdw.airflow")

WAREHOUSE_POOL_SLOTS = 1  # DuckDB allows one writer
WAREHOUSE_POOL_DESCRIPTION = "DuckDB allows one writer (hrd-warehouse)"


def ensure_warehouse_pool() -> bool:
    """Create the warehouse-writer pool when it is missing; True when it was created."""
    from airflow.models.pool import Pool

    from hrdw import settings

    if Pool.get_pool(settings.WAREHOUSE_POOL) is not None:
        return False
    Pool.create_or_update_pool(
        settings.WAREHOUSE_POOL, WAREHOUSE_POOL_SLOTS, WAREHOUSE_POOL_DESCRIPTION, include_deferred=False
    )
    log.warning("hrd-warehouse: created the missing pool %s (%d slot)", settings.WAREHOUSE_POOL, WAREHOUSE_POOL_SLOTS)
    return True


class WarehousePoolListener:
    """Listens for Airflow components starting (a scheduler, DAG processor or triggerer job)."""

    @hookimpl
    def on_starting(self, component: Any) -> None:
        from airflow.jobs.job import Job

        # Task processes start too (a TaskRunnerMarker); they have no metadata database access.
        # (A Job calls this before its job_type is set: every job of the deployment qualifies.)
        if not isinstance(component, Job):
            return
        try:
            ensure_warehouse_pool()
        except Exception as error:  # never stop a scheduler from starting; say why loudly
            reason = f"{type(error).__name__}: {error}"
            print(f"hrd-warehouse: could not make sure the pool exists: {reason}", file=sys.stderr)


class HrdwPlugin(AirflowPlugin):
    name = "hrd_warehouse"
    listeners = [WarehousePoolListener()]  # noqa: RUF012 (Airflow's plugin interface is a class attribute)
