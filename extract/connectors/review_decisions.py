"""Reviewers' match decisions, as a CSV file (e.g. exported from a shared sheet or the review queue).

Reads: every file matching ``location.path`` with the columns ``left_report_id,
right_report_id, decision, reviewer, reason, decided_at`` and optionally ``scope`` (``event``,
the default, or ``actor``). Report ids are those of ``review_queue`` and
``bridge_event_source_record`` (``<source>:<record id>``); for scope ``actor`` a side may also
name one victim mention (``<report id>#<position>``); decisions are ``must_link`` or
``cannot_link``.
Guarantees: files land byte for byte; every row becomes one raw row (key: the pair, scope,
decision time and reviewer; the same decision repeated is quarantined as a duplicate), and the
staging model feeds ``int_review_decisions``, which the clustering applies before linking.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.base import LandingWriter, ParsedRow, RawRecord, RunContext
from extract.files import land_files
from extract.tabular import read_landed_csv_files
from hrdw.sources import SourceSpec

TAG = "review"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    "delimiter": "CSV delimiter (default ,)",
}
PRODUCES = "review_decisions"


def land(ctx: RunContext, writer: LandingWriter) -> None:
    land_files(ctx, writer)


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for row in read_landed_csv_files(spec, partition, default_delimiter=None):
        if isinstance(row, RawRecord):
            left, right = sorted(
                (row.values.get(column) or "").strip() for column in ("left_report_id", "right_report_id")
            )
            # A pair may be decided again later (history is kept; the latest decision wins).
            scope = (row.values.get("scope") or "event").strip()
            decided = (row.values.get("decided_at") or "").strip()
            reviewer = (row.values.get("reviewer") or "").strip()
            row.record_id = f"{left}|{right}|{scope}|{decided}|{reviewer}"
        yield row
