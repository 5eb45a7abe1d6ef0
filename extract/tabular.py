"""Reading delimited text files into text rows without losing any of them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from extract.base import ParsedRow, QuarantinedRow, RawRecord

DEFAULT_ENCODINGS = ("utf-8-sig",)


def decode(data: bytes, encodings: tuple[str, ...] = DEFAULT_ENCODINGS) -> tuple[str, str]:
    """Decode with the first encoding that fits; fail naming every encoding tried."""
    errors = []
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            errors.append(f"{encoding}: {error}")
    raise ValueError("cannot decode file with any of " + "; ".join(errors))


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


def read_delimited(
    path: Path, file_name: str, *, delimiter: str = ",", encodings: tuple[str, ...] = DEFAULT_ENCODINGS
) -> Iterator[ParsedRow]:
    """Every data record of a CSV file as text; ``source_row`` is the 1-based record number after the header.

    A record whose field count differs from the header's is quarantined with both counts, never
    silently padded or cut.
    """
    text, _ = decode(path.read_bytes(), encodings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = unique_headers(next(reader))
    except StopIteration:
        return
    for row_number, fields in enumerate(reader, start=1):
        if all(not value.strip() for value in fields):
            continue  # a blank line or a row of empty cells carries no record
        if len(fields) != len(headers):
            yield QuarantinedRow(
                source_file=file_name,
                source_row=row_number,
                reason=f"expected {len(headers)} fields, found {len(fields)}",
                raw=json.dumps(fields, ensure_ascii=False),
            )
            continue
        # Values stay exactly as written (staging trims); only an empty cell becomes NULL.
        values = {header: (value if value != "" else None) for header, value in zip(headers, fields, strict=True)}
        yield RawRecord(values=values, source_file=file_name, source_row=row_number)
