"""Secrets out of text, stated once: what looks like a secret, and how it is masked.

Used by every layer: the HTTP client and the landing manifests (``redact_url``), the source
specification errors and the Airflow failure alerts (``scrub`` with ``secret_forms``). A query
parameter whose name contains one of ``SECRET_PARAM_HINTS`` is a secret wherever it appears.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

SECRET_PARAM_HINTS = ("token", "key", "secret", "password", "passwd", "auth", "signature")
MASK = "***"
_URL = re.compile(r"https?://[^\s'\"<>]+")
_SECRET_QUERY = re.compile(r"[?&][^=&\s]*(" + "|".join(SECRET_PARAM_HINTS) + r")[^=&\s]*=", re.IGNORECASE)


def redact_url(url: str, secrets: dict[str, str] | None = None) -> str:
    """A URL safe to log or store: no user-info, no secret-looking query values, no known secrets."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    query = [
        (key, "REDACTED" if any(hint in key.lower() for hint in SECRET_PARAM_HINTS) else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    cleaned = urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="{}(),'"), ""))
    for secret in (secrets or {}).values():
        if secret:
            cleaned = cleaned.replace(secret, "REDACTED")
    return cleaned


def secret_forms(secrets: Iterable[str | None], login: str | None = None) -> list[str]:
    """Every form in which a secret could show up in text: as is, URL-encoded, base64, and the
    base64 ``login:password`` of an HTTP Basic header. Longest first, for replacement."""
    forms: set[str] = set()
    for secret in secrets:
        # as is, trimmed (a pasted newline), and escaped as repr() prints it in error messages
        for variant in {secret or "", (secret or "").strip(), repr(secret or "")[1:-1]}:
            if len(variant) < 3:  # shorter is no secret, and masking it would garble every message
                continue
            encoded = base64.b64encode(variant.encode()).decode()
            basic = base64.b64encode(f"{login or ''}:{variant}".encode()).decode()
            forms |= {variant, quote(variant, safe=""), quote_plus(variant), encoded, basic}
    return sorted(forms, key=len, reverse=True)


def scrub(text: str, forms: Iterable[str]) -> str:
    """``text`` without any of the secret ``forms``, URL user-info or secret-looking query values."""
    for form in forms:
        text = text.replace(form, MASK)

    def clean_url(match: re.Match) -> str:
        url = match.group(0)
        if "@" not in urlsplit(url).netloc and not _SECRET_QUERY.search(url):
            return url
        return redact_url(url)

    return _URL.sub(clean_url, text)
