"""The publication policy (``config/publication_policy.yml``) and the public variant built from it.

``load_policy`` reads and validates the YAML: an unknown key, row rule or value is an error, so a
typo can never quietly publish something. ``build_public`` creates, in an attached DuckDB
database, one table per table the policy lists, holding only:

- rows of public events (see the YAML's header for what makes an event public), or rows the
  table's rule allows (actors of public events, publishable sources, ...);
- the columns the policy lists (any other column is withheld, including columns added later);
- coordinates rounded to the policy's grid.

Tables are created with ``CREATE TABLE ... AS SELECT`` from the filtered rows only, so withheld
values are never written to the public database file, not even in freed pages.
"""

from __future__ import annotations

import decimal
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from publish.tables import Column, quote, table_columns

ROW_RULES = (
    "public_events",
    "public_actors",
    "public_sources",
    "redirects_to_public_events",
    "public_event_years",
    "all",
)
_SOURCE_KEYS = {"publish", "publish_without_monitoring_status"}
_TOP_KEYS = {"version", "sources", "monitoring_status", "coordinates", "tables"}


class PolicyError(ValueError):
    """The publication policy is malformed, or the marts lack what it needs to decide what is public."""


@dataclass(frozen=True)
class SourceRule:
    publish: bool
    publish_without_monitoring_status: bool = False


@dataclass(frozen=True)
class TableRule:
    rows: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class PublicationPolicy:
    path: Path
    sha256: str
    sources: dict[str, SourceRule]
    allowed_monitoring_status: tuple[str, ...]
    grid_degrees: decimal.Decimal
    coordinate_columns: tuple[str, ...]
    tables: dict[str, TableRule]
    withhold_on_status_conflict: bool = True

    def public_summary(self) -> dict[str, Any]:
        """What the public manifest says about the policy: rules, not source names."""
        return {
            "policy_sha256": self.sha256,
            "monitoring_status_allowed": list(self.allowed_monitoring_status),
            "withhold_on_status_conflict": self.withhold_on_status_conflict,
            "coordinate_grid_degrees": float(self.grid_degrees),
            "coordinate_columns": list(self.coordinate_columns),
            "rules": (
                "an event is public when every source that reported it is publishable, no source marks a record "
                "of it as not public, and its monitoring status is allowed (an event without status only when "
                "every source reporting it keeps none) and, unless configured otherwise, its sources agree on "
                "that status; tables keep only rows of public events and listed columns"
            ),
        }


@dataclass
class PublicBuild:
    """What ``build_public`` published and withheld (for the internal manifest)."""

    public_event_count: int = 0
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    withheld_tables: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PolicyError(message)


def _as_bool(value: Any, where: str) -> bool:
    _require(isinstance(value, bool), f"{where} must be true or false, got {value!r}")
    return value


