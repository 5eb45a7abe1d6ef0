"""ODK Central ``submissions.csv.zip`` export (downloaded as ``<formId>.zip``).

Reads: every file matching ``location.path``, each a zip as Central builds it: ``<formId>.csv``
with the header ``SubmissionDate, <fields, group paths joined by '-'>, ..., meta-instanceID, KEY,
SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status, ReviewState,
DeviceID, Edits, FormVersion`` (geopoints split into ``-Latitude/-Longitude/-Altitude/-Accuracy``,
select-multiples space-separated), one ``<formId>-<repeat>.csv`` per repeat group (``<repeat>~N``
when two repeats share a name) whose last columns are ``PARENT_KEY`` and ``KEY`` (``uuid:.../
victims[2]``; a nested repeat's parent is the enclosing repeat row), and with attachments a
``media/`` folder, which is skipped. Options: ``form_id`` names the main table when the zip holds
more than one CSV without ``PARENT_KEY`` (otherwise the one such CSV is the main table).
Guarantees: each zip lands byte for byte; a file that is not a zip, or a zip without a main table,
fails the landing naming the file and the previous landing stays. Each main-table row becomes one
raw row of text keyed by ``KEY`` (the submission's instanceID); repeat rows are not raw rows of
their own but travel with their parent: each parent row gets a column named after the repeat
(``victims``) holding a JSON array of its repeat rows (every column as text or null, including
``PARENT_KEY`` and ``KEY``, in file order; nested repeats as arrays inside their parent's object),
or null when it has none. A repeat row whose ``PARENT_KEY`` matches no readable row goes to
quarantine with the reason, as does any row whose field count differs from its header.
``source_file`` is ``<zip>!<member csv>``. Every row carries ``ReviewState`` (older Central
exports lack it) and the column named by ``columns.victims_repeat`` when the YAML maps one.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.base import LandingWriter, ParsedRow, QuarantinedRow, RawRecord, RunContext, landed_files
from extract.files import named_matching_files
from extract.tabular import decode, unique_headers
from hrdw.kinds import MULTI_VALUE_SEPARATOR
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **MULTI_VALUE_SEPARATOR,
    "form_id": "name of the main table's CSV in the zip (else found by its shape)",
    "unpublished_review_states": "comma-separated review states never published (default rejected)",
}
PARENT_KEY, KEY = "PARENT_KEY", "KEY"
ALWAYS_PRESENT = ("ReviewState",)


class LayoutError(ValueError):
    """The export is not the zip of CSVs Central produces."""


@dataclass
class Table:
    member: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)
    bad: list[QuarantinedRow] = field(default_factory=list)


def _read_table(source_file: str, member: str, data: bytes) -> Table:
    text, _ = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = unique_headers(next(reader))
    except StopIteration:
        return Table(member, [])
    table = Table(member, headers)
    for row_number, fields in enumerate(reader, start=1):
        if all(not value.strip() for value in fields):
            continue
        if len(fields) != len(headers):
            table.bad.append(
                QuarantinedRow(
                    source_file=source_file,
                    source_row=row_number,
                    reason=f"expected {len(headers)} fields, found {len(fields)}",
                    raw=json.dumps(fields, ensure_ascii=False),
                )
            )
            continue
        table.rows.append((row_number, {h: (v if v != "" else None) for h, v in zip(headers, fields, strict=True)}))
    return table


def _csv_members(archive: zipfile.ZipFile) -> list[str]:
    """CSV files at the top of the zip (``media/`` attachments are not tables)."""
    return [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and "/" not in info.filename.strip("/") and info.filename.lower().endswith(".csv")
    ]


def _main_member(spec: SourceSpec, zip_name: str, tables: dict[str, Table]) -> str:
    form_id = spec.options.get("form_id")
    if form_id:
        wanted = f"{form_id}.csv"
        if wanted not in tables:
            raise LayoutError(f"source {spec.name}, file {zip_name}: no {wanted} in the export; found {sorted(tables)}")
        return wanted
    roots = [member for member, table in tables.items() if PARENT_KEY not in table.headers]
    if len(roots) != 1:
        raise LayoutError(
            f"source {spec.name}, file {zip_name}: expected exactly one main table (a CSV without PARENT_KEY), "
            f"found {roots or 'none'} among {sorted(tables)}; set options.form_id to name it"
        )
    return roots[0]


def _repeat_name(main_member: str, member: str) -> str:
    stem, prefix = member[: -len(".csv")], main_member[: -len(".csv")] + "-"
    return stem[len(prefix) :] if stem.startswith(prefix) else stem


def _read_archive(spec: SourceSpec, zip_name: str, path: Path) -> tuple[str, dict[str, Table]]:
    if not zipfile.is_zipfile(path):
        raise LayoutError(f"source {spec.name}, file {zip_name}: not a zip archive (expected Central's CSV export)")
    with zipfile.ZipFile(path) as archive:
        tables = {
            member: _read_table(f"{zip_name}!{member}", member, archive.read(member))
            for member in _csv_members(archive)
        }
    main = _main_member(spec, zip_name, tables)
    if KEY not in tables[main].headers:
        raise LayoutError(f"source {spec.name}, file {zip_name}: main table {main} has no KEY column")
    for member, table in tables.items():
        if member != main and not {PARENT_KEY, KEY} <= set(table.headers):
            raise LayoutError(
                f"source {spec.name}, file {zip_name}: {member} is neither the main table nor a repeat table "
                f"(no PARENT_KEY/KEY columns); found columns {table.headers}"
            )
    return main, tables


def land(ctx: RunContext, writer: LandingWriter) -> None:
    total = 0
    for name, path in named_matching_files(ctx):
        main, tables = _read_archive(ctx.spec, name, path)
        rows = len(tables[main].rows) + len(tables[main].bad)
        writer.write(name, path.read_bytes(), origin=str(path), records=rows)
        total += rows
    writer.record_count = total
    writer.scope = "full"


def _json_text(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _column_names(main_table: Table, repeats: dict[str, str]) -> dict[str, str]:
    """Repeat name -> the parent's column holding its rows (``<repeat>_repeat`` if the name is taken)."""
    taken = set(main_table.headers)
    return {repeat: (repeat if repeat not in taken else f"{repeat}_repeat") for repeat in repeats.values()}


