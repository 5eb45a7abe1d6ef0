"""Write parsed rows into the warehouse's ``raw`` schema, replacing only this run's batch.

``raw.<source>__<entity>`` keeps every source column as text plus lineage columns
(``_source``, ``_source_record_id``, ``_source_file``, ``_source_row``, ``_batch_id``,
``_loaded_at``, ``_record_hash``). ``raw._quarantine`` keeps rows that could not be read,
verbatim, with the reason. Both are rewritten per (source, batch): a rerun of an interval
replaces what that interval wrote and touches nothing else. ``raw._load_batches`` logs each good
batch, typed (night, load time, counts), in the same transaction: the warehouse itself knows
which night each source last loaded (``dim_source.is_stale``, ``dbt source freshness``), an
empty batch of an incremental source included.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from extract.base import ParsedRow, QuarantinedRow, RawRecord
from hrdw import contracts
from hrdw.sources import SourceSpec

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = contracts.names(contracts.LINEAGE)
QUARANTINE_COLUMNS = (
    "_source",
    "_batch_id",
    "_source_file",
    "_source_row",
    "reason",
    "raw_content",
    "_loaded_at",
)


@dataclass
class LoadReport:
    source: str
    batch_id: str
    loaded: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def record_hash(values: dict[str, str | None]) -> str:
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _record_id(spec: SourceSpec, record: RawRecord, content_hash: str) -> str:
    """The source's natural key if the connector found one, else declared key columns, else a hash."""
    if record.record_id:
        return record.record_id
    if spec.record_key:
        parts = [(record.values.get(column) or "").strip() for column in spec.record_key]
        if all(parts):
            return "|".join(parts)
    return "sha256:" + content_hash[:32]


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ensure_table(con: duckdb.DuckDBPyConnection, table: str, columns: Iterable[str]) -> None:
    """Create the raw table or add any column it lacks: sources may grow columns over time."""
    qualified = f"raw.{quote_ident(table)}"
    wanted = list(columns)
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    }
    if not existing:
        column_sql = ", ".join(f"{quote_ident(name)} varchar" for name in wanted)
        con.execute(f"create table {qualified} ({column_sql})")
        return
    for name in wanted:
        if name not in existing:
            con.execute(f"alter table {qualified} add column {quote_ident(name)} varchar")


def _replace_batch(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[dict], spec: SourceSpec, batch_id: str
) -> None:
    _ensure_table(con, table, columns)
    qualified = f"raw.{quote_ident(table)}"
    con.execute(f"delete from {qualified} where _source = ? and _batch_id = ?", [spec.name, batch_id])
    if not rows:
        return
    arrow_table = pa.Table.from_pylist(rows, schema=pa.schema([(name, pa.string()) for name in columns]))
    con.register("incoming_rows", arrow_table)
    try:
        con.execute(f"insert into {qualified} by name select * from incoming_rows")
    finally:
        con.unregister("incoming_rows")


BATCH_LOG = "_load_batches"
BATCH_LOG_DDL = (
    f"create table if not exists raw.{BATCH_LOG} (_source varchar not null, _batch_id varchar not null, "
    "batch_night date, loaded_at timestamptz not null, rows_loaded integer not null, "
    "rows_quarantined integer not null, primary key (_source, _batch_id))"
)


def _log_batch(con: duckdb.DuckDBPyConnection, report: LoadReport, loaded_at: str) -> None:
    """Record the batch as loaded (a rerun of the batch replaces its entry). Its night is the UTC date
    its id names: ``20261206T000000Z`` is the night of 6 December (publish/freshness.py); null for an
    id that names no date (dim_source then calls the source stale)."""
    con.execute(BATCH_LOG_DDL)
    key = [report.source, report.batch_id]
    # a rerun that loads the same counts keeps the first load time, as its unchanged rows do
    previous = con.execute(
        f"select loaded_at from raw.{BATCH_LOG} where _source = ? and _batch_id = ? "
        "and rows_loaded = ? and rows_quarantined = ?",
        [*key, report.loaded, report.quarantined],
    ).fetchone()
    con.execute(f"delete from raw.{BATCH_LOG} where _source = ? and _batch_id = ?", key)
    con.execute(
        f"insert into raw.{BATCH_LOG} values (?, ?, try_strptime(left(?, 8), '%Y%m%d')::date, ?::timestamptz, ?, ?)",
        [*key, report.batch_id, previous[0] if previous else loaded_at, report.loaded, report.quarantined],
    )