def load_policy(path: Path) -> PublicationPolicy:
    """Read and validate the policy file; raise ``PolicyError`` on anything unexpected."""
    if not path.is_file():
        raise PolicyError(f"publication policy {path} not found (set HRDW_PUBLICATION_POLICY or create it)")
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        raise PolicyError(f"publication policy {path}: {error}") from error
    _require(isinstance(document, dict), f"{path}: expected a mapping at the top")
    _require(not set(document) - _TOP_KEYS, f"{path}: unknown key(s) {sorted(set(document) - _TOP_KEYS)}")
    _require(document.get("version") == 1, f"{path}: version must be 1")

    sources: dict[str, SourceRule] = {}
    for name, rule in (document.get("sources") or {}).items():
        _require(isinstance(rule, dict), f"{path}: sources.{name} must be a mapping")
        unknown = sorted(set(rule) - _SOURCE_KEYS)
        _require(not unknown, f"{path}: sources.{name}: unknown key(s) {unknown}")
        _require("publish" in rule, f"{path}: sources.{name} needs publish: true or false")
        sources[str(name)] = SourceRule(
            publish=_as_bool(rule["publish"], f"sources.{name}.publish"),
            publish_without_monitoring_status=_as_bool(
                rule.get("publish_without_monitoring_status", False),
                f"sources.{name}.publish_without_monitoring_status",
            ),
        )

    status = document.get("monitoring_status") or {}
    _require(
        isinstance(status, dict) and set(status) <= {"allowed", "withhold_on_conflict"},
        f"{path}: monitoring_status takes allowed and withhold_on_conflict",
    )
    withhold_on_conflict = _as_bool(status.get("withhold_on_conflict", True), "monitoring_status.withhold_on_conflict")
    allowed = status.get("allowed", ["Active"])
    _require(
        isinstance(allowed, list) and all(isinstance(item, str) and item.strip() for item in allowed),
        f"{path}: monitoring_status.allowed must be a list of statuses (events without status are decided per "
        "source by publish_without_monitoring_status)",
    )

    coordinates = document.get("coordinates") or {}
    _require(set(coordinates) <= {"grid_degrees", "columns"}, f"{path}: coordinates takes grid_degrees and columns")
    try:
        grid = decimal.Decimal(str(coordinates.get("grid_degrees", "0.1")))
    except decimal.InvalidOperation:
        raise PolicyError(f"{path}: coordinates.grid_degrees must be a number") from None
    _require(grid.is_finite() and grid > 0, f"{path}: coordinates.grid_degrees must be positive")
    coordinate_columns = tuple(coordinates.get("columns", ["latitude", "longitude"]))

    tables: dict[str, TableRule] = {}
    for name, rule in (document.get("tables") or {}).items():
        _require(
            isinstance(rule, dict) and set(rule) == {"rows", "columns"},
            f"{path}: tables.{name} needs exactly rows and columns",
        )
        _require(rule["rows"] in ROW_RULES, f"{path}: tables.{name}.rows must be one of {list(ROW_RULES)}")
        columns = rule["columns"]
        _require(isinstance(columns, list) and all(isinstance(c, str) for c in columns), f"tables.{name}.columns")
        tables[str(name)] = TableRule(rows=rule["rows"], columns=tuple(columns))

    return PublicationPolicy(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        sources=sources,
        allowed_monitoring_status=tuple(allowed),
        grid_degrees=grid,
        coordinate_columns=coordinate_columns,
        tables=tables,
        withhold_on_status_conflict=withhold_on_conflict,
    )


def _names(columns: list[Column]) -> set[str]:
    return {column.name for column in columns}


def _is_identity_column(name: str) -> bool:
    return name == "source_name" or name.endswith(("event_id", "actor_id", "report_id"))


class _Marts:
    """The internal tables (``<db>.main.<table>``) and their columns."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: str, tables: list[str]) -> None:
        self.db = db
        self.columns = {table: table_columns(con, db, "main", table) for table in tables}

    def ref(self, table: str) -> str:
        return f"{quote(self.db)}.main.{quote(table)}"

    def need(self, table: str, *columns: str) -> None:
        _require(table in self.columns, f"the public variant needs the mart {table}")
        missing = set(columns) - _names(self.columns[table])
        _require(not missing, f"the public variant needs column(s) {sorted(missing)} of {table}")


def source_decisions(con: duckdb.DuckDBPyConnection, marts: _Marts, policy: PublicationPolicy) -> dict[str, dict]:
    """Per warehouse source: publishable or not, and why. Publishing takes two yeses, by two owners:
    the source YAML's ``publication: {publish: ...}`` (the data engineer: what the source's agreement
    allows) and the policy's ``sources:`` entry (whoever owns the publication policy approves it)."""
    marts.need("dim_source", "source_name", "publish")
    rows = con.execute(f"select source_name, coalesce(publish, false) from {marts.ref('dim_source')} order by 1")
    decisions = {}
    for name, yaml_allows in rows.fetchall():
        rule = policy.sources.get(name)
        if not yaml_allows:
            why = "its source YAML says publication: {publish: false}"
        elif rule is None:
            why = f"not listed in {policy.path.name} (its owner has not approved it yet)"
        elif not rule.publish:
            why = f"{policy.path.name} says publish: false"
        else:
            why = f"its source YAML and {policy.path.name} both say publish: true"
        decisions[name] = {"publishable": bool(yaml_allows and rule and rule.publish), "why": why}
    return decisions


