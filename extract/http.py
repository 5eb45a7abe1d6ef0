"""The one HTTP client every API connector uses.

- Retries connection errors, timeouts, 5xx and 429 with exponential backoff, honouring
  ``Retry-After``; then raises ``FetchError`` naming the source and the redacted URL.
- 401/403 fail at once with a message naming the Airflow connection to fix, never the secret.
- ``get_json`` also rejects what a broken server sends with status 200: an HTML error page,
  truncated or invalid JSON (retried like a 5xx, since proxies cut bodies transiently).
- Polite: a configurable user agent, a minimum interval between requests
  (``options.min_request_interval_seconds``, default 1 s) and a timeout.
- A URL without a scheme is a path to a recorded response on disk (relative to the source
  YAML): the bundled demo replays real recorded API pages without a network.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import requests

from extract.base import LandingWriter, RunContext
from hrdw.secrets import redact_url

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}
AUTH_STATUSES = {401, 403}
DEFAULT_USER_AGENT = "hrd-warehouse/0.1 (nightly sync of press-freedom monitoring data)"


class FetchError(RuntimeError):
    """A request failed for good; the message names source, URL (redacted) and reason."""


class BadPayload(ValueError):
    """A 200 response whose body is not what the API promises (HTML page, truncated JSON)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 120.0
    timeout_seconds: float = 60.0


_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]*))?\}")


