"""``build_warehouse``: dbt build (seeds, models, tests) over every source's raw data."""

from __future__ import annotations

from airflow.sdk import DAG, Asset, task

from hrdw import settings
from hrdw.sources import scan_specs
from orchestration.airflow_support import DAG_RUN_FAILURE_ALERT, DEFAULT_ARGS, MARTS_ASSET_URI, night_build_schedule

DOC = """\
### Build the warehouse

Runs `dbt build` on a working copy of `dbt_project/` completed with one staging model per
source YAML (`HRDW_HOME/dbt/project`): seeds, staging, intermediate (conformed reports,
matching), marts, and every data test. Runs in the single-slot `hrdw_warehouse_writer` pool
(DuckDB allows one writer) with `max_active_runs=1`, holding the warehouse writer lock
(`HRDW_HOME/warehouse.lock`) so that writers outside the scheduler wait too. Scheduled by the
night's data: it starts as soon as every source's ingest has loaded (its `hrdw://raw/<source>`
asset), or at the 03:00 UTC deadline with whatever arrived; a source whose ingest failed or is
late is built from its last good batch and marked stale in the snapshot manifest.
A source with no good batch at all (a new source whose first ingest failed) is left out with a
warning (`source <name>: left out: ...` at the top of the log, and in the snapshot manifest's
`dbt.source_notes`); a source whose YAML file is invalid is built from the copy of its file kept
by the last successful build (`HRDW_HOME/dbt/last_good_sources/`), or left out when there is none.
Each invocation is logged in `hrdw_ops.dbt_invocations` (start, end, failures, sources), which the
publish checks.

**Triage**
1. The task log ends with dbt's output and the list of failing nodes (model errors or failing
   tests with their message).
2. Full dbt logs: `HRDW_HOME/dbt/logs/dbt.log`; results: `HRDW_HOME/dbt/target/run_results.json`.
3. A failing test stops the DAG here, so nothing is published: `latest` keeps pointing at the
   last good snapshot. Fix the data (or the model), then clear this task.
4. `waiting for the warehouse writer lock held by pid N`: another writer (a `load_raw`, a replay,
   an analyst's read-write session through `hrdw.warehouse.connect`) has the warehouse; the build
   continues when it finishes. "Could not set lock on file": a process outside that convention
   (e.g. the DuckDB CLI opened read-write) holds `warehouse.duckdb`; close it and clear the task.
5. More: `docs/operations.md`.
"""

with DAG(
    dag_id="build_warehouse",
    description="dbt build of staging, matching and marts",
    # every valid source's raw asset, or the deadline (the YAML files are read, nothing else)
    schedule=night_build_schedule(spec.name for spec in scan_specs()[0] if not spec.draft),
    # no start_date: on a first start the deadline waits for the next 03:00 instead of firing at
    # once (a past cron point with a start_date is due immediately), so the first night too is
    # built when its ingests have loaded
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=DAG_RUN_FAILURE_ALERT,
    tags=["hrdw", "warehouse"],
    doc_md=DOC,
) as dag:
    marts = Asset(MARTS_ASSET_URI)

    @task(task_id="dbt_build", pool=settings.WAREHOUSE_POOL, outlets=[marts])
    def dbt_build(**context) -> dict:
        from hrdw import privacy, warehouse
        from hrdw.sources import scan_specs
        from orchestration import dbt
        from orchestration.airflow_support import interval_of
        from orchestration.alerts import failure_headline

        privacy.make_private()  # dbt's target/ and logs/, the warehouse: 0600 (dbt inherits the umask)
        # the night being built (its data interval's end), never the wall clock: no event after it
        run_date = interval_of(context)[1].date().isoformat()

        # dbt opens the DuckDB file itself: hold the writer lock for the whole build (and the working copy).
        with failure_headline():
            with warehouse.writer_lock(purpose="build_warehouse.dbt_build"):
                result, plan = dbt.build(*scan_specs(), run_date=run_date)
            if not result.ok:
                raise RuntimeError("dbt build failed:\n" + "\n".join(result.failures or [result.output_tail]))
        # the marts asset event says what was built and what was left out (the UI shows it)
        context["outlet_events"][marts].extra = {"night": run_date, "dbt": result.counts, "source_notes": plan.notes}
        return {"counts": result.counts, "warnings": result.warnings, "source_notes": plan.notes}

    dbt_build()
