"""CPJ WordPress JSON API ``wp-json/cpj-datamanager/v1/people_list``.

Reads: pages ``{pageCount, rowCount, data: [...]}`` from ``location.url`` with ``{page}``
replaced by 1, 2, ... until ``pageCount`` (or an empty ``data``). Each object has
``fullName, organizations, location (the country), status, typeOfDeath, startDisplay, mtpage,
type, motiveConfirmed, charges``.
Guarantees: every page lands byte for byte (``page-0001.json``...) with its redacted URL in the
manifest; every object becomes one raw row keyed by ``mtpage`` (the person's CPJ page), with
``source_row`` its 1-based index in the page's ``data`` array; an unreadable page fails the run
naming the page rather than landing a partial, silently shorter result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extract.base import LandingWriter, ParsedRow, QuarantinedRow, RawRecord, RunContext, landed_files
from extract.http import FetchError, fetch
from hrdw.sources import SourceSpec

STAGING_MACRO = "hrdw_stage_cpj_people_list"
TAG = "cpj"
MAX_PAGES = 10_000  # a guard against a server that never stops paging


def _page_url(template: str, page: int) -> str:
    return template.replace("{page}", str(page))


def _decode_page(ctx: RunContext, body: bytes, url: str, page: int) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except json.JSONDecodeError as error:
        raise FetchError(f"source {ctx.spec.name}: page {page} is not valid JSON ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise FetchError(f"source {ctx.spec.name}: page {page} has no `data` array")
    return document


def land(ctx: RunContext, writer: LandingWriter) -> None:
    template = ctx.spec.location.url
    if not template or "{page}" not in template:
        raise ValueError(f"source {ctx.spec.name}: location.url must contain {{page}}")
    page, page_count, rows = 1, None, 0
    while page <= MAX_PAGES:
        url = _page_url(template, page)
        body = fetch(ctx, url)
        document = _decode_page(ctx, body, url, page)
        if not document["data"]:
            break
        writer.write(f"page-{page:04d}.json", body, origin=url if "://" in url else str(ctx.spec.resolve(url)))
        rows += len(document["data"])
        page_count = int(document.get("pageCount") or page)
        if page >= page_count:
            break
        page += 1
    writer.notes["pages"] = page if page_count else 0
    writer.notes["rows_reported_by_api"] = rows


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if text.strip() else None


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["data"], start=1):
            if not isinstance(item, dict):
                yield QuarantinedRow(name, index, "array element is not a JSON object", json.dumps(item))
                continue
            values = {key: _as_text(value) for key, value in item.items()}
            yield RawRecord(values=values, source_file=name, source_row=index, record_id=values.get("mtpage"))
