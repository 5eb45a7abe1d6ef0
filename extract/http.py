"""The one HTTP client every API connector uses: retries with backoff, clear failures, no secrets in errors.

Retries on connection errors, timeouts, 5xx and 429 (honouring ``Retry-After``), then raises
``FetchError`` naming the source and the redacted URL. A URL without a scheme is a path to a
recorded response on disk (relative to the source YAML), which is how the bundled demo replays
real recorded API pages without a network.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from extract.base import RunContext, redact_url

RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(RuntimeError):
    pass


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 60.0
    timeout_seconds: float = 30.0


def _wait_seconds(response: requests.Response | None, attempt: int, policy: RetryPolicy) -> float:
    if response is not None and response.headers.get("Retry-After", "").strip().isdigit():
        return min(float(response.headers["Retry-After"]), policy.max_wait_seconds)
    return min(policy.backoff_seconds * (2 ** (attempt - 1)), policy.max_wait_seconds)


def fetch(
    ctx: RunContext,
    url: str,
    *,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The body of ``url`` exactly as received."""
    policy = policy or RetryPolicy()
    if "://" not in url:
        path = ctx.spec.resolve(url)
        if not path.is_file():
            raise FetchError(f"source {ctx.spec.name}: recorded response {path} does not exist")
        return path.read_bytes()
    safe_url = redact_url(url, ctx.secrets)
    client = session or requests.Session()
    last_problem = "no attempt made"
    for attempt in range(1, policy.attempts + 1):
        response: requests.Response | None = None
        try:
            response = client.get(url, timeout=policy.timeout_seconds, headers=headers)
        except (requests.ConnectionError, requests.Timeout) as error:
            last_problem = f"{type(error).__name__}"
        else:
            if response.status_code < 400:
                return response.content
            last_problem = f"HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUSES:
                break
        if attempt < policy.attempts:
            time.sleep(_wait_seconds(response, attempt, policy))
    raise FetchError(f"source {ctx.spec.name}: GET {safe_url} failed after {attempt} attempt(s): {last_problem}")
