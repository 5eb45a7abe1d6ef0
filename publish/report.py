"""``report.html``: what an analyst opens first, one self-contained page per snapshot variant.

Reads only the variant's own files (its ``warehouse.duckdb`` and ``changelog.json``), so the public
report shows what the public snapshot holds and nothing the policy withholds; its map places events
at their published (rounded) coordinates. No script, no fetched file (a Content-Security-Policy
forbids both), the charts are inline SVG (``publish/charts.py``).
Every chart counts events of ``flat_events``, each once, with the unknowns as their own bar, so
each chart's bars add up to the snapshot's events (an event of two violation types is in both).
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from publish import charts

COUNTRY_BARS = 20  # the rest of the countries are one bar
CHANGE_LINES = 100  # CHANGELOG.md lists them all
SDG_TABLE = "fct_sdg_16_10_1"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 62rem; padding: 0 1rem; color: #222; }}
svg.chart text {{ font-size: 12px; fill: #222; }} figure {{ margin: 0 0 1rem; }} figcaption {{ color: #555; }}
table {{ border-collapse: collapse; margin-bottom: 1.5rem; }} th, td {{ border-bottom: 1px solid #ddd;
padding: .25rem .6rem; text-align: left; }} td.n {{ text-align: right; }} .note {{ color: #555; }}
.legend span {{ display: inline-block; width: 1.2em; height: .9em; margin: 0 .2em 0 .8em; }}
</style></head>
<body>
<h1>{title}</h1>
{body}
</body></html>
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where table_name = ?", [table]).fetchone()[0])


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, int]]:
    return [(str(label), int(count)) for label, count in con.execute(sql).fetchall()]


def _by_year(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return _counts(
        con,
        "select coalesce(cast(event_year as varchar), 'unknown year'), count(*) from flat_events "
        "group by event_year order by event_year nulls last",
    )


def _by_country(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    rows = _counts(
        con,
        "select coalesce(country_name, country_code, 'unknown country') as country, count(*) as events "
        "from flat_events group by country order by events desc, country",
    )
    if len(rows) <= COUNTRY_BARS + 1:
        return rows
    rest = rows[COUNTRY_BARS:]
    return [*rows[:COUNTRY_BARS], (f"{len(rest)} other countries", sum(count for _, count in rest))]


def _by_violation(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return _counts(
        con,
        """
        select violation_type, count(distinct event_id) as events
        from (
            select event_id, unnest(coalesce(string_split(violation_types, ' | '), ['no violation recorded']))
                as violation_type
            from flat_events
        )
        group by violation_type order by events desc, violation_type
        """,
    )


def _map(con: duckdb.DuckDBPyConnection, total: int) -> str:
    shaded = con.execute(
        "select country_code, coalesce(max(country_name), country_code), count(*) from flat_events "
        "where country_code is not null group by country_code"
    ).fetchall()
    countries = {code: int(events) for code, _, events in shaded}
    names = {code: name for code, name, _ in shaded}
    rows = con.execute(
        """
        select event_id, latitude, longitude,
            concat_ws(', ', cast(event_date as varchar), coalesce(city, country_name), title)
        from flat_events where latitude is not null and longitude is not null order by event_id
        """
    ).fetchall()
    points = [charts.Point(event_id, lat, lon, label) for event_id, lat, lon, label in rows]
    unmapped = sorted(code for code in countries if code not in charts.mapped_countries())
    caption = (
        f"{len(points)} of {total} events have coordinates (one dot each); countries are shaded by their "
        f"number of events, {sum(countries.values())} events with a country."
    )
    if unmapped:
        caption += f" Not drawn at this scale: {', '.join(unmapped)}."
    legend = "".join(f'<span style="background:{shade}"></span>' for shade in charts.SHADES)
    return (
        charts.world_map(countries, names, points, caption=caption)
        + f'<p class="legend note">fewer{legend} more events (log scale)</p>'
    )


def _sdg(con: duckdb.DuckDBPyConnection, public: bool) -> str:
    if not _has(con, SDG_TABLE):
        why = "withheld from the public variant: its counts include withheld events" if public else "not built"
        return f'<p class="note" id="sdg-withheld">The SDG 16.10.1 table is {why}.</p>'
    rows = con.execute(
        f"""
        select event_year, sdg_act, sdg_victim_group, sum(verified_cases), sum(unverified_cases)
        from {SDG_TABLE} group by event_year, sdg_act, sdg_victim_group
        order by event_year nulls last, sdg_act, sdg_victim_group
        """
    ).fetchall()
    if not rows:
        return '<p class="note">No case counts toward SDG 16.10.1 in this snapshot.</p>'
    body = "".join(
        f"<tr><td>{_esc(year or 'unknown year')}</td><td>{_esc(act)}</td><td>{_esc(group)}</td>"
        f'<td class="n">{verified}</td><td class="n">{unverified}</td></tr>'
        for year, act, group, verified, unverified in rows
    )
    return (
        '<table id="sdg"><tr><th>year</th><th>act</th><th>victim group</th><th>verified cases</th>'
        f"<th>unverified cases</th></tr>{body}</table>"
        '<p class="note">A case is one person, one act, one event; verified: reported by at least two independent '
        f"organisations. Broken down by country, sex and perpetrator in <code>{SDG_TABLE}</code>.</p>"
    )


def _change_line(kind: str, item: dict[str, Any]) -> str:
    if kind == "merged":
        return f"merged: {_esc(item['retired_event_id'])} into {_esc(item['current_event_id'])}"
    if kind == "changed":
        return f"changed: {_esc(item['event_id'])} ({_esc(', '.join(item['fields']))})"
    label = ", ".join(str(item[key]) for key in ("event_date", "country_code", "title") if item.get(key))
    return f"{kind}: {_esc(item['event_id'])} {_esc(label)}"


def _changes(changes: dict[str, Any]) -> str:
    counts = changes["counts"]
    since = changes.get("previous_snapshot")
    intro = f"Since snapshot {_esc(since)}:" if since else "No earlier snapshot: every event is new."
    chart = charts.bar_chart(
        [(kind, counts[kind]) for kind in ("added", "changed", "removed", "merged")],
        chart_id="chart-changes",
        caption="Events added, changed, removed and merged into another since the previous snapshot",
        unit="events",
    )
    fields = Counter(field for item in changes["changed"] for field in item["fields"])
    field_chart = charts.bar_chart(
        sorted(fields.items(), key=lambda pair: (-pair[1], pair[0])),
        chart_id="chart-changed-fields",
        caption="Changed events by the column that changed",
        unit="events",
        empty="No event changed.",
    )
    lines = [_change_line(kind, item) for kind in ("added", "changed", "removed", "merged") for item in changes[kind]]
    listed = "".join(f"<li>{line}</li>" for line in lines[:CHANGE_LINES])
    more = f"<p class='note'>{len(lines) - CHANGE_LINES} more in CHANGELOG.md.</p>" if len(lines) > CHANGE_LINES else ""
    return f"<p>{intro}</p>{chart}{field_chart}<ul id='changes'>{listed}</ul>{more}"


def render(warehouse: Path, changes: dict[str, Any], *, title: str, public: bool) -> str:
    """The report of one snapshot variant from its DuckDB file and its changelog."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        total = con.execute("select count(*) from flat_events").fetchone()[0]
        scope = (
            "in the public variant: only what the publication policy publishes"
            if public
            else "in the internal snapshot, withheld ones included"
        )
        sections = [
            f'<p id="summary">{total} events {_esc(scope)}. Every chart counts events, each once per bar, '
            "so each chart adds up to the events (an event of two violation types is in both bars). "
            "The tables are in this folder as Parquet, CSV and <code>warehouse.duckdb</code>; "
            "<code>dictionary.html</code> says what each column holds.</p>",
            "<h2>Events by year</h2>"
            + charts.bar_chart(_by_year(con), chart_id="chart-years", caption="Events by year", unit="events"),
            "<h2>Events by country</h2>"
            + charts.bar_chart(
                _by_country(con), chart_id="chart-countries", caption="Events by country", unit="events"
            ),
            "<h2>Events by violation type</h2>"
            + charts.bar_chart(
                _by_violation(con), chart_id="chart-violations", caption="Events by violation type", unit="events"
            ),
            "<h2>Map of events</h2>" + _map(con, total),
            "<h2>SDG indicator 16.10.1</h2>" + _sdg(con, public),
            "<h2>What changed</h2>" + _changes(changes),
        ]
    finally:
        con.close()
    return PAGE.format(title=_esc(title), body="\n".join(sections))