def render_url(template: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders (URL-quoted, safe characters kept); a format spec pads numbers:
    ``page-{page:03d}.json`` gives ``page-007.json``. Unknown placeholders are left as they are."""

    def fill(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in values:
            return match.group(0)
        return quote(format(values[name], spec or ""), safe=",:()'-_.~")

    return _PLACEHOLDER.sub(fill, template)


def has_placeholder(template: str, name: str) -> bool:
    """Whether ``template`` holds ``{name}`` (with or without a format spec)."""
    return any(match.group(1) == name for match in _PLACEHOLDER.finditer(template))


def landed_page_name(url: str, page: int, prefix: str = "") -> str:
    """The name a fetched page lands under: ``page-0001.json``... for a page from a server; a saved
    response replayed from disk (``location.url`` a file path) keeps its own file name, so its
    lineage (``_source_file``) names the file that was replayed."""
    if "://" in url:
        return f"{prefix}page-{page:04d}.json"
    return prefix + PurePosixPath(url.split("?", 1)[0]).name


def _wait_seconds(response: requests.Response | None, attempt: int, policy: RetryPolicy) -> float:
    retry_after = response.headers.get("Retry-After", "").strip() if response is not None else ""
    if retry_after.isdigit():
        return min(float(retry_after), policy.max_wait_seconds)
    return min(policy.backoff_seconds * (2 ** (attempt - 1)), policy.max_wait_seconds)


def parse_json_body(body: bytes, content_type: str = "") -> Any:
    """The decoded JSON document, or ``BadPayload`` saying what came instead."""
    head = body.lstrip()[:200].lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<")):
        snippet = body.lstrip()[:80].decode("utf-8", "replace").replace("\n", " ")
        raise BadPayload(f"expected JSON, got an HTML page ({snippet!r}...)")
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise BadPayload(f"invalid or truncated JSON ({len(body)} bytes): {error}") from error


class HttpClient:
    """One run's HTTP session: headers, auth, politeness and retries for one source."""

    def __init__(self, ctx: RunContext, policy: RetryPolicy | None = None, auth: Any = None) -> None:
        self.ctx = ctx
        options = ctx.spec.options  # declared once: hrdw.kinds.HTTP_OPTIONS
        self.policy = policy or RetryPolicy(
            attempts=int(options.get("retry_attempts", RetryPolicy.attempts)),
            backoff_seconds=float(options.get("retry_backoff_seconds", RetryPolicy.backoff_seconds)),
            timeout_seconds=float(options.get("timeout_seconds", RetryPolicy.timeout_seconds)),
        )
        self.min_interval = float(options.get("min_request_interval_seconds", 1.0))
        self.session = requests.Session()
        self.session.headers["User-Agent"] = str(options.get("user_agent", DEFAULT_USER_AGENT))
        self.session.auth = auth
        self._last_request = 0.0
        self.requests_made = 0

    def _describe_auth_failure(self, method: str, status: int, safe_url: str) -> str:
        connection = self.ctx.spec.connection_id
        where = (
            f"check the credentials in Airflow connection {connection!r}"
            if connection
            else ("the source needs credentials: set connection_id in its YAML to an Airflow connection")
        )
        return f"source {self.ctx.spec.name}: {method} {safe_url} was refused (HTTP {status}); {where}"

    def _pause(self) -> None:
        wait = self._last_request + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def get(self, url: str, *, expect_json: bool = False, headers: dict[str, str] | None = None) -> tuple[bytes, Any]:
        """(body exactly as received, decoded JSON or None)."""
        return self.request("GET", url, expect_json=expect_json, headers=headers)

    def post(
        self, url: str, *, json_body: Any, expect_json: bool = False, headers: dict[str, str] | None = None
    ) -> tuple[bytes, Any]:
        """POST a JSON body (e.g. a login) with the same retries, failures and redaction as ``get``."""
        return self.request("POST", url, expect_json=expect_json, headers=headers, json_body=json_body)

    def request(
        self,
        method: str,
        url: str,
        *,
        expect_json: bool = False,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[bytes, Any]:
        """(body exactly as received, decoded JSON or None), after retries."""
        if "://" not in url:
            path = self.ctx.spec.resolve(url.split("?", 1)[0])
            if method != "GET":
                raise FetchError(f"source {self.ctx.spec.name}: cannot {method} a recorded response ({url})")
            if not path.is_file():
                raise FetchError(f"source {self.ctx.spec.name}: recorded response {path} does not exist")
            body = path.read_bytes()
            try:
                return body, parse_json_body(body) if expect_json else None
            except BadPayload as error:
                raise FetchError(f"source {self.ctx.spec.name}: {path}: {error}") from error
        safe_url = redact_url(url, self.ctx.secrets)
        problem = "no attempt made"
        attempt = 0
        for attempt in range(1, self.policy.attempts + 1):
            response: requests.Response | None = None
            self._pause()
            self.requests_made += 1
            try:
                response = self.session.request(
                    method, url, timeout=self.policy.timeout_seconds, headers=headers, json=json_body
                )
            except requests.Timeout:
                problem = f"timed out after {self.policy.timeout_seconds:g}s"
            except requests.ConnectionError as error:
                problem = f"connection failed ({type(error).__name__})"
            except requests.RequestException as error:
                # Not retryable, and its message may quote a header value, i.e. the credential (a token
                # pasted with a trailing newline gives InvalidHeader 'Bearer <token>\n'): name the type only.
                raise FetchError(
                    f"source {self.ctx.spec.name}: {method} {safe_url}: the request could not be sent "
                    f"({type(error).__name__}); check the URL and the credentials"
                    + (f" in Airflow connection {self.ctx.spec.connection_id!r}" if self.ctx.spec.connection_id else "")
                ) from None
            else:
                if response.status_code in AUTH_STATUSES:
                    raise FetchError(self._describe_auth_failure(method, response.status_code, safe_url))
                if response.status_code < 400:
                    if not expect_json:
                        return response.content, None
                    try:
                        return response.content, parse_json_body(
                            response.content, response.headers.get("Content-Type", "")
                        )
                    except BadPayload as error:
                        problem = str(error)
                else:
                    problem = f"HTTP {response.status_code}"
                    if response.status_code not in RETRY_STATUSES:
                        break
            if attempt < self.policy.attempts:
                wait = _wait_seconds(response, attempt, self.policy)
                log.warning(
                    "source %s: %s %s: %s; waiting %.1fs before attempt %d of %d",
                    self.ctx.spec.name,
                    method,
                    safe_url,
                    problem,
                    wait,
                    attempt + 1,
                    self.policy.attempts,
                )
                time.sleep(wait)
        message = f"source {self.ctx.spec.name}: {method} {safe_url} failed after {attempt} attempt(s): {problem}"
        for secret in self.ctx.secrets.values():
            if secret:
                message = message.replace(secret, "REDACTED")
        raise FetchError(message)


# --- paging ---------------------------------------------------------------------------------------

MAX_PAGES = 100_000  # every paging connector's guard against a server that never stops paging


@dataclass
class Page:
    """One page as received: its 1-based number, URL, body (bytes, to land as is), JSON and records."""

    number: int
    url: str
    body: bytes
    document: Any
    records: list

    def land(self, writer: LandingWriter, prefix: str = "") -> None:
        """Land the page as received, named after its URL (``landed_page_name``), with its record count."""
        writer.write(
            landed_page_name(self.url, self.number, prefix), self.body, origin=self.url, records=len(self.records)
        )


class Paging:
    """The pages of one API listing, with the guards every paging connector needs, stated once.

    Iterating fetches ``url`` through ``client`` and then whatever ``next_url(page)`` returns, until
    it returns None. ``records_of(document, number)`` says which records a page holds (and raises
    ``FetchError`` for a page that is not a data page); ``total_of(document)`` what total the API
    announces, if any. It refuses, naming the source and the page:

    - to page forever: more than ``max_pages`` pages, or a next URL already asked for;
    - a silently shortened result: an empty page that announces a next one, or fewer records in
      all than the largest total announced (checked when the last page has been read).

    After iterating: ``pages`` read, ``received`` records, ``announced`` total (or None).
    """

    def __init__(
        self,
        ctx: RunContext,
        client: HttpClient,
        url: str,
        *,
        records_of: Callable[[Any, int], list],
        next_url: Callable[[Page], str | None],
        total_of: Callable[[Any], int | None] = lambda document: None,
        headers: dict[str, str] | None = None,
        max_pages: int = MAX_PAGES,
        label: str = "",
        unit: str = "records",
    ) -> None:
        self.ctx, self.client, self.url = ctx, client, url
        self.records_of, self.next_url, self.total_of = records_of, next_url, total_of
        self.headers, self.max_pages, self.label, self.unit = headers, max_pages, label, unit
        self.pages, self.received, self.announced = 0, 0, None

    def _refuse(self, why: str) -> FetchError:
        return FetchError(f"source {self.ctx.spec.name}: {why}")

    def __iter__(self) -> Iterator[Page]:
        url: str | None = self.url
        asked: set[str] = set()
        while url:
            number = self.pages + 1
            if number > self.max_pages:
                raise self._refuse(f"still paging after {self.max_pages} pages{self.label}; refusing to page forever")
            if url in asked:
                safe_url = redact_url(url, self.ctx.secrets)
                raise self._refuse(f"paging does not end (page {number}{self.label} repeats {safe_url})")
            asked.add(url)
            body, document = self.client.get(url, expect_json=True, headers=self.headers)
            page = Page(number, url, body, document, self.records_of(document, number))
            total = self.total_of(document)
            if total is not None:
                self.announced = max(self.announced or 0, total)
            following = self.next_url(page)
            if not page.records and following:
                raise self._refuse(
                    f"page {number}{self.label} came back empty but announces a next page; "
                    "refusing to land a silently shortened result"
                )
            self.pages, self.received = number, self.received + len(page.records)
            yield page
            url = following
        if self.announced is not None and self.received < self.announced:
            raise self._refuse(
                f"the API announced {self.announced} {self.unit}{self.label} but {self.received} arrived"
            )