def _keep_first_load_times(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, batch_id: str, rows: list[dict], key: tuple[str, ...], table: str
) -> None:
    """On a rerun of a batch, a row identical to one already loaded keeps its ``_loaded_at``.

    So re-running an interval over unchanged data leaves raw byte-for-byte the same.
    """
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?", [table]
    ).fetchone()[0]
    if not exists or not rows:
        return
    key_sql = ", ".join(quote_ident(column) for column in key)
    earlier = {
        tuple(found[:-1]): found[-1]
        for found in con.execute(
            f"select {key_sql}, _loaded_at from raw.{quote_ident(table)} where _source = ? and _batch_id = ?",
            [spec.name, batch_id],
        ).fetchall()
    }
    for row in rows:
        previous = earlier.get(tuple(row[column] for column in key))
        if previous:
            row["_loaded_at"] = previous


def load_batch(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, batch_id: str, parsed: Iterable[ParsedRow]
) -> LoadReport:
    """Replace this batch's rows in ``raw.<source>__<entity>`` and ``raw._quarantine`` in one transaction."""
    loaded_at = datetime.now(UTC).isoformat(timespec="microseconds")
    report = LoadReport(source=spec.name, batch_id=batch_id)
    data_columns: dict[str, None] = {}
    good_rows: list[dict] = []
    bad_rows: list[dict] = []
    first_seen: dict[str, tuple[str, int]] = {}

    def quarantine(row: QuarantinedRow) -> None:
        bad_rows.append(
            {
                "_source": spec.name,
                "_batch_id": batch_id,
                "_source_file": row.source_file,
                "_source_row": str(row.source_row),
                "reason": row.reason,
                "raw_content": row.raw,
                "_loaded_at": loaded_at,
            }
        )
        report.reasons[row.reason] = report.reasons.get(row.reason, 0) + 1
        # one line per row, as the sync summary prints it: the operator sees which file, row and why
        log.warning("quarantined: %s: %s row %s: %s", spec.name, row.source_file, row.source_row, row.reason)

    for item in parsed:
        if isinstance(item, QuarantinedRow):
            quarantine(item)
            continue
        content_hash = record_hash(item.values)
        record_id = _record_id(spec, item, content_hash)
        if record_id in first_seen:
            # The same key twice in one delivery would double-count; keep the row, but aside.
            first_file, first_row = first_seen[record_id]
            quarantine(
                QuarantinedRow(
                    source_file=item.source_file,
                    source_row=item.source_row,
                    reason=f"duplicate record key {record_id!r} (first seen in {first_file} row {first_row})",
                    raw=json.dumps(item.values, ensure_ascii=False),
                )
            )
            continue
        first_seen[record_id] = (item.source_file, item.source_row)
        for name in item.values:
            data_columns.setdefault(name, None)
        good_rows.append(
            {
                **item.values,
                "_source": spec.name,
                "_source_record_id": record_id,
                "_source_file": item.source_file,
                "_source_row": str(item.source_row),
                "_batch_id": batch_id,
                "_loaded_at": loaded_at,
                "_record_hash": content_hash,
            }
        )

    clashing = sorted(set(data_columns) & set(LINEAGE_COLUMNS))
    if clashing:
        raise ValueError(f"source {spec.name}: data columns {clashing} clash with lineage column names")
    report.loaded = len(good_rows)
    report.quarantined = len(bad_rows)
    con.execute("create schema if not exists raw")
    _keep_first_load_times(con, spec, batch_id, good_rows, ("_source_record_id", "_record_hash"), spec.raw_table)
    _keep_first_load_times(con, spec, batch_id, bad_rows, ("_source_file", "_source_row", "raw_content"), "_quarantine")
    con.execute("begin transaction")
    try:
        _replace_batch(con, spec.raw_table, [*data_columns, *LINEAGE_COLUMNS], good_rows, spec, batch_id)
        _replace_batch(con, "_quarantine", list(QUARANTINE_COLUMNS), bad_rows, spec, batch_id)
        _log_batch(con, report, loaded_at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return report
