"""HURIDOCS Uwazi search API ``GET /api/v2/search`` (JSON, the ``search.v2`` routes).

Reads: ``location.url`` is the instance's search endpoint, e.g.
``https://uwazi.example.org/api/v2/search`` (older releases served the same handler as
``/api/v2/entities``; point the URL there for them). The connector adds the query itself:
``page[limit]`` (``options.page_size``, default 100), ``page[offset]`` (advanced by the entities
received), ``filter[template]`` (``options.template``, a template id), ``fields[]`` (``options.fields``,
default ``sharedId, title, template, language, published, creationDate, editDate, metadata``: without
``fields[]`` Uwazi returns only title, template and sharedId) and ``sort`` (``options.sort``, unset by
default). The language is not a query parameter: Uwazi's language middleware reads the
``Content-Language`` header (then the ``locale`` cookie, then ``Accept-Language``) and filters the search
to that one language, so ``options.language`` (a code, or several: ``"en,ru"`` or a list) is sent as
``Content-Language``, one paging pass per language. Responses are ``{data: [entity...], links: {self,
first, prev?, next?, last}}``; the links carry no filters, so the connector builds every page URL itself
and uses the links only to know where the result ends: with pagination links it stops when ``next`` is
absent and checks that at least ``last``'s offset + limit entities (the announced total) arrived; without
them (old releases) it stops at a page shorter than the limit. Entities hold ``_id, sharedId, title,
template, language, published, creationDate, editDate`` (milliseconds) and ``metadata: {property name:
[{value, label?, parent?: {value, label}, inheritedValue?}]}``.
The v2 search has no filter on ``editDate`` (filters are ``searchString``, ``sharedId``, ``published``,
``template`` and ``metadata.<property>`` only), so every run reads the whole collection: the scope is
``"full"`` (with the template and languages when set) and the shrink guard compares full reads with each
other; ``cursor_after`` records the newest ``editDate`` seen, for the record only.
Authentication (``options.auth``): ``login`` (default when the Airflow connection has a login) POSTs
``{username, password}`` to ``/api/login`` with ``X-Requested-With: XMLHttpRequest`` (Uwazi's CSRF
check) and sends the ``connect.sid`` session cookie it returns, which is how Uwazi authenticates API
clients; ``cookie`` sends the connection's password as that session cookie (``options.cookie_name``);
``bearer`` (default when only a password is set) sends it as ``Authorization: Bearer <password>``
(``options.auth_header``, ``options.auth_scheme``): Uwazi itself documents no API keys, so this is for
an instance behind a gateway that checks tokens; ``none`` sends nothing (public instance).
Other options: ``max_pages``, ``login_url``, and the HTTP client's ``timeout_seconds``,
``retry_attempts``, ``retry_backoff_seconds``, ``min_request_interval_seconds``, ``user_agent``,
``shrink_guard_min_ratio``.
Guarantees: every page lands byte for byte (``page-0001.json``..., ``<language>-page-0001.json`` with
several languages) with its redacted URL and entity count. An HTML page or truncated JSON with status
200, a page without a ``data`` array, an empty page that still announces a ``next`` page, a page that
only repeats entities already received (a server ignoring ``page[offset]``) and fewer entities than
announced fail the run naming the source, and the previous landing stays. Every entity becomes one raw
row keyed by ``sharedId`` (``sharedId:language`` when several languages are configured or arrive), with
``source_row`` its 1-based index in the page's ``data`` array; an element that is not an object or has
no ``sharedId`` is quarantined with the reason. ``metadata`` is flattened to one text column per property
name: values joined by ``|`` using labels (else the value), ``Parent::Child`` for grouped thesaurus
values, inherited values in place of the related entity's title, geolocation ``lat|lon``, dates as the
raw number (epoch seconds), date ranges ``from~to``, links ``label|url``. Typing is left to staging.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from extract.base import LandingWriter, ParsedRow, QuarantinedRow, RawRecord, RunContext, landed_files
from extract.http import MAX_PAGES, FetchError, HttpClient, Page, Paging
from hrdw.kinds import HTTP_OPTIONS
from hrdw.secrets import redact_url
from hrdw.sources import SourceSpec

TAG = "forms"
# The `options:` keys a source of this kind may set (read without importing this module: hrdw/kinds.py).
OPTIONS: dict[str, str] = {
    **HTTP_OPTIONS,
    "template": "template id whose entities are read",
    "language": "comma-separated languages read (default: the instance's default)",
    "fields": "entity fields kept",
    "page_size": "entities per page (page[limit])",
    "max_pages": "stop with an error after this many pages",
    "sort": "sort order asked for",
    "auth": "login, bearer, cookie or none (default: from the connection)",
    "login_url": "login endpoint for auth login (default /api/login)",
    "cookie_name": "session cookie name for auth cookie",
    "auth_scheme": "scheme of the Authorization header for auth bearer",
    "auth_header": "header carrying the token for auth bearer",
}
DEFAULT_PAGE_SIZE = 100
DEFAULT_FIELDS = ("sharedId", "title", "template", "language", "published", "creationDate", "editDate", "metadata")
TOP_LEVEL = ("_id", *DEFAULT_FIELDS[:-1])
AUTH_METHODS = ("login", "cookie", "bearer", "none")


# --- options ------------------------------------------------------------------------------------


def configured_languages(spec: SourceSpec) -> list[str]:
    """The languages to read, from ``options.language`` ("en", "en,ru" or a list); empty = the default."""
    raw = spec.options.get("language")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _fields(spec: SourceSpec) -> list[str]:
    fields = spec.options.get("fields", list(DEFAULT_FIELDS))
    if isinstance(fields, str):
        fields = fields.split(",")
    return [str(field).strip() for field in fields if str(field).strip()]


def _auth_method(ctx: RunContext) -> str:
    method = str(ctx.spec.options.get("auth") or ("login" if ctx.login else "bearer" if ctx.password else "none"))
    if method not in AUTH_METHODS:
        raise ValueError(f"source {ctx.spec.name}: options.auth must be one of {', '.join(AUTH_METHODS)}")
    if method != "none" and not ctx.password:
        raise ValueError(
            f"source {ctx.spec.name}: options.auth {method!r} needs a password in Airflow connection "
            f"{ctx.spec.connection_id!r}"
        )
    if method == "login" and not ctx.login:
        raise ValueError(
            f"source {ctx.spec.name}: options.auth 'login' needs a login in Airflow connection "
            f"{ctx.spec.connection_id!r}"
        )
    return method


def _scope(template: str | None, languages: list[str]) -> str:
    qualifiers = []
    if template:
        qualifiers.append(f"template={template}")
    if languages:
        qualifiers.append("language=" + ",".join(languages))
    return " ".join(["full", *qualifiers])


# --- authentication -------------------------------------------------------------------------------


def _login(ctx: RunContext, client: HttpClient, search_url: str) -> None:
    """POST /api/login through the shared client (retries, redaction, a refusal naming the connection);
    the session cookie lands in the client's cookie jar for every later GET."""
    login_url = str(ctx.spec.options.get("login_url") or urljoin(search_url, "/api/login"))
    client.post(
        login_url,
        json_body={"username": ctx.login, "password": ctx.password},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    if not client.session.cookies:
        raise FetchError(
            f"source {ctx.spec.name}: POST {redact_url(login_url, ctx.secrets)} returned no session cookie"
        )


def _authenticate(ctx: RunContext, client: HttpClient, search_url: str) -> str:
    method = _auth_method(ctx)
    options = ctx.spec.options
    if method == "login":
        _login(ctx, client, search_url)
    elif method == "cookie":
        client.session.headers["Cookie"] = f"{options.get('cookie_name', 'connect.sid')}={ctx.password}"
    elif method == "bearer":
        scheme = str(options.get("auth_scheme", "Bearer")).strip()
        header = str(options.get("auth_header", "Authorization"))
        client.session.headers[header] = f"{scheme} {ctx.password}" if scheme else str(ctx.password)
    return method


# --- landing --------------------------------------------------------------------------------------


def page_url(base: str, *, limit: int, offset: int, template: str | None, fields: list[str], sort: str | None) -> str:
    params = [("page[limit]", str(limit)), ("page[offset]", str(offset))]
    if template:
        params.append(("filter[template]", template))
    params.extend(("fields[]", field) for field in fields)
    if sort:
        params.append(("sort", sort))
    return base + ("&" if "?" in base else "?") + urlencode(params, safe="[]")


def _announced_total(links: dict, limit: int) -> int | None:
    """Uwazi's ``last`` link is offset ``total - limit``: the total the server counted."""
    query = parse_qs(urlsplit(str(links.get("last") or "")).query)
    offsets = query.get("page[offset]")
    try:
        return int(offsets[0]) + limit if offsets else None
    except ValueError:
        return None


def _check_page(ctx: RunContext, document: Any, where: str) -> tuple[list, dict]:
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise FetchError(f"source {ctx.spec.name}: {where} has no `data` array")
    links = document.get("links")
    return document["data"], links if isinstance(links, dict) else {}


def _max_edit_date(data: list, current: float | None) -> float | None:
    for item in data:
        value = item.get("editDate") if isinstance(item, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (current is None or value > current):
            current = value
    return current


def _read_language(
    ctx: RunContext, writer: LandingWriter, client: HttpClient, language: str | None, prefix: str
) -> tuple[int, int, int | None, float | None]:
    """Page through one language; returns (entities, pages, announced total, newest editDate)."""
    options = ctx.spec.options
    base = str(ctx.spec.location.url)
    limit = int(options.get("page_size", DEFAULT_PAGE_SIZE))
    query = {"template": options.get("template"), "fields": _fields(ctx.spec), "sort": options.get("sort")}
    label = f" (language {language})" if language else ""
    offset, seen_ids = 0, set()

    def records_of(document: Any, number: int) -> list:
        return _check_page(ctx, document, f"page {number} (offset {offset}){label}")[0]

    def next_url(page: Page) -> str | None:
        nonlocal offset
        links = _check_page(ctx, page.document, "")[1]
        ids = [str(item["_id"]) for item in page.records if isinstance(item, dict) and item.get("_id") is not None]
        if offset > 0 and ids and all(entity_id in seen_ids for entity_id in ids):
            raise FetchError(
                f"source {ctx.spec.name}: page {page.number} (offset {offset}){label} only repeats entities "
                "already received: the server ignores page[offset] (an Uwazi release without offset paging); "
                "raise options.page_size above the collection size or upgrade the instance"
            )
        seen_ids.update(ids)
        offset += len(page.records)
        if not page.records or "last" in links or "next" in links:
            more = bool(links.get("next"))  # an empty page that links on is refused by Paging
        else:
            more = len(page.records) >= limit  # no links: a short page is the last
        return page_url(base, limit=limit, offset=offset, **query) if more else None

    paging = Paging(
        ctx,
        client,
        page_url(base, limit=limit, offset=0, **query),
        records_of=records_of,
        next_url=next_url,
        total_of=lambda document: _announced_total(_check_page(ctx, document, "")[1], limit),
        headers={"Content-Language": language} if language else None,
        max_pages=int(options.get("max_pages", MAX_PAGES)),
        label=label,
        unit="entities",
    )
    newest = None
    for page in paging:
        page.land(writer, prefix)
        newest = _max_edit_date(page.records, newest)
    return paging.received, paging.pages, paging.announced, newest


def land(ctx: RunContext, writer: LandingWriter) -> None:
    if not ctx.spec.location.url or "://" not in ctx.spec.location.url:
        raise ValueError(f"source {ctx.spec.name}: location.url must be the instance's /api/v2/search URL")
    languages = configured_languages(ctx.spec)
    client = HttpClient(ctx)
    auth = _authenticate(ctx, client, ctx.spec.location.url)
    total, pages, announced, newest = 0, 0, {}, None
    for language in languages or [None]:
        prefix = f"{language}-" if len(languages) > 1 else ""
        rows, language_pages, language_announced, language_newest = _read_language(
            ctx, writer, client, language, prefix
        )
        total += rows
        pages += language_pages
        announced[language or "default"] = language_announced
        if language_newest is not None and (newest is None or language_newest > newest):
            newest = language_newest
    writer.record_count = total
    writer.scope = _scope(ctx.spec.options.get("template"), languages)
    if newest is not None:
        writer.cursor_after = str(int(newest)) if float(newest).is_integer() else str(newest)
    writer.notes.update(
        {
            "pages": pages,
            "page_size": int(ctx.spec.options.get("page_size", DEFAULT_PAGE_SIZE)),
            "rows_announced": announced,
            "incremental": False,
            "cursor_note": "newest editDate (ms) seen; the v2 search cannot filter on it, so every run is full",
            "auth": auth,
        }
    )


# --- parsing --------------------------------------------------------------------------------------


def _scalar_text(value: Any) -> str | None:
    """A metadata ``value`` as text, keeping Uwazi's numbers raw (dates stay epoch seconds)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dict):
        if "lat" in value and "lon" in value:
            return f"{_scalar_text(value.get('lat')) or ''}|{_scalar_text(value.get('lon')) or ''}"
        if "from" in value or "to" in value:
            start, end = _scalar_text(value.get("from")), _scalar_text(value.get("to"))
            return None if start is None and end is None else f"{start or ''}~{end or ''}"
        if "url" in value:
            label, url = _scalar_text(value.get("label")), _scalar_text(value.get("url"))
            return None if label is None and url is None else f"{label or ''}|{url or ''}"
    return json.dumps(value, ensure_ascii=False)


def _label(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _item_texts(item: Any) -> list[str]:
    """Text(s) of one metadata entry ``{value, label?, parent?, inheritedValue?}``."""
    if not isinstance(item, dict):
        text = _scalar_text(item)
        return [text] if text is not None else []
    inherited = item.get("inheritedValue")
    if isinstance(inherited, list) and inherited:
        # An inherited property shows the related entity's value, not its title.
        return [text for entry in inherited for text in _item_texts(entry)]
    value = item.get("value")
    text = _label(item.get("label")) if not isinstance(value, dict) else None
    text = text or _scalar_text(value)
    if text is None:
        return []
    parent = item.get("parent")
    parent_label = _label(parent.get("label")) if isinstance(parent, dict) else None
    return [f"{parent_label}::{text}" if parent_label else text]


def flatten_property(values: Any) -> str | None:
    if isinstance(values, list):
        if values and all(isinstance(item, dict) and "value" not in item for item in values):
            return json.dumps(values, ensure_ascii=False)  # *_nested properties: rows of objects
        texts = [text for item in values for text in _item_texts(item)]
        return "|".join(texts) if texts else None
    return _scalar_text(values)


def entity_values(entity: dict) -> dict[str, str | None]:
    """One flat text row from one entity: top-level fields, then one column per metadata property."""
    values: dict[str, str | None] = {}
    for key, value in entity.items():
        if key != "metadata":
            values[key] = _scalar_text(value)
    metadata = entity.get("metadata")
    if isinstance(metadata, dict):
        for name, property_values in metadata.items():
            column = name if name not in values else f"metadata.{name}"
            values[column] = flatten_property(property_values)
    elif metadata is not None:
        values["metadata"] = json.dumps(metadata, ensure_ascii=False)
    return values


def parse(spec: SourceSpec, partition: Path) -> Iterator[ParsedRow]:
    rows: list[RawRecord | QuarantinedRow] = []
    columns: dict[str, None] = dict.fromkeys(TOP_LEVEL)
    languages: set[str] = set()
    for name, path in landed_files(partition):
        document = json.loads(path.read_bytes())
        for index, item in enumerate(document["data"], start=1):
            raw = json.dumps(item, ensure_ascii=False)
            if not isinstance(item, dict):
                rows.append(QuarantinedRow(name, index, "array element is not a JSON object", raw))
                continue
            shared_id = item.get("sharedId")
            if not isinstance(shared_id, str) or not shared_id.strip():
                rows.append(QuarantinedRow(name, index, "entity has no sharedId", raw))
                continue
            values = entity_values(item)
            columns.update(dict.fromkeys(values))
            if values.get("language"):
                languages.add(str(values["language"]))
            rows.append(RawRecord(values=values, source_file=name, source_row=index, record_id=shared_id))
    per_language = len(configured_languages(spec)) > 1 or len(languages) > 1
    for row in rows:
        if isinstance(row, RawRecord):
            # Every row carries every column seen in the partition, so required-column checks and the
            # raw table see one layout even when an entity's metadata omits an empty property.
            row.values = {column: row.values.get(column) for column in columns}
            if per_language:
                row.record_id = f"{row.record_id}:{row.values.get('language') or ''}"
        yield row
