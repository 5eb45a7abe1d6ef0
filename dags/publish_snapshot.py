"""``publish_snapshot``: export the marts as a versioned, checksummed snapshot (work in ``publish/``)."""

from __future__ import annotations

from airflow.sdk import DAG, Asset, task

from hrdw import settings
from orchestration.airflow_support import DAG_RUN_FAILURE_ALERT, DEFAULT_ARGS, MARTS_ASSET_URI, START_DATE

DOC = """\
### Publish a snapshot

Triggered when `build_warehouse` has produced new marts. Writes `HRDW_HOME/snapshots/<snapshot_id>/`:
every mart as Parquet and CSV (run metadata such as load times in `run_metadata/`), `warehouse.duckdb`
with the marts for analysts, `manifest.json` (row counts, schemas, sha256 per file, content checksums,
source freshness, the dbt test summary and warnings, code version), `CHANGELOG.md` / `changelog.json`
(events added, changed, removed, merged since the previous snapshot), and `public/`: the variant the
publication policy (`config/publication_policy.yml`, or `HRDW_PUBLICATION_POLICY`) allows to publish.
The folder is written aside and renamed into place; only then does `latest` move. With
`HRDW_PUBLISH_TARGET` (e.g. `s3://bucket/prefix`, credentials from the Airflow connection named by
`HRDW_PUBLISH_CONN_ID`) the snapshot is then uploaded and `<target>/LATEST` is written last.

**Triage**
1. "QualityGateError": the last dbt build had an error or a failing test (listed in the message,
   from `HRDW_HOME/dbt/target/run_results.json`). Nothing was written and `latest` still points at
   the last good snapshot. Fix the data or model, re-run `build_warehouse`; this DAG follows.
2. "PolicyError": the publication policy is malformed or the marts lack a column it needs (named in
   the message). Nothing was written. Fix the YAML and clear this task.
3. Stale sources: `manifest.json` → `freshness.sources.<name>.stale` is true when that source's
   ingest failed tonight; the snapshot then holds its previous batch. See its `ingest_<name>` DAG.
4. Leftover `.<stamp>.partial` or `.<id>.old` folders are from an interrupted publish; the next
   publish deletes them (they are never pointed at, and safe to delete by hand).
5. Roll back: point `latest` at an earlier snapshot (both pointers):
   `ln -sfn <snapshot_id> HRDW_HOME/snapshots/latest && echo <snapshot_id> > HRDW_HOME/snapshots/LATEST`
   (remote: write `<snapshot_id>` into `<target>/LATEST`). The next publish moves it again.
6. Retention: only the newest `HRDW_SNAPSHOT_RETENTION` snapshots (default 10) are kept, here and at
   the remote target; the one `latest` points at is never deleted. Copy a snapshot elsewhere to keep it.
7. Upload failed: the local snapshot and `latest` are complete; the remote `LATEST` still names the
   previous snapshot. Clear the task: the rebuild has the same id and the upload is redone.
"""

with DAG(
    dag_id="publish_snapshot",
    description="Versioned snapshot of the marts",
    schedule=[Asset(MARTS_ASSET_URI)],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=DAG_RUN_FAILURE_ALERT,
    tags=["hrdw", "publish"],
    doc_md=DOC,
) as dag:

    @task(task_id="publish", pool=settings.WAREHOUSE_POOL)
    def publish(**context) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from orchestration.airflow_support import interval_of
        from orchestration.alerts import failure_headline
        from publish.policy import PolicyError
        from publish.quality import QualityGateError
        from publish.snapshot import publish as publish_marts

        _, run_time = interval_of(context)
        with failure_headline():
            try:
                return publish_marts(run_time).summary()
            except (QualityGateError, PolicyError) as refusal:  # retrying cannot help: fail at once
                raise AirflowFailException(str(refusal)) from refusal

    publish()
