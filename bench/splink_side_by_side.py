"""The benchmark's side-by-side with Splink 5: the same normalised mentions, a Splink model
estimated on them, scored against the same truth.

Reads a warehouse a benchmark run left (``intermediate.int_victim_mentions``: one row per victim
named in a report, with the keys our matching uses) and the generated truth. Two Splink models,
each estimated on this run's own data (u by random sampling, m by expectation maximisation on
two blockings, name term frequencies), no labels:

- events: the entity is a person in one incident (name, date, country, city, pin, violations,
  outlet); reports whose mentions match at ``--threshold`` are one event (connected components);
- actors: the entity is a person (name, country, outlet; the date only coarsely); mentions that
  match at ``--threshold`` are one actor; nameless mentions stay alone.

Usage::

    .venv/bin/python bench/splink_side_by_side.py --home WORK/home --truth WORK/sources

``WORK`` is a ``bench/matching.py run --keep --work-dir WORK`` folder. It prints our scores (from
the warehouse's marts) and Splink's, side by side, with the time each Splink step took.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Hashable, Iterable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import extraction
from bench.matching import (
    Truth,
    Warehouse,
    bcubed_scores,
    pairwise_scores,
)

VICTIM_MENTIONS = ("intermediate", "int_victim_mentions")
MENTION_COLUMNS = """
    mention_id, report_id, cast(victim_position as integer) as victim_position,
    case when is_anonymous then null else name_key end as name_key,
    case when is_anonymous then null else skeleton_key end as skeleton_key,
    country_code, city_key, latitude, longitude, event_date,
    case when event_date_precision = 'day' then event_date end as event_day,
    strftime(event_date, '%Y-%m') as event_month, violation_type_codes, organization_key
"""


def _components(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, Hashable]:
    """Connected components (union-find): node -> smallest node of its component."""
    parent = {node: node for node in nodes}

    def find(node: Hashable) -> Hashable:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in edges:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)
    return {node: find(node) for node in parent}


def _name_comparisons() -> list:
    """What both models compare of a name: the name key (with term frequencies) and its skeleton."""
    import splink.comparison_library as cl

    return [
        cl.JaroWinklerAtThresholds("name_key", [0.95, 0.88]).configure(term_frequency_adjustments=True),
        cl.ExactMatch("skeleton_key"),
    ]


def _event_settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="mention_id",
        comparisons=[
            *_name_comparisons(),
            cl.AbsoluteDateDifferenceAtThresholds(
                "event_date", input_is_string=False, metrics=["day", "day", "day"], thresholds=[1, 7, 31]
            ),
            cl.ExactMatch("city_key"),
            cl.DistanceInKMAtThresholds("latitude", "longitude", [2, 20]),
            cl.ExactMatch("violation_type_codes"),
            cl.ExactMatch("organization_key"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("country_code", "event_month"),
            block_on("skeleton_key", "country_code"),
            block_on("event_day", "country_code"),
        ],
    ), [block_on("event_day", "country_code"), block_on("skeleton_key", "country_code")]


def _actor_settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="mention_id",
        comparisons=[
            *_name_comparisons(),
            cl.ExactMatch("country_code"),
            cl.ExactMatch("organization_key"),
            cl.AbsoluteDateDifferenceAtThresholds(
                "event_date", input_is_string=False, metrics=["year", "year"], thresholds=[1, 5]
            ),
        ],
        blocking_rules_to_generate_predictions=[block_on("skeleton_key"), block_on("name_key")],
    ), [block_on("skeleton_key"), block_on("country_code", "organization_key")]


def _fit_and_link(con: duckdb.DuckDBPyConnection, table: str, settings, training_blocks, threshold: float):
    """Estimate the model on the table's own records and return the matched pairs and step times."""
    from splink import DuckDBAPI, Linker

    timings: dict[str, float] = {}
    started = time.perf_counter()
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(table), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(training_blocks[:1], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000)
    for block in training_blocks:
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    timings["train_s"] = time.perf_counter() - started
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs = con.execute(f"select mention_id_l, mention_id_r from {predictions.physical_name}").fetchall()
    timings["predict_s"] = time.perf_counter() - started
    return pairs, timings


def side_by_side(home: Path, truth_dir: Path, threshold: float) -> dict:
    truth = Truth.load(truth_dir)
    warehouse = Warehouse(home / "warehouse.duckdb")
    try:
        extraction.align_text_mentions(warehouse, truth)  # text victims: truth positions as the warehouse's
        ours_events, _ = warehouse.event_assignments()
        ours_actors, _ = warehouse.actor_assignments()
    finally:
        warehouse.close()
    con = duckdb.connect()
    con.execute(f"attach '{str(home / 'warehouse.duckdb').replace(chr(39), chr(39) * 2)}' as wh (read_only)")
    con.execute(f"create table mentions as select {MENTION_COLUMNS} from {Warehouse.ref(*VICTIM_MENTIONS)}")
    con.execute("detach wh")
    rows = con.execute("select mention_id, report_id, victim_position from mentions").fetchall()
    report_of = {mention: report for mention, report, _ in rows}
    position_of = {mention: (report, position) for mention, report, position in rows}

    event_settings, event_blocks = _event_settings()
    event_pairs, event_times = _fit_and_link(con, "mentions", event_settings, event_blocks, threshold)
    report_events = _components(
        set(report_of.values()), ((report_of[left], report_of[right]) for left, right in event_pairs)
    )
    con.execute("create table named_mentions as select * from mentions where name_key is not null")
    actor_settings, actor_blocks = _actor_settings()
    actor_pairs, actor_times = _fit_and_link(con, "named_mentions", actor_settings, actor_blocks, threshold)
    mention_actors = _components(report_of, actor_pairs)
    splink_actors = {position_of[mention]: actor for mention, actor in mention_actors.items()}

    truth_events = {key: value for key, value in truth.reports.items()}
    result = {}
    for name, events, actors in (("ours", ours_events, ours_actors), ("splink", report_events, splink_actors)):
        result[name] = {
            "events_pairwise": pairwise_scores(events, truth_events),
            "events_bcubed": bcubed_scores(events, truth_events),
            "actors_pairwise": pairwise_scores(actors, truth.mentions),
        }
    result["splink_times"] = {"events": event_times, "actors": actor_times}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", required=True, help="HRDW_HOME of a benchmark run")
    parser.add_argument("--truth", required=True, help="the generated sources folder with truth_*.csv")
    parser.add_argument("--threshold", type=float, default=0.9, help="Splink match probability to link at")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.WARNING)
    result = side_by_side(Path(args.home), Path(args.truth), args.threshold)
    print("model   events pairwise P / R / F1   events B-cubed F1   actors pairwise P / R / F1")
    for name in ("ours", "splink"):
        scores = result[name]
        ep, eb, ap = scores["events_pairwise"], scores["events_bcubed"], scores["actors_pairwise"]
        print(
            f"{name:7} {ep.precision:.3f} / {ep.recall:.3f} / {ep.f1:.3f}        {eb.f1:.3f}"
            f"               {ap.precision:.3f} / {ap.recall:.3f} / {ap.f1:.3f}"
        )
    times = result["splink_times"]
    print(
        "splink seconds: events train {events[train_s]:.1f} predict {events[predict_s]:.1f}; "
        "actors train {actors[train_s]:.1f} predict {actors[predict_s]:.1f}".format(**times)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
