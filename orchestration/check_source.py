"""Check a source against its files without touching the warehouse: ``make check-source NAME=<name>``.

    python -m orchestration.check_source <name> [--keep]

Runs the night's steps for one source in a scratch ``HRDW_HOME`` (a temporary folder, deleted
afterwards unless ``--keep``), never in the real one: the YAML is read, the files it names are
landed (found, or fetched for an API kind, with the credentials of its Airflow connection), parsed
(header row, required columns; rows that cannot be read are listed with file, row and reason),
loaded into a scratch warehouse, and dbt builds the source's staging model and the models that map
its labels. It prints what it found at each step, a sample of staged rows and the labels that map
to nothing. Drafts are checked like any source: this is how a draft is tried before its
``draft: true`` line is removed. The exit code is 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hrdw import settings
from hrdw.sources import SourceSpec, SourceSpecError, load_spec, spec_path

SAMPLE_ROWS = 5
SAMPLE_COLUMNS = (
    "source_record_id",
    "event_date",
    "event_date_precision",
    "country_raw",
    "city",
    "victim_name",
    "violation_labels",
    "perpetrator_labels",
)


def _credentials(spec: SourceSpec) -> tuple[str | None, dict[str, str]]:
    """The source's Airflow connection (``AIRFLOW_CONN_<ID>`` or the metadata database), if it names one.

    Not ``orchestration.connections.connection_credentials``: outside a task, the Task SDK's lookup sees
    environment variables but not the metadata database (checked on Airflow 3.3)."""
    if not spec.connection_id:
        return None, {}
    from airflow.models.connection import Connection

    connection = Connection.get_connection_from_secrets(spec.connection_id)
    return connection.login, ({"password": connection.password} if connection.password else {})


def _step(ok: bool, text: str) -> bool:
    print(f"  [{'ok' if ok else 'FAILED'}] {text}", flush=True)
    return ok


def _staged_sample(spec: SourceSpec) -> tuple[int, list[dict[str, Any]]]:
    from hrdw import warehouse
    from orchestration import dbt

    con = warehouse.connect(read_only=True)
    try:
        relation = f"staging.{dbt.staging_model_name(spec)}"
        count = con.execute(f"select count(*) from {relation}").fetchone()[0]
        cursor = con.execute(f"select * from {relation} order by source_record_id limit {SAMPLE_ROWS}")
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    return count, rows


def check(spec: SourceSpec) -> bool:
    """Every step for ``spec`` in the current (scratch) ``HRDW_HOME``; True when all passed."""
    from extract.ingest import land_source, load_source
    from hrdw import label_issues
    from orchestration import dbt
    from orchestration.sync import quarantined_rows

    now = datetime.now(UTC).replace(microsecond=0)
    try:
        login, secrets = _credentials(spec)
        manifest = land_source(spec, now, now, secrets=secrets, login=login)
    except Exception as error:
        return _step(False, f"files: {type(error).__name__}: {error}")
    names = ", ".join(entry["name"] for entry in manifest["files"]) or "none"
    if not _step(bool(manifest["files"]), f"files found: {len(manifest['files'])} ({names})"):
        return False
    try:
        report = load_source(spec, manifest["batch_id"])
    except Exception as error:  # a renamed column, an unreadable file: the message names file and column
        return _step(False, f"parse: {type(error).__name__}: {error}")
    _step(report.loaded > 0, f"rows read: {report.loaded} loaded, {report.quarantined} quarantined")
    for _, file, row, reason in quarantined_rows(manifest["batch_id"]):
        print(f"      quarantined: {file} row {row}: {reason}")
    project = dbt.prepare_work_dir([spec])
    # the source's staging and label mapping with the tests among them (the project's unit tests
    # are not the source's), and every seed those tests compare with
    models = ["resource_type:seed", f"+{dbt.staging_model_name(spec)}", "+int_unmapped_labels"]
    options = ["--exclude", "test_type:unit", "--indirect-selection", "cautious"]
    result = dbt.run_dbt(project, ["build", "--select", *models, *options])
    if not _step(result.ok, f"dbt: staging model {dbt.staging_model_name(spec)} and label mapping built"):
        print("\n".join(f"      {line}" for line in (result.failures or [result.output_tail])))
        return False
    count, sample = _staged_sample(spec)
    print(f"      {count} staged row(s); the first {len(sample)}:")
    for row in sample:
        print("      " + "; ".join(f"{name}={row[name]}" for name in SAMPLE_COLUMNS if row.get(name) is not None))
    unmapped = label_issues.unmapped_labels().get(spec.name, {})
    labels = [f"{kind} {item['label']!r} ({item['reports']})" for kind, items in unmapped.items() for item in items]
    _step(
        not labels,
        "labels: " + ("every label maps to a code" if not labels else "map to nothing: " + ", ".join(labels)),
    )
    return report.loaded > 0 and not labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the source's name (its YAML file in HRDW_SOURCES_DIR)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print where it is")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # each step prints what it found; the loaders' log lines repeat it
    path = spec_path(args.name)
    print(f"checking source {args.name} ({path}); the warehouse in {settings.home()} is not touched")
    try:
        spec = load_spec(path)
    except (SourceSpecError, FileNotFoundError) as error:
        _step(False, f"source file: {error}")
        return 1
    from extract.connectors import spec_problems  # what the kind's own code cannot read in the YAML

    problems = spec_problems(spec)
    if problems:
        _step(False, f"source file: {path}: kind {spec.kind!r}: " + "; ".join(problems))
        return 1
    _step(
        True,
        f"source file: kind {spec.kind}" + (" (a draft: never scheduled, built or published)" if spec.draft else ""),
    )
    scratch = Path(tempfile.mkdtemp(prefix=f"hrdw-check-{spec.name}-"))
    try:
        with settings.home_at(scratch / "home"):
            passed = check(spec)
    finally:
        if args.keep:
            print(f"  scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"source {spec.name}: " + ("every check passed" if passed else "see FAILED above"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
