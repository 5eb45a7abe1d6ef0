"""A small hand-made warehouse for the publishing tests, and a check that it has the real marts' shape.

``write_home`` builds, under HRDW_HOME, what ``publish()`` reads: ``warehouse.duckdb`` with schema
``marts`` (every mart with its real columns, few rows), dbt's ``run_results.json`` and landing
load reports. ``scenario()`` holds public and withheld events, actors and sources; every value
that must never be public contains the word SENTINEL (or is one of ``NUMERIC_SENTINELS``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import yaml

REPO = Path(__file__).resolve().parent.parent
BATCH = "20261128T000000Z"  # the batch id is withheld (bridge batch_id): not the run time
LOADED_AT = dt.datetime(2026, 11, 29, 1, 2, 3)

# The real marts' columns and types (tests/test_e2e.py checks them against a real build).
MART_COLUMNS: dict[str, str] = {
    "bridge_event_actor": "event_actor_id VARCHAR, event_id VARCHAR, actor_id VARCHAR, involvement VARCHAR, "
    "report_count BIGINT",
    "bridge_event_source_record": "event_id VARCHAR, source_name VARCHAR, source_record_id VARCHAR, "
    "source_file VARCHAR, source_row INTEGER, report_id VARCHAR, match_score DOUBLE, batch_id VARCHAR, "
    "record_hash VARCHAR, event_date_raw VARCHAR, event_date_issue VARCHAR, match_rule VARCHAR",
    "dim_actor": "actor_id VARCHAR, actor_kind VARCHAR, display_name VARCHAR, name_variants VARCHAR, "
    "original_script_names VARCHAR, name_key VARCHAR, skeleton_key VARCHAR, actor_role VARCHAR, "
    "actor_role_code VARCHAR, actor_role_source_label VARCHAR, gender VARCHAR, organizations VARCHAR, "
    "country_codes VARCHAR, event_count BIGINT, "
    "source_record_count BIGINT, is_anonymous BOOLEAN",
    "dim_country": "country_code VARCHAR, iso3_code VARCHAR, country_name VARCHAR, official_name VARCHAR, "
    "is_historical BOOLEAN, known_names VARCHAR",
    "dim_date": "date_day DATE, calendar_year BIGINT, calendar_quarter BIGINT, calendar_month BIGINT, "
    "day_of_month BIGINT, iso_day_of_week BIGINT, calendar_year_month VARCHAR",
    "dim_event": "event_id VARCHAR, event_date DATE, event_date_precision VARCHAR, event_date_source VARCHAR, "
    "country_code VARCHAR, country_source VARCHAR, city VARCHAR, city_original VARCHAR, admin1 VARCHAR, "
    "city_source VARCHAR, latitude DOUBLE, "
    "longitude DOUBLE, coordinates_precision VARCHAR, coordinates_source VARCHAR, title VARCHAR, "
    "title_is_built BOOLEAN, victim_names VARCHAR, "
    "violation_type_codes VARCHAR, perpetrator_type_source VARCHAR, monitoring_status VARCHAR, "
    "monitoring_status_source VARCHAR, description VARCHAR, description_source VARCHAR, "
    "summary_for_publication VARCHAR, conflicting_fields VARCHAR, source_record_count BIGINT, "
    "source_count BIGINT, source_names VARCHAR, published_in_all_sources BOOLEAN, "
    "was_split_by_cluster_guard BOOLEAN, first_loaded_at TIMESTAMP, last_loaded_at TIMESTAMP, "
    "victim_count BIGINT, event_year BIGINT, perpetrator_type VARCHAR",
    "dim_source": "source_name VARCHAR, kind VARCHAR, entity VARCHAR, reliability VARCHAR, description VARCHAR, "
    "attribution VARCHAR, organization VARCHAR, last_loaded_at TIMESTAMP, last_batch_id VARCHAR, publish BOOLEAN, "
    "record_count BIGINT, last_batch_night DATE, last_batch_rows_loaded INTEGER, last_batch_rows_quarantined INTEGER, "
    "is_stale BOOLEAN",
    "dim_violation_type": "violation_type_code VARCHAR, violation_type_label VARCHAR, category VARCHAR, "
    "huridocs_act_code VARCHAR, huridocs_act_label VARCHAR, description VARCHAR, mapped_source_labels VARCHAR",
    "event_id_redirects": "retired_event_id VARCHAR, current_event_id VARCHAR, retired_at TIMESTAMP WITH TIME ZONE",
    "fct_violation": "violation_id VARCHAR, event_id VARCHAR, actor_id VARCHAR, violation_type_code VARCHAR, "
    "event_date DATE, event_date_precision VARCHAR, country_code VARCHAR, perpetrator_type VARCHAR, "
    "report_count BIGINT, source_labels VARCHAR",
    "fct_sdg_16_10_1": "sdg_cell_id VARCHAR, event_year BIGINT, country_code VARCHAR, sdg_act VARCHAR, "
    "sdg_victim_group VARCHAR, sex VARCHAR, perpetrator_category VARCHAR, verified_cases BIGINT, "
    "unverified_cases BIGINT",
    "flat_events": "event_id VARCHAR, event_date DATE, event_date_precision VARCHAR, event_year BIGINT, "
    "country_code VARCHAR, country_name VARCHAR, admin1 VARCHAR, city VARCHAR, latitude DOUBLE, longitude DOUBLE, "
    "coordinates_precision VARCHAR, title VARCHAR, violation_types VARCHAR, violation_type_codes VARCHAR, "
    "perpetrator_type VARCHAR, perpetrator_names VARCHAR, victim_names VARCHAR, victim_count BIGINT, "
    "victim_categories VARCHAR, fatalities BIGINT, source_count BIGINT, source_names VARCHAR, "
    "monitoring_status VARCHAR, summary_for_publication VARCHAR, description VARCHAR",
    "flat_victim_violations": "violation_id VARCHAR, event_id VARCHAR, event_date DATE, event_date_precision VARCHAR, "
    "country_code VARCHAR, country_name VARCHAR, admin1 VARCHAR, city VARCHAR, victim_id VARCHAR, "
    "victim_name VARCHAR, victim_kind VARCHAR, victim_role VARCHAR, victim_gender VARCHAR, "
    "victim_organizations VARCHAR, violation_type_code VARCHAR, violation_type_label VARCHAR, "
    "huridocs_act_label VARCHAR, perpetrator_type VARCHAR, monitoring_status VARCHAR, source_names VARCHAR, "
    "report_count BIGINT",
    "review_queue": "review_item_id VARCHAR, left_report_id VARCHAR, right_report_id VARCHAR, "
    "left_event_id VARCHAR, right_event_id VARCHAR, currently_same_event BOOLEAN, review_reason VARCHAR, "
    "event_score DOUBLE, match_probability DOUBLE, name_level VARCHAR, date_level VARCHAR, country_level VARCHAR, "
    "place_level VARCHAR, violation_level VARCHAR, organization_level VARCHAR, perpetrator_level VARCHAR, "
    "blocking_rules VARCHAR",
}

HOSTILE = {
    "title": '=HYPERLINK("http://evil","x")',
    "city": "+1+1",
    "summary_for_publication": "-2+3",
    "victim_names": "@SUM(A1)",
    "conflicting_fields": "\tleading tab",
    "perpetrator_type_source": "\rleading carriage return",
}
PUBLIC_EVENTS = {"ev_public_active", "ev_public_open", "ev_hostile"}
NUMERIC_SENTINELS = ("987654", "42.8746", "74.5698", "41.23456", "75.34567", BATCH)
TEST_POLICY_SOURCES = {
    "open_wire": {"publish": True, "publish_without_monitoring_status": True},
    "partner_sheet": {"publish": True},
    "sentinel_secret_partner": {"publish": True},  # the source YAML says publish: false, which wins
}


def _event(event_id: str, sources: list[str], status: str | None, **values: Any) -> dict[str, Any]:
    year = values.pop("year", 2021)
    return {
        "event_id": event_id,
        "event_date": dt.date(year, 5, 1),
        "event_date_precision": "day",
        "event_date_source": sources[0],
        "country_code": "KG",
        "country_source": sources[0],
        "title": f"Title of {event_id}",
        "victim_names": f"Victim of {event_id}",
        "violation_type_codes": "arbitrary_detention",
        "monitoring_status": status,
        "description": f"SENTINEL internal description of {event_id}",
        "description_source": sources[0],
        "source_record_count": len(sources),
        "source_count": len(sources),
        "source_names": "|".join(sorted(sources)),
        "published_in_all_sources": True,
        "was_split_by_cluster_guard": False,
        "first_loaded_at": LOADED_AT,
        "last_loaded_at": LOADED_AT,
        "victim_count": 1,
        "event_year": year,
        "perpetrator_type": "state",
        **values,
    }


def _actor(actor_id: str, name: str, events: list[str], **values: Any) -> dict[str, Any]:
    return {
        "actor_id": actor_id,
        "actor_kind": "person",
        "display_name": name,
        "name_variants": name,
        "original_script_names": f"SENTINEL original script of {actor_id}",
        "name_key": f"SENTINEL name key {actor_id}",
        "skeleton_key": f"SENTINEL skeleton {actor_id}",
        "actor_role": "Journalist",
        "actor_role_code": "journalist",
        "gender": f"SENTINEL gender of {actor_id}",
        "organizations": "Public Outlet",
        "country_codes": "KG",
        "event_count": len(events),
        "source_record_count": len(events),
        "is_anonymous": False,
        "_events": events,
        **values,
    }


def scenario() -> dict[str, list[dict[str, Any]]]:
    """Three public events and seven withheld ones, each withheld for one reason."""
    events = [
        _event(
            "ev_public_active",
            ["partner_sheet"],
            "Active",
            latitude=42.8746,
            longitude=74.5698,
            summary_for_publication="Public summary of the detention",
            title="Journalist detained in Bishkek",
        ),
        _event("ev_public_open", ["open_wire"], None, latitude=-33.86785, longitude=151.20732),
        _event("ev_hostile", ["open_wire"], None, latitude=40.5283, longitude=-70.6601, **HOSTILE),
        _event(
            "ev_sentinel_pending",
            ["partner_sheet"],
            "Pending",
            year=2019,
            latitude=41.23456,
            longitude=75.34567,
            title="SENTINEL pending title",
        ),
        _event(
            "ev_sentinel_unpublished", ["partner_sheet"], "Active", published_in_all_sources=False, country_code="TJ"
        ),
        _event("ev_sentinel_secret_source", ["open_wire", "sentinel_secret_partner"], None),
        _event("ev_sentinel_unlisted", ["sentinel_unlisted_feed"], "active"),
        _event("ev_sentinel_no_status", ["partner_sheet"], None),
        # the latest report says Active, another source's report said otherwise: not yet agreed
        _event("ev_sentinel_status_conflict", ["partner_sheet"], "Active", conflicting_fields="monitoring_status"),
        _event("ev_sentinel_mixed_no_status", ["open_wire", "partner_sheet"], " "),
    ]
    actors = [
        _actor("ac_public_a", "Aida Public", ["ev_public_active"]),
        _actor("ac_public_b", "Ben Open", ["ev_public_open"]),
        _actor("ac_hostile", HOSTILE["title"], ["ev_hostile"], organizations="+1+1", name_variants="@SUM(A1)"),
        _actor(
            "ac_mixed",
            "Mixed Person",
            ["ev_public_active", "ev_sentinel_unpublished"],
            name_variants="Mixed Person | SENTINEL variant",
            organizations="SENTINEL mixed outlet",
            country_codes="KG|TJ",
        ),
        _actor(
            "ac_police",
            "Police",
            ["ev_public_active", "ev_sentinel_pending"],
            actor_kind="perpetrator_group",
            _involvement="perpetrator",
        ),
    ]
    for event in events:
        if event["event_id"].startswith("ev_sentinel"):
            actors.append(
                _actor(f"ac_{event['event_id']}", f"SENTINEL victim of {event['event_id']}", [event["event_id"]])
            )
    sources = [
        {"source_name": "open_wire", "kind": "cpj_csv", "publish": True, "description": "An open wire service"},
        {"source_name": "partner_sheet", "kind": "spreadsheet", "publish": True, "description": "A partner's sheet"},
        {
            "source_name": "sentinel_secret_partner",
            "kind": "spreadsheet",
            "publish": False,
            "description": "SENTINEL secret partner",
        },
        {"source_name": "sentinel_unlisted_feed", "kind": "uwazi_csv", "publish": True, "description": "SENTINEL"},
    ]
    for source in sources:
        source.update(
            entity="reports", reliability="medium", attribution=f"Data of {source['source_name']}",
            last_loaded_at=LOADED_AT, last_batch_id=BATCH, last_batch_night=dt.date(2026, 11, 28),
            last_batch_rows_loaded=1, last_batch_rows_quarantined=0, is_stale=False,
            record_count=sum(source["source_name"] in e["source_names"].split("|") for e in events),
        )  # fmt: skip
    return {
        "dim_event": events,
        "dim_actor": actors,
        "dim_source": sources,
        "event_id_redirects": [
            {"retired_event_id": "ev_retired_public", "current_event_id": "ev_public_active", "retired_at": LOADED_AT},
            {"retired_event_id": "ev_sentinel_retired", "current_event_id": "ev_sentinel_pending"},
        ],
        "review_queue": [
            {"review_item_id": "rq1", "left_report_id": "partner_sheet:ev_public_active", "review_reason": "SENTINEL"}
        ],
        "dim_country": [
            {"country_code": "KG", "iso3_code": "KGZ", "country_name": "Kyrgyzstan", "is_historical": False},
            {"country_code": "TJ", "iso3_code": "TJK", "country_name": "Tajikistan", "is_historical": False},
        ],
        "dim_violation_type": [
            {"violation_type_code": "arbitrary_detention", "violation_type_label": "Arbitrary detention"},
            {"violation_type_code": "killing", "violation_type_label": "Killing"},
        ],
    }


def _derived_rows(rows: dict[str, list[dict[str, Any]]], batch: str) -> dict[str, list[dict[str, Any]]]:
    """Bridges and violations from the events and actors (one record per event and source)."""
    derived: dict[str, list[dict[str, Any]]] = {
        "bridge_event_actor": [],
        "fct_violation": [],
        "bridge_event_source_record": [],
        "flat_events": [],
    }
    events = {event["event_id"]: event for event in rows["dim_event"]}
    for actor in rows["dim_actor"]:
        involvement = actor.get("_involvement", "victim")
        for event_id in actor["_events"]:
            withheld = event_id.startswith("ev_sentinel")
            derived["bridge_event_actor"].append(
                {"event_actor_id": f"{event_id}:{actor['actor_id']}:{involvement}", "event_id": event_id,
                 "actor_id": actor["actor_id"], "involvement": involvement, "report_count": 1}
            )  # fmt: skip
            if involvement == "victim":
                derived["fct_violation"].append(
                    {"violation_id": f"v:{event_id}:{actor['actor_id']}", "event_id": event_id,
                     "actor_id": actor["actor_id"], "violation_type_code": "arbitrary_detention",
                     "event_date": events[event_id]["event_date"], "country_code": events[event_id]["country_code"],
                     "report_count": 1, "source_labels": "SENTINEL label" if withheld else "Detention"}
                )  # fmt: skip
    flat_columns = [part.strip().split(" ")[0] for part in MART_COLUMNS["flat_events"].split(",")]
    for event in rows["dim_event"]:
        # the flat export as the report and the exports read it: the event's own values, labelled
        derived["flat_events"].append(
            {**{name: event.get(name) for name in flat_columns}, "violation_types": "Arbitrary detention",
             "source_count": event["source_count"]}
        )  # fmt: skip
        for source in event["source_names"].split("|"):
            record = f"{event['event_id']}-{source}"
            derived["bridge_event_source_record"].append(
                {"event_id": event["event_id"], "source_name": source, "source_record_id": record,
                 "source_file": "SENTINEL_partner_file.xlsx", "source_row": 987654, "report_id": f"{source}:{record}",
                 "batch_id": batch, "record_hash": "SENTINELhash", "match_rule": "only report of its event"}
            )  # fmt: skip
    return derived


def write_marts(path: Path, rows: dict[str, list[dict[str, Any]]], batch: str = BATCH) -> None:
    """A warehouse file with schema ``marts``: every mart with the real columns, the given rows (others NULL)."""
    rows = {**rows, **_derived_rows(rows, batch)} if "dim_actor" in rows else rows
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists marts")
        for table, columns in MART_COLUMNS.items():
            con.execute(f"create or replace table marts.{table} ({columns})")
            names = [part.strip().split(" ")[0] for part in columns.split(",")]
            for row in rows.get(table, []):
                values = [row.get(name) for name in names]
                con.execute(f"insert into marts.{table} values ({', '.join('?' * len(names))})", values)
        con.execute(
            """
            insert into marts.dim_date
            select d, year(d), quarter(d), month(d), day(d), isodow(d), strftime(d, '%Y-%m')
            from (select min(event_year) as first, max(event_year) as last from marts.dim_event),
                 generate_series(make_date(first, 1, 1), make_date(last, 12, 31), interval 1 day) as days(d)
            """
        )
    finally:
        con.close()


def write_run_results(
    home: Path, results: list[tuple[str, str, str]] | None = None, invocation_id: str | None = None
) -> Path:
    """dbt's run_results.json (v6 layout) with ``(unique_id, status, message)`` results."""
    results = results or [
        ("model.hrdw.dim_event", "success", "OK"),
        ("test.hrdw.unique_dim_event_event_id", "pass", ""),
    ]
    document = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
            "dbt_version": "1.11.16",
            "generated_at": "2026-11-29T03:00:00Z",
            "invocation_id": invocation_id or TEST_INVOCATION,
        },
        "results": [{"unique_id": uid, "status": status, "message": message} for uid, status, message in results],
        "elapsed_time": 4.25,
        "args": {"which": "build"},
    }
    path = home / "dbt" / "target" / "run_results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))
    return path


