"""Labels that mapped to nothing, per source, for the run summary and the snapshot manifest.

dbt maps every label once, where it is read (the source's own ``labels:`` first, then the shared
defaults) and lists what is left in ``intermediate.int_unmapped_labels``. This module only reads
that model from the built warehouse (read-only) and formats it. A label listed here is kept (a
violation as ``unclassified``, a country flagged): the fix is a line under ``labels:`` in the
source's YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

QUERY = (
    "select source_name, label_kind, source_label, report_count from {schema}.int_unmapped_labels "
    "order by source_name, label_kind, report_count desc, source_label"
)


def by_source(rows: list[tuple[str, str, str, int]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{source: {kind: [{"label": ..., "reports": n}, ...]}}``, most frequent label first."""
    result: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for source, kind, label, count in rows:
        result.setdefault(source, {}).setdefault(kind, []).append({"label": label, "reports": int(count)})
    return result


def read(con: Any, schema: str = "intermediate") -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The unmapped labels from an open connection (``schema``: e.g. ``wh.intermediate`` when the
    warehouse is attached as ``wh``); empty when the model was never built."""
    try:
        rows = con.execute(QUERY.format(schema=schema)).fetchall()
    except Exception:  # an older warehouse without the model: nothing to list
        return {}
    return by_source(rows)


def unmapped_labels(warehouse: Path | None = None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The unmapped labels of the built warehouse, per source; empty when there is none."""
    from hrdw.warehouse import read_built

    return by_source(read_built(QUERY.format(schema="intermediate"), warehouse))


def summary_lines(found: dict[str, dict[str, list[dict[str, Any]]]] | None = None, per_kind: int = 10) -> list[str]:
    """The run summary's lines: per source and kind, the count and up to ``per_kind`` labels with
    how many reports carry each. No lines when every label mapped."""
    found = unmapped_labels() if found is None else found
    if not found:
        return []
    total = sum(len(labels) for kinds in found.values() for labels in kinds.values())
    lines = [
        f"Labels that mapped to nothing: {total} (kept; map them under `labels:` in the source's YAML; "
        "intermediate.int_unmapped_labels)"
    ]
    for source, kinds in found.items():
        for kind, labels in kinds.items():
            reports = sum(item["reports"] for item in labels)
            lines.append(f"  {source}: {len(labels)} {kind} label(s), on {reports} report(s):")
            lines += [f"    {item['label']!r} ({item['reports']})" for item in labels[:per_kind]]
            if len(labels) > per_kind:
                lines.append(f"    ... and {len(labels) - per_kind} more")
    return lines
