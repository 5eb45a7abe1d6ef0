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

from hrdw.sources import load_spec
from orchestration import scaffold

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".hrdw", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "target", "logs", "*.egg-info"
)


def edited_by_the_engineer(sources: Path, name: str) -> None:
    """What docs/adding-a-source.md asks once the file describes the source: data in the delivery
    folder (here the example), and the `draft: true` line deleted."""
    shutil.copy(sources / "data" / name / "example" / "example.csv", sources / "data" / name / "delivery.csv")
    path = sources / f"{name}.yml"
    path.write_text(path.read_text().replace("draft: true\n", ""))


def test_partner_sheet_is_one_yaml_file(tmp_path, monkeypatch, build_warehouse):
    from airflow.dag_processing.dagbag import DagBag

    from orchestration import dbt
    from orchestration.sync import _asset_uris

    sources = tmp_path / "sources"
    written = scaffold.write("partner_example", "spreadsheet", root=REPO, sources_dir=sources)
    assert sorted(path.relative_to(sources).as_posix() for path in written) == [
        "data/partner_example/example/example.csv",  # outside the delivery glob data/partner_example/*.csv
        "partner_example.yml",
    ]
    monkeypatch.setenv("HRDW_SOURCES_DIR", str(sources))

    # as written, a draft: its DAG is paused and unscheduled, the build waits for it and builds nothing of it
    draft = load_spec(sources / "partner_example.yml")
    assert draft.draft is True
    bag = DagBag(dag_folder=str(REPO / "dags"))
    dag = bag.dags["ingest_partner_example"]
    assert type(dag.timetable).__name__ == "NullTimetable" and dag.is_paused_upon_creation is True
    assert "Draft" in dag.doc_md
    assert _asset_uris(bag.dags["build_warehouse"].timetable.asset_condition) == set()  # only the deadline
    assert dbt.plan_build([draft], []).specs == []
    assert dbt.plan_build([draft], []).notes["partner_example"].startswith("left out: a draft")

    edited_by_the_engineer(sources, "partner_example")
    spec = load_spec(sources / "partner_example.yml")
    assert spec.draft is False
    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert type(bag.dags["ingest_partner_example"].timetable).__name__ != "NullTimetable"
    assert _asset_uris(bag.dags["build_warehouse"].timetable.asset_condition) == {"hrdw://raw/partner_example"}

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


def check_source(sources: Path, home: Path, name: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env |= {"HRDW_SOURCES_DIR": str(sources), "HRDW_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.check_source", name],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_check_source_tries_a_source_on_its_files_without_touching_the_warehouse(tmp_path):
    """Issue 18, point 6: `make check-source NAME=...` on a draft with its example delivered, then
    on a delivery whose required column was renamed."""
    sources, home = tmp_path / "sources", tmp_path / "home"
    scaffold.write("partner_example", "spreadsheet", root=REPO, sources_dir=sources)
    nothing = check_source(sources, home, "partner_example")
    assert nothing.returncode == 1 and "[FAILED] files" in nothing.stdout, nothing.stdout + nothing.stderr

    edited_by_the_engineer(sources, "partner_example")
    delivery = sources / "data" / "partner_example" / "delivery.csv"
    delivery.write_text(delivery.read_text() + "T-3,,KG,Osh,Someone,,Threat,,no date\n")
    checked = check_source(sources, home, "partner_example")
    out = checked.stdout
    assert checked.returncode == 0, out + checked.stderr
    assert "[ok] files found: 1 (delivery.csv)" in out
    assert "[ok] rows read: 2 loaded, 1 quarantined" in out
    assert "quarantined: delivery.csv row 3: missing required value(s): event_date ('Date')" in out
    assert "[ok] dbt: staging model stg_partner_example__reports" in out
    assert "source_record_id=T-1; event_date=2024-02-14; event_date_precision=day; country_raw=Kyrgyzstan" in out
    assert "[ok] labels: every label maps to a code" in out
    assert not home.exists(), "the real HRDW_HOME is never written"

    delivery.write_text(delivery.read_text().replace("Violation", "Нарушение", 1))  # renamed upstream
    renamed = check_source(sources, home, "partner_example")
    assert renamed.returncode == 1
    assert "[FAILED] parse: MissingColumnsError" in renamed.stdout and "Violation" in renamed.stdout
    assert "delivery.csv" in renamed.stdout
    assert not home.exists()


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

    made = run("-m", "orchestration.scaffold", "example_alerts", "alerts_api", "--root", str(copy))
    assert made.returncode == 0, made.stderr
    assert "config/publication_policy.yml" in made.stdout  # publishing takes the policy owner's yes too
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
