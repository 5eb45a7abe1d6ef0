"""Synthetic ground truth for the matching benchmark, rendered into the real source formats.

    python bench/generator.py --reports 10000 --seed 2 --out /tmp/bench-sources

``generate(n_reports, seed, out_dir)`` writes an ``HRDW_SOURCES_DIR``: one YAML per source at the
top of ``out_dir``, the data under ``out_dir/data/<source>/``, and the ground truth next to them
(``bench.truth`` describes the files). The parts:

- ``bench.world``: actors, events, which sources report what, and every noise decision;
- ``bench.gazetteer``: countries and cities, read from the dbt seeds;
- ``bench.names``: name pools and romanisations; ``bench.vocabulary``: the seeds' crosswalk labels;
- ``bench.formats``: one writer per source format (CPJ CSV and people list, partner CSV and xlsx,
  Uwazi CSV, Kobo API, ODK Central zip);
- ``bench.truth``: the truth files and the manifest.

Deterministic for a seed (every random draw comes from one ``random.Random``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/generator.py` puts bench/ itself on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.world import World


def generate(n_reports: int, seed: int, out_dir: Path) -> None:
    """Write about ``n_reports`` reports (at least that many; the last event's reports complete it)."""
    world = World(seed, n_reports, Path(out_dir))
    world.run()
    world.write()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the matching benchmark's sources and ground truth.")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.reports, args.seed, args.out)
    manifest = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
    print(
        f"{manifest['n_reports']} reports, {manifest['n_events_reported']} events, "
        f"{manifest['n_actors_mentioned']} actors in {time.perf_counter() - started:.1f}s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
