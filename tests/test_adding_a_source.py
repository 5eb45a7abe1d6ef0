"""The worked examples of docs/adding-a-source.md, run for real: a partner sheet added with YAML
only, and a new API kind added with one module (plus its staging macro and tests) written by
`make new-source`, without editing any other file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hrdw import scaffold
from hrdw.sources import load_spec

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".hrdw", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "target", "logs", "*.egg-info"
)


def test_partner_sheet_is_one_yaml_file(tmp_path, monkeypatch, build_warehouse):
    sources = tmp_path / "sources"
    written = scaffold.write("partner_example", "spreadsheet", root=REPO, sources_dir=sources)
    assert sorted(path.relative_to(sources).as_posix() for path in written) == [
        "data/partner_example/example.csv",
        "partner_example.yml",
    ]
    spec = load_spec(sources / "partner_example.yml")

    monkeypatch.setenv("HRDW_SOURCES_DIR", str(sources))
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert "ingest_partner_example" in bag.dag_ids

    con = build_warehouse([spec], select="+int_report_violations")
    rows = con.execute(
        "select source_record_id, victim_name, country_code, cast(event_date as varchar) "
        "from intermediate.int_reports_conformed order by 1"
    ).fetchall()
    assert rows == [("T-1", "Aigul Osmonova", "KG", "2024-02-14"), ("T-2", "Bakyt Isaev", "KG", "2024-03-02")]
    types = con.execute(
        "select report_id, violation_type_code from intermediate.int_report_violations order by 1, 2"
    ).fetchall()
    assert types == [
        ("partner_example:T-1", "threats"),
        ("partner_example:T-2", "arbitrary_detention"),
        ("partner_example:T-2", "threats"),
    ]


def test_scaffold_refuses_to_overwrite_and_bad_names(tmp_path):
    scaffold.write("partner_example", "spreadsheet", root=REPO, sources_dir=tmp_path)
    with pytest.raises(scaffold.ScaffoldError, match="refusing to overwrite"):
        scaffold.write("partner_example", "spreadsheet", root=REPO, sources_dir=tmp_path)
    with pytest.raises(scaffold.ScaffoldError, match="must match"):
        scaffold.write("Partner-X", "spreadsheet", root=REPO, sources_dir=tmp_path)


def digest_tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and ".pytest_cache" not in path.parts
    }


def test_a_new_api_kind_is_one_module_and_its_generated_tests_pass(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    before = digest_tree(copy)
    env = {**os.environ, "PYTHONPATH": str(copy), "HRDW_HOME": str(tmp_path / "home")}
    env = {key: value for key, value in env.items() if not key.startswith("AIRFLOW")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, check=False, timeout=600
        )

    made = run("-m", "hrdw.scaffold", "example_alerts", "alerts_api", "--root", str(copy))
    assert made.returncode == 0, made.stderr
    after = digest_tree(copy)
    changed = sorted(name for name in before if before[name] != after.get(name))
    added = sorted(set(after) - set(before))
    assert changed == [], "adding a source must not edit existing files"
    assert added == [
        "dbt_project/macros/staging/hrdw_stage_alerts_api.sql",
        "extract/connectors/alerts_api.py",
        "sources/example_alerts.yml",
        "tests/fixtures/alerts_api/page-1.json",
        "tests/fixtures/alerts_api/page-2.json",
        "tests/test_connector_alerts_api.py",
    ]
    tested = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_connector_alerts_api.py")
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert "3 passed" in tested.stdout
    listed = run(
        "-c",
        "from airflow.dag_processing.dagbag import DagBag; b = DagBag(dag_folder='dags'); "
        "print(sorted(b.dag_ids), b.import_errors); "
        "print(sorted(t.task_id for t in b.dags['ingest_example_alerts'].tasks))",
    )
    dags_and_errors, tasks = listed.stdout.strip().splitlines()[-2:]
    assert "'ingest_example_alerts'" in dags_and_errors and dags_and_errors.endswith("{}"), listed.stderr[-2000:]
    assert tasks == "['land', 'load_raw']", "the scaffold's YAML must be a valid source (not a failing stand-in)"
