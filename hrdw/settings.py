"""Where things live. Every path the product uses is derived here from two environment variables.

- ``HRDW_SOURCES_DIR``: folder of source YAML files (default: ``sources/`` in the repository).
- ``HRDW_HOME``: folder holding landing files, ``warehouse.duckdb``, the dbt working copy and
  ``snapshots/`` (default: ``.hrdw/`` in the repository, gitignored).

Publishing adds four optional ones: ``HRDW_PUBLICATION_POLICY``, ``HRDW_SNAPSHOT_RETENTION``,
``HRDW_PUBLISH_TARGET`` and ``HRDW_PUBLISH_CONN_ID`` (see ``publish/snapshot.py``).

Functions (not module constants) so that a test or a second run can point them elsewhere by
setting the environment before calling.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WAREHOUSE_POOL = "hrdw_warehouse_writer"


def sources_dir() -> Path:
    return Path(os.environ.get("HRDW_SOURCES_DIR") or REPO_ROOT / "sources").resolve()


def home() -> Path:
    return Path(os.environ.get("HRDW_HOME") or REPO_ROOT / ".hrdw").resolve()


@contextlib.contextmanager
def home_at(path: Path) -> Iterator[Path]:
    """``HRDW_HOME`` set to ``path`` for the block, then as it was (a scratch home for a check)."""
    previous = os.environ.get("HRDW_HOME")
    os.environ["HRDW_HOME"] = str(path)
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop("HRDW_HOME", None)
        else:
            os.environ["HRDW_HOME"] = previous


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


def dbt_run_results_path() -> Path:
    """``run_results.json`` written by the last dbt invocation (the nightly ``dbt build``)."""
    return dbt_work_dir() / "target" / "run_results.json"


def dbt_manifest_path() -> Path:
    """dbt's ``manifest.json`` of the last invocation (the build's): models, columns, descriptions."""
    return dbt_work_dir() / "target" / "manifest.json"


def dbt_docs_site_path() -> Path:
    """dbt's documentation site of the last good build, one self-contained file (a snapshot copies it)."""
    return dbt_work_dir() / "target" / "static_index.html"


def publication_policy_path() -> Path:
    """The publication policy for public snapshot variants (``HRDW_PUBLICATION_POLICY`` overrides)."""
    return Path(os.environ.get("HRDW_PUBLICATION_POLICY") or REPO_ROOT / "config" / "publication_policy.yml").resolve()


def snapshot_retention() -> int:
    """How many snapshots to keep (``HRDW_SNAPSHOT_RETENTION``, default 10); the latest is always kept."""
    value = os.environ.get("HRDW_SNAPSHOT_RETENTION") or "10"
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"HRDW_SNAPSHOT_RETENTION must be a whole number, got {value!r}") from None
    if count < 1:
        raise ValueError(f"HRDW_SNAPSHOT_RETENTION must be at least 1, got {count}")
    return count


def docs_site_enabled() -> bool:
    """Whether each build writes dbt's documentation site, which snapshots carry (``HRDW_DOCS_SITE``,
    default on; ``0`` leaves it out: about 5 s per build and 4-5 MB per snapshot)."""
    value = (os.environ.get("HRDW_DOCS_SITE") or "1").strip().lower()
    if value not in {"0", "1", "false", "true", "no", "yes", "off", "on"}:
        raise ValueError(f"HRDW_DOCS_SITE must be 1 or 0, got {value!r}")
    return value in {"1", "true", "yes", "on"}


def publish_target() -> str | None:
    """Where snapshots are uploaded besides ``snapshots_dir()``: an ObjectStoragePath URL (``HRDW_PUBLISH_TARGET``)."""
    return os.environ.get("HRDW_PUBLISH_TARGET") or None


def publish_conn_id() -> str | None:
    """Airflow connection holding the publish target's credentials (``HRDW_PUBLISH_CONN_ID``)."""
    return os.environ.get("HRDW_PUBLISH_CONN_ID") or None
