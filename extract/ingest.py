"""The two steps of every ingest DAG, callable without Airflow (tests, replays)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from extract.base import (
    LOAD_REPORT_NAME,
    LandingWriter,
    ParsedRow,
    QuarantinedRow,
    RawRecord,
    RunContext,
    previous_manifests,
    read_manifest,
)
from extract.connectors import checked
from extract.raw import LoadReport, load_batch
from hrdw import privacy, settings, warehouse
from hrdw.sources import SourceSpec

log = logging.getLogger(__name__)


class ShrinkGuardError(RuntimeError):
    """The source suddenly delivered far fewer records than its last good run: refuse to replace good data."""


OVERRIDE_HINT = "If the drop is real, set options.shrink_guard_min_ratio: 0 in the source YAML for one run."


def shrink_guard_min_ratio(spec: SourceSpec) -> float:
    return float(spec.options.get("shrink_guard_min_ratio", 0.5))


def _describe_parts(parts: list[str]) -> str:
    """``2024-2026`` for consecutive years, else the parts listed."""
    if len(parts) > 1 and all(part.isdigit() for part in parts):
        numbers = [int(part) for part in parts]
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{parts[0]}-{parts[-1]}"
    return ", ".join(parts)


def check_shrink(spec: SourceSpec, writer: LandingWriter, previous: list[dict]) -> None:
    """Fail loudly when a run returns far fewer records than the last good run, compared like with like.

    Runs of the same scope compare their totals. Runs of different scopes (e.g. CPJ's year windows
    move with the cursor) compare the records of the parts both scopes cover, when both counted
    them per part (``scope_counts``: e.g. per year); a run that returns nothing at all always fails.
    Catches the real CPJ API trap where a changed filter silently returns zero or few rows. Tunable
    per source with ``options.shrink_guard_min_ratio`` (default 0.5; 0 disables).
    """
    min_ratio = shrink_guard_min_ratio(spec)
    if writer.record_count is None or min_ratio <= 0:
        return
    last = next((m for m in previous if m.get("record_count") is not None), None)
    if last is None:
        return
    refusal = "Refusing to replace good data: check the source's filters and URL. " + OVERRIDE_HINT
    count, last_count, same_scope = writer.record_count, last["record_count"], last.get("scope") == writer.scope
    if (count == 0 < last_count) or (same_scope and count < min_ratio * last_count):
        raise ShrinkGuardError(
            f"source {spec.name}: this run returned {count} record(s) for scope {writer.scope!r}; "
            f"the last good run ({last['batch_id']}, scope {last.get('scope')!r}) returned {last_count}. {refusal}"
        )
    if same_scope:
        return
    before_parts, now_parts = last.get("scope_counts") or {}, writer.scope_counts or {}
    shared = sorted(set(before_parts) & set(now_parts))
    if not shared:
        return
    now, before = sum(now_parts[part] for part in shared), sum(before_parts[part] for part in shared)
    if now < min_ratio * before:
        raise ShrinkGuardError(
            f"source {spec.name}: this run returned {now} record(s) for {_describe_parts(shared)}, the part of its "
            f"scope {writer.scope!r} that the last good run ({last['batch_id']}, scope {last.get('scope')!r}) "
            f"also covered, where that run returned {before} ({count} and {last_count} in all). {refusal}"
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
    connector = checked(spec)
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


def records_per_file(names: list[str], rows: list[ParsedRow]) -> dict[str, int]:
    """Rows read (loaded or quarantined) per landed file, zero for a file that gave none.

    A row's file is its ``source_file``, or the landed file it names before ``!`` (a zip member).
    """
    counts = dict.fromkeys(names, 0)
    for row in rows:
        name = row.source_file if row.source_file in counts else row.source_file.split("!", 1)[0]
        counts[name] = counts.get(name, 0) + 1
    return counts


def last_good_load(spec: SourceSpec, batch_id: str) -> tuple[str, dict] | None:
    """(batch id, load report) of the newest earlier batch of a full delivery that loaded."""
    for manifest in previous_manifests(spec, batch_id):
        report_path = partition_path(spec, manifest["batch_id"]) / LOAD_REPORT_NAME
        if manifest.get("scope", "full") == "full" and report_path.is_file():
            return manifest["batch_id"], json.loads(report_path.read_text(encoding="utf-8"))
    return None


def check_load_shrink(spec: SourceSpec, manifest: dict, per_file: dict[str, int]) -> None:
    """The shrink guard for sources whose landing does not count records (files: CSV, spreadsheets...).

    Compares the rows parsed from this batch with the last batch that loaded: in all, and file by
    file for the files both delivered, so a header-only file where the last batch had rows fails
    (naming the file) before anything is written; landing keeps the batch and raw its earlier ones.
    Sources counted at landing (``record_count``) were checked there; a delta (scope other than
    ``full``) says nothing about the source's size. ``options.shrink_guard_min_ratio`` as for the
    landing guard (default 0.5; 0 disables).
    """
    min_ratio = shrink_guard_min_ratio(spec)
    if min_ratio <= 0 or manifest.get("record_count") is not None or manifest.get("scope", "full") != "full":
        return
    last = last_good_load(spec, manifest["batch_id"])
    if last is None:
        return
    last_batch, last_report = last
    total, last_total = sum(per_file.values()), last_report["loaded"] + last_report["quarantined"]
    shrunk = []
    if total < min_ratio * last_total:
        shrunk.append(f"{total} record(s) in all where batch {last_batch} had {last_total}")
    for name, count in per_file.items():
        before = (last_report.get("records_per_file") or {}).get(name)
        if before and count < min_ratio * before:
            header_only = " (no data rows)" if count == 0 else ""
            shrunk.append(f"file {name}: {count} record(s){header_only} where batch {last_batch} had {before}")
    if shrunk:
        raise ShrinkGuardError(
            f"source {spec.name}, batch {manifest['batch_id']}: far fewer records than the last good load: "
            + "; ".join(shrunk)
            + ". Nothing was loaded: raw keeps the earlier batches, landing keeps this one. Check the delivered "
            "file(s). "
            + OVERRIDE_HINT
            + f" Then load the batch again: python -m orchestration.replay {spec.name} {manifest['batch_id']}"
        )


def load_source(spec: SourceSpec, batch_id: str) -> LoadReport:
    """Parse a landed partition into ``raw.<source>__<entity>`` and ``raw._quarantine`` (replacing that batch).

    The rows are parsed and checked by the load-time shrink guard before the warehouse is opened;
    ``load_report.json`` records the counts, per landed file too.
    """
    privacy.make_private()
    partition = partition_path(spec, batch_id)
    if not partition.is_dir():
        raise FileNotFoundError(f"source {spec.name}: no landing partition {partition}; run the land step first")
    connector = checked(spec)
    manifest = read_manifest(partition)
    rows = list(enforce_required(spec, connector.parse(spec, partition)))
    per_file = records_per_file([entry["name"] for entry in manifest["files"]], rows)
    check_load_shrink(spec, manifest, per_file)
    con = warehouse.connect()
    try:
        report = load_batch(con, spec, batch_id, rows)
    finally:
        con.close()
    written = {**asdict(report), "records_per_file": per_file}
    (partition / LOAD_REPORT_NAME).write_text(json.dumps(written, indent=2, ensure_ascii=False))
    for reason, count in report.reasons.items():
        log.warning("source %s batch %s: %d row(s) quarantined: %s", spec.name, batch_id, count, reason)
    log.info(
        "source %s batch %s: %d row(s) loaded, %d quarantined", spec.name, batch_id, report.loaded, report.quarantined
    )
    return report
