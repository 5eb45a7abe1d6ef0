"""DAG factory: one ``ingest_<name>`` DAG per source YAML in ``HRDW_SOURCES_DIR``.

Each DAG has two idempotent tasks over its data interval: ``land`` (bytes as received into
``landing/<source>/<batch>/`` with a manifest) and ``load_raw`` (landed files parsed into
``raw.<source>__<entity>`` and ``raw._quarantine``, replacing that batch only). Only the small
YAML files are read at parse time; all work happens inside the tasks.
"""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import DAG, Asset, task

from hrdw import settings
from hrdw.airflow_support import DEFAULT_ARGS, START_DATE, raw_asset_uri
from hrdw.sources import SourceSpec, load_specs

DOC_TEMPLATE = """\
### Ingest `{name}` ({kind})

{description}

- **Reads:** `{where}`{connection}
- **Writes:** landing partition `HRDW_HOME/landing/{name}/<batch_id>/` (files + `manifest.json` +
  `load_report.json`), table `raw.{raw_table}`, and rejected rows in `raw._quarantine`.
- **Source file:** `{yaml_path}`

**Triage** (details: `docs/operations.md`)
1. Open the failed task's log, or the `HRDW FAILURE` line (also in `HRDW_HOME/logs/alerts.jsonl` and
   posted to the `hrdw_alert_webhook` connection when set): every error names the source, the URL
   (without secrets) or file, the HTTP status and the attempts made.
2. `land` failed: the source was unreachable, answered an error (5xx/429 after retries, 401/403:
   fix the credentials in the Airflow connection), or its files are missing. Nothing was replaced;
   the previous batch stays in raw, the warehouse builds from it and the snapshot manifest marks
   the source stale. Fix access and clear the task.
3. `load_raw` failed: the landed files could not be parsed (e.g. a renamed required column). The
   landed bytes are kept: fix the YAML mapping, then clear `load_raw` only, or run
   `python -m hrdw.replay {name} <batch_id>`, to reload from landing.
4. Rows in quarantine do not fail the run: query
   `select * from raw._quarantine where _source = '{name}'` for the reasons.
5. `load_raw` waits while another process writes the warehouse; its log says
   `waiting for the warehouse writer lock held by pid N`.
"""


def _doc(spec: SourceSpec) -> str:
    return DOC_TEMPLATE.format(
        name=spec.name,
        kind=spec.kind,
        description=" ".join(spec.description.split()),
        where=spec.location.url or spec.location.path,
        connection=f" using Airflow connection `{spec.connection_id}`" if spec.connection_id else "",
        raw_table=spec.raw_table,
        yaml_path=spec.yaml_path,
    )


def _tags(spec: SourceSpec) -> list[str]:
    from extract.connectors import connector_for

    return ["hrdw", "ingest", connector_for(spec.kind).TAG]


def build_ingest_dag(spec: SourceSpec) -> DAG:
    yaml_path = Path(spec.yaml_path) if spec.yaml_path else settings.sources_dir() / f"{spec.name}.yml"

    with DAG(
        dag_id=spec.dag_id,
        description=f"Land and load source {spec.name} ({spec.kind})",
        schedule=spec.schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=_tags(spec),
        doc_md=_doc(spec),
    ) as dag:

        @task(task_id="land")
        def land(**context) -> str:
            from hrdw.airflow_support import land_from_yaml

            return land_from_yaml(yaml_path, context)

        @task(task_id="load_raw", pool=settings.WAREHOUSE_POOL, outlets=[Asset(raw_asset_uri(spec.name))])
        def load_raw(batch_id: str) -> dict:
            from dataclasses import asdict

            from extract.ingest import load_source
            from hrdw.sources import load_spec

            return asdict(load_source(load_spec(yaml_path), batch_id))

        load_raw(land())

    return dag


for _spec in load_specs():
    globals()[_spec.dag_id] = build_ingest_dag(_spec)
