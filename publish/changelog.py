"""What changed in the events since the previous snapshot: added, changed (which fields), removed, merged.

Compares ``dim_event.parquet`` of the previous snapshot with the new one, by ``event_id``. An id
that disappeared is *merged* when the new ``event_id_redirects`` retires it (pointing at the event
that absorbed it), else *removed*. Run metadata (load times) is not in the compared files, so a
sync of unchanged inputs gives an empty changelog. Values are compared as text, so a column whose
type changed but whose values did not is not reported as changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path
from typing import Any

import duckdb

from publish.tables import RUN_METADATA, quote, sql_text

LABEL_COLUMNS = ("event_date", "country_code", "title", "victim_names")
MARKDOWN_LIMIT = 500


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {view}").fetchall()]


def _labels(con: duckdb.DuckDBPyConnection, view: str, ids_sql: str, columns: list[str]) -> list[dict[str, Any]]:
    shown = [name for name in LABEL_COLUMNS if name in columns]
    select = ", ".join(["event_id", *(quote(name) for name in shown)])
    rows = con.execute(f"select {select} from {view} where event_id in ({ids_sql}) order by event_id").fetchall()
    return [
        {"event_id": row[0], **{name: _jsonable(value) for name, value in zip(shown, row[1:], strict=True)}}
        for row in rows
    ]


def empty_changelog(previous_id: str | None, snapshot_id: str) -> dict[str, Any]:
    return {
        "previous_snapshot": previous_id,
        "snapshot": snapshot_id,
        "counts": {"added": 0, "changed": 0, "removed": 0, "merged": 0},
        "added": [],
        "changed": [],
        "removed": [],
        "merged": [],
        "columns_added": [],
        "columns_removed": [],
    }


def event_changelog(
    previous_dir: Path | None, previous_id: str | None, current_dir: Path, snapshot_id: str
) -> dict[str, Any]:
    """The changelog of ``current_dir`` against ``previous_dir`` (None: no previous snapshot, all events added).

    Lists are sorted by event id, so the same two snapshots always give the same changelog.
    """
    log = empty_changelog(previous_id, snapshot_id)
    new_file = current_dir / "dim_event.parquet"
    if not new_file.is_file():
        return log
    con = duckdb.connect()
    try:
        con.execute(f"create view new_events as select * from read_parquet({sql_text(str(new_file))})")
        old_file = previous_dir / "dim_event.parquet" if previous_dir else None
        if old_file and old_file.is_file():
            con.execute(f"create view old_events as select * from read_parquet({sql_text(str(old_file))})")
        else:
            con.execute("create view old_events as select * from new_events where false")
            log["previous_snapshot"] = None
        redirects = current_dir / "event_id_redirects.parquet"
        if redirects.is_file():
            con.execute(f"create view redirects as select * from read_parquet({sql_text(str(redirects))})")
        else:
            con.execute("create view redirects as select '' as retired_event_id, '' as current_event_id where false")
        _fill(con, log)
    finally:
        con.close()
    log["counts"] = {key: len(log[key]) for key in ("added", "changed", "removed", "merged")}
    return log


def _fill(con: duckdb.DuckDBPyConnection, log: dict[str, Any]) -> None:
    new_columns, old_columns = _columns(con, "new_events"), _columns(con, "old_events")
    ignored = {"event_id", *RUN_METADATA.get("dim_event", ((), ()))[1]}
    compared = [name for name in new_columns if name in old_columns and name not in ignored]
    log["columns_added"] = [name for name in new_columns if name not in old_columns and name not in ignored]
    log["columns_removed"] = [name for name in old_columns if name not in new_columns and name not in ignored]

    log["added"] = _labels(
        con, "new_events", "select event_id from new_events anti join old_events using (event_id)", new_columns
    )
    gone = (
        "select o.event_id from old_events as o "
        "where not exists (select 1 from new_events as n where n.event_id = o.event_id)"
    )
    merged = con.execute(
        f"select retired_event_id, current_event_id from redirects where retired_event_id in ({gone}) "
        "order by retired_event_id"
    ).fetchall()
    log["merged"] = [{"retired_event_id": retired, "current_event_id": current} for retired, current in merged]
    log["removed"] = _labels(
        con,
        "old_events",
        f"{gone} and not exists (select 1 from redirects as r where r.retired_event_id = o.event_id)",
        old_columns,
    )
    if not compared:
        return
    flags = ", ".join(
        f"case when cast(o.{quote(name)} as varchar) is distinct from cast(n.{quote(name)} as varchar) "
        f"then {sql_text(name)} end"
        for name in compared
    )
    changed = con.execute(
        f"""
        select event_id, fields from (
            select n.event_id, list_filter([{flags}], lambda x: x is not null) as fields
            from new_events as n inner join old_events as o on n.event_id = o.event_id
        ) where len(fields) > 0 order by event_id
        """
    ).fetchall()
    for event_id, fields in changed:
        select = ", ".join(quote(name) for name in fields)
        before = con.execute(f"select {select} from old_events where event_id = ?", [event_id]).fetchone()
        after = con.execute(f"select {select} from new_events where event_id = ?", [event_id]).fetchone()
        log["changed"].append(
            {
                "event_id": event_id,
                "fields": list(fields),
                "before": {name: _jsonable(value) for name, value in zip(fields, before, strict=True)},
                "after": {name: _jsonable(value) for name, value in zip(fields, after, strict=True)},
            }
        )


def _short(value: Any, width: int = 80) -> str:
    text = "null" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(item: dict[str, Any]) -> str:
    parts = [str(item[name]) for name in ("event_date", "country_code") if item.get(name)]
    name = item.get("title") or item.get("victim_names")
    return f"`{item['event_id']}` " + " ".join(parts) + (f": {_short(name)}" if name else "")


def _section(title: str, lines: list[str]) -> list[str]:
    out = [f"## {title} ({len(lines)})", ""]
    out += lines[:MARKDOWN_LIMIT] or ["None."]
    if len(lines) > MARKDOWN_LIMIT:
        out.append(f"- ... and {len(lines) - MARKDOWN_LIMIT} more (see changelog.json)")
    return [*out, ""]


def render_markdown(log: dict[str, Any], heading: str) -> str:
    """``CHANGELOG.md``: the same content as the JSON changelog, for people."""
    counts = log["counts"]
    lines = [f"# {heading}: snapshot {log['snapshot']}", ""]
    if log["previous_snapshot"]:
        lines.append(f"Compared with the previous snapshot `{log['previous_snapshot']}`.")
    else:
        lines.append("First snapshot: there is no previous snapshot to compare with, so every event is new.")
    lines += [
        "",
        f"{counts['added']} event(s) added, {counts['changed']} changed, {counts['removed']} removed, "
        f"{counts['merged']} merged into another event.",
        "",
    ]
    if log["columns_added"] or log["columns_removed"]:
        lines += [f"Columns added: {log['columns_added']}; columns removed: {log['columns_removed']}.", ""]
    lines += _section("Added", [f"- {_label(item)}" for item in log["added"]])
    changed = []
    for item in log["changed"]:
        details = "; ".join(
            f"{name}: {_short(item['before'][name], 60)} → {_short(item['after'][name], 60)}" for name in item["fields"]
        )
        changed.append(f"- `{item['event_id']}`: {details}")
    lines += _section("Changed", changed)
    lines += _section("Removed", [f"- {_label(item)}" for item in log["removed"]])
    merged = [f"- `{item['retired_event_id']}` → `{item['current_event_id']}`" for item in log["merged"]]
    lines += _section("Merged (old id → the event it now belongs to, see event_id_redirects)", merged)
    return "\n".join(lines).rstrip() + "\n"
