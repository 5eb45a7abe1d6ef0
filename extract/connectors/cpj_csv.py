"""CPJ database CSV export (the 42-column ``year,combinedStatus,fullName,...`` download).

Reads: every file matching ``location.path``; UTF-8 (with or without BOM), comma-delimited,
multi-values comma-joined inside quoted cells (split in dbt staging, not here).
Guarantees: the files land byte for byte; every CSV record becomes one raw row of text or one
quarantined row (wrong field count) with its 1-based record number.

Record key: the export has no natural key. The key is the ``record_key`` columns of the YAML
(else a content hash), and a row whose key an earlier row of the same file already has gets
``#2``, ``#3``... in file order. No column set can do better: CPJ's export holds rows that are
equal in every one of its 42 columns and are different people (two media workers named "Maher",
Al-Shaabiya, Iraq, 2006: CPJ's older export dates both October 12, 2006). A row the key tells
apart keeps the plain key, so ids stay stable when such a row is edited or the file reordered.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.base import LandingWriter, ParsedRow, RawRecord, RunContext
from extract.files import land_files
from extract.raw import record_hash
from extract.tabular import read_landed_csv_files
from hrdw.sources import SourceSpec

TAG = "cpj"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    "delimiter": "CSV delimiter (default ,)",
}


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    seen: dict[tuple[str, str], int] = {}
    for row in read_landed_csv_files(spec, partition):
        if isinstance(row, RawRecord):
            row.record_id = numbered_record_key(spec, row, seen)
        yield row


def numbered_record_key(spec: SourceSpec, row: RawRecord, seen: dict[tuple[str, str], int]) -> str:
    """The row's key (declared columns, else a content hash), numbered from its second occurrence
    in its file; ``seen`` counts the keys met so far."""
    parts = [(row.values.get(column) or "").strip() for column in spec.record_key]
    key = "|".join(parts) if parts and all(parts) else "sha256:" + record_hash(row.values)[:32]
    count = seen.get((row.source_file, key), 0) + 1
    seen[(row.source_file, key)] = count
    return key if count == 1 else f"{key}#{count}"
