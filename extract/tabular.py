"""Reading delimited text files and cell grids into text rows without losing any of them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from extract.base import ParsedRow, QuarantinedRow, RawRecord, landed_files
from hrdw.sources import SourceSpec

DEFAULT_ENCODINGS = ("utf-8-sig",)
SNIFF_DELIMITERS = ",;\t|"
HEADER_SEARCH_ROWS = 30


class UnreadableFileError(ValueError):
    """A landed file cannot be read at all (not the format its name says, truncated, undecodable).

    The load fails naming the source and the file, as for any file that breaks its source's
    layout; the file stays in landing, so the batch can be loaded again once it is replaced.
    """


def decode(data: bytes, encodings: Iterable[str] = DEFAULT_ENCODINGS) -> tuple[str, str]:
    """Decode with the first encoding that fits; fail naming every encoding tried."""
    errors = []
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            errors.append(f"{encoding}: {error}")
    raise ValueError("cannot decode file with any of " + "; ".join(errors))


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text (`,` `;` tab or `|`), judged on its first lines."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in SNIFF_DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def unique_headers(raw_headers: list[str]) -> list[str]:
    """Trimmed headers; blanks become ``column_<n>`` and repeats get ``_2``, ``_3`` so nothing is dropped."""
    headers: list[str] = []
    for position, header in enumerate(raw_headers, start=1):
        name = header.strip() or f"column_{position}"
        candidate, suffix = name, 2
        while candidate in headers:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        headers.append(candidate)
    return headers


def detect_header_row(grid: list[list[str | None]], expected_headers: set[str]) -> int | None:
    """1-based number of the row (among the first 30) holding the most expected headers, if any does."""
    best_row, best_score = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        score = sum(1 for cell in row if cell is not None and str(cell).strip() in expected_headers)
        if score > best_score:
            best_row, best_score = index, score
    return best_row


def read_csv_grid(
    path: Path, *, delimiter: str | None = None, encodings: Iterable[str] = DEFAULT_ENCODINGS
) -> tuple[list[list[str]], str, str]:
    """(every CSV record as a list of fields, the encoding used, the delimiter used)."""
    text, encoding = decode(path.read_bytes(), encodings)
    chosen = delimiter or sniff_delimiter(text)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=chosen)), encoding, chosen


def records_from_grid(
    grid: list[list[str | None]],
    file_name: str,
    *,
    header_row: int = 1,
    extra: dict[str, str] | None = None,
    strict_width: bool = True,
) -> Iterator[ParsedRow]:
    """Rows after ``header_row`` as records keyed by header; ``source_row`` counts data rows from 1.

    With ``strict_width`` (CSV), a record whose field count differs from the header's is
    quarantined with both counts, never silently padded or cut. Blank rows carry no record.
    """
    if len(grid) < header_row:
        return
    headers = unique_headers([str(cell or "") for cell in grid[header_row - 1]])
    for row_number, fields in enumerate(grid[header_row:], start=1):
        if all(cell is None or not str(cell).strip() for cell in fields):
            continue
        if strict_width and len(fields) != len(headers):
            yield QuarantinedRow(
                source_file=file_name,
                source_row=row_number,
                reason=f"expected {len(headers)} fields, found {len(fields)}",
                raw=json.dumps(fields, ensure_ascii=False),
            )
            continue
        while len(headers) < len(fields):  # a cell right of the last header is data too: keep it
            headers.append(f"column_{len(headers) + 1}")
        padded = list(fields) + [None] * (len(headers) - len(fields))
        # Values stay exactly as written (staging trims); only an empty cell becomes NULL.
        values = {
            header: (value if value not in ("", None) else None) for header, value in zip(headers, padded, strict=True)
        }
        yield RawRecord(values={**values, **(extra or {})}, source_file=file_name, source_row=row_number)


def read_delimited(
    path: Path,
    file_name: str,
    *,
    delimiter: str | None = ",",
    encodings: Iterable[str] = DEFAULT_ENCODINGS,
    header_row: int = 1,
) -> Iterator[ParsedRow]:
    """Every data record of a CSV file as text; ``source_row`` is the 1-based record number after the header."""
    grid, _, _ = read_csv_grid(path, delimiter=delimiter, encodings=encodings)
    yield from records_from_grid(grid, file_name, header_row=header_row)


def read_landed_csv_files(
    spec: SourceSpec, partition: Path, *, default_delimiter: str | None = ","
) -> Iterator[ParsedRow]:
    """Every record of every landed CSV file of a partition (``options.delimiter`` or the default;
    None sniffs it)."""
    delimiter = spec.options.get("delimiter", default_delimiter)
    for name, path in landed_files(partition):
        try:
            grid, _, _ = read_csv_grid(path, delimiter=delimiter)
        except (ValueError, csv.Error) as error:
            raise UnreadableFileError(f"source {spec.name}, file {name}: {error}") from error
        yield from records_from_grid(grid, name)
