"""Matching benchmark: generate a ground truth, run the real pipeline on it, score or calibrate.

    python bench/matching.py run --reports 10000 --seed 2
    python bench/matching.py calibrate --reports 10000 --seed 1
    python bench/matching.py score --home HRDW_HOME --truth SOURCES_DIR   # score a run already made

``run`` and ``calibrate`` generate ``--reports`` reports with ``bench/generator.py`` into a
temporary folder (``--work-dir`` to choose it, ``--keep`` to keep it), then run the real nightly
sync, ``python -m orchestration.sync``, as a subprocess with ``HRDW_SOURCES_DIR`` and ``HRDW_HOME`` (and
``AIRFLOW_HOME``) pointed into that folder, and read ``HRDW_HOME/warehouse.duckdb`` read-only.
``--home`` with ``--truth`` skips generation and pipeline and reads an existing warehouse.

What is read from the warehouse (every table is optional; a missing one makes its metrics "n/a"):

- events: ``marts.bridge_event_source_record`` (source_name, source_record_id -> event_id);
- actors: ``intermediate.int_mentions`` (source_name, source_record_id, victim_position ->
  actor_id; the table's act grain repeats a victim once per violation type);
- candidate pairs: ``intermediate.int_mention_pairs_scored`` (left_mention_id, right_mention_id,
  score columns, and comparison levels in columns named ``<comparison>_level``); a mention id is
  mapped to its report through ``int_mentions`` (or the pair's ``left_report_id``/``right_report_id``).

Metrics (``run``): blocking recall (share of true same-event pairs of distinct reports for which
at least one candidate mention pair joins their mentions), pairwise and B-cubed precision, recall
and F1 for events (items: reports) and actors (items: victim mentions), and the relative error of
the number of clusters, and the review queue (``marts.review_queue``): the share of events its
items touch and, per reason, how many queued decisions the truth says are wrong. Truth items the
warehouse lacks count as singletons. The last line is
``events pairwise_f1=<x> b3_f1=<x> blocking_recall=<x>``.

``calibrate`` labels every candidate pair of mentions of distinct reports as same event or not
from the truth and estimates, for every ``*_level`` column, m = P(level | same event) and
u = P(level | different events) among candidate pairs (Laplace smoothing, alpha 1, over the levels
seen plus those already in the weights file), writes ``dbt_project/seeds/match_weights.csv``
(``comparison,level,m_probability,u_probability,match_weight``; ``comparison`` is the column name
without ``_level``; ``match_weight = log2(m/u)``), recomputes each pair's score as the sum of the
new weights over all comparisons (as ``int_mention_pairs_scored.event_score`` sums them), and
finds the threshold (link reports whose best pair scores at least it, then close transitively)
that maximises pairwise F1 of the events on this seed, and the actor threshold likewise. Weights
and thresholds go into the one file (thresholds as rows of model ``threshold``, which the macro
``hrdw_match_threshold`` reads); ``--calibration-out`` also writes the report (counts, F1 curve).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/matching.py` puts only bench/ on sys.path
    sys.path.insert(0, str(REPO_ROOT))

from bench import extraction  # noqa: E402
from bench.generator import generate  # noqa: E402

DEFAULT_WEIGHTS = REPO_ROOT / "dbt_project" / "seeds" / "match_weights.csv"
SMOOTHING_ALPHA = 1.0
# Thresholds whose pairwise F1 is within this of the best count as equally good, and the highest
# (most conservative) of them is taken: merging two attacks is worse than leaving a duplicate for
# review, and the argmax of a flat F1 curve moves from one seed to the next.
F1_TOLERANCE = 0.002
LOGISTIC_L2 = 1.0
BRIDGE = ("marts", "bridge_event_source_record")
MENTIONS = ("intermediate", "int_mentions")
PAIRS = ("intermediate", "int_mention_pairs_scored")


# --- clustering metrics ----------------------------------------------------------------------


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    detail: dict = field(default_factory=dict)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _aligned(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> dict[Hashable, Hashable]:
    """Predicted cluster of every truth item; an item the prediction lacks is a cluster of its own."""
    missing = object()
    aligned = {}
    for item in truth:
        cluster = predicted.get(item, missing)
        aligned[item] = ("__missing__", item) if cluster is missing or cluster is None else ("c", cluster)
    return aligned


def contingency(
    predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]
) -> tuple[Counter, Counter, Counter]:
    """(|predicted ∩ true| per cluster pair, predicted cluster sizes, true cluster sizes) over the truth items."""
    aligned = _aligned(predicted, truth)
    cells: Counter = Counter()
    predicted_sizes: Counter = Counter()
    true_sizes: Counter = Counter()
    for item, true_cluster in truth.items():
        cluster = aligned[item]
        cells[(cluster, true_cluster)] += 1
        predicted_sizes[cluster] += 1
        true_sizes[true_cluster] += 1
    return cells, predicted_sizes, true_sizes


def pairwise_scores(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """Precision and recall over pairs of items put in one cluster (1.0 when there is no pair to judge)."""
    cells, predicted_sizes, true_sizes = contingency(predicted, truth)
    true_positive = sum(_pairs(n) for n in cells.values())
    predicted_pairs = sum(_pairs(n) for n in predicted_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    detail = {"true_positive_pairs": true_positive, "predicted_pairs": predicted_pairs, "true_pairs": true_pairs}
    return Scores(precision, recall, _f1(precision, recall), detail)


def bcubed_scores(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """B-cubed: per item, the share of its predicted cluster that is truly with it (precision) and the
    share of its true cluster that was predicted with it (recall), averaged over the truth items."""
    cells, predicted_sizes, true_sizes = contingency(predicted, truth)
    items = sum(true_sizes.values())
    if not items:
        return Scores(1.0, 1.0, 1.0, {"items": 0})
    precision = sum(n * n / predicted_sizes[cluster] for (cluster, _), n in cells.items()) / items
    recall = sum(n * n / true_sizes[true_cluster] for (_, true_cluster), n in cells.items()) / items
    return Scores(precision, recall, _f1(precision, recall), {"items": items})


def entity_count_error(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> dict:
    """Relative error of the number of clusters over the truth items: (predicted - true) / true."""
    _, predicted_sizes, true_sizes = contingency(predicted, truth)
    true_count, predicted_count = len(true_sizes), len(predicted_sizes)
    error = (predicted_count - true_count) / true_count if true_count else 0.0
    return {"predicted": predicted_count, "true": true_count, "relative_error": error}


# --- truth and warehouse ---------------------------------------------------------------------


@dataclass
class Truth:
    reports: dict[str, str]  # report_id (source_name:source_record_id) -> true_event_id
    mentions: dict[tuple[str, int], str]  # (report_id, victim_position) -> true_actor_id
    directory: Path
    # (report_id, victim_position) -> the forms the record writes the victim's name in (may be empty)
    names: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    text_sources: frozenset[str] = frozenset()  # sources whose victims are named only in text
    source_kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Truth:
        reports, mentions, names = {}, {}, {}
        with (directory / "truth_reports.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                reports[report_id(row["source_name"], row["source_record_id"])] = row["true_event_id"]
        with (directory / "truth_mentions.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (report_id(row["source_name"], row["source_record_id"]), int(row["victim_position"]))
                mentions[key] = row["true_actor_id"]
                forms = (row.get("victim_name_forms") or row.get("victim_name") or "").split("|")
                names[key] = tuple(form for form in forms if form)
        text_sources, kinds = set(), {}
        for path in sorted(directory.glob("*.yml")):
            spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if isinstance(spec, dict) and spec.get("name"):
                kinds[spec["name"]] = str(spec.get("kind", ""))
                if spec.get("victims_from_text"):
                    text_sources.add(spec["name"])
        return cls(reports, mentions, directory, names, frozenset(text_sources), kinds)


def report_id(source_name: str, source_record_id: str) -> str:
    """The warehouse's report key (staging contract: ``<source_name>:<source_record_id>``)."""
    return f"{source_name}:{source_record_id}"


