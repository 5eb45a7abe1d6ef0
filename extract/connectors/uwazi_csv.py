"""Uwazi CSV export: headers are property labels (``Title, Date added, Template, <props>, ...``).

Reads: every file matching ``location.path``; UTF-8, comma-delimited; multiselect values joined
by ``|``, grouped values ``Parent::Child``, geolocation ``lat|lon``, date ranges ``from~to``
(all split or parsed in dbt staging).
Guarantees: files land byte for byte; each CSV record becomes one raw row of text or one
quarantined row. Uwazi's export carries no ``sharedId`` column, so the record key comes from
``record_key`` in the YAML (e.g. ``[Title, Date added]``, stable across edits), else a hash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.base import LandingWriter, ParsedRow, RunContext
from extract.files import land_files
from extract.tabular import read_landed_csv_files
from hrdw.kinds import VICTIM_SEPARATOR
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **VICTIM_SEPARATOR,
    "delimiter": "CSV delimiter (default ,)",
}


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    yield from read_landed_csv_files(spec, partition)
