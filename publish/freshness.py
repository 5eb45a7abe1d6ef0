"""How fresh each source is: its last successful ingest batch, and whether it has one for the night built.

A successful ingest leaves ``HRDW_HOME/landing/<source>/<batch_id>/load_report.json`` (written by
``extract.ingest.load_source`` after the raw load). A failed ingest leaves no load report for its
batch, and the warehouse is built from the source's previous batch, which stays in raw.

A batch id is its interval's end (``20261206T000000Z`` for the scheduled night of 6 December, the
trigger time for a manual run), so the night a batch belongs to is the UTC date it names. A source
is *stale* when it has no successful batch for the night being built (nor a later one): a manual
re-ingest of one source at 14:30 does not make the sources that loaded at midnight stale.

The night built is the one given (the publishing run's date), else the night of the newest batch
any source loaded successfully.
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


def night_of(batch_id: str) -> dt.date:
    """The night (UTC date) a batch id belongs to: ``20261206T143012Z`` -> 2026-12-06."""
    return dt.datetime.strptime(batch_id[:8], "%Y%m%d").date()


def source_freshness(
    landing_dir: Path,
    warehouse_sources: dict[str, dict[str, Any]],
    batch_id: str | None = None,
    night: dt.date | None = None,
) -> dict[str, Any]:
    """The manifest's ``freshness`` section: ``{"night": ..., "batch_id": ..., "sources": {name: {...}}}``.

    ``warehouse_sources`` maps each dim_source name to its row (``last_loaded_at``, ``record_count``).
    Every source known to the warehouse or present in the landing folder gets an entry; ``stale``
    is true when it has no successful batch of the night built or later (or it never loaded).
    ``batch_id``: this run's ingest batch (default: the newest loaded); ``night``: the night built
    (default: the night of ``batch_id``).
    """
    run_batch = batch_id or current_batch(landing_dir)
    run_night = night or (night_of(run_batch) if run_batch else None)
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
            "stale": last is None or run_night is None or night_of(last) < run_night,
        }
    return {"night": run_night.isoformat() if run_night else None, "batch_id": run_batch, "sources": sources}