def _parse_archive(spec: SourceSpec, zip_name: str, path: Path) -> Iterator[ParsedRow]:
    main, tables = _read_archive(spec, zip_name, path)
    main_table = tables[main]
    repeats = {member: _repeat_name(main, member) for member in tables if member != main}
    parents: dict[str, dict[str, list]] = {}  # submission KEY -> repeat name -> its rows
    for _, values in main_table.rows:
        if values.get(KEY):
            parents.setdefault(values[KEY], {})
    # Every repeat row by its own KEY, so that a nested repeat finds the repeat row it belongs to.
    repeat_rows: dict[str, dict[str, Any]] = {}
    headers_of: dict[str, list[str]] = {}  # repeat row KEY -> its table's columns
    for member in repeats:
        for _, values in tables[member].rows:
            if values.get(KEY) and values[KEY] not in repeat_rows:
                repeat_rows[values[KEY]] = values
                headers_of[values[KEY]] = tables[member].headers

    def reaches_a_submission(values: dict[str, Any]) -> bool:
        seen: set[str] = set()
        parent_key = values.get(PARENT_KEY) or ""
        while parent_key not in parents:
            if parent_key not in repeat_rows or parent_key in seen:
                return False
            seen.add(parent_key)
            parent_key = repeat_rows[parent_key].get(PARENT_KEY) or ""
        return True

    orphans: list[tuple[str, int, dict]] = []
    for member, repeat in repeats.items():
        for row_number, values in tables[member].rows:
            parent_key = values.get(PARENT_KEY) or ""
            if not reaches_a_submission(values):
                orphans.append((member, row_number, values))
            elif parent_key in parents:
                parents[parent_key].setdefault(repeat, []).append(values)
            else:
                nested = repeat if repeat not in headers_of[parent_key] else f"{repeat}_repeat"
                repeat_rows[parent_key].setdefault(nested, []).append(values)
    columns = _column_names(main_table, repeats)
    always = [name for name in ALWAYS_PRESENT if name not in main_table.headers]
    victims_column = spec.columns.get("victims_repeat")
    for row_number, values in main_table.rows:
        record = dict(values)
        attached = parents.get(values.get(KEY) or "", {})
        for repeat, column in columns.items():
            record[column] = _json_text(attached[repeat]) if attached.get(repeat) else None
        for name in always:
            record[name] = None
        if victims_column:
            record.setdefault(victims_column, None)
        yield RawRecord(values=record, source_file=f"{zip_name}!{main}", source_row=row_number, record_id=values[KEY])
    yield from main_table.bad
    for member in repeats:
        yield from tables[member].bad
    for member, row_number, values in orphans:
        yield QuarantinedRow(
            source_file=f"{zip_name}!{member}",
            source_row=row_number,
            reason=f"repeat row's PARENT_KEY {values.get(PARENT_KEY)!r} leads to no readable submission in {main}",
            raw=json.dumps(values, ensure_ascii=False),
        )


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        yield from _parse_archive(spec, name, path)
