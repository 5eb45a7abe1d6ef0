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
from hrdw.kinds import declared
from hrdw.secrets import redact_url
from hrdw.sources import SourceSpec, SpecProblem, scan_specs
from orchestration.airflow_support import DAG_RUN_FAILURE_ALERT, DEFAULT_ARGS, START_DATE, raw_asset_uri

DRAFT_NOTE = """\
**Draft: not scheduled, not built, not published.** `{yaml_path}` says `draft: true` (as `make
new-source` writes it). Edit it to describe the real source, check it with
`make check-source NAME={name}` (nothing reaches the warehouse), then remove `draft: true`; the
next parse of the DAG folder schedules it and the build includes it.

"""

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
   `python -m orchestration.replay {name} <batch_id>`, to reload from landing.
4. Rows in quarantine do not fail the run: query
   `select * from raw._quarantine where _source = '{name}'` for the reasons.
5. `load_raw` waits while another process writes the warehouse; its log says
   `waiting for the warehouse writer lock held by pid N`.
"""


def _doc(spec: SourceSpec) -> str:
    draft = DRAFT_NOTE.format(name=spec.name, yaml_path=spec.yaml_path) if spec.draft else ""
    return draft + DOC_TEMPLATE.format(
        name=spec.name,
        kind=spec.kind,
        description=" ".join(spec.description.split()),
        # A URL may carry a token (`?api_key=...`): the doc is stored in Airflow's serialized DAG.
        where=redact_url(spec.location.url) if spec.location.url else spec.location.path,
        connection=f" using Airflow connection `{spec.connection_id}`" if spec.connection_id else "",
        raw_table=spec.raw_table,
        yaml_path=spec.yaml_path,
    )


def _tags(spec: SourceSpec) -> list[str]:
    # read from the connector module's text: parsing this file imports no connector code
    return ["hrdw", "ingest", declared(spec.kind).tag]


def build_ingest_dag(spec: SourceSpec) -> DAG:
    yaml_path = Path(spec.yaml_path) if spec.yaml_path else settings.sources_dir() / f"{spec.name}.yml"

    with DAG(
        dag_id=spec.dag_id,
        description=("DRAFT, not scheduled: " if spec.draft else "") + f"Land and load {spec.name} ({spec.kind})",
        schedule=None if spec.draft else spec.schedule,
        is_paused_upon_creation=True if spec.draft else None,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        on_failure_callback=DAG_RUN_FAILURE_ALERT,
        tags=_tags(spec),
        doc_md=_doc(spec),
    ) as dag:

        @task(task_id="land")
        def land(**context) -> str:
            from orchestration.airflow_support import land_from_yaml
            from orchestration.alerts import failure_headline

            with failure_headline():
                return land_from_yaml(yaml_path, context)

        raw_asset = Asset(raw_asset_uri(spec.name))

        @task(task_id="load_raw", pool=settings.WAREHOUSE_POOL, outlets=[raw_asset])
        def load_raw(batch_id: str, **context) -> dict:
            from dataclasses import asdict

            from extract.ingest import load_source
            from hrdw.sources import load_spec
            from orchestration.airflow_support import load_event_extra
            from orchestration.alerts import failure_headline

            with failure_headline():
                report = load_source(load_spec(yaml_path), batch_id)
            # the asset event says what the night brought (the UI's asset and run pages show it)
            context["outlet_events"][raw_asset].extra = load_event_extra(report)
            return asdict(report)

        load_raw(land())

    return dag


BROKEN_DOC = """\
### Ingest `{name}`: its source file is invalid

`{path}` could not be read as a source specification, so this source is not ingested; every
other source, the build and the publish go on without it (a source that loaded before keeps its
last good batch in the warehouse, marked stale in the snapshot manifest).

**Why** (file, field, reason):

    {message}

**Triage**: fix the file (`docs/adding-a-source.md` lists the fields and each kind's `options`).
The real `ingest_{name}` DAG replaces this one at the next parse of the DAG folder. Each run of
this DAG fails with the reason above and sends an alert, so the problem is not missed.
"""


def build_broken_source_dag(problem: SpecProblem) -> DAG:
    """A DAG standing for a source YAML that cannot be used: it fails, alone, naming file, field and reason."""
    path = problem.path

    with DAG(
        dag_id=problem.dag_id,
        description=f"Source file {path.name} is invalid: not ingested",
        schedule="@daily",
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args={**DEFAULT_ARGS, "retries": 0},
        on_failure_callback=DAG_RUN_FAILURE_ALERT,
        tags=["hrdw", "ingest"],
        doc_md=BROKEN_DOC.format(name=problem.name, path=path, message=problem.message.replace("\n", "\n    ")),
    ) as dag:

        @task(task_id="check_source_yaml")
        def check_source_yaml() -> None:
            from airflow.sdk.exceptions import AirflowFailException

            from hrdw.sources import SourceSpecError, load_spec

            try:
                load_spec(path)  # re-read: it may have been fixed since the DAG folder was parsed
            except SourceSpecError as error:
                raise AirflowFailException(str(error)) from None
            except FileNotFoundError:
                raise AirflowFailException(f"{path} was invalid and is gone now") from None
            raise AirflowFailException(
                f"{path} was invalid when the DAG folder was parsed and is valid now; its ingest DAG "
                "replaces this one at the next parse (nothing was ingested by this run)"
            )

        check_source_yaml()

    return dag


_specs, _problems = scan_specs()
for _spec in _specs:
    globals()[_spec.dag_id] = build_ingest_dag(_spec)
for _problem in _problems:
    globals()[_problem.dag_id] = build_broken_source_dag(_problem)
