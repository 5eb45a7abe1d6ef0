"""How fresh each source is: its last successful ingest batch, and whether that is this run's.

A successful ingest leaves ``HRDW_HOME/landing/<source>/<batch_id>/load_report.json`` (written by
``extract.ingest.load_source`` after the raw load). A failed ingest leaves no load report for its
batch, and the warehouse is built from the source's previous batch, which stays in raw. So a
source is *stale* when its newest load report is not from this run's batch.

This run's batch is the one given (``batch_id``), else the newest batch any source loaded
successfully: the nightly ingests share one batch id (their interval end), so a source whose
newest load report is older than that batch failed tonight.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any


def _batches(source_dir: Path) -> list[str]:
    """Batch ids with a load report, oldest first (work folders such as ``<id>.partial`` excluded)."""
    if not source_dir.is_dir():
        return []
    return sorted(
        child.name
        for child in source_dir.iterdir()
        if child.is_dir() and "." not in child.name and (child / "load_report.json").is_file()
    )


def current_batch(landing_dir: Path) -> str | None:
    """The newest batch id for which any source has a load report (None when nothing was loaded)."""
    newest = [batches[-1] for source in _source_dirs(landing_dir) if (batches := _batches(source))]
    return max(newest, default=None)


def _source_dirs(landing_dir: Path) -> list[Path]:
    return sorted(child for child in landing_dir.iterdir() if child.is_dir()) if landing_dir.is_dir() else []


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return None if value is None else str(value)


def source_freshness(
    landing_dir: Path, warehouse_sources: dict[str, dict[str, Any]], batch_id: str | None = None
) -> dict[str, Any]:
    """The manifest's ``freshness`` section: ``{"batch_id": ..., "sources": {name: {...}}}``.

    ``warehouse_sources`` maps each dim_source name to its row (``last_loaded_at``, ``record_count``).
    Every source known to the warehouse or present in the landing folder gets an entry; ``stale``
    is true when its last successful batch is not this run's batch (or it never loaded).
    """
    run_batch = batch_id or current_batch(landing_dir)
    names = set(warehouse_sources) | {path.name for path in _source_dirs(landing_dir)}
    sources: dict[str, Any] = {}
    for name in sorted(names):
        batches = _batches(landing_dir / name)
        last = batches[-1] if batches else None
        partition = landing_dir / name / last if last else None
        report = _read_json(partition / "load_report.json") if partition else {}
        landing = _read_json(partition / "manifest.json") if partition else {}
        fetched = [item.get("fetched_at") for item in landing.get("files", []) if item.get("fetched_at")]
        row = warehouse_sources.get(name, {})
        sources[name] = {
            "last_successful_batch_id": last,
            "landed_at": max(fetched, default=None),
            "last_loaded_at": _iso(row.get("last_loaded_at")),
            "records_loaded": report.get("loaded"),
            "records_quarantined": report.get("quarantined"),
            "records_in_warehouse": row.get("record_count"),
            "stale": last is None or last != run_batch,
        }
    return {"batch_id": run_batch, "sources": sources}
