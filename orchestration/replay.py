"""Reload one source's landed batch into ``raw`` from the bytes kept in landing, without fetching.

    python -m orchestration.replay <source> <batch_id>     # e.g. after fixing the source YAML's column mapping
    python -m orchestration.replay <source> latest         # the newest landed batch
    python -m orchestration.replay <source> --list         # the landed batches, newest first

The same code as the ``load_raw`` task (``extract.ingest.load_source``): the batch's rows in
``raw.<source>__<entity>`` and ``raw._quarantine`` are replaced, other batches are untouched,
and ``load_report.json`` is rewritten. Like every warehouse writer it takes the writer lock, so it
waits (saying so) while a sync writes. Rebuild the marts afterwards: trigger ``build_warehouse``
(or run ``make run``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from hrdw import settings


def landed_batches(source: str) -> list[str]:
    """Complete landing partitions of a source (those with a manifest), newest first."""
    folder = settings.landing_dir() / source
    if not folder.is_dir():
        return []
    return sorted(
        (path.name for path in folder.iterdir() if path.is_dir() and (path / "manifest.json").is_file()),
        reverse=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="source name (its YAML file name in HRDW_SOURCES_DIR)")
    parser.add_argument("batch_id", nargs="?", help="landed batch to reload, e.g. 20261129T000000Z, or 'latest'")
    parser.add_argument("--list", action="store_true", help="list the landed batches and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from extract.ingest import load_source
    from hrdw.sources import load_spec, spec_path

    yaml_path = spec_path(args.source)
    if not yaml_path.is_file():
        print(f"error: no source {args.source!r}: {yaml_path} does not exist", file=sys.stderr)
        return 2
    spec = load_spec(yaml_path)
    batches = landed_batches(spec.name)
    if args.list or not args.batch_id:
        if not batches:
            print(f"no landed batches for {spec.name} in {settings.landing_dir() / spec.name}")
        for batch in batches:
            partition = settings.landing_dir() / spec.name / batch
            manifest = json.loads((partition / "manifest.json").read_text())
            loaded = "loaded" if (partition / "load_report.json").exists() else "not loaded"
            files, records = len(manifest.get("files", [])), manifest.get("record_count")
            print(f"{batch}  {files} file(s), {records} record(s), {loaded}")
        return 0 if args.list or batches else 2
    batch_id = batches[0] if args.batch_id == "latest" and batches else args.batch_id
    if batch_id not in batches:
        known = ", ".join(batches[:5]) or "none"
        print(f"error: {spec.name} has no landed batch {args.batch_id!r} (newest: {known})", file=sys.stderr)
        return 2
    report = load_source(spec, batch_id)
    print(
        f"replayed {spec.name} batch {batch_id} from landing: {report.loaded} row(s) loaded, "
        f"{report.quarantined} quarantined; rebuild the marts with build_warehouse"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
