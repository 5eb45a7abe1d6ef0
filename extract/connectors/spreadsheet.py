"""Partner spreadsheets (``.xlsx``, ``.ods``, ``.csv``) in the partner's own layout, described by YAML.

Reads: every file matching ``location.path``. Options:
- ``sheets``: sheet names to read, or ``"*"`` for all (default: the first sheet);
- ``header_row``: 1-based row of the header; when absent, the header is detected as the row
  (among the first 30) holding the most headers named in ``columns``, so title rows are skipped;
- ``encoding``: CSV encoding or list tried in order (default ``[utf-8-sig, cp1251]``: UTF-8 with
  or without BOM, then Windows Cyrillic); ``delimiter``: CSV delimiter (default: sniffed among
  ``, ; tab |``).
Merged cells (xlsx) are filled with their top-left value; dates become ISO text, whole numbers
plain text (an Excel serial in a text-formatted cell stays a number and is parsed in staging).
``columns`` maps canonical names to headers (or lists of aliases); ``required_columns`` must be
present, else the ingest fails naming source, file, sheet, expected and found headers.
Guarantees: files land byte for byte; every non-empty row becomes one raw row with every cell as
text (typing, value maps and multi-value splitting happen in dbt staging) and extra columns kept;
``source_row`` counts data rows after the header (1-based) and ``_sheet`` names the sheet. A file
that cannot be read at all (a corrupt or truncated workbook, an undecodable CSV) fails the load
naming the source and the file; it stays in landing, so the batch can be loaded again.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from extract.base import LandingWriter, ParsedRow, RunContext, landed_files
from extract.files import land_files
from extract.tabular import UnreadableFileError, detect_header_row, read_csv_grid, records_from_grid
from hrdw.kinds import MULTI_VALUE_SEPARATOR, VICTIM_SEPARATOR
from hrdw.sources import SourceSpec

TAG = "spreadsheet"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **MULTI_VALUE_SEPARATOR,
    **VICTIM_SEPARATOR,
    "sheets": "sheets to read (default: every sheet holding the mapped headers)",
    "header_row": "1-based row of the headers (default: found by the mapped headers)",
    "encoding": "text encoding of CSV files (default: utf-8, then cp1251)",
    "delimiter": "CSV delimiter (default: sniffed)",
}
DEFAULT_ENCODINGS = ("utf-8-sig", "cp1251")


class LayoutError(ValueError):
    """The file does not have the layout its YAML promises (sheet, header row)."""


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def cell_text(value: Any) -> str | None:
    """One cell as text, the way a person reading the sheet would write it."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def expected_headers(spec: SourceSpec) -> set[str]:
    return {header for canonical in spec.columns for header in spec.headers_for(canonical)}


def _header_row(spec: SourceSpec, grid: list[list[str | None]], file_name: str, sheet: str) -> int:
    if "header_row" in spec.options:
        return int(spec.options["header_row"])
    if not spec.columns:
        return 1
    found = detect_header_row(grid, expected_headers(spec))
    if found is None:
        raise LayoutError(
            f"source {spec.name}, file {file_name}, sheet {sheet!r}: no header row found in the first rows; "
            f"expected some of {sorted(expected_headers(spec))}"
        )
    return found


def _xlsx_grids(path: Path) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(path, data_only=True)
    grids = {}
    for sheet in workbook.worksheets:
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top_left = sheet.cell(row=merged.min_row, column=merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
                        grid[row - 1][column - 1] = top_left
        grids[sheet.title] = grid
    return grids


def _ods_grids(path: Path) -> dict[str, list[list[Any]]]:
    import pandas as pd  # imported here: only .ods files need pandas' odf reader

    frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    return {name: frame.astype(object).where(frame.notna(), None).values.tolist() for name, frame in frames.items()}


WORKBOOK_READERS = {".xlsx": _xlsx_grids, ".xlsm": _xlsx_grids, ".ods": _ods_grids}


def _workbook_grids(spec: SourceSpec, name: str, path: Path, suffix: str) -> dict[str, list[list[Any]]]:
    """Every sheet's cells; a file that is no workbook of its kind fails naming source and file."""
    try:
        return WORKBOOK_READERS[suffix](path)
    except Exception as error:  # any failure to open the workbook is the file's, whatever the library raises
        why = (
            f"a {suffix} workbook is a zip archive and this file is not one, or is cut short"
            if isinstance(error, zipfile.BadZipFile)
            else f"{type(error).__name__}: {error}"
        )
        raise UnreadableFileError(
            f"source {spec.name}, file {name}: not a valid {suffix} (zip) file ({why}); it stays in landing: "
            "replace it at the source and run the interval again"
        ) from error


def _selected_sheets(spec: SourceSpec, file_name: str, available: list[str]) -> list[str]:
    wanted = spec.options.get("sheets")
    if wanted in (None, []):
        return available[:1]
    if wanted == "*":
        return available
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    missing = [name for name in names if name not in available]
    if missing:
        raise LayoutError(f"source {spec.name}, file {file_name}: sheet(s) {missing} not found; found {available}")
    return names


def _parse_grids(spec: SourceSpec, name: str, grids: dict[str, list[list[Any]]]) -> Iterator[ParsedRow]:
    for sheet in _selected_sheets(spec, name, list(grids)):
        grid = [[cell_text(cell) for cell in row] for row in grids[sheet]]
        header_row = _header_row(spec, grid, name, sheet)
        if len(grid) < header_row:
            raise LayoutError(f"source {spec.name}, file {name}, sheet {sheet!r}: no header on row {header_row}")
        yield from records_from_grid(grid, name, header_row=header_row, extra={"_sheet": sheet}, strict_width=False)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_READERS:
            yield from _parse_grids(spec, name, _workbook_grids(spec, name, path, suffix))
        elif suffix in {".csv", ".txt", ".tsv"}:
            encodings = spec.options.get("encoding") or DEFAULT_ENCODINGS
            encodings = [encodings] if isinstance(encodings, str) else encodings
            try:
                grid, _, _ = read_csv_grid(path, delimiter=spec.options.get("delimiter"), encodings=encodings)
            except (ValueError, csv.Error) as error:
                raise UnreadableFileError(f"source {spec.name}, file {name}: {error}") from error
            header_row = _header_row(spec, grid, name, "(csv)")
            yield from records_from_grid(grid, name, header_row=header_row)
        else:
            raise LayoutError(f"source {spec.name}, file {name}: unsupported spreadsheet type {suffix!r}")
