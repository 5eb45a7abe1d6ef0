"""KoboToolbox API v2 submissions: ``GET <server>/api/v2/assets/<uid>/data.json``.

Reads: ``location.url``, the full ``data.json`` URL of one form (asset). Pages
``{count, next, previous, results: [...]}`` of ``options.page_size`` submissions (default 1000,
sent as ``limit``; Kobo's maximum) are followed through ``next`` until it is null. ``next`` is
absolute and built by the server: it is re-based onto the configured scheme and host (a proxy
may announce ``http://`` or an internal host name; the token is never sent anywhere else) and
our own parameters (``limit``, ``query``) are put back if the server dropped them, keeping its
``start``. The API token is the password of the source's Airflow connection, sent as header
``Authorization: Token <token>``; without one, the request is anonymous (public forms).
Incremental: when a previous run left a cursor (the newest ``_submission_time`` seen), the run
asks only ``query={"_submission_time": {"$gte": <cursor - options.look_back_hours (24)>}}``
(combined with any ``query`` already in the URL). ``_submission_time`` never moves when a
submission is edited or validated, so every ``options.full_refresh_days`` (default 7; 0 =
never) a run fetches everything again to pick up edits and validation changes.
Other options: ``timeout_seconds``, ``retry_attempts``, ``min_request_interval_seconds``,
``user_agent``, ``shrink_guard_min_ratio``.
Guarantees: every page lands byte for byte (``page-0001.json``...) with its redacted URL and
row count; a page that is not JSON or has no ``results`` array, an empty page while ``next``
is not null, a ``next`` loop, or fewer rows than the largest ``count`` announced fail the run
naming the page, and the previous landing stays in place. The manifest records the scope
(``full`` or ``since <timestamp>``) and ``cursor_after`` (the newest ``_submission_time`` seen,
never older than the cursor before). Each submission becomes one raw row: field names exactly
as Kobo sends them (group paths such as ``incident/date``), values as text, nested values
(``_geolocation``, ``_attachments``, ``_validation_status``, ``_notes``, ``_tags``, repeat
groups) as JSON text. Kobo omits unanswered questions from a submission, so the columns of
``required_columns`` are added as None where absent: such a submission is quarantined for the
missing value instead of failing the file (staging reads other absent columns as null and dbt
warns about mapped columns no submission has). ``source_row`` is
the 1-based index in the page's ``results``; the key is ``meta/rootUuid`` (stable across
edits; equal to ``_uuid`` for unedited submissions), else ``_uuid``, ``meta/instanceID``, ``_id``.
A repeat group stays on its submission's row as the JSON text of Kobo's list of objects (keys
carrying the full path: ``"victim": [{"victim/name": ...}, ...]``); a form whose versions mix a
plain group (``victim/name``) and a repeat lands both shapes in one raw table. Staging
(``hrdw_kobo_common.sql``, YAML ``columns.victims_repeat``) makes one report per repeat row,
keyed ``<submission key>/<repeat path>[<n>]``, applies the ``*_other`` fallbacks and
``value_maps``, and flags a submission without victims or whose ``victim_count`` does not match.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from extract.base import (
    LandingWriter,
    ParsedRow,
    QuarantinedRow,
    RawRecord,
    RunContext,
    landed_files,
    previous_manifests,
)
from extract.connectors._kobo import as_text, record_key
from extract.http import FetchError, HttpClient, Page, Paging
from hrdw.kinds import HTTP_OPTIONS
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **HTTP_OPTIONS,
    "page_size": "submissions asked for per page (limit)",
    "look_back_hours": "hours before the cursor asked for again (late edits and validations)",
    "full_refresh_days": "days between full re-reads of the form (deletions)",
    "select_multiple_separator": "separator of select-multiple answers (default space)",
    "perpetrator_select_multiple": "the perpetrator question is select-multiple",
    "publish_only_approved": "only submissions validated as approved are publishable",
}
KOBO_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"  # how Kobo writes _submission_time (UTC, no offset)


def parse_submission_time(text: Any) -> datetime | None:
    """A ``_submission_time`` (or a cursor) as a naive UTC datetime; None if unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote), ""))


def _combined_query(ctx: RunContext, url: str, since: str) -> str:
    """The ``query`` parameter: the URL's own filter (if any) and ours, as compact JSON."""
    ours = {"_submission_time": {"$gte": since}}
    existing = dict(parse_qsl(urlsplit(url).query)).get("query")
    if existing:
        try:
            theirs = json.loads(existing)
        except json.JSONDecodeError as error:
            raise ValueError(f"source {ctx.spec.name}: the `query` in location.url is not JSON: {error}") from error
        if isinstance(theirs, dict) and "_submission_time" not in theirs:
            ours = {**theirs, **ours}
        else:
            ours = {"$and": [theirs, ours]}
    return json.dumps(ours, separators=(",", ":"))


