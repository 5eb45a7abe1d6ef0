"""What the two KoboToolbox connectors (``kobo_api``, ``kobo_export``) share: the record key.

Not a connector kind (the leading underscore keeps it out of ``available_kinds``).

KoboToolbox regenerates ``_uuid`` and ``meta/instanceID`` on every edit of a submission (OpenRosa
asks for a new instanceID per edit); ``meta/rootUuid`` (in the data API since 2025) keeps the
first version's ``uuid:<_uuid>`` for good. So the key is ``meta/rootUuid`` without its ``uuid:``
prefix when present: for a submission never edited that is exactly its ``_uuid``, and an edited
submission keeps the key it had, so staging shows its newest version instead of two records.
Without it: ``_uuid``, then ``meta/instanceID`` (prefix removed), then ``_id``.
"""

from __future__ import annotations

import json
from typing import Any

KEY_COLUMNS = ("meta/rootUuid", "_uuid", "meta/instanceID", "_id")


def record_key(values: dict[str, str | None]) -> str | None:
    for column in KEY_COLUMNS:
        value = (values.get(column) or "").strip()
        if value:
            return value.removeprefix("uuid:")
    return None


def as_text(value: Any) -> str | None:
    """A JSON value as text: nested objects and arrays as compact JSON, blanks as None."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if text.strip() else None
