"""Partner spreadsheets (``.xlsx``; ``.csv``) in the partner's own layout, described by YAML.

Reads: every file matching ``location.path``; sheets named in ``options.sheets`` (default: the
first sheet); the header on row ``options.header_row`` (1-based, default 1), so title rows above
it are skipped; merged cells are filled with their top-left value; dates become ISO text, numbers
their plain text. ``columns`` maps canonical names to the partner's headers; every canonical name
in ``required_columns`` must be found or the ingest fails, naming source, file, sheet, the
expected and the found headers.
Guarantees: files land byte for byte; every non-empty row becomes one raw row with every cell as
text (typing happens in dbt staging) and extra columns kept; ``source_row`` counts data rows
after the header (1-based), and ``_sheet`` names the sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from extract.base import LandingWriter, ParsedRow, RawRecord, RunContext, landed_files
from extract.files import land_files
from extract.tabular import read_delimited, unique_headers
from hrdw.sources import SourceSpec

STAGING_MACRO = "hrdw_stage_spreadsheet"
TAG = "spreadsheet"


class LayoutError(ValueError):
    """The sheet does not have the columns its YAML promises."""


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def cell_text(value: Any) -> str | None:
    """One cell as text, the way a person reading the sheet would write it."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def check_required(spec: SourceSpec, file_name: str, sheet: str, headers: list[str]) -> None:
    expected = {canonical: spec.columns.get(canonical, canonical) for canonical in spec.required_columns}
    missing = {canonical: header for canonical, header in expected.items() if header not in headers}
    if missing:
        wanted = ", ".join(f"{header!r} (for {canonical})" for canonical, header in missing.items())
        raise LayoutError(
            f"source {spec.name}, file {file_name}, sheet {sheet!r}: missing required column(s) {wanted}; "
            f"expected {sorted(expected.values())}, found {headers}"
        )


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    """All cell values with merged ranges filled from their top-left cell."""
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top_left = sheet.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
                    grid[row - 1][column - 1] = top_left
    return grid


def _parse_workbook(spec: SourceSpec, name: str, path: Path) -> Iterator[ParsedRow]:
    workbook = load_workbook(path, data_only=True)
    sheet_names = spec.options.get("sheets") or [workbook.sheetnames[0]]
    header_row = int(spec.options.get("header_row", 1))
    for sheet_name in sheet_names:
        if sheet_name not in workbook.sheetnames:
            raise LayoutError(
                f"source {spec.name}, file {name}: sheet {sheet_name!r} not found; found {workbook.sheetnames}"
            )
        grid = _sheet_rows(workbook[sheet_name])
        if len(grid) < header_row:
            raise LayoutError(f"source {spec.name}, file {name}, sheet {sheet_name!r}: no header on row {header_row}")
        headers = unique_headers([cell_text(value) or "" for value in grid[header_row - 1]])
        check_required(spec, name, sheet_name, headers)
        for data_row, cells in enumerate(grid[header_row:], start=1):
            values = {header: cell_text(value) for header, value in zip(headers, cells, strict=True)}
            if all(value is None for value in values.values()):
                continue
            values["_sheet"] = sheet_name
            yield RawRecord(values=values, source_file=name, source_row=data_row)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            yield from _parse_workbook(spec, name, path)
        elif path.suffix.lower() == ".csv":
            rows = list(read_delimited(path, name, delimiter=spec.options.get("delimiter", ",")))
            headers = list(rows[0].values) if rows and isinstance(rows[0], RawRecord) else []
            if headers:
                check_required(spec, name, "(csv)", headers)
            yield from rows
        else:
            raise LayoutError(f"source {spec.name}, file {name}: unsupported spreadsheet type {path.suffix!r}")
