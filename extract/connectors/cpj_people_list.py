"""CPJ WordPress JSON API ``wp-json/cpj-datamanager/v1/people_list``.

Reads: pages ``{pageCount, rowCount, data: [...]}`` from ``location.url``, a template with
``{page}`` and optionally ``{year_from}``/``{year_to}`` (the incremental year window, see
``extract.cpj_paging``), until ``pageCount``. Objects hold ``fullName, organizations, location
(the country), status, typeOfDeath, startDisplay, mtpage, type, motiveConfirmed, charges``.
Options: ``year_from``, ``look_back_years``, ``user_agent``, ``min_request_interval_seconds``,
``shrink_guard_min_ratio``.
Guarantees: every page lands byte for byte (``page-0001.json``...) with its redacted URL and row
count in the manifest; every object becomes one raw row keyed by ``mtpage`` (the person's CPJ
page) with ``source_row`` its 1-based index in the page's ``data`` array. A page that is not
JSON, an empty page before ``pageCount``, or fewer rows than ``rowCount`` fail the run naming the
page, and the previous landing stays in place. So does a run with far fewer records than the last
good run for the years both runs' windows cover (the shrink guard; records per year of
``startDisplay`` are in the manifest's ``scope_counts``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extract.base import LandingWriter, ParsedRow, QuarantinedRow, RawRecord, RunContext, json_value_text, landed_files
from extract.cpj_paging import count_years, start_window
from extract.http import (
    FetchError,
    HttpClient,
    Page,
    Paging,
    has_placeholder,
    render_url,
)
from hrdw.kinds import HTTP_OPTIONS
from hrdw.sources import SourceSpec

TAG = "cpj"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **HTTP_OPTIONS,
    "year_from": "first year asked for on the first run",
    "look_back_years": "years before the cursor asked for again on later runs (late edits)",
}


def _check_page(ctx: RunContext, document: Any, page: int) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise FetchError(f"source {ctx.spec.name}: page {page} has no `data` array")
    return document["data"]


def land(ctx: RunContext, writer: LandingWriter) -> None:
    template = ctx.spec.location.url
    if not template or not has_placeholder(template, "page"):
        raise ValueError(f"source {ctx.spec.name}: location.url must contain {{page}}")
    year_from, year_to = start_window(ctx, writer)

    def url_of(number: int) -> str:
        return render_url(template, page=number, year_from=year_from, year_to=year_to)

    def next_url(page: Page) -> str | None:
        return url_of(page.number + 1) if page.number < int(page.document.get("pageCount") or 1) else None

    def total_of(document: Any) -> int | None:
        count = document.get("rowCount")
        return int(count) if isinstance(count, int) or (isinstance(count, str) and count.isdigit()) else None

    paging = Paging(
        ctx,
        HttpClient(ctx),
        url_of(1),
        records_of=lambda document, number: _check_page(ctx, document, number),
        next_url=next_url,
        total_of=total_of,
        unit="rows",
    )
    for page in paging:
        if page.records:  # an empty last page has nothing to land
            page.land(writer)
            count_years(writer, page.records)
    writer.record_count = paging.received
    writer.notes.update({"pages": paging.pages, "rows_announced": paging.announced})


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["data"], start=1):
            if not isinstance(item, dict):
                yield QuarantinedRow(name, index, "array element is not a JSON object", json.dumps(item))
                continue
            values = {key: json_value_text(value) for key, value in item.items()}
            yield RawRecord(values=values, source_file=name, source_row=index, record_id=values.get("mtpage"))
