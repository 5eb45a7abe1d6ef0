"""ODK Central OData feed of a form's submissions (``<server>/v1/projects/<p>/forms/<formId>.svc/Submissions``).

Reads: ``location.url`` is the form's OData ``Submissions`` URL (any query it already carries, e.g.
``$wkt=true``, is kept; a ``$filter`` in it is combined with ours by ``and``). Each request asks
for ``$top=<options.page_size>`` (default 500) and ``$count=true``; Central answers
``{"value": [...], "@odata.context": ..., "@odata.nextLink": ..., "@odata.count": N}`` and the
connector follows ``@odata.nextLink`` (Central's ``$skiptoken`` cursor) until it is absent. The
link is followed on the configured scheme and host: Central builds it from its own ``DOMAIN``
setting, and the Basic-auth credentials (``ctx.login`` / ``ctx.password`` from the Airflow
connection) must never go to another host. Each row has ``__id`` (the submission's instanceID as
first submitted), ``__system`` {submissionDate, updatedAt, submitterId, submitterName,
attachmentsPresent, attachmentsExpected, status, reviewState, deviceId, edits, formVersion,
deletedAt}, groups as nested objects and repeats as ``<repeat>@odata.navigationLink`` text.
Repeats: when the YAML maps ``columns.victims_repeat`` (the repeat's path, ``victims`` or
``incident/victims`` inside a group), every request also asks for ``$expand=*`` (ODK Central
1.2+), and Central then writes each repeat inline as well, a JSON array under the repeat's name
whose elements carry the repeat's fields (groups nested as objects), their own ``__id`` (a hash)
and any inner repeat the same way; a submission without repeat rows has no such key. Central
keeps ``$expand`` in ``@odata.nextLink``; a next link without it gets it back. Central refuses
``$select`` together with ``$expand`` (a YAML error, see ``spec_problems``), and only the
submissions are paged, so a page holds every repeat row of its submissions. The first incremental
run after the mapping appears (the previous landing did not expand) fetches everything once,
so submissions landed before it get their repeat rows too.
Incremental runs (``ctx.cursor`` set) send ``$filter=__system/submissionDate gt T or
__system/updatedAt gt T or __system/deletedAt gt T`` with ``T = cursor - options.look_back_hours``
(default 24). ``submissionDate`` is needed because Central leaves ``updatedAt`` null until a
submission is edited or reviewed; naming ``__system/deletedAt`` in the filter is what makes
Central return soft-deleted submissions too (it excludes them only from filters that do not
mention ``deletedAt``), so a deletion arrives as a row with ``__system/deletedAt`` set. Options:
``page_size``, ``look_back_hours``, ``include_deleted`` (default true), and the HTTP client's
``timeout_seconds``, ``retry_attempts``, ``retry_backoff_seconds``,
``min_request_interval_seconds``, ``user_agent``.
Guarantees: every page lands byte for byte (``page-0001.json``...) with its redacted URL and row
count; a page that is not JSON, an empty page that still links to a next one, a next link that
loops, or fewer rows than ``@odata.count`` announced fail the run naming the source, and the
previous landing stays. ``cursor_after`` is the latest submissionDate/updatedAt/deletedAt seen
(never earlier than the previous cursor). Full runs set ``record_count`` (scope ``full``); a delta
run's count goes to the manifest as ``delta_records`` and ``record_count`` stays empty, because a
quiet day with no new submissions is not a shrunken source. Parsing gives one raw row per
submission keyed by ``__id``: groups flattened to ``/`` paths (``incident/date``), every
``__system/*`` column present on every row (empty when Central did not send it), geometry and
lists as compact JSON text, numbers and booleans as their JSON text; a row without ``__id`` is
quarantined with the reason. An inline repeat is one column named by its path (``victims``,
``incident/victims``) holding the JSON array, each element's groups flattened to ``/`` keys the
same way (values kept as JSON); the mapped ``victims_repeat`` column is on every row, empty when
the submission has no repeat row. Staging (``hrdw_stage_odk_odata``) makes one report per
element, ``<submission __id>/<repeat>[n]``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from extract.base import (
    LandingWriter,
    ParsedRow,
    QuarantinedRow,
    RawRecord,
    RunContext,
    json_value_text,
    landed_files,
    previous_manifests,
)
from extract.http import FetchError, HttpClient, Page, Paging
from hrdw.kinds import HTTP_OPTIONS, MULTI_VALUE_SEPARATOR
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **MULTI_VALUE_SEPARATOR,
    **HTTP_OPTIONS,
    "page_size": "submissions asked for per page ($top)",
    "look_back_hours": "hours before the cursor asked for again",
    "include_deleted": "ask for deleted submissions too, so deletions reach the warehouse",
    "unpublished_review_states": "comma-separated review states never published (default rejected)",
}
DEFAULT_PAGE_SIZE = 500
DEFAULT_LOOK_BACK_HOURS = 24
SYSTEM_FIELDS = (
    "submissionDate",
    "updatedAt",
    "submitterId",
    "submitterName",
    "attachmentsPresent",
    "attachmentsExpected",
    "status",
    "reviewState",
    "deviceId",
    "edits",
    "formVersion",
    "deletedAt",
)
CURSOR_FIELDS = ("submissionDate", "updatedAt", "deletedAt")
GEOJSON_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}
PAGING_PARAMS = {"$top", "$skip", "$skiptoken", "$count"}
EXPAND = ("$expand", "*")  # every repeat inline (Central supports no other $expand value)

log = logging.getLogger(__name__)


def victims_repeat(spec: SourceSpec) -> str | None:
    """The repeat the YAML maps as victims (``columns.victims_repeat``), if any."""
    repeat = spec.columns.get("victims_repeat")
    return repeat if isinstance(repeat, str) and repeat.strip() else None


def spec_problems(spec: SourceSpec) -> list[str]:
    """What this kind cannot read in a source YAML (checked before landing and loading, and by
    ``make check-source``): a victims repeat is one path, and it needs ``$expand=*``, which Central
    refuses next to ``$select``."""
    problems = []
    mapped = spec.columns.get("victims_repeat")
    if mapped is not None and victims_repeat(spec) is None:
        problems.append(
            f"field `columns.victims_repeat`: names one repeat group by its path (victims, incident/victims), "
            f"not a list or a blank (found {mapped!r})"
        )
    query = parse_qsl(urlsplit(spec.location.url or "").query, keep_blank_values=True)
    if mapped is not None and any(key == "$select" for key, _ in query):
        problems.append(
            "field `location.url`: carries $select, but reading columns.victims_repeat needs $expand=*, "
            "which ODK Central refuses together with $select; remove $select from the URL"
        )
    return problems


def _timestamp(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _odata_time(moment: datetime) -> str:
    """The literal Central's own frontend sends in ``$filter``: ISO 8601, milliseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def delta_filter(since: str, include_deleted: bool = True) -> str:
    clauses = [f"__system/submissionDate gt {since}", f"__system/updatedAt gt {since}"]
    if include_deleted:
        clauses.append(f"__system/deletedAt gt {since}")
    return " or ".join(clauses)


