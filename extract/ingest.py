"""The two steps of every ingest DAG, callable without Airflow (tests, replays)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from extract.base import (
    LandingWriter,
    ParsedRow,
    QuarantinedRow,
    RawRecord,
    RunContext,
    previous_manifests,
    read_manifest,
)
from extract.connectors import connector_for
from extract.raw import LoadReport, load_batch
from hrdw import privacy, settings, warehouse
from hrdw.sources import SourceSpec

log = logging.getLogger(__name__)


class ShrinkGuardError(RuntimeError):
    """The source suddenly delivered far fewer records than its last good run: refuse to replace good data."""


def check_shrink(spec: SourceSpec, writer: LandingWriter, previous: list[dict]) -> None:
    """Fail loudly when a run returns far fewer records than the last good run of the same scope.

    Catches the real CPJ API trap where a changed filter silently returns zero rows. Tunable per
    source with ``options.shrink_guard_min_ratio`` (default 0.5; 0 disables).
    """
    min_ratio = float(spec.options.get("shrink_guard_min_ratio", 0.5))
    if writer.record_count is None or min_ratio <= 0:
        return
    last = next((m for m in previous if m.get("record_count") is not None), None)
    if last is None:
        return
    same_scope = last.get("scope") == writer.scope
    if (writer.record_count == 0 and last["record_count"] > 0) or (
        same_scope and writer.record_count < min_ratio * last["record_count"]
    ):
        raise ShrinkGuardError(
            f"source {spec.name}: this run returned {writer.record_count} record(s) for scope {writer.scope!r}; "
            f"the last good run ({last['batch_id']}, scope {last.get('scope')!r}) returned {last['record_count']}. "
            "Refusing to replace good data: check the source's filters and URL. If the drop is real, set "
            "options.shrink_guard_min_ratio: 0 in the source YAML for one run."
        )


def land_source(
    spec: SourceSpec,
    interval_start: datetime,
    interval_end: datetime,
    *,
    cursor: str | None = None,
    secrets: dict[str, str] | None = None,
    login: str | None = None,
) -> dict:
    """Fetch or copy the interval's data into ``landing/<source>/<batch_id>/``; returns the manifest.

    The cursor defaults to the ``cursor_after`` of the newest earlier partition, so incremental
    sources continue where the last successful landing stopped.
    """
    privacy.make_private()
    probe = RunContext(spec, interval_start, interval_end)
    previous = previous_manifests(spec, probe.batch_id)
    if cursor is None and previous:
        cursor = previous[0].get("cursor_after")
    ctx = RunContext(spec, interval_start, interval_end, cursor=cursor, secrets=secrets or {}, login=login)
    connector = connector_for(spec.kind)
    with LandingWriter(ctx) as writer:
        connector.land(ctx, writer)
        check_shrink(spec, writer, previous)
    manifest = read_manifest(ctx.partition_dir)
    log.info("source %s: landed %d file(s) in %s", spec.name, len(manifest["files"]), ctx.partition_dir)
    return manifest


class MissingColumnsError(ValueError):
    """A landed file lacks a column its source YAML requires (renamed or dropped upstream)."""


def enforce_required(spec: SourceSpec, parsed: Iterable[ParsedRow]) -> Iterator[ParsedRow]:
    """Fail on a file missing a required column; quarantine a row missing a required value.

    ``required_columns`` names canonical columns; ``columns`` maps each to the source's header or
    to a list of aliases (any one present satisfies it).
    """
    required = {canonical: spec.headers_for(canonical) for canonical in spec.required_columns}
    checked_files: set[tuple[str, str | None]] = set()
    for row in parsed:
        if isinstance(row, RawRecord) and required:
            file_key = (row.source_file, row.values.get("_sheet"))
            if file_key not in checked_files:
                checked_files.add(file_key)
                found = [name for name in row.values if name != "_sheet"]
                missing = [
                    " or ".join(repr(header) for header in headers)
                    for headers in required.values()
                    if not any(header in row.values for header in headers)
                ]
                if missing:
                    sheet = f", sheet {file_key[1]!r}" if file_key[1] else ""
                    expected = [headers[0] if len(headers) == 1 else headers for headers in required.values()]
                    raise MissingColumnsError(
                        f"source {spec.name}, file {row.source_file}{sheet}: missing required column(s) "
                        f"{', '.join(missing)}; expected {expected}, found {found}"
                    )
            empty = [
                f"{canonical} ({headers[0]!r})"
                for canonical, headers in required.items()
                if not any((row.values.get(header) or "").strip() for header in headers)
            ]
            if empty:
                yield QuarantinedRow(
                    source_file=row.source_file,
                    source_row=row.source_row,
                    reason="missing required value(s): " + ", ".join(empty),
                    raw=json.dumps(row.values, ensure_ascii=False),
                )
                continue
        yield row


def partition_path(spec: SourceSpec, batch_id: str) -> Path:
    return settings.landing_dir() / spec.name / batch_id


def load_source(spec: SourceSpec, batch_id: str) -> LoadReport:
    """Parse a landed partition into ``raw.<source>__<entity>`` and ``raw._quarantine`` (replacing that batch)."""
    privacy.make_private()
    partition = partition_path(spec, batch_id)
    if not partition.is_dir():
        raise FileNotFoundError(f"source {spec.name}: no landing partition {partition}; run the land step first")
    connector = connector_for(spec.kind)
    con = warehouse.connect()
    try:
        report = load_batch(con, spec, batch_id, enforce_required(spec, connector.parse(spec, partition)))
    finally:
        con.close()
    (partition / "load_report.json").write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    for reason, count in report.reasons.items():
        log.warning("source %s batch %s: %d row(s) quarantined: %s", spec.name, batch_id, count, reason)
    log.info(
        "source %s batch %s: %d row(s) loaded, %d quarantined", spec.name, batch_id, report.loaded, report.quarantined
    )
    return report
