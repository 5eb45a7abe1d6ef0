"""CPJ datamanager API ``api/datamanager/reports/entries``.

Reads: pages from ``location.url``, a template with ``{page}`` (sent as ``pageNum``),
``{page_size}`` (``options.page_size``, default 20) and optionally ``{year_from}``/``{year_to}``
(the incremental year window, see ``extract.cpj_paging``), until a page returns an empty
``data`` array, as the API has no page count. Objects hold ``organizations, fullName, location
(the city), status, typeOfDeath, charges, startDisplay, mtpage, country, type, motiveConfirmed``.
Options: ``page_size``, ``year_from``, ``look_back_years``, ``user_agent``,
``min_request_interval_seconds``, ``shrink_guard_min_ratio``, ``max_pages``.
Guarantees: every non-empty page lands byte for byte with its redacted URL and row count; every
object becomes one raw row keyed by ``mtpage`` with ``source_row`` its 1-based index in the page.
A page that is not JSON (HTML error page, truncated body) fails the run naming the page; a run
that returns far fewer rows than the last good run of the same years fails (shrink guard), so a
filter that silently matches nothing never replaces good data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.base import LandingWriter, ParsedRow, RunContext
from extract.connectors import cpj_people_list
from extract.cpj_paging import count_years, start_window
from extract.http import FetchError, HttpClient, has_placeholder, landed_page_name, render_url
from hrdw.kinds import HTTP_OPTIONS
from hrdw.sources import SourceSpec

TAG = "cpj"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **HTTP_OPTIONS,
    "year_from": "first year asked for on the first run",
    "look_back_years": "years before the cursor asked for again on later runs (late edits)",
    "page_size": "rows asked for per page (pageSize)",
    "max_pages": "stop with an error after this many pages",
}


def land(ctx: RunContext, writer: LandingWriter) -> None:
    template = ctx.spec.location.url
    if not template or not has_placeholder(template, "page"):
        raise ValueError(f"source {ctx.spec.name}: location.url must contain {{page}}")
    year_from, year_to = start_window(ctx, writer)
    page_size = int(ctx.spec.options.get("page_size", 20))
    max_pages = int(ctx.spec.options.get("max_pages", 10_000))
    client = HttpClient(ctx)
    rows, page = 0, 1
    while True:
        if page > max_pages:
            raise FetchError(f"source {ctx.spec.name}: still not at an empty page after {max_pages} pages")
        url = render_url(template, page=page, page_size=page_size, year_from=year_from, year_to=year_to)
        body, document = client.get(url, expect_json=True)
        if not isinstance(document, dict) or not isinstance(document.get("data"), list):
            raise FetchError(f"source {ctx.spec.name}: page {page} has no `data` array")
        if not document["data"]:
            break
        writer.write(landed_page_name(url, page), body, origin=url, records=len(document["data"]))
        count_years(writer, document["data"])
        rows += len(document["data"])
        page += 1
    writer.record_count = rows
    writer.notes.update({"pages": page - 1, "page_size": page_size})


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    # Same envelope and object handling as people_list: `data` array of flat objects keyed by mtpage.
    yield from cpj_people_list.parse(spec, partition)
