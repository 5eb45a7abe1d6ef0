"""The flat exports as XLSX: every ``flat_*`` mart, for analysts who open a spreadsheet first.

Guarantees, for a table given as a DuckDB relation and its columns:

- the same rows, columns and order as the table's Parquet and CSV files, with a header row;
- text is written as text, never as a formula: a cell starting with ``=`` stays a string (the
  cell's type is set, as the CSV's leading quote does for CSV), so a hostile value cannot run;
- characters XLSX cannot hold (control characters other than tab, newline and carriage return)
  are left out of the cell they were in; numbers, booleans and dates keep their types;
- a table longer than an XLSX sheet (1,048,575 rows after the header) is not written: the
  manifest says why, and the CSV and Parquet files hold it whole.

Not byte-stable: an XLSX file is a zip archive whose entries carry times; compare its rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from publish.tables import Column, ordered_select

MAX_ROWS = 1_048_575
FLAT_PREFIX = "flat_"
BATCH_ROWS = 10_000


def wants_xlsx(table: str) -> bool:
    return table.startswith(FLAT_PREFIX)


def write_xlsx(
    con: duckdb.DuckDBPyConnection, relation: str, columns: list[Column], rows: int, target: Path
) -> str | None:
    """Write ``columns`` of ``relation`` (``rows`` long) to ``target``; returns why not when it cannot hold them."""
    if rows > MAX_ROWS:
        return f"{rows} rows: more than an XLSX sheet holds ({MAX_ROWS}); use the CSV or Parquet file"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=target.stem[:31])
    sheet.append([column.name for column in columns])
    result = con.execute(ordered_select(relation, columns))
    while batch := result.fetchmany(BATCH_ROWS):
        for row in batch:
            sheet.append([_cell(sheet, value) for value in row])
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return None


def _cell(sheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # never "f": text that starts with "=" is not a formula
    return cell
