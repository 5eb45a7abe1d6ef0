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
from extract.http import HTTP_OPTIONS, FetchError, HttpClient, has_placeholder, landed_page_name, render_url
from hrdw.sources import SourceSpec

STAGING_MACRO = "hrdw_stage_cpj_people_list"
TAG = "cpj"
# The `options:` keys a source of this kind may set (extract/connectors/__init__.py).
OPTIONS: dict[str, str] = {
    **HTTP_OPTIONS,
    "year_from": "first year asked for on the first run",
    "look_back_years": "years before the cursor asked for again on later runs (late edits)",
}
MAX_PAGES = 10_000  # a guard against a server that never stops paging


def _check_page(ctx: RunContext, document: Any, page: int) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise FetchError(f"source {ctx.spec.name}: page {page} has no `data` array")
    return document["data"]


def land(ctx: RunContext, writer: LandingWriter) -> None:
    template = ctx.spec.location.url
    if not template or not has_placeholder(template, "page"):
        raise ValueError(f"source {ctx.spec.name}: location.url must contain {{page}}")
    year_from, year_to = start_window(ctx, writer)
    client = HttpClient(ctx)
    page, page_count, row_count, rows = 1, 1, None, 0
    while page <= min(page_count, MAX_PAGES):
        url = render_url(template, page=page, year_from=year_from, year_to=year_to)
        body, document = client.get(url, expect_json=True)
        data = _check_page(ctx, document, page)
        page_count = int(document.get("pageCount") or page_count)
        row_count = document.get("rowCount", row_count)
        if not data:
            if page < page_count:
                raise FetchError(
                    f"source {ctx.spec.name}: page {page} of {page_count} came back empty; "
                    "refusing to land a silently shortened result"
                )
            break
        writer.write(landed_page_name(url, page), body, origin=url, records=len(data))
        count_years(writer, data)
        rows += len(data)
        page += 1
    if row_count is not None and rows < int(row_count):
        raise FetchError(f"source {ctx.spec.name}: the API announced {row_count} rows but {rows} arrived")
    writer.record_count = rows
    writer.notes.update({"pages": page - 1, "rows_announced": row_count})


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["data"], start=1):
            if not isinstance(item, dict):
                yield QuarantinedRow(name, index, "array element is not a JSON object", json.dumps(item))
                continue
            values = {key: json_value_text(value) for key, value in item.items()}
            yield RawRecord(values=values, source_file=name, source_row=index, record_id=values.get("mtpage"))
