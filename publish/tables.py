"""Writing one table out of DuckDB as Parquet and CSV, with checksums.

Guarantees, for a table given as a DuckDB relation and a list of columns:

- rows are written sorted by every written column, so the same rows give the same files;
- Parquet keeps the true values and types; DuckDB's Parquet writer puts no write time in the file,
  so for one DuckDB version the same rows give byte-identical files (checked by the tests);
- CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) get a leading single quote (OWASP "CSV injection"); typed
  numbers, booleans and dates are written as they are (a typed ``-2.5`` is a number, not a formula);
- ``content_sha256`` is computed over a canonical form of the rows (JSON lines, sorted, see
  ``canonical_sha256``), independent of the Parquet writer's version.

Run metadata: columns that record *when* or *in which batch* something was loaded change on every
sync even when the data does not. They are declared in ``RUN_METADATA``, kept out of a table's
main Parquet/CSV files and content checksum, and written to ``run_metadata/<table>.parquet``
(with the table's key) instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

# table -> (key columns, run metadata columns). tests/test_e2e.py checks, on the real marts,
# that every timestamp column and every *batch_id / *loaded_at column is declared here.
RUN_METADATA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dim_event": (("event_id",), ("first_loaded_at", "last_loaded_at")),
    "dim_source": (
        ("source_name",),
        (
            "last_loaded_at",
            "last_batch_id",
            "last_batch_night",
            "last_batch_rows_loaded",
            "last_batch_rows_quarantined",
            "is_stale",
        ),
    ),
    "bridge_event_source_record": (("report_id",), ("batch_id",)),
    "event_id_redirects": (("retired_event_id",), ("retired_at",)),
}

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_CHECKSUM_METHOD = (
    "sha256 over UTF-8 JSON lines: first [[column, type], ...], then one JSON array per row, rows sorted by "
    "every column (NULLs last); dates and times ISO 8601, decimals as text, floats as Python repr; "
    "run metadata columns excluded"
)
# Types written to CSV as they are: they cannot hold text, so they cannot hold a formula.
_PLAIN_CSV_TYPES = (
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "INTERVAL",
    "UUID",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str


def quote(identifier: str) -> str:
    """A DuckDB identifier, double-quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    """A DuckDB string literal."""
    return "'" + value.replace("'", "''") + "'"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path, root: Path) -> dict[str, Any]:
    """``{"file", "sha256", "bytes"}`` of a written file, the name relative to ``root``."""
    return {"file": path.relative_to(root).as_posix(), "sha256": sha256_file(path), "bytes": path.stat().st_size}


def table_columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[Column]:
    """The table's columns in order, with their DuckDB types."""
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, schema, table],
    ).fetchall()
    return [Column(name, data_type) for name, data_type in rows]


def split_run_metadata(table: str, columns: list[Column]) -> tuple[list[Column], list[Column], list[Column]]:
    """``(content columns, key columns, run metadata columns)`` of a table, per ``RUN_METADATA``.

    Declared run metadata columns that the table does not have are ignored; a table with none gets
    empty key and run metadata lists.
    """
    key_names, meta_names = RUN_METADATA.get(table, ((), ()))
    meta = [column for column in columns if column.name in meta_names]
    if not meta:
        return columns, [], []
    content = [column for column in columns if column.name not in meta_names]
    key = [column for column in content if column.name in key_names] or content
    return content, key, meta


def csv_cell_sql(column: Column) -> str:
    """SQL for one CSV cell: the value, with text that a spreadsheet would run as a formula quoted."""
    if column.type.upper().startswith(_PLAIN_CSV_TYPES):
        return f"src.{quote(column.name)}"
    text = f"cast(src.{quote(column.name)} as varchar)"
    prefixes = ", ".join(f"chr({ord(prefix)})" for prefix in CSV_FORMULA_PREFIXES)
    return f"case when left({text}, 1) in ({prefixes}) then '''' || {text} else {text} end"


def neutralise_csv_cell(value: str) -> str:
    """The CSV rule in Python (used for documentation and tests): quote a would-be formula."""
    return "'" + value if value.startswith(CSV_FORMULA_PREFIXES) else value


def ordered_select(relation: str, columns: list[Column], cells: list[str] | None = None) -> str:
    cells = cells or [f"src.{quote(column.name)}" for column in columns]
    select = ", ".join(f"{cell} as {quote(column.name)}" for cell, column in zip(cells, columns, strict=True))
    order = ", ".join(f"src.{quote(column.name)} nulls last" for column in columns)
    return f"select {select} from {relation} as src order by {order}"


def write_parquet(con: duckdb.DuckDBPyConnection, relation: str, columns: list[Column], target: Path) -> None:
    """``columns`` of ``relation`` as Parquet (zstd), rows sorted by every column."""
    target.parent.mkdir(parents=True, exist_ok=True)
    query = ordered_select(relation, columns)
    con.execute(f"copy ({query}) to {sql_text(str(target))} (format parquet, compression zstd)")


def write_csv(con: duckdb.DuckDBPyConnection, relation: str, columns: list[Column], target: Path) -> None:
    """``columns`` of ``relation`` as UTF-8 CSV with a header, formula-like text neutralised, same order as Parquet."""
    target.parent.mkdir(parents=True, exist_ok=True)
    query = ordered_select(relation, columns, [csv_cell_sql(column) for column in columns])
    con.execute(f"copy ({query}) to {sql_text(str(target))} (format csv, header true, delimiter ',', quote '\"')")


def _canonical(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, dt.timedelta)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return str(value)


def canonical_sha256(con: duckdb.DuckDBPyConnection, relation: str, columns: list[Column]) -> str:
    """sha256 of the rows' canonical form (``CONTENT_CHECKSUM_METHOD``): equal rows give equal digests."""
    digest = hashlib.sha256()
    header = [[column.name, column.type] for column in columns]
    digest.update(json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    result = con.execute(ordered_select(relation, columns))
    while rows := result.fetchmany(10_000):
        for row in rows:
            line = json.dumps(list(row), default=_canonical, ensure_ascii=False, separators=(",", ":"))
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def export_table(
    con: duckdb.DuckDBPyConnection, relation: str, table: str, columns: list[Column], out_dir: Path
) -> dict[str, Any]:
    """Write ``<table>.parquet`` and ``<table>.csv`` (content columns) and, when the table has run
    metadata, ``run_metadata/<table>.parquet`` and ``.csv`` (key plus run metadata columns).

    Returns the manifest entry: files with sha256 and size, row count, column schema, content checksum.
    """
    content, key, meta = split_run_metadata(table, columns)
    parquet, csv_file = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
    write_parquet(con, relation, content, parquet)
    write_csv(con, relation, content, csv_file)
    rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
    entry: dict[str, Any] = {
        **file_entry(parquet, out_dir),
        "rows": rows,
        "csv": file_entry(csv_file, out_dir),
        "columns": [{"name": column.name, "type": column.type} for column in content],
        "content_sha256": canonical_sha256(con, relation, content),
    }
    if meta:
        meta_parquet = out_dir / "run_metadata" / f"{table}.parquet"
        meta_csv = out_dir / "run_metadata" / f"{table}.csv"
        write_parquet(con, relation, key + meta, meta_parquet)
        write_csv(con, relation, key + meta, meta_csv)
        entry["run_metadata"] = {
            **file_entry(meta_parquet, out_dir),
            "csv": file_entry(meta_csv, out_dir),
            "key": [column.name for column in key],
            "columns": [{"name": column.name, "type": column.type} for column in meta],
        }
    return entry