TEST_INVOCATION = "0f0e0d0c-test-invocation"


def write_build_log(
    warehouse: Path,
    invocation_id: str = TEST_INVOCATION,
    *,
    finished: bool = True,
    command: str = "build",
    selection: str = "",
    clock_behind_hours: int = 0,
) -> None:
    """A row in the shape the dbt project's hooks write (dbt_project/macros/utils/hrdw_build_log.sql),
    numbered after the rows already there; ``clock_behind_hours``: written by a process whose clock
    (or time zone) is that far behind."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists hrdw_ops")
        con.execute(
            "create table if not exists hrdw_ops.dbt_invocations (sequence_number integer, invocation_id varchar, "
            "command varchar, selection varchar, started_at timestamp, finished_at timestamp, failed_nodes integer, "
            "sources_built varchar, source_notes varchar)"
        )
        con.execute(
            "insert into hrdw_ops.dbt_invocations select coalesce(max(sequence_number), 0) + 1, ?, ?, ?, "
            "cast(current_timestamp as timestamp) - to_hours(?), "
            "case when ? then cast(current_timestamp as timestamp) - to_hours(?) end, 0, '[]', '{}' "
            "from hrdw_ops.dbt_invocations",
            [invocation_id, command, selection, clock_behind_hours, finished, clock_behind_hours],
        )
    finally:
        con.close()


def write_policy(path: Path, sources: dict[str, dict[str, bool]] | None = None) -> Path:
    """The repository's policy with its ``sources`` replaced (tables, columns and rules as configured)."""
    document = yaml.safe_load((REPO / "config" / "publication_policy.yml").read_text())
    document["sources"] = sources if sources is not None else TEST_POLICY_SOURCES
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def write_home(home: Path, rows: dict[str, list[dict[str, Any]]] | None = None, batch: str = BATCH) -> None:
    """Warehouse and dbt results, for ``publish()``."""
    rows = rows if rows is not None else scenario()
    path = home / "warehouse.duckdb"
    path.unlink(missing_ok=True)
    write_marts(path, rows, batch)
    write_build_log(path)
    write_run_results(home)


def test_hand_made_marts_have_the_documented_columns(tmp_path):
    """The hand-made marts have exactly the columns dbt documents for each mart (and the e2e test checks
    the documentation against a real build), so the publishing tests run on the real shape."""
    documented = yaml.safe_load((REPO / "dbt_project" / "models" / "marts" / "_marts__models.yml").read_text())
    expected = {model["name"]: sorted(column["name"] for column in model["columns"]) for model in documented["models"]}
    write_marts(tmp_path / "w.duckdb", scenario())
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    actual = {
        table: sorted(row[0] for row in con.execute(f"describe marts.{table}").fetchall()) for table in MART_COLUMNS
    }
    assert actual == expected
    assert con.execute("select count(*) from marts.dim_event").fetchone()[0] == 10
