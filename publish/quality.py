"""The quality gate: what the last dbt build says, and whether that allows publishing.

``build_warehouse`` already fails on a dbt error, so ``publish_snapshot`` (scheduled on the marts
asset) does not run. This gate is the second lock: ``publish()`` reads
``HRDW_HOME/dbt/target/run_results.json`` itself and refuses when any node errored or any test
of severity error failed (a test of severity warn that fails has status ``warn``), or when there
is no run_results.json at all. A refusal happens before anything is written, so ``latest`` keeps
pointing at the last good snapshot.

The results must also belong to the build that wrote the marts being published: a build killed
after writing some marts leaves the previous build's ``run_results.json`` in place.
``build_provenance`` reads the warehouse's own build log (``hrdw_ops.dbt_invocations``, written by
the dbt project's on-run-start/on-run-end hooks) on the very connection that copies the marts, and
refuses unless the last invocation that wrote the warehouse is the one whose results were checked,
finished, and a whole ``dbt build``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

BLOCKING_STATUSES = frozenset({"error", "fail", "runtime error"})
# dbt commands that write the warehouse (and run the project's hooks); `test` and `docs` do not write marts.
WRITING_COMMANDS = ("build", "run", "seed", "snapshot")


class QualityGateError(RuntimeError):
    """The last dbt build failed (or left no results): the snapshot is not published."""


def dbt_summary(run_results_path: Path) -> dict[str, Any]:
    """The manifest's ``dbt`` section: invocation, version, elapsed time, counts by status,
    warnings (node and message) and blocking failures. Raises ``QualityGateError`` when the file
    is missing or unreadable."""
    if not run_results_path.is_file():
        raise QualityGateError(
            f"no dbt results at {run_results_path}: the warehouse was not built by dbt build here; "
            "refusing to publish (run build_warehouse first)"
        )
    try:
        document = json.loads(run_results_path.read_text(encoding="utf-8"))
        metadata = document["metadata"]
        results = document["results"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QualityGateError(f"unreadable dbt results {run_results_path}: {error}; refusing to publish") from error
    counts: dict[str, int] = {}
    warnings, failures = [], []
    for node in results:
        status = str(node.get("status"))
        counts[status] = counts.get(status, 0) + 1
        item = {"node": node.get("unique_id"), "status": status, "message": node.get("message")}
        if status == "warn":
            warnings.append(item)
        elif status in BLOCKING_STATUSES:
            failures.append(item)
    return {
        "invocation_id": metadata.get("invocation_id"),
        "dbt_version": metadata.get("dbt_version"),
        "generated_at": metadata.get("generated_at"),
        "command": (document.get("args") or {}).get("which"),
        "elapsed_seconds": round(float(document.get("elapsed_time") or 0.0), 3),
        "counts": dict(sorted(counts.items())),
        "warnings": sorted(warnings, key=lambda item: str(item["node"])),
        "failures": sorted(failures, key=lambda item: str(item["node"])),
    }


def check_gate(summary: dict[str, Any]) -> None:
    """Raise ``QualityGateError`` naming every failing node when the build had errors or failed tests."""
    if summary["failures"]:
        listed = "; ".join(f"{item['node']}: {item['status']}: {item['message']}" for item in summary["failures"])
        raise QualityGateError(
            f"dbt invocation {summary['invocation_id']} had {len(summary['failures'])} error(s)/failure(s): "
            f"{listed}. Refusing to publish; latest still points at the last good snapshot."
        )


def build_provenance(con: duckdb.DuckDBPyConnection, database: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The build log entry of the build that wrote the warehouse attached as ``database``.

    Raises ``QualityGateError`` unless that build is the invocation of ``summary`` (the results
    checked by ``check_gate``), finished, and built the whole project. Returns its start and end,
    the sources it built and its notes on sources left out.
    """
    writing = ", ".join(f"'{command}'" for command in WRITING_COMMANDS)
    try:
        rows = con.execute(
            "select invocation_id, command, selection, started_at, finished_at, sources_built, source_notes "
            f"from {database}.hrdw_ops.dbt_invocations where command in ({writing}) "
            "order by sequence_number desc limit 1"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []
    if not rows:
        raise QualityGateError(
            "the warehouse has no build log (hrdw_ops.dbt_invocations): it was not written by this project's "
            "dbt build; refusing to publish (run build_warehouse)"
        )
    invocation, command, selection, started, finished, built, notes = rows[0]
    checked = summary.get("invocation_id")
    if invocation != checked:
        state = f"finished at {finished}" if finished else "never finished (killed, or still running)"
        raise QualityGateError(
            f"the marts were last written by dbt invocation {invocation} ({command}, started at {started}, {state}), "
            f"not by invocation {checked} whose results are in run_results.json: they may be half-built. "
            "Refusing to publish; latest still points at the last good snapshot. Re-run build_warehouse."
        )
    if finished is None:
        raise QualityGateError(f"dbt invocation {invocation} started at {started} never finished; refusing to publish")
    if command != "build" or selection:
        raise QualityGateError(
            f"the marts were last written by `dbt {command}{' ' + selection if selection else ''}`, not a whole "
            "dbt build; refusing to publish (run build_warehouse)"
        )
    return {
        "started_at": str(started),
        "finished_at": str(finished),
        "sources_built": json.loads(built or "[]"),
        "source_notes": json.loads(notes or "{}"),
    }
