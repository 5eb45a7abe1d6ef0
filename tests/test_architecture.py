"""The house: imports point one way (core <- I/O <- orchestration <- DAG files), and parsing the
DAG folder imports no connector code.

- ``hrdw``: the core (settings, source specs, connector declarations, the warehouse, privacy, secrets);
- ``extract`` and ``publish``: the I/O, reading and writing through the core, never each other;
- ``orchestration``: dbt and Airflow glue, the sync, the deployment, the operator's commands;
- ``dags``: thin DAG files over all of them.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# package -> the project packages it may import (besides itself)
MAY_IMPORT = {
    "hrdw": set(),
    "extract": {"hrdw"},
    "publish": {"hrdw"},
    "orchestration": {"hrdw", "extract", "publish"},
    "dags": {"hrdw", "extract", "publish", "orchestration"},
}


def imported_modules(path: Path) -> list[str]:
    """Every absolute import in a file, including those inside functions (lazy imports count)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_every_import_points_one_way():
    wrong = []
    for package, allowed in MAY_IMPORT.items():
        files = sorted((REPO / package).rglob("*.py"))
        assert files, package
        for path in files:
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top in MAY_IMPORT and top != package and top not in allowed:
                    wrong.append(f"{path.relative_to(REPO)} imports {module}")
    assert wrong == []


def test_the_checker_sees_a_lazy_import_against_the_direction(tmp_path):
    """The rule above would pass vacuously if lazy imports were missed: one inside a function is seen."""
    path = tmp_path / "module.py"
    path.write_text("def f():\n    from orchestration.sync import main\n    import publish.snapshot\n")
    assert imported_modules(path) == ["orchestration.sync", "publish.snapshot"]


def test_parsing_the_dag_folder_imports_no_connector_or_io_code(tmp_path):
    """A DAG processor parses every file every few seconds: the DAG files read the small YAMLs and
    the connectors' declarations (hrdw.kinds reads them as text), nothing from extract or publish."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env |= {
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "HRDW_HOME": str(tmp_path / "home"),
    }
    code = (
        "import sys; from airflow.dag_processing.dagbag import DagBag; "
        "bag = DagBag(dag_folder='dags'); "
        "print(sorted(bag.dag_ids)); print(bag.import_errors); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('extract', 'publish')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    dag_ids, errors, io_modules = done.stdout.strip().splitlines()[-3:]
    assert "'ingest_uwazi_hrd_events'" in dag_ids and "'build_warehouse'" in dag_ids
    assert errors == "{}"
    assert io_modules == "[]"
