"""``make freshness``: ``dbt source freshness`` on the warehouse's typed load times.

Each source's generated sources YAML asks ``raw._load_batches`` (written by the load with the batch's
rows) when its newest good batch loaded, and warns after 36 hours, errors after 84
(``orchestration.dbt.SOURCE_FRESHNESS``); ``hrdw_ops._load_batches`` itself says whether any source
loaded lately. This runs on the last build's working copy with a scratch target folder, so the
artifacts the nightly publish reads stay the build's, and holds the warehouse writer lock (dbt's
hooks log the invocation). The per-night answer (stale for the night built) is ``dim_source.is_stale``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from hrdw import settings, warehouse
from orchestration import dbt


def freshness(project: Path) -> tuple[int, list[tuple[str, str, str]]]:
    """``dbt source freshness`` on ``project``: (dbt's exit code, [(source, newest load, status)])."""
    with tempfile.TemporaryDirectory(prefix="hrdw-freshness-") as scratch:
        with warehouse.writer_lock(purpose="make freshness"):
            result = dbt.run_dbt(project, ["source", "freshness"], keep_run_results=True, target_path=Path(scratch))
        sources_json = Path(scratch) / "sources.json"
        if not sources_json.exists():
            raise RuntimeError("dbt source freshness wrote no sources.json:\n" + result.output_tail)
        results = json.loads(sources_json.read_text())["results"]
    rows = [
        (node["unique_id"].removeprefix("source.hrdw."), str(node.get("max_loaded_at")), node["status"])
        for node in results
    ]
    return result.returncode, sorted(rows)


def main() -> int:
    project = settings.dbt_work_dir() / "project"
    if not project.is_dir():
        print(f"no build in {settings.home()} yet: run `make run` (or the build_warehouse DAG) first", file=sys.stderr)
        return 2
    returncode, rows = freshness(project)
    for source, loaded, status in rows:
        print(f"{source:60} {loaded:34} {status}")
    return returncode


if __name__ == "__main__":
    sys.exit(main())