class Warehouse:
    """Read-only access to a warehouse file, tolerant of tables and columns that do not exist (yet)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = duckdb.connect()
        self.con.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as wh (read_only)")

    def close(self) -> None:
        self.con.close()

    def columns(self, schema: str, table: str) -> list[str]:
        rows = self.con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = 'wh' and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        return [row[0] for row in rows]

    def has(self, schema: str, table: str, *columns: str) -> bool:
        present = self.columns(schema, table)
        return bool(present) and all(column in present for column in columns)

    @staticmethod
    def ref(schema: str, table: str) -> str:
        return f'wh."{schema}"."{table}"'

    def event_assignments(self) -> tuple[dict[str, str], int] | None:
        """(report_id -> event_id, number of reports the bridge puts in more than one event)."""
        if not self.has(*BRIDGE, "source_name", "source_record_id", "event_id"):
            return None
        rows = self.con.execute(
            f"select source_name, source_record_id, min(event_id), count(distinct event_id) "
            f"from {self.ref(*BRIDGE)} group by source_name, source_record_id"
        ).fetchall()
        return {report_id(s, r): e for s, r, e, _ in rows}, sum(1 for *_, n in rows if n > 1)

    def actor_assignments(self) -> tuple[dict[tuple[str, int], str], int] | None:
        """((report_id, victim_position) -> actor_id, number of victim mentions with more than one actor)."""
        if not self.has(*MENTIONS, "source_name", "source_record_id", "victim_position", "actor_id"):
            return None
        rows = self.con.execute(
            f"select source_name, source_record_id, cast(victim_position as integer), min(actor_id), "
            f"count(distinct actor_id) from {self.ref(*MENTIONS)} group by all"
        ).fetchall()
        return {(report_id(s, r), p): a for s, r, p, a, _ in rows}, sum(1 for *_, n in rows if n > 1)

    def mention_reports_sql(self) -> str | None:
        """A select of (mention_id, report_key, victim_position) for every mention (the position null
        when no table gives it), or None when nothing maps mentions to reports."""
        mentions = self.ref(*MENTIONS)
        position = (
            "cast(victim_position as integer)" if self.has(*MENTIONS, "victim_position") else "cast(null as integer)"
        )
        if self.has(*MENTIONS, "mention_id", "source_name", "source_record_id"):
            return (
                f"select distinct mention_id, source_name || ':' || source_record_id as report_key, "
                f"{position} as victim_position from {mentions}"
            )
        if self.has(*MENTIONS, "mention_id", "report_id"):
            return f"select distinct mention_id, report_id as report_key, {position} as victim_position from {mentions}"
        if self.has(*PAIRS, "left_mention_id", "right_mention_id", "left_report_id", "right_report_id"):
            pairs = self.ref(*PAIRS)
            return (
                f"select left_mention_id as mention_id, left_report_id as report_key, "
                f"cast(null as integer) as victim_position from {pairs} union "
                f"select right_mention_id, right_report_id, cast(null as integer) from {pairs}"
            )
        return None

    def level_columns(self) -> list[str]:
        return [column for column in self.columns(*PAIRS) if column.endswith("_level")]


def load_truth_table(con: duckdb.DuckDBPyConnection, truth: Truth) -> None:
    con.execute("create or replace temp table truth_reports (report_key varchar, true_event_id varchar)")
    con.executemany("insert into truth_reports values (?, ?)", list(truth.reports.items()))
    con.execute(
        "create or replace temp table truth_mentions (report_key varchar, victim_position integer, "
        "true_actor_id varchar)"
    )
    con.executemany(
        "insert into truth_mentions values (?, ?, ?)",
        [(key, position, actor) for (key, position), actor in truth.mentions.items()],
    )


def candidate_pairs_sql(warehouse: Warehouse, extra_columns: Iterable[str] = ()) -> str | None:
    """Candidate mention pairs of distinct reports, with both report keys and the truth label."""
    mentions = warehouse.mention_reports_sql()
    if mentions is None or not warehouse.has(*PAIRS, "left_mention_id", "right_mention_id"):
        return None
    extra = "".join(f', pairs."{column}"' for column in extra_columns)
    return f"""
        with mention_reports as ({mentions})
        select
            least(left_side.report_key, right_side.report_key) as report_a,
            greatest(left_side.report_key, right_side.report_key) as report_b,
            truth_left.true_event_id is not null and truth_right.true_event_id is not null as labelled,
            coalesce(truth_left.true_event_id = truth_right.true_event_id, false) as is_match,
            actor_left.true_actor_id = actor_right.true_actor_id as same_actor
            {extra}
        from {warehouse.ref(*PAIRS)} as pairs
        inner join mention_reports as left_side on pairs.left_mention_id = left_side.mention_id
        inner join mention_reports as right_side on pairs.right_mention_id = right_side.mention_id
        left join truth_reports as truth_left on left_side.report_key = truth_left.report_key
        left join truth_reports as truth_right on right_side.report_key = truth_right.report_key
        left join truth_mentions as actor_left
            on left_side.report_key = actor_left.report_key and left_side.victim_position = actor_left.victim_position
        left join truth_mentions as actor_right
            on right_side.report_key = actor_right.report_key
            and right_side.victim_position = actor_right.victim_position
        where left_side.report_key <> right_side.report_key
    """


def blocking_recall(warehouse: Warehouse, truth: Truth) -> dict | None:
    """Share of true same-event pairs of distinct reports joined by at least one candidate mention pair."""
    candidates = candidate_pairs_sql(warehouse)
    if candidates is None:
        return None
    load_truth_table(warehouse.con, truth)
    row = warehouse.con.execute(
        f"""
        with candidates as (select distinct report_a, report_b from ({candidates})),
        true_pairs as (
            select left_side.report_key as report_a, right_side.report_key as report_b,
                split_part(left_side.report_key, ':', 1) = split_part(right_side.report_key, ':', 1) as same_source
            from truth_reports as left_side
            inner join truth_reports as right_side
                on left_side.true_event_id = right_side.true_event_id and left_side.report_key < right_side.report_key
        )
        select
            count(*),
            count(candidates.report_a),
            count(*) filter (where not same_source),
            count(candidates.report_a) filter (where not same_source),
            (select count(*) from candidates)
        from true_pairs
        left join candidates using (report_a, report_b)
        """
    ).fetchone()
    true_pairs, found, cross, cross_found, candidate_count = row
    reachable = _reachable_pairs(warehouse, candidates)
    by_source_pair = warehouse.con.execute(
        f"""
        with candidates as (select distinct report_a, report_b from ({candidates}))
        select
            least(split_part(left_side.report_key, ':', 1), split_part(right_side.report_key, ':', 1)) as source_a,
            greatest(split_part(left_side.report_key, ':', 1), split_part(right_side.report_key, ':', 1)) as source_b,
            count(*) as true_pairs,
            count(candidates.report_a) as found
        from truth_reports as left_side
        inner join truth_reports as right_side
            on left_side.true_event_id = right_side.true_event_id and left_side.report_key < right_side.report_key
        left join candidates
            on candidates.report_a = left_side.report_key and candidates.report_b = right_side.report_key
        group by all
        order by found / count(*), count(*) desc, source_a, source_b
        """
    ).fetchall()
    return {
        "by_source_pair": [
            {"sources": f"{a} ~ {b}", "true_pairs": n, "found": f, "recall": f / n} for a, b, n, f in by_source_pair
        ],
        "recall": found / true_pairs if true_pairs else 1.0,
        "true_pairs": true_pairs,
        "found": found,
        "cross_source_recall": cross_found / cross if cross else 1.0,
        "same_source_recall": (found - cross_found) / (true_pairs - cross) if true_pairs - cross else 1.0,
        "candidate_report_pairs": candidate_count,
        "reachable": reachable,
        "reachable_recall": reachable / true_pairs if true_pairs else 1.0,
    }


def _reachable_pairs(warehouse: Warehouse, candidates: str) -> int:
    """True same-event report pairs connected through candidate pairs *inside their event*.

    Pair completeness (``recall`` above) asks for a direct candidate pair. Clustering is
    transitive, so a pair of reports naming different victims of one attack (the CPJ row of one
    victim, the form of another) can still meet through a third report; this counts the pairs the
    candidate graph restricted to true pairs connects, i.e. the recall blocking leaves possible.
    """
    edges = warehouse.con.execute(
        f"""
        with candidates as (select distinct report_a, report_b from ({candidates}))
        select candidates.report_a, candidates.report_b
        from candidates
        inner join truth_reports as left_side on candidates.report_a = left_side.report_key
        inner join truth_reports as right_side on candidates.report_b = right_side.report_key
        where left_side.true_event_id = right_side.true_event_id
        """
    ).fetchall()
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in edges:
        parent[find(left)] = find(right)
    components: dict[tuple[str, str], int] = {}
    truth_rows = warehouse.con.execute("select report_key, true_event_id from truth_reports").fetchall()
    for report_key, true_event_id in truth_rows:
        key = (true_event_id, find(report_key))
        components[key] = components.get(key, 0) + 1
    return sum(size * (size - 1) // 2 for size in components.values())


# --- scoring ---------------------------------------------------------------------------------


def _clustering_scores(
    assigned: Mapping[Hashable, Hashable], several: int, truth: Mapping[Hashable, Hashable], several_key: str
) -> dict:
    """Pairwise, B-cubed and entity-count scores of one clustering (events or actors) against the truth."""
    return {
        "pairwise": pairwise_scores(assigned, truth),
        "bcubed": bcubed_scores(assigned, truth),
        "count": entity_count_error(assigned, truth),
        "covered": sum(1 for item in truth if item in assigned),
        "extra": sum(1 for item in assigned if item not in truth),
        several_key: several,
    }


def score(warehouse_path: Path, truth_dir: Path) -> dict:
    """Every metric the benchmark reports, as a dict (None where the warehouse lacks what it needs)."""
    truth = Truth.load(truth_dir)
    result: dict = {"truth_reports": len(truth.reports), "truth_mentions": len(truth.mentions)}
    warehouse = Warehouse(warehouse_path)
    try:
        # victims named only in text: align by name first, so the actor scores use the warehouse's positions
        result["text_victims"] = extraction.align_text_mentions(warehouse, truth)
        result["victims_read"] = extraction.victims_read(warehouse, truth)
        result["dates_out_of_range"] = extraction.dates_out_of_range(warehouse)
        result["unmapped_labels"] = extraction.unmapped_labels(warehouse)
        result["source_kinds"] = truth.source_kinds
        events = warehouse.event_assignments()
        if events is not None:
            result["events"] = _clustering_scores(*events, truth.reports, "in_several_events")
        actors = warehouse.actor_assignments()
        if actors is not None:
            result["actors"] = _clustering_scores(*actors, truth.mentions, "in_several_actors")
        result["blocking"] = blocking_recall(warehouse, truth)
        result["review"] = review_queue_checks(warehouse, truth)
    finally:
        warehouse.close()
    return result


def review_queue_checks(warehouse: Warehouse, truth: Truth) -> dict | None:
    """How much of the warehouse ``marts.review_queue`` asks a person to look at (events touched,
    as a share of all events; the issue's target is at most 5%), and how many of its items are
    decisions the truth says are wrong (a queued pair kept apart that is one true event, or merged
    that is two), per reason."""
    if not (
        warehouse.has("marts", "review_queue", "left_report_id", "right_report_id", "currently_same_event")
        and warehouse.has("marts", "dim_event")
    ):
        return None
    rows = warehouse.con.execute(
        f"""
        select review_reason, left_report_id, right_report_id, left_event_id, right_event_id, currently_same_event
        from {Warehouse.ref("marts", "review_queue")}
        """
    ).fetchall()
    events = warehouse.con.execute(f"select count(*) from {Warehouse.ref('marts', 'dim_event')}").fetchone()[0]
    reasons: dict[str, list[int]] = {}
    touched: set = set()
    for reason, left, right, left_event, right_event, currently_same in rows:
        wrong = left in truth.reports and right in truth.reports
        wrong = wrong and (truth.reports[left] == truth.reports[right]) != bool(currently_same)
        counts = reasons.setdefault(reason, [0, 0])
        counts[0] += 1
        counts[1] += int(wrong)
        touched.update((left_event, right_event))
    return {
        "items": len(rows),
        "events": events,
        "events_touched": len(touched),
        "share": len(touched) / events if events else None,
        "by_reason": {reason: {"items": n, "wrong_decisions": w} for reason, (n, w) in sorted(reasons.items())},
    }


def _fmt(value: float | None) -> str:
    return "nan" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


def format_report(result: dict) -> list[str]:
    lines = []
    for kind, item_name in (("events", "reports"), ("actors", "victim mentions")):
        block = result.get(kind)
        if block is None:
            source = "marts.bridge_event_source_record" if kind == "events" else "intermediate.int_mentions"
            lines.append(f"{kind}: n/a ({source} missing or lacks the expected columns)")
            continue
        pairwise, bcubed, count = block["pairwise"], block["bcubed"], block["count"]
        total = result["truth_reports"] if kind == "events" else result["truth_mentions"]
        several = block.get("in_several_events", block.get("in_several_actors", 0))
        lines += [
            f"{kind} ({item_name}: {block['covered']}/{total} of the truth found in the warehouse, "
            f"{block['extra']} not in the truth, {several} assigned to more than one cluster):",
            f"  pairwise  precision={_fmt(pairwise.precision)} recall={_fmt(pairwise.recall)} "
            f"f1={_fmt(pairwise.f1)}  (true pairs {pairwise.detail['true_pairs']}, predicted pairs "
            f"{pairwise.detail['predicted_pairs']}, both {pairwise.detail['true_positive_pairs']})",
            f"  b-cubed   precision={_fmt(bcubed.precision)} recall={_fmt(bcubed.recall)} f1={_fmt(bcubed.f1)}",
            f"  entity count: predicted {count['predicted']} vs true {count['true']}, "
            f"relative error {count['relative_error']:+.3f}",
        ]
    lines += extraction.format_checks(result)
    blocking = result.get("blocking")
    if blocking is None:
        lines.append("blocking: n/a (intermediate.int_mention_pairs_scored or the mention -> report mapping missing)")
    else:
        lines.append(
            f"blocking: recall={_fmt(blocking['recall'])} ({blocking['found']} of {blocking['true_pairs']} true "
            f"same-event report pairs have a candidate pair; cross-source {_fmt(blocking['cross_source_recall'])}, "
            f"same-source {_fmt(blocking['same_source_recall'])}); {blocking['candidate_report_pairs']} candidate "
            "report pairs"
        )
        lines.append(
            f"  reachable: {_fmt(blocking['reachable_recall'])} ({blocking['reachable']} true pairs connected by a "
            "chain of candidate pairs within their event: the ceiling transitive clustering can reach)"
        )
        worst = [group for group in blocking.get("by_source_pair", []) if group["found"] < group["true_pairs"]]
        for group in worst[:5]:
            lines.append(
                f"  lowest: {group['sources']:<48} recall={_fmt(group['recall'])} "
                f"({group['found']} of {group['true_pairs']})"
            )
    review = result.get("review")
    if review is None:
        lines.append("review queue: n/a (marts.review_queue missing)")
    else:
        lines.append(
            f"review queue: {review['items']} items touching {review['events_touched']} of {review['events']} "
            f"events ({_fmt(review['share'])}); wrong decisions among the items, by reason:"
        )
        for reason, counts in review["by_reason"].items():
            lines.append(f"  {counts['wrong_decisions']:>5} of {counts['items']:>6}  {reason}")
    return lines


def summary_line(result: dict) -> str:
    events = result.get("events")
    blocking = result.get("blocking")
    return (
        f"events pairwise_f1={_fmt(events['pairwise'].f1 if events else None)} "
        f"b3_f1={_fmt(events['bcubed'].f1 if events else None)} "
        f"blocking_recall={_fmt(blocking['recall'] if blocking else None)}"
    )


# --- calibration -----------------------------------------------------------------------------


def _existing_levels(path: Path) -> dict[str, list[str]]:
    levels: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                levels.setdefault(row["comparison"], []).append(row["level"])
    return levels


SCORE_COLUMNS = ("event_score", "score", "match_probability")


def estimate_weights(warehouse: Warehouse, truth: Truth, known_levels: Mapping[str, list[str]]) -> dict:
    """m and u per comparison level from labelled candidate pairs (see the module docstring).

    Leaves a temp table ``labelled_pairs`` (report_a, report_b, is_match, the level columns and the
    score columns the warehouse has) for the threshold search.
    """
    level_columns = warehouse.level_columns()
    score_columns = [column for column in SCORE_COLUMNS if column in warehouse.columns(*PAIRS)]
    candidates = candidate_pairs_sql(warehouse, [*level_columns, *score_columns])
    if candidates is None or not level_columns:
        raise SystemExit(
            "calibrate: intermediate.int_mention_pairs_scored with *_level columns and a mention -> report "
            "mapping (intermediate.int_mentions) are needed; build the warehouse first"
        )
    load_truth_table(warehouse.con, truth)
    con = warehouse.con
    con.execute(f"create or replace temp table labelled_pairs as select * from ({candidates}) where labelled")
    # m: pairs naming the same victim in the same event (co-referent mentions: what links two
    # reports of one attack); u: pairs from different events. Pairs of *different* victims of one
    # event are neither: counting them as matches would teach that different names are evidence.
    matches, non_matches, total = con.execute(
        "select count(*) filter (where is_match and same_actor), count(*) filter (where not is_match), "
        f"(select count(*) from {warehouse.ref(*PAIRS)}) from labelled_pairs"
    ).fetchone()
    same_actor, other_actor = con.execute(
        "select count(*) filter (where same_actor), count(*) filter (where not same_actor) from labelled_pairs"
    ).fetchone()
    rows, actor_rows = [], []
    for column in level_columns:
        comparison = column.removesuffix("_level")
        counts = {
            level: (m, u, am, au)
            for level, m, u, am, au in con.execute(
                f"""select coalesce(cast("{column}" as varchar), 'null'),
                    count(*) filter (where is_match and same_actor), count(*) filter (where not is_match),
                    count(*) filter (where same_actor), count(*) filter (where not same_actor)
                from labelled_pairs group by 1"""
            ).fetchall()
        }
        levels = list(dict.fromkeys([*known_levels.get(comparison, []), *sorted(counts)]))
        for level in levels:
            m_count, u_count, actor_m, actor_u = counts.get(level, (0, 0, 0, 0))
            rows.append(_weight_row(comparison, level, m_count, matches, u_count, non_matches, len(levels)))
            if same_actor and other_actor:
                actor_rows.append(
                    _weight_row(comparison, level, actor_m, same_actor, actor_u, other_actor, len(levels))
                )
    return {
        "actor_rows": actor_rows,
        "same_actor_pairs": same_actor,
        "other_actor_pairs": other_actor,
        "rows": rows,
        "level_columns": level_columns,
        "score_columns": score_columns,
        "candidate_pairs": total,
        "labelled_pairs": matches + non_matches,
        "matching_pairs": matches,
        "non_matching_pairs": non_matches,
    }


def _weight_row(comparison: str, level: str, m_count: int, m_total: int, u_count: int, u_total: int, levels: int):
    m = (m_count + SMOOTHING_ALPHA) / (m_total + SMOOTHING_ALPHA * levels)
    u = (u_count + SMOOTHING_ALPHA) / (u_total + SMOOTHING_ALPHA * levels)
    return {
        "comparison": comparison,
        "level": level,
        "m_probability": m,
        "u_probability": u,
        "match_weight": math.log2(m / u),
        "matching_pairs": m_count,
        "non_matching_pairs": u_count,
    }


def best_threshold(edges: list[tuple[float, str, str]], truth_reports: Mapping[str, str]) -> tuple[dict, list[dict]]:
    """The threshold maximising pairwise F1 of transitively closed report clusters, and the F1 curve.

    ``edges`` are (best score, report a, report b); reports are linked when the score is at least
    the threshold. Clusters grow by union-find, edges taken from the highest score down, so every
    threshold is evaluated in one pass. Of the thresholds within F1_TOLERANCE of the best F1, the
    highest is returned.
    """
    true_pairs = sum(_pairs(n) for n in Counter(truth_reports.values()).values())
    parent: dict[str, str] = {}
    members: dict[str, Counter] = {}

    def find(node: str) -> str:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:
            parent[node], node = root, parent[node]
        return root

    true_positive = predicted_pairs = 0
    best = {"threshold": math.inf, "precision": 1.0, "recall": 0.0 if true_pairs else 1.0, "f1": 0.0}
    curve: list[dict] = []
    ordered = sorted(edges, key=lambda edge: -edge[0])
    for index, (weight, left, right) in enumerate(ordered):
        a, b = find(left), find(right)
        if a != b:
            group_a = members.pop(a, None) or Counter({truth_reports.get(a, ("?", a)): 1})
            group_b = members.pop(b, None) or Counter({truth_reports.get(b, ("?", b)): 1})
            if sum(group_a.values()) < sum(group_b.values()):
                a, b, group_a, group_b = b, a, group_b, group_a
            true_positive += sum(n * group_b[event] for event, n in group_a.items() if event in group_b)
            predicted_pairs += sum(group_a.values()) * sum(group_b.values())
            group_a.update(group_b)
            parent[b] = a
            members[a] = group_a
        if index + 1 == len(ordered) or ordered[index + 1][0] != weight:
            precision = true_positive / predicted_pairs if predicted_pairs else 1.0
            recall = true_positive / true_pairs if true_pairs else 1.0
            point = {"threshold": weight, "precision": precision, "recall": recall, "f1": _f1(precision, recall)}
            curve.append(point)
    top = max((point["f1"] for point in curve), default=0.0)
    for point in curve:  # from the highest threshold down: the first that is good enough
        if point["f1"] >= top - F1_TOLERANCE:
            best = point
            break
    return best, curve


def _report_edges(warehouse: Warehouse, score_sql: str) -> list[tuple[float, str, str]]:
    rows = warehouse.con.execute(
        f"select max({score_sql}) as best, report_a, report_b from labelled_pairs_scored group by report_a, report_b"
    ).fetchall()
    return [(float(best), a, b) for best, a, b in rows if best is not None]


CONTEXT_COMPARISONS = ("date", "country", "place", "violation", "organization", "perpetrator", "date_place")
THRESHOLD_VARS = ("hrdw_event_match_threshold", "hrdw_context_match_threshold", "hrdw_actor_match_threshold")
ACTOR_COMPARISONS = ("name", "country", "organization")
ACTOR_NAME_LEVELS = ("exact", "skeleton", "subset", "initials", "fuzzy")


def _level_weights(
    con,
    level_columns: list[str],
    match_condition: str,
    comparisons: Iterable[str],
    other_condition: str = "not is_match",
) -> list[dict]:
    """m = P(level | match_condition), u = P(level | other_condition), per level, Laplace-smoothed."""
    wanted = set(comparisons)
    m_total, u_total = con.execute(
        f"select count(*) filter (where {match_condition}), count(*) filter (where {other_condition}) "
        "from labelled_pairs"
    ).fetchone()
    rows = []
    for column in level_columns:
        comparison = column.removesuffix("_level")
        if comparison not in wanted:
            continue
        counts = con.execute(
            f"""select coalesce(cast("{column}" as varchar), 'null'),
                count(*) filter (where {match_condition}), count(*) filter (where {other_condition})
            from labelled_pairs group by 1 order by 1"""
        ).fetchall()
        for level, m_count, u_count in counts:
            rows.append(_weight_row(comparison, level, m_count, m_total, u_count, u_total, len(counts)))
    return rows


def _logistic_weights(
    con,
    rows: list[dict],
    match_condition: str,
    other_condition: str,
    allowed_condition: str = "true",
    l2: float = LOGISTIC_L2,
) -> list[dict]:
    """Replace each level's naive-Bayes weight by a jointly fitted logistic-regression weight.

    Naive Bayes adds log2(m/u) per comparison as if the comparisons were independent; they are
    not (a same-day pair is usually also a same-city pair, so that evidence is counted twice).
    A logistic regression over the same one-hot levels, fitted on the labelled pairs this model
    may link (``allowed_condition``: vetoed pairs are never linked), weighs them jointly. The
    weights stay one number per level, in log2-odds, so the dbt model and the seed are unchanged;
    m and u are kept for documentation. Newton's method with an L2 penalty; numpy only.
    """
    import numpy as np

    comparisons = list(dict.fromkeys(row["comparison"] for row in rows))
    columns = [(row["comparison"], row["level"]) for row in rows]
    index = {key: position for position, key in enumerate(columns)}
    level_sql = ", ".join(f"coalesce(cast(\"{c}_level\" as varchar), 'null')" for c in comparisons)
    data = con.execute(
        f"""select {level_sql}, ({match_condition}) as label, count(*) as n
        from labelled_pairs
        where ({allowed_condition}) and (({match_condition}) or ({other_condition}))
        group by all"""
    ).fetchall()
    design = np.zeros((len(data), len(columns) + 1))
    design[:, -1] = 1.0  # intercept (absorbed by the threshold)
    labels = np.array([float(row[-2]) for row in data])
    counts = np.array([float(row[-1]) for row in data])
    for line, row in enumerate(data):
        for comparison, level in zip(comparisons, row[: len(comparisons)], strict=True):
            if (comparison, level) in index:
                design[line, index[(comparison, level)]] = 1.0
    coefficients = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        probabilities = 1.0 / (1.0 + np.exp(-design @ coefficients))
        gradient = design.T @ (counts * (probabilities - labels)) + penalty * coefficients
        hessian = (design * (counts * probabilities * (1 - probabilities))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(coefficients)), gradient)
        coefficients -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return [
        {**row, "match_weight": float(coefficients[index[(row["comparison"], row["level"])]] / math.log(2))}
        for row in rows
    ]


def _scored_sql(rows: list[dict], model: str, level_columns: list[str]) -> str:
    """SQL expression summing this model's weights over the pair's levels (temp table `w_<model>`)."""
    terms = []
    for column in level_columns:
        comparison = column.removesuffix("_level")
        if any(row["comparison"] == comparison for row in rows):
            terms.append(
                f"coalesce((select match_weight from w_{model} where comparison = '{comparison}' "
                f"and level = coalesce(cast(pairs.\"{column}\" as varchar), 'null')), 0)"
            )
    return " + ".join(terms) or "0"


def _incident_links(warehouse: Warehouse) -> list[tuple[str, str]]:
    """Report pairs int_event_clusters always links: reports of one source record's incident."""
    if "incident_key" not in warehouse.columns("intermediate", "int_reports_conformed"):
        return []
    return warehouse.con.execute(
        f"""select min(report_id) over (partition by source_name, incident_key), report_id
        from {warehouse.ref("intermediate", "int_reports_conformed")} where incident_key is not null"""
    ).fetchall()


def _search_thresholds(
    con, truth_reports: Mapping[str, str], fixed_links: Iterable[tuple[str, str]] = ()
) -> tuple[dict, list[dict]]:
    """Best (mention threshold, context threshold) for pairwise F1 of transitive report clusters.

    For each context threshold on a grid, report pairs whose context score reaches it are always
    linked (as are ``fixed_links``, which the clustering links whatever the scores); the mention
    threshold is then searched exactly in one pass (best_threshold).
    """
    fixed = [(math.inf, a, b) for a, b in fixed_links if a != b]
    edges = con.execute(
        """select report_a, report_b,
            max(case when allowed then mention_score end), max(case when context_allowed then context_score end)
        from labelled_pairs_scored group by report_a, report_b"""
    ).fetchall()
    context_values = sorted({round(c, 3) for _, _, _, c in edges if c is not None})
    grid = [context_values[int(i * (len(context_values) - 1) / 24)] for i in range(25)] if context_values else []
    results: list[dict] = []
    for context_threshold in [*sorted(set(grid)), math.inf]:
        combined = [
            (math.inf if (c is not None and c >= context_threshold) else (m if m is not None else -math.inf), a, b)
            for a, b, m, c in edges
        ]
        point, curve = best_threshold([*fixed, *(edge for edge in combined if edge[0] != -math.inf)], truth_reports)
        results.append({**point, "context_threshold": context_threshold, "curve": curve})
    # as in best_threshold: the strictest context threshold whose F1 is within the tolerance of the best
    top = max(result["f1"] for result in results)
    best = max(
        (result for result in results if result["f1"] >= top - F1_TOLERANCE),
        key=lambda result: result["context_threshold"],
    )
    return best, best.pop("curve", [])


def _search_actor_threshold(warehouse: Warehouse, truth: Truth, mention_rows: list[dict]) -> dict:
    """The actor threshold maximising pairwise F1 of transitively closed victim mentions, scoring
    pairs as int_mention_pairs_scored.actor_score does (actor-model name, country, organisation
    weights; names at least fuzzily alike; never two mentions of one report)."""
    mentions_sql = warehouse.mention_reports_sql()
    if mentions_sql is None or not all(
        f"{comparison}_level" in warehouse.columns(*PAIRS) for comparison in ACTOR_COMPARISONS
    ):
        return {"threshold": math.inf, "f1": 0.0}
    weights = {(row["comparison"], row["level"]): row["match_weight"] for row in mention_rows}
    rows = warehouse.con.execute(
        f"""with mention_reports as ({mentions_sql})
        select pairs.left_mention_id, pairs.right_mention_id, pairs.name_level, pairs.country_level,
            pairs.organization_level
        from {warehouse.ref(*PAIRS)} as pairs
        inner join mention_reports as left_side on pairs.left_mention_id = left_side.mention_id
        inner join mention_reports as right_side on pairs.right_mention_id = right_side.mention_id
        where left_side.report_key <> right_side.report_key"""
    ).fetchall()
    positions = dict(
        warehouse.con.execute(
            f"select mention_id, report_key || '|' || victim_position from ({mentions_sql})"
        ).fetchall()
    )
    actors = {key: actor for (report, position), actor in truth.mentions.items() for key in [f"{report}|{position}"]}
    truth_by_mention = {mention: actors[key] for mention, key in positions.items() if key in actors}
    edges = [
        (
            sum(weights.get(key, 0.0) for key in zip(ACTOR_COMPARISONS, levels, strict=True)),
            left,
            right,
        )
        for left, right, *levels in rows
        if levels[0] in ACTOR_NAME_LEVELS and left in truth_by_mention and right in truth_by_mention
    ]
    best, _ = best_threshold(edges, truth_by_mention)
    return best


def calibrate(
    warehouse_path: Path,
    truth_dir: Path,
    weights_out: Path,
    calibration_out: Path | None,
    meta: dict,
    estimator: str = "logistic",
) -> dict:
    """Estimate the mention and context models' weights and the two thresholds from one run.

    - mention model: m over pairs naming the same victim in the same event (co-referent mentions,
      what links two reports of one attack about one person), u over pairs from different events;
    - context model (no name comparison): m over pairs of the same event whoever they name, u as above;
    - thresholds: the pair maximising pairwise F1 of the transitively closed report clusters.
    Writes the weights and the thresholds into one file, the weights seed (thresholds as rows of
    model 'threshold', read by the macro hrdw_match_threshold); the report (counts, the F1 curve)
    goes to ``calibration_out`` only when one is given.
    """
    truth = Truth.load(truth_dir)
    warehouse = Warehouse(warehouse_path)
    try:
        extraction.align_text_mentions(warehouse, truth)  # the warehouse's positions for victims named in text
        level_columns = warehouse.level_columns()
        has_veto = "event_link_allowed" in warehouse.columns(*PAIRS)
        has_context_veto = "context_link_allowed" in warehouse.columns(*PAIRS)
        vetoes = [
            *(["event_link_allowed"] if has_veto else []),
            *(["context_link_allowed"] if has_context_veto else []),
        ]
        candidates = candidate_pairs_sql(warehouse, [*level_columns, *vetoes])
        if candidates is None or not level_columns:
            raise SystemExit("calibrate: build the warehouse first (int_mention_pairs_scored, int_mentions)")
        load_truth_table(warehouse.con, truth)
        con = warehouse.con
        con.execute(f"create or replace temp table labelled_pairs as select * from ({candidates}) where labelled")
        mention_rows = _level_weights(
            con, level_columns, "is_match and same_actor", [c.removesuffix("_level") for c in level_columns]
        )
        context_rows = _level_weights(con, level_columns, "is_match", CONTEXT_COMPARISONS)
        actor_rows = _level_weights(
            con, level_columns, "coalesce(same_actor, false)", ACTOR_COMPARISONS, "not coalesce(same_actor, true)"
        )
        if estimator == "logistic":
            mention_rows = _logistic_weights(
                con,
                mention_rows,
                "is_match and same_actor",
                "not is_match",
                "coalesce(event_link_allowed, true)" if has_veto else "true",
            )
            context_rows = _logistic_weights(
                con,
                context_rows,
                "is_match",
                "not is_match",
                "coalesce(context_link_allowed, true)" if has_context_veto else "true",
            )
        for model, rows in (("mention", mention_rows), ("context", context_rows)):
            con.execute(
                f"create or replace temp table w_{model} (comparison varchar, level varchar, match_weight double)"
            )
            con.executemany(
                f"insert into w_{model} values (?, ?, ?)",
                [(row["comparison"], row["level"], row["match_weight"]) for row in rows],
            )
        con.execute(
            "create or replace temp table labelled_pairs_scored as select report_a, report_b, is_match, "
            f"{'coalesce(event_link_allowed, true)' if has_veto else 'true'} as allowed, "
            f"{'coalesce(context_link_allowed, true)' if has_context_veto else 'true'} as context_allowed, "
            f"{_scored_sql(mention_rows, 'mention', level_columns)} as mention_score, "
            f"{_scored_sql(context_rows, 'context', level_columns)} as context_score "
            "from labelled_pairs as pairs"
        )
        best, curve = _search_thresholds(con, truth.reports, _incident_links(warehouse))
        actor_best = _search_actor_threshold(warehouse, truth, actor_rows)
        counts = con.execute(
            "select count(*), count(*) filter (where is_match and same_actor), count(*) filter (where is_match), "
            "count(*) filter (where not is_match) from labelled_pairs"
        ).fetchone()
    finally:
        warehouse.close()
    thresholds = {
        "hrdw_actor_match_threshold": round(actor_best["threshold"], 3)
        if math.isfinite(actor_best["threshold"])
        else 999,
        "hrdw_event_match_threshold": round(best["threshold"], 3) if math.isfinite(best["threshold"]) else 999,
        "hrdw_context_match_threshold": round(best["context_threshold"], 3)
        if math.isfinite(best["context_threshold"])
        else 999,
    }
    rows = (
        [{"model": "mention", **row} for row in mention_rows]
        + [{"model": "context", **row} for row in context_rows]
        + [{"model": "actor", **row} for row in actor_rows]
    )
    threshold_rows = [
        {"model": "threshold", "comparison": model, "level": "score", "match_weight": thresholds[name]}
        for model, name in zip(("mention", "context", "actor"), THRESHOLD_VARS, strict=True)
    ]
    write_weights(weights_out, rows + threshold_rows)
    calibration = {
        **meta,
        "weights_file": _repo_relative(weights_out),
        "estimator": estimator,
        "smoothing": f"Laplace, alpha {SMOOTHING_ALPHA:g}, over the levels of each comparison",
        "labelled_pairs": counts[0],
        "coreferent_pairs (mention model m)": counts[1],
        "same_event_pairs (context model m)": counts[2],
        "different_event_pairs (u)": counts[3],
        "thresholds": thresholds,
        "pairwise_precision": best["precision"],
        "pairwise_recall": best["recall"],
        "pairwise_f1": best["f1"],
        "actor_pairwise_f1_at_threshold": actor_best["f1"],
        "curve_at_best_context_threshold": _thin(curve),
    }
    if calibration_out is not None:
        calibration_out.parent.mkdir(parents=True, exist_ok=True)
        calibration_out.write_text(json.dumps(calibration, indent=2, default=str) + "\n", encoding="utf-8")
    calibration["rows"] = rows
    return calibration


def _finite(value: float) -> float | None:
    return None if value is None or math.isinf(value) else round(value, 6)


def _thin(curve: list[dict], points: int = 60) -> list[dict]:
    step = max(1, len(curve) // points)
    kept = curve[::step] + ([curve[-1]] if curve and (len(curve) - 1) % step else [])
    return [{key: round(value, 6) for key, value in point.items()} for point in kept]


def _repo_relative(path: Path) -> str:
    """A path as the repository names it when it is inside it (no machine's absolute path in a report)."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _probability(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def write_weights(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["model", "comparison", "level", "m_probability", "u_probability", "match_weight"])
        for row in rows:
            writer.writerow(
                [
                    row.get("model", "mention"),
                    row["comparison"],
                    row["level"],
                    _probability(row.get("m_probability")),
                    _probability(row.get("u_probability")),
                    f"{row['match_weight']:.3f}",
                ]
            )


# --- running the pipeline --------------------------------------------------------------------


@dataclass
class Prepared:
    sources: Path
    home: Path
    generation_seconds: float = 0.0
    pipeline_seconds: float = 0.0
    pipeline_ok: bool = True
    work_dir: Path | None = None


def prepare(args: argparse.Namespace) -> Prepared:
    """Generate and run the pipeline, or take an existing home and truth (``--home``/``--truth``)."""
    if args.home or args.truth:
        if not (args.home and args.truth):
            raise SystemExit("--home and --truth go together")
        return Prepared(sources=Path(args.truth), home=Path(args.home))
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="hrdw-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    prepared = Prepared(sources=work / "sources", home=work / "home", work_dir=work)
    print(f"generating {args.reports} reports (seed {args.seed}) into {prepared.sources} ...", flush=True)
    started = time.perf_counter()
    generate(args.reports, args.seed, prepared.sources)
    prepared.generation_seconds = time.perf_counter() - started
    manifest = json.loads((prepared.sources / "manifest.json").read_text(encoding="utf-8"))
    print(
        f"  {manifest['n_reports']} reports, {manifest['n_mentions']} victim mentions, "
        f"{manifest['n_events_reported']} events, {manifest['n_actors_mentioned']} actors, "
        f"{len(manifest['sources'])} sources in {prepared.generation_seconds:.1f}s",
        flush=True,
    )
    prepared.pipeline_ok, prepared.pipeline_seconds = run_pipeline(prepared.sources, prepared.home)
    return prepared


def run_pipeline(sources: Path, home: Path) -> tuple[bool, float]:
    """``python -m orchestration.sync`` on ``sources`` into ``home``, as a subprocess; (succeeded, seconds)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HRDW_SOURCES_DIR": str(sources),
        "HRDW_HOME": str(home),
        "AIRFLOW_HOME": str(home / "airflow"),
    }
    log_path = home / "bench-sync.log"
    command = [sys.executable, "-m", "orchestration.sync"]
    print(f"running the pipeline: {' '.join(command)} (HRDW_HOME={home}) ...", flush=True)
    started = time.perf_counter()
    with log_path.open("wb") as log:
        completed = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    output = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    shown = [line for line in output if not line.startswith("  running ")]
    tail = shown[-40:]
    print("\n".join(f"  | {line}" for line in tail))
    state = "succeeded" if completed.returncode == 0 else f"FAILED (exit {completed.returncode})"
    print(f"pipeline {state} in {seconds:.1f}s; its output: {log_path}", flush=True)
    return completed.returncode == 0, seconds


def _cleanup(prepared: Prepared, keep: bool) -> None:
    if prepared.work_dir is None:
        return
    if keep:
        print(f"kept {prepared.work_dir} (sources, truth, HRDW_HOME)")
    else:
        shutil.rmtree(prepared.work_dir, ignore_errors=True)


def command_run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    prepared = prepare(args)
    warehouse = prepared.home / "warehouse.duckdb"
    scoring_started = time.perf_counter()
    if warehouse.exists():
        result = score(warehouse, prepared.sources)
        lines = format_report(result)
    else:
        result, lines = {}, [f"no warehouse at {warehouse}: nothing to score"]
    scoring_seconds = time.perf_counter() - scoring_started
    total = time.perf_counter() - started
    print("\n".join(lines))
    print(
        f"wall time: generation {prepared.generation_seconds:.1f}s, pipeline {prepared.pipeline_seconds:.1f}s, "
        f"scoring {scoring_seconds:.1f}s, total {total:.1f}s"
    )
    _cleanup(prepared, args.keep or not prepared.pipeline_ok)
    print(summary_line(result), flush=True)
    return 0 if prepared.pipeline_ok and result else 1


def command_calibrate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    prepared = prepare(args)
    warehouse = prepared.home / "warehouse.duckdb"
    if not warehouse.exists():
        _cleanup(prepared, True)
        raise SystemExit(f"calibrate: no warehouse at {warehouse}")
    meta = {"reports": args.reports, "seed": args.seed} if not args.home else {"home": str(prepared.home)}
    report_out = Path(args.calibration_out) if args.calibration_out else None
    calibration = calibrate(warehouse, prepared.sources, Path(args.weights_out), report_out, meta, args.estimator)
    print(f"{'model':<8} {'comparison':<14} {'level':<18} {'m':>9} {'u':>9} {'weight':>8}")
    for row in calibration["rows"]:
        print(
            f"{row['model']:<8} {row['comparison']:<14} {row['level']:<18} {row['m_probability']:>9.5f} "
            f"{row['u_probability']:>9.5f} {row['match_weight']:>8.3f}"
        )
    print(f"{calibration['labelled_pairs']} labelled candidate pairs")
    report_note = f"; report in {report_out}" if report_out else ""
    print(f"wall time: total {time.perf_counter() - started:.1f}s{report_note}")
    _cleanup(prepared, args.keep or not prepared.pipeline_ok)
    where = f"seed {args.seed}" if not args.home else str(prepared.home)
    print(
        f"weights and thresholds written to {args.weights_out}: {calibration['thresholds']} (pairwise F1 "
        f"{_fmt(calibration['pairwise_f1'])}, precision {_fmt(calibration['pairwise_precision'])}, recall "
        f"{_fmt(calibration['pairwise_recall'])} on {where})"
    )
    return 0 if prepared.pipeline_ok else 1


def command_score(args: argparse.Namespace) -> int:
    result = score(Path(args.home) / "warehouse.duckdb", Path(args.truth))
    print("\n".join(format_report(result)))
    print(summary_line(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Matching benchmark: generate, run the pipeline, score or calibrate.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (
        ("run", "generate, run the pipeline and score the warehouse"),
        ("calibrate", "generate, run the pipeline and estimate m/u weights and a threshold"),
    ):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("--reports", type=int, default=10_000)
        sub.add_argument("--seed", type=int, default=2 if name == "run" else 1)
        sub.add_argument("--work-dir", help="folder for sources, truth and HRDW_HOME (default: a new temp folder)")
        sub.add_argument("--keep", action="store_true", help="keep the work folder (kept anyway when the sync fails)")
        sub.add_argument("--home", help="score an existing HRDW_HOME instead of generating (with --truth)")
        sub.add_argument("--truth", help="the generated folder holding truth_*.csv (with --home)")
        if name == "calibrate":
            sub.add_argument("--weights-out", default=str(DEFAULT_WEIGHTS))
            sub.add_argument(
                "--calibration-out", default=None, help="also write the calibration report (counts, F1 curve) as JSON"
            )
            sub.add_argument(
                "--estimator",
                choices=("logistic", "naive_bayes"),
                default="logistic",
                help="mention and context weights: joint logistic regression (default) or naive Bayes log2(m/u)",
            )
    sub = commands.add_parser("score", help="score an existing HRDW_HOME against a generated truth")
    sub.add_argument("--home", required=True)
    sub.add_argument("--truth", required=True)
    args = parser.parse_args(argv)
    handlers = {"run": command_run, "calibrate": command_calibrate, "score": command_score}
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