def _full_refresh_due(ctx: RunContext) -> bool:
    """True when earlier landings exist but none is a full run within ``options.full_refresh_days``.

    A cursor given without any earlier landing (a replay, a test) is honoured as it is.
    """
    days = float(ctx.spec.options.get("full_refresh_days", 7))
    previous = previous_manifests(ctx.spec, ctx.batch_id)
    if days <= 0 or not previous:
        return False
    for manifest in previous:
        if manifest.get("scope") == "full":
            last_full = datetime.fromisoformat(manifest["interval_end"])
            return ctx.interval_end - last_full >= timedelta(days=days)
    return True


def _plan(ctx: RunContext, writer: LandingWriter) -> tuple[str, dict[str, str]]:
    """The first URL and the parameters we own (kept on every page)."""
    url = ctx.spec.location.url
    if not url:
        raise ValueError(f"source {ctx.spec.name}: location.url (the form's data.json URL) is required")
    own = {"limit": str(int(ctx.spec.options.get("page_size", 1000)))}
    cursor = parse_submission_time(ctx.cursor)
    if ctx.cursor and cursor is None:
        raise ValueError(f"source {ctx.spec.name}: cursor {ctx.cursor!r} is not a _submission_time")
    if cursor is not None and not _full_refresh_due(ctx):
        since = (cursor - timedelta(hours=float(ctx.spec.options.get("look_back_hours", 24)))).strftime(
            KOBO_TIME_FORMAT
        )
        own["query"] = _combined_query(ctx, url, since)
        writer.scope = f"since {since}"
    else:
        writer.scope = "full"
        if cursor is not None:
            days = ctx.spec.options.get("full_refresh_days", 7)
            writer.notes["full_refresh"] = f"no full run in the last {days} day(s): fetching every submission"
    return _with_params(url, own), own


def _next_url(ctx: RunContext, announced: Any, current: str, own: dict[str, str], page: int) -> str | None:
    if announced is None:
        return None
    if not isinstance(announced, str) or not announced.strip():
        raise FetchError(f"source {ctx.spec.name}: page {page} has a `next` that is not a URL: {announced!r}")
    target = urlsplit(urljoin(current, announced))
    base = urlsplit(current)
    query = dict(parse_qsl(target.query, keep_blank_values=True))
    query.update(own)
    return urlunsplit((base.scheme, base.netloc, target.path, urlencode(query, quote_via=quote), ""))


def _results(ctx: RunContext, document: Any, page: int) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise FetchError(f"source {ctx.spec.name}: page {page} is not a Kobo data page (no `results` array)")
    return document["results"]


def land(ctx: RunContext, writer: LandingWriter) -> None:
    url, own = _plan(ctx, writer)
    headers = {"Authorization": f"Token {ctx.password}"} if ctx.password else None

    def next_url(page: Page) -> str | None:
        following = _next_url(ctx, page.document.get("next"), page.url, own, page.number)
        if following and "://" not in page.url:
            why = f"recorded response {page.url} announces a next page; record one file"
            raise FetchError(f"source {ctx.spec.name}: {why}")
        return following

    def total_of(document: Any) -> int | None:
        return document["count"] if isinstance(document.get("count"), int) else None

    paging = Paging(
        ctx,
        HttpClient(ctx),
        url,
        records_of=lambda document, number: _results(ctx, document, number),
        next_url=next_url,
        total_of=total_of,
        headers=headers,
        unit="submissions",
    )
    newest = parse_submission_time(ctx.cursor)
    for page in paging:
        page.land(writer)
        for item in page.records:
            seen = parse_submission_time(item.get("_submission_time")) if isinstance(item, dict) else None
            if seen is not None and (newest is None or seen > newest):
                newest = seen
    writer.record_count = paging.received
    writer.cursor_after = newest.strftime(KOBO_TIME_FORMAT) if newest else ctx.cursor
    writer.notes.update({"pages": paging.pages, "rows_announced": paging.announced})


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    required = [spec.columns.get(canonical, canonical) for canonical in spec.required_columns]
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["results"], start=1):
            if not isinstance(item, dict):
                yield QuarantinedRow(name, index, "submission is not a JSON object", json.dumps(item))
                continue
            values = {key: as_text(value) for key, value in item.items()}
            for column in required:
                values.setdefault(column, None)  # Kobo omits unanswered questions: quarantine, not a missing column
            yield RawRecord(values=values, source_file=name, source_row=index, record_id=record_key(values))
