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

from extract.base import json_value_text

KEY_COLUMNS = ("meta/rootUuid", "_uuid", "meta/instanceID", "_id")


def record_key(values: dict[str, str | None]) -> str | None:
    for column in KEY_COLUMNS:
        value = (values.get(column) or "").strip()
        if value:
            return value.removeprefix("uuid:")
    return None


as_text = json_value_text  # nested values (validation status, geolocation...) land as JSON text