def first_url(ctx: RunContext, since: str | None) -> str:
    """The Submissions URL with paging, count and (for a delta run) the time filter."""
    url = ctx.spec.location.url
    if not url or ".svc/" not in url:
        raise ValueError(f"source {ctx.spec.name}: location.url must be a form's OData URL ending in .svc/Submissions")
    options = ctx.spec.options
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in PAGING_PARAMS]
    given_filter = next((value for key, value in query if key == "$filter"), None)
    query = [(key, value) for key, value in query if key not in {"$filter", EXPAND[0]}]
    query += [("$top", str(int(options.get("page_size", DEFAULT_PAGE_SIZE)))), ("$count", "true")]
    if victims_repeat(ctx.spec):
        query.append(EXPAND)
    wanted = delta_filter(since, bool(options.get("include_deleted", True))) if since else None
    if given_filter and wanted:
        query.append(("$filter", f"({given_filter}) and ({wanted})"))
    elif given_filter or wanted:
        query.append(("$filter", given_filter or wanted))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote, safe="$/:,'()*")))


def same_origin(link: str, configured: str) -> str:
    """``link`` on the configured scheme and host (Central writes its own DOMAIN into nextLink)."""
    target, home = urlsplit(link), urlsplit(configured)
    return urlunsplit((home.scheme, home.netloc, target.path, target.query, ""))


def with_expand(link: str) -> str:
    """``link`` asking for ``$expand=*`` (Central keeps it in nextLink; a link without it gets it back)."""
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if EXPAND in query:
        return link
    query = [(key, value) for key, value in query if key != EXPAND[0]] + [EXPAND]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote, safe="$/:,'()*")))


