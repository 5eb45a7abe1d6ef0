"""CPJ database CSV export (the 42-column ``year,combinedStatus,fullName,...`` download).

Reads: every file matching ``location.path``; UTF-8 (with or without BOM), comma-delimited,
multi-values comma-joined inside quoted cells (split in dbt staging, not here).
Guarantees: the files land byte for byte; every CSV record becomes one raw row of text or one
quarantined row (wrong field count) with its 1-based record number. The export has no natural
key, so the record key comes from ``record_key`` in the YAML (else a content hash).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.base import LandingWriter, ParsedRow, RunContext
from extract.files import land_files
from extract.tabular import read_landed_csv_files
from hrdw.sources import SourceSpec

STAGING_MACRO = "hrdw_stage_cpj_csv"
TAG = "cpj"
# The `options:` keys a source of this kind may set (extract/connectors/__init__.py).
OPTIONS: dict[str, str] = {
    "delimiter": "CSV delimiter (default ,)",
}


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    yield from read_landed_csv_files(spec, partition)
