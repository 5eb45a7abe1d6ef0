"""Style is enforced in CI: ruff for Python (with every `make test`), sqlfluff (dbt templater) for SQL
(marked `lint`: about two minutes of one core, so `make lint` and .ci/run run it, `make test` does not)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
GENERATE = "from orchestration import dbt; dbt.generate_in_place()"  # what `make dbt-generate` runs


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, env={**os.environ, **env}, check=False, timeout=600
    )


def test_ruff_check_and_format():
    checked = run([str(BIN / "ruff"), "check", "."])
    assert checked.returncode == 0, checked.stdout
    formatted = run([str(BIN / "ruff"), "format", "--check", "."])
    assert formatted.returncode == 0, formatted.stdout


@pytest.mark.lint
def test_sqlfluff_on_the_dbt_models(tmp_path):
    # The project reads its per-source files in place for the templater (`make dbt-generate`, as a
    # developer would); the dbt templater compiles the models, and name normalisation reads the
    # transliteration seed while compiling: seed a scratch database first.
    generated = run([str(BIN / "python"), "-c", GENERATE])
    assert generated.returncode == 0, generated.stderr[-3000:]
    seeded = run(
        [str(BIN / "dbt"), "seed", "--project-dir", "dbt_project", "--profiles-dir", "dbt_project"],
        HRDW_WAREHOUSE_PATH=str(tmp_path / "lint.duckdb"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    assert seeded.returncode == 0, seeded.stdout[-3000:]
    linted = run(
        [sys.executable, "scripts/sqlfluff_lint.py", "lint", "dbt_project/models", "--disable-progress-bar"],
        HRDW_WAREHOUSE_PATH=str(tmp_path / "lint.duckdb"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    assert linted.returncode == 0, linted.stdout[-5000:]
    # sqlfluff skips a file it cannot parse (an internal error) and still exits 0
    assert "Unable to lint" not in linted.stdout + linted.stderr, (linted.stdout + linted.stderr)[-5000:]
