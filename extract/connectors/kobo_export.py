"""KoboToolbox CSV and XLSX exports (the project's Data > Downloads, or a synchronous export URL saved to disk).

Reads: every file matching ``location.path``: ``.csv`` (delimiter ``options.delimiter``, else
sniffed from the header: Kobo writes ``;`` with every field quoted, a re-saved file often has
``,``; UTF-8 with or without BOM) and ``.xlsx`` (the first sheet, i.e. the main submission
table, or ``options.sheet``; sheets of repeat groups are not read, and a CSV export has no
repeat data at all: a YAML mapping ``columns.victims_repeat`` fails the source naming the reason,
so a form with a victims repeat is read with the ``kobo_api`` kind). Headers are either XML
names, with group paths (``incident/date``) when "include groups in headers" was ticked, or
labels; they are read by name, so their order does not matter and the YAML ``columns`` mapping
names them. Kobo's meta columns (``_id, _uuid, _submission_time, _validation_status, _notes,
_status, _submitted_by, __version__, _tags, _index``) are kept as they are. A select-multiple
question comes as one column of space-separated values, as ``Question/Option`` columns of 0/1,
or both; a geopoint as its own column (``lat lon alt precision``) and
``_<name>_latitude``/``_longitude``/``_altitude``/``_precision``; ``_validation_status`` as its
uid (``validation_status_approved``) or label (``Approved``). Combining option columns,
splitting geopoints and reading the validation status happen in dbt staging.
Guarantees: files land byte for byte; every non-empty record becomes one raw row with every
cell as text (XLSX numbers as their plain text, ``61`` not ``61.0``; dates as ISO text) and
every column kept, or one quarantined row (a CSV record whose field count differs from the
header's; an XLSX row with cells beyond the header) with the reason. An HXL hashtag row right
under the header (an export option) is not a record and is skipped. ``source_row`` counts the
records after the header (1-based). The key is ``_uuid`` (``meta/rootUuid`` first if the export
has it); without either the loader falls back to ``record_key`` or a content hash.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import load_workbook

from extract.base import LandingWriter, ParsedRow, QuarantinedRow, RawRecord, RunContext, landed_files
from extract.connectors._kobo import record_key
from extract.connectors.spreadsheet import cell_text
from extract.files import land_files
from extract.tabular import UnreadableFileError, decode, read_delimited, unique_headers
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    "delimiter": "CSV delimiter (default: sniffed)",
    "sheet": "sheet of an xlsx export to read",
    "select_multiple_separator": "separator of select-multiple answers (default space)",
    "perpetrator_select_multiple": "the perpetrator question is select-multiple",
    "publish_only_approved": "only submissions validated as approved are publishable",
}
CANDIDATE_DELIMITERS = (";", ",", "\t")
KOBO_META_COLUMNS = ("_uuid", "_id", "_submission_time", "_index")


class LayoutError(ValueError):
    """The file is not a Kobo export this connector can read."""


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def sniff_delimiter(text: str, file_name: str, source: str) -> str:
    """The delimiter whose header holds Kobo's meta columns, else the one splitting it into most fields."""
    headers = {}
    for delimiter in CANDIDATE_DELIMITERS:
        try:
            headers[delimiter] = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except (StopIteration, csv.Error):
            headers[delimiter] = []
    for delimiter, header in headers.items():
        if any(column.strip() in KOBO_META_COLUMNS for column in header):
            return delimiter
    best = max(CANDIDATE_DELIMITERS, key=lambda delimiter: len(headers[delimiter]))
    if len(headers[best]) > 1:
        return best
    raise LayoutError(f"source {source}, file {file_name}: cannot tell the delimiter; set options.delimiter")


def _is_hxl_row(values: dict[str, str | None]) -> bool:
    """Kobo's optional HXL row: hashtags (``#affected``) or blanks, and no submission meta."""
    cells = [value.strip() for value in values.values() if value and value.strip()]
    return bool(cells) and all(cell.startswith("#") for cell in cells)


def _skip_hxl_row(rows: Iterable[ParsedRow]) -> Iterator[ParsedRow]:
    for position, row in enumerate(rows):
        if position == 0 and isinstance(row, RawRecord) and _is_hxl_row(row.values):
            continue
        yield row


def _read_csv(spec: SourceSpec, name: str, path: Path) -> Iterator[ParsedRow]:
    try:
        text, _ = decode(path.read_bytes())
    except ValueError as error:
        raise LayoutError(f"source {spec.name}, file {name}: {error}") from error
    delimiter = spec.options.get("delimiter") or sniff_delimiter(text, name, spec.name)
    yield from read_delimited(path, name, delimiter=delimiter)


def _read_xlsx(spec: SourceSpec, name: str, path: Path) -> Iterator[ParsedRow]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any failure to open it is the file's, whatever openpyxl raises
        raise UnreadableFileError(
            f"source {spec.name}, file {name}: not a valid .xlsx (zip) file ({type(error).__name__}: {error}); "
            "it stays in landing: replace it at the source and run the interval again"
        ) from error
    try:
        wanted = spec.options.get("sheet")
        if wanted and wanted not in workbook.sheetnames:
            found = workbook.sheetnames
            raise LayoutError(f"source {spec.name}, file {name}: sheet {wanted!r} not found; found {found}")
        sheet = workbook[wanted] if wanted else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return
        headers = unique_headers([cell_text(value) or "" for value in first])
        while headers and headers[-1].startswith("column_") and first[len(headers) - 1] is None:
            headers.pop()  # trailing empty header cells of a sheet's used range
        for number, cells in enumerate(rows, start=1):
            texts = [cell_text(value) for value in cells]
            extra = [text for text in texts[len(headers) :] if text is not None]
            texts = (texts + [None] * len(headers))[: len(headers)]
            if extra:
                raw = json.dumps([cell_text(value) for value in cells], ensure_ascii=False)
                yield QuarantinedRow(name, number, f"cells beyond the {len(headers)} headed columns", raw)
                continue
            if all(text is None for text in texts):
                continue
            yield RawRecord(values=dict(zip(headers, texts, strict=True)), source_file=name, source_row=number)
    finally:
        workbook.close()


def check_no_repeat(spec: SourceSpec) -> None:
    """A mapped victims repeat is an error: the main table this kind reads never holds repeat rows,
    and reading it anyway would give every multi-victim incident no victim, silently."""
    if spec.columns.get("victims_repeat"):
        raise LayoutError(
            f"source {spec.name}: columns.victims_repeat ({spec.columns['victims_repeat']!r}): a Kobo export "
            "carries a repeat group in a sheet or file of its own, which the kobo_export kind does not read; "
            "read this form with the kobo_api kind"
        )


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    check_no_repeat(spec)
    for name, path in landed_files(partition):
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm"}:
            rows = _read_xlsx(spec, name, path)
        elif suffix in {".csv", ".txt"}:
            rows = _read_csv(spec, name, path)
        else:
            raise LayoutError(f"source {spec.name}, file {name}: not a Kobo CSV or XLSX export ({suffix!r})")
        for row in _skip_hxl_row(rows):
            if isinstance(row, RawRecord):
                row.record_id = record_key(row.values)
            yield row
