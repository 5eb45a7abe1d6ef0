"""Opening the DuckDB warehouse file. DuckDB allows one writing process at a time; Airflow's
``hrdw_warehouse_writer`` pool (one slot) serialises writers, and this helper waits briefly
for a lock held by a reader outside Airflow (an analyst's session) instead of failing at once."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from hrdw import settings


def connect(
    path: Path | None = None, *, read_only: bool = False, wait_seconds: float = 60.0
) -> duckdb.DuckDBPyConnection:
    target = path or settings.warehouse_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(target), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(1.0)