def _create_public_events(
    con: duckdb.DuckDBPyConnection, marts: _Marts, policy: PublicationPolicy, sources: dict[str, dict]
) -> int:
    """Temp tables ``_public_sources`` (the publishable ``sources``, from ``source_decisions``) and
    ``_public_events``; returns the number of public events."""
    marts.need("dim_event", "event_id", "published_in_all_sources", "monitoring_status", "conflicting_fields")
    marts.need("bridge_event_source_record", "event_id", "source_name")
    con.execute("create or replace temp table _public_sources (source_name varchar, status_free boolean)")
    for name, decision in sorted(sources.items()):
        if decision["publishable"]:
            status_free = policy.sources[name].publish_without_monitoring_status
            con.execute("insert into _public_sources values (?, ?)", [name, status_free])
    con.execute("create or replace temp table _allowed_status (status varchar)")
    for status in policy.allowed_monitoring_status:
        con.execute("insert into _allowed_status values (lower(trim(?)))", [status])
    bridge = marts.ref("bridge_event_source_record")
    # dim_event keeps the latest report's status; when sources disagree (one says Pending, a later
    # one Active) the conservative reading is that not every source has cleared it for publication.
    status_agreement = (
        "and coalesce(list_position(string_split(e.conflicting_fields, '|'), 'monitoring_status'), 0) = 0"
        if policy.withhold_on_status_conflict
        else ""
    )
    con.execute(
        f"""
        create or replace temp table _public_events as
        select e.event_id
        from {marts.ref("dim_event")} as e
        where coalesce(e.published_in_all_sources, false)
          {status_agreement}
          and exists (select 1 from {bridge} as b where b.event_id = e.event_id)
          and not exists (
              select 1 from {bridge} as b
              where b.event_id = e.event_id
                and not exists (select 1 from _public_sources as p where p.source_name = b.source_name)
          )
          and (
              lower(trim(e.monitoring_status)) in (select status from _allowed_status)
              or (
                  nullif(trim(e.monitoring_status), '') is null
                  and not exists (
                      select 1 from {bridge} as b
                      where b.event_id = e.event_id
                        and not exists (
                            select 1 from _public_sources as p where p.source_name = b.source_name and p.status_free
                        )
                  )
              )
          )
        """
    )
    return con.execute("select count(*) from _public_events").fetchone()[0]


def _actor_replacements(marts: _Marts) -> tuple[str, dict[str, str]]:
    """FROM clause and per-column expressions of public dim_actor (aggregates limited to public rows)."""
    involvement_parts = [
        f"select actor_id, event_id from {marts.ref(table)}"
        for table in ("bridge_event_actor", "fct_violation")
        if table in marts.columns and {"actor_id", "event_id"} <= _names(marts.columns[table])
    ]
    _require(bool(involvement_parts), "public dim_actor needs bridge_event_actor or fct_violation")
    has_report_count = "bridge_event_actor" in marts.columns and "report_count" in _names(
        marts.columns["bridge_event_actor"]
    )
    has_country = "country_code" in _names(marts.columns.get("dim_event", []))
    source = f"""
        {marts.ref("dim_actor")} as src
        inner join (
            select i.actor_id,
                   bool_and(p.event_id is not null) as fully_public,
                   count(distinct p.event_id) as public_event_count
            from ({" union ".join(involvement_parts)}) as i
            left join _public_events as p on i.event_id = p.event_id
            group by i.actor_id
            having bool_or(p.event_id is not null)
        ) as scope on src.actor_id = scope.actor_id
    """
    if has_country:
        source += f"""
        left join (
            select i.actor_id, string_agg(distinct e.country_code, '|' order by e.country_code) as country_codes
            from ({" union ".join(involvement_parts)}) as i
            inner join _public_events as p on i.event_id = p.event_id
            inner join {marts.ref("dim_event")} as e on i.event_id = e.event_id
            group by i.actor_id
        ) as public_countries on src.actor_id = public_countries.actor_id
        """
    if has_report_count:
        source += f"""
        left join (
            select b.actor_id, sum(b.report_count) as report_count
            from {marts.ref("bridge_event_actor")} as b
            inner join _public_events as p on b.event_id = p.event_id
            group by b.actor_id
        ) as public_reports on src.actor_id = public_reports.actor_id
        """
    replacements = {
        "event_count": "case when scope.fully_public then src.event_count else scope.public_event_count end",
        "name_variants": "case when scope.fully_public then src.name_variants end",
        "organizations": "case when scope.fully_public then src.organizations end",
        "country_codes": (
            "case when scope.fully_public then src.country_codes else public_countries.country_codes end"
            if has_country
            else "case when scope.fully_public then src.country_codes end"
        ),
        "source_record_count": (
            "case when scope.fully_public then src.source_record_count else public_reports.report_count end"
            if has_report_count
            else "case when scope.fully_public then src.source_record_count end"
        ),
    }
    return source, replacements


