"""``publish_snapshot``: export the marts as a versioned, checksummed snapshot."""

from __future__ import annotations

from airflow.sdk import DAG, Asset, task

from hrdw import settings
from hrdw.airflow_support import DEFAULT_ARGS, MARTS_ASSET_URI, START_DATE

DOC = """\
### Publish a snapshot

Triggered when `build_warehouse` has produced new marts. Writes
`HRDW_HOME/snapshots/<snapshot_id>/` (one Parquet file per mart and `manifest.json` with row
counts, schemas and sha256 checksums) aside, renames it into place, then moves the `latest`
pointer. A failure leaves the previous snapshot and `latest` untouched.

**Triage**
1. The log names the table being exported when it failed.
2. Leftover `.<id>.partial` folders are incomplete attempts; they are safe to delete.
3. To roll back, point `latest` at an earlier snapshot:
   `ln -sfn <snapshot_id> HRDW_HOME/snapshots/latest && echo <snapshot_id> > HRDW_HOME/snapshots/LATEST`.
"""

with DAG(
    dag_id="publish_snapshot",
    description="Versioned snapshot of the marts",
    schedule=[Asset(MARTS_ASSET_URI)],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["hrdw", "publish"],
    doc_md=DOC,
) as dag:

    @task(task_id="publish", pool=settings.WAREHOUSE_POOL)
    def publish(**context) -> dict:
        from hrdw.airflow_support import interval_of
        from publish.snapshot import publish as publish_marts

        _, run_time = interval_of(context)
        snapshot = publish_marts(run_time)
        return {"snapshot_id": snapshot.snapshot_id, "path": str(snapshot.path)}

    publish()