def _since(ctx: RunContext, writer: LandingWriter) -> str | None:
    if not ctx.cursor:
        return None
    if victims_repeat(ctx.spec):
        previous = previous_manifests(ctx.spec, ctx.batch_id)
        if not previous or previous[0].get("expand") != EXPAND[1]:
            writer.notes["cursor_ignored"] = (
                f"the previous landing did not expand repeats; fetched everything once so that every "
                f"submission's {victims_repeat(ctx.spec)} rows arrive"
            )
            log.info("source %s: first run expanding repeats; fetching every submission", ctx.spec.name)
            return None
    cursor = _timestamp(ctx.cursor)
    if cursor is None:
        writer.notes["cursor_ignored"] = f"previous cursor {ctx.cursor!r} is not a timestamp; fetched everything"
        log.warning("source %s: cursor %r is not a timestamp; fetching every submission", ctx.spec.name, ctx.cursor)
        return None
    hours = float(ctx.spec.options.get("look_back_hours", DEFAULT_LOOK_BACK_HOURS))
    return _odata_time(cursor - timedelta(hours=hours))


def _rows_of(ctx: RunContext, document: Any, page: int) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise FetchError(f"source {ctx.spec.name}: page {page} is not an OData collection (no `value` array)")
    return document["value"]


def _latest_change(rows: list, current: datetime | None) -> datetime | None:
    latest = current
    for row in rows:
        system = row.get("__system") if isinstance(row, dict) else None
        for field in CURSOR_FIELDS:
            moment = _timestamp(system.get(field)) if isinstance(system, dict) else None
            if moment is not None and (latest is None or moment > latest):
                latest = moment
    return latest


def land(ctx: RunContext, writer: LandingWriter) -> None:
    expand = victims_repeat(ctx.spec) is not None
    since = _since(ctx, writer)
    auth = (ctx.login or "", ctx.password or "") if (ctx.login or ctx.password) else None

    def next_url(page: Page) -> str | None:
        next_link = page.document.get("@odata.nextLink")
        if not next_link:
            return None
        url = same_origin(str(next_link), ctx.spec.location.url or "")
        return with_expand(url) if expand else url

    def total_of(document: Any) -> int | None:
        return document["@odata.count"] if isinstance(document.get("@odata.count"), int) else None

    paging = Paging(
        ctx,
        HttpClient(ctx, auth=auth),
        first_url(ctx, since),
        records_of=lambda document, number: _rows_of(ctx, document, number),
        next_url=next_url,
        total_of=total_of,
        unit="submissions (@odata.count)",
    )
    latest = _timestamp(ctx.cursor)
    for page in paging:
        page.land(writer)
        latest = _latest_change(page.records, latest)
    writer.scope = f"since {since}" if since else "full"
    if since:
        writer.record_count = None
        writer.notes["delta_records"] = paging.received
    else:
        writer.record_count = paging.received
    writer.cursor_after = _odata_time(latest) if latest else ctx.cursor
    writer.notes.update({"pages": paging.pages, "rows_announced": paging.announced, "filter_since": since})
    if expand:
        writer.notes["expand"] = EXPAND[1]


def _is_geometry(value: dict) -> bool:
    return value.get("type") in GEOJSON_TYPES and "coordinates" in value


def as_text(value: Any) -> str | None:
    return json_value_text(value, compact=True)


def _is_repeat(value: Any) -> bool:
    """An inline repeat (``$expand=*``): a list of row objects."""
    return isinstance(value, list) and bool(value) and all(isinstance(row, dict) for row in value)


def _flat_row(item: dict, prefix: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
    """One repeat row: groups flattened to ``group/field`` keys, values kept as JSON."""
    out = {} if out is None else out
    for key, value in item.items():
        path = prefix + key
        if isinstance(value, dict) and not _is_geometry(value):
            _flat_row(value, path + "/", out)
        else:
            out[path] = [_flat_row(row) for row in value] if _is_repeat(value) else value
    return out


def flatten(item: dict, prefix: str = "", out: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """Groups become ``group/field`` columns; geometry, lists and repeat links stay whole; an
    inline repeat stays one JSON array, its rows' groups flattened the same way."""
    out = {} if out is None else out
    for key, value in item.items():
        path = prefix + key
        if isinstance(value, dict) and not _is_geometry(value):
            flatten(value, path + "/", out)
        elif _is_repeat(value):
            out[path] = as_text([_flat_row(row) for row in value])
        else:
            out[path] = as_text(value)
    return out


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    repeat = victims_repeat(spec)
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["value"], start=1):
            raw = json.dumps(item, ensure_ascii=False)
            if not isinstance(item, dict):
                yield QuarantinedRow(name, index, "OData row is not a JSON object", raw)
                continue
            if not as_text(item.get("__id")):
                yield QuarantinedRow(name, index, "OData row has no __id (submission instanceID)", raw)
                continue
            values = flatten(item)
            for field in SYSTEM_FIELDS:
                values.setdefault(f"__system/{field}", None)
            if repeat:
                values.setdefault(repeat, None)  # Central leaves out a repeat without rows
            yield RawRecord(values=values, source_file=name, source_row=index, record_id=values["__id"])