def _scoped(marts: _Marts, table: str, rule: TableRule) -> tuple[str, dict[str, str]]:
    """FROM clause (the table as ``src``, rows limited per the rule) and column expressions replacing originals."""
    names = _names(marts.columns[table])
    plain = f"{marts.ref(table)} as src"
    if rule.rows == "public_events":
        _require("event_id" in names, f"tables.{table}: rows public_events needs an event_id column")
        return f"{plain} semi join _public_events as p on src.event_id = p.event_id", {}
    if rule.rows == "redirects_to_public_events":
        _require("current_event_id" in names, f"tables.{table}: rows {rule.rows} needs current_event_id")
        return f"{plain} semi join _public_events as p on src.current_event_id = p.event_id", {}
    if rule.rows == "public_actors":
        _require(table == "dim_actor", f"tables.{table}: rows public_actors applies to dim_actor only")
        return _actor_replacements(marts)
    if rule.rows == "public_sources":
        _require("source_name" in names, f"tables.{table}: rows public_sources needs source_name")
        bridge = marts.ref("bridge_event_source_record")
        count = (
            f"(select count(*) from {bridge} as b semi join _public_events as p on b.event_id = p.event_id "
            "where b.source_name = src.source_name)"
        )
        return f"{plain} semi join _public_sources as s on src.source_name = s.source_name", {"record_count": count}
    if rule.rows == "public_event_years":
        _require("date_day" in names, f"tables.{table}: rows public_event_years needs date_day")
        years = (
            f"select min(extract(year from e.event_date)) as first_year, max(extract(year from e.event_date)) "
            f"as last_year from {marts.ref('dim_event')} as e semi join _public_events as p on e.event_id = p.event_id"
        )
        return f"{plain}, ({years}) as years where extract(year from src.date_day) between first_year and last_year", {}
    identity = sorted(name for name in names if _is_identity_column(name))
    _require(not identity, f"tables.{table}: rows all is refused for a table with identity column(s) {identity}")
    return plain, {}


def _coarsened(expression: str, grid: decimal.Decimal) -> str:
    decimals = max(0, -grid.normalize().as_tuple().exponent)
    return f"round(round(try_cast({expression} as double) / {grid}) * {grid}, {decimals})"


def build_public(
    con: duckdb.DuckDBPyConnection, internal_db: str, public_db: str, tables: list[str], policy: PublicationPolicy
) -> PublicBuild:
    """Create ``<public_db>.main.<table>`` for every table the policy lists, from ``<internal_db>.main``.

    Guarantees: rows outside the table's rule and columns outside the policy's list never reach
    ``public_db``; coordinate columns are on the policy's grid. Tables the policy does not list are
    withheld. Raises ``PolicyError`` when the marts lack the columns needed to decide.
    """
    marts = _Marts(con, internal_db, tables)
    sources = source_decisions(con, marts, policy)
    build = PublicBuild(public_event_count=_create_public_events(con, marts, policy, sources), sources=sources)
    build.withheld_tables = sorted(set(tables) - set(policy.tables))
    for table, rule in sorted(policy.tables.items()):
        if table not in marts.columns:
            build.tables[table] = {"published": False, "reason": "no such mart"}
            continue
        source, replacements = _scoped(marts, table, rule)
        present = [column.name for column in marts.columns[table]]
        kept = [name for name in rule.columns if name in present]
        _require(kept, f"tables.{table}: none of the listed columns exist")
        select = []
        for name in kept:
            expression = replacements.get(name, f"src.{quote(name)}")
            if name in policy.coordinate_columns:
                expression = _coarsened(expression, policy.grid_degrees)
            select.append(f"{expression} as {quote(name)}")
        con.execute(
            f"create table {quote(public_db)}.main.{quote(table)} as "
            f"select * from (select {', '.join(select)} from {source}) order by all"
        )
        build.tables[table] = {
            "published": True,
            "rows": rule.rows,
            "withheld_columns": [name for name in present if name not in rule.columns],
            "missing_columns": [name for name in rule.columns if name not in present],
            "coarsened_columns": [name for name in kept if name in policy.coordinate_columns],
            "recomputed_columns": sorted(name for name in kept if name in replacements),
        }
    return build


def policy_file_label(path: Path, repo_root: Path) -> str:
    """The policy's path for the manifest: relative to the repository when inside it."""
    try:
        return path.relative_to(repo_root).as_posix()
    except ValueError:
        return str(path)
