"""Where things live. Every path the product uses is derived here from two environment variables.

- ``HRDW_SOURCES_DIR``: folder of source YAML files (default: ``sources/`` in the repository).
- ``HRDW_HOME``: folder holding landing files, ``warehouse.duckdb``, the dbt working copy and
  ``snapshots/`` (default: ``.hrdw/`` in the repository, gitignored).

Functions (not module constants) so that a test or a second run can point them elsewhere by
setting the environment before calling.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WAREHOUSE_POOL = "hrdw_warehouse_writer"


def sources_dir() -> Path:
    return Path(os.environ.get("HRDW_SOURCES_DIR") or REPO_ROOT / "sources").resolve()


def home() -> Path:
    return Path(os.environ.get("HRDW_HOME") or REPO_ROOT / ".hrdw").resolve()


def landing_dir() -> Path:
    return home() / "landing"


def warehouse_path() -> Path:
    return home() / "warehouse.duckdb"


def snapshots_dir() -> Path:
    return home() / "snapshots"


def dbt_project_dir() -> Path:
    """The dbt project as committed (static models, macros, seeds)."""
    return REPO_ROOT / "dbt_project"


def dbt_work_dir() -> Path:
    """Working copy of the dbt project, completed with staging models generated from the sources."""
    return home() / "dbt"
