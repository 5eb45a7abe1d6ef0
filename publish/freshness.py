"""The manifest's ``freshness`` section, as the warehouse knows it: each source's last good batch and
whether it is stale, read from the published ``dim_source`` (built by dbt from ``raw._load_batches``,
which the load writes in the same transaction as the batch's rows).

A batch id is its interval's end (``20261206T000000Z`` for the scheduled night of 6 December, the
trigger time for a manual run), so the night a batch belongs to is the UTC date it names
(``raw._load_batches.batch_night``, read by ``extract.raw`` when it logs the batch). A source
is *stale* when it has no good batch of the night being built nor a later one
(``dim_source.is_stale``, against the build's ``hrdw_run_date``): a manual re-ingest of one source at
14:30 does not make the sources that loaded at midnight stale. The rule is stated once, in
``dim_source``; ``dbt source freshness`` reads the same typed load times (``raw._load_batches``).

A source the build left out (its first ingest failed: no good batch yet) is not in ``dim_source``;
it is listed as stale, with the build's note saying why (as is a source built from an older batch).
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def _iso(value: Any) -> str | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return None if value is None else str(value)


def source_freshness(
    warehouse_sources: dict[str, dict[str, Any]],
    notes: dict[str, str],
    night: dt.date | None,
    batch_id: str | None = None,
) -> dict[str, Any]:
    """``{"night", "batch_id", "sources": {name: {...}}}`` from ``dim_source`` rows (by source name)
    and the build's notes on the sources it left out or built from an older batch (name -> why).
    ``batch_id``: the run's ingest batch (default: the newest any source loaded)."""
    loaded = [row["last_batch_id"] for row in warehouse_sources.values() if row.get("last_batch_id")]
    batch_id = batch_id or max(loaded, default=None)
    sources: dict[str, Any] = {}
    for name, row in sorted(warehouse_sources.items()):
        sources[name] = {
            "last_successful_batch_id": row.get("last_batch_id"),
            "last_batch_night": _iso(row.get("last_batch_night")),
            "last_loaded_at": _iso(row.get("last_loaded_at")),
            "records_loaded": row.get("last_batch_rows_loaded"),
            "records_quarantined": row.get("last_batch_rows_quarantined"),
            "records_in_warehouse": row.get("record_count"),
            "stale": bool(row.get("is_stale", True)),
        }
    for name, why in sorted(notes.items()):
        sources.setdefault(name, {"last_successful_batch_id": None, "stale": True})["why"] = why
    return {"night": night.isoformat() if night else None, "batch_id": batch_id, "sources": sources}
