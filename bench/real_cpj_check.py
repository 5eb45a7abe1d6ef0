"""Real-data check: the four overlapping real CPJ files ingested as four sources, run through the
real pipeline, with the distinct persons and events counted and merges listed for checking by hand.

    .venv/bin/python bench/real_cpj_check.py [--samples ../shared/real-samples] [--work-dir DIR]

Sources (files under the samples folder, see their SOURCE.md):
- ``real_cpj_export``: the 42-column CSV export (killed 1992-2022), kind ``cpj_csv``;
- ``real_cpj_legacy``: the 18-column CSV (Kaggle, killed 1992-2016), kind ``cpj_csv``;
- ``real_cpj_datamanager``: the datamanager ``reports/entries`` output (saved as CSV by its
  scraper), turned back into the API's ``{data: [...]}`` pages of 20 (empty cells as null) and read
  by kind ``cpj_datamanager`` from disk;
- ``real_cpj_people``: the ``people_list`` JSON array, paged 20 a page in the API's envelope and read
  by kind ``cpj_people_list`` from disk.
Nothing is edited; only the two scraped outputs are re-paged into the shapes the APIs serve.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
PAGE = 20


def write_pages(records: list[dict], folder: Path, envelope: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pages = [records[start : start + PAGE] for start in range(0, len(records), PAGE)]
    for number, data in enumerate([*pages, []], start=1):
        body = {"pageCount": len(pages), "rowCount": len(records), "data": data} if envelope else {"data": data}
        (folder / f"page-{number}.json").write_text(json.dumps(body, ensure_ascii=False))


def build_sources(samples: Path, out: Path) -> None:
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    export = samples / "cpj-database-export-killed-1992-2022" / "cpj_killed_1992_2022_motive_confirmed_unconfirmed.csv"
    legacy = samples / "cpj-kaggle-killed-1992-2016" / "cpj.csv"
    shutil.copy(export, data / "cpj_export.csv")
    shutil.copy(legacy, data / "cpj_legacy.csv")
    with (samples / "cpj-datamanager-entries" / "reporters.csv").open(encoding="utf-8", newline="") as handle:
        entries = [
            {key: (value if value != "" else None) for key, value in row.items()} for row in csv.DictReader(handle)
        ]
    write_pages(entries, data / "datamanager", envelope=False)
    people = json.loads((samples / "cpj-wpjson-people-list" / "cpj_data.json").read_text(encoding="utf-8"))
    write_pages(people, data / "people", envelope=True)
    specs = {
        "real_cpj_export": (
            "kind: cpj_csv\nlocation: {path: data/cpj_export.csv}\nrecord_key: [fullName, year, country]\n"
        ),
        "real_cpj_legacy": (
            "kind: cpj_csv\nlocation: {path: data/cpj_legacy.csv}\nrecord_key: [Name, Date, Country_killed]\n"
        ),
        "real_cpj_datamanager": "kind: cpj_datamanager\nlocation: {url: 'data/datamanager/page-{page}.json'}\n",
        "real_cpj_people": "kind: cpj_people_list\nlocation: {url: 'data/people/page-{page}.json'}\n",
    }
    for name, body in specs.items():
        (out / f"{name}.yml").write_text(
            f"name: {name}\n{body}description: Real CPJ data (see bench/real_cpj_check.py).\nreliability: high\n"
        )


def report(home: Path) -> None:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)

    def one(sql: str) -> object:
        return con.execute(sql).fetchone()[0]

    print(
        "records per source:",
        con.execute(
            "select source_name, count(*) from intermediate.int_reports_conformed group by 1 order by 1"
        ).fetchall(),
    )
    print("quarantined:", con.execute("select _source, reason, count(*) from raw._quarantine group by all").fetchall())
    print(
        "distinct persons (victim actors):",
        one("select count(*) from marts.dim_actor where actor_kind <> 'perpetrator_group'"),
    )
    print("events:", one("select count(*) from marts.dim_event"))
    print("events reported by 2+ sources:", one("select count(*) from marts.dim_event where source_count > 1"))
    print("events with 2+ victims:", one("select count(*) from marts.dim_event where victim_count > 1"))
    print("\nmerges across differently spelled names (actor name variants):")
    for row in con.execute(
        "select display_name, name_variants, event_count, source_record_count from marts.dim_actor "
        "where name_variants like '% | %' order by display_name limit 40"
    ).fetchall():
        print("  ", row)
    print("\nevents with several victims:")
    for row in con.execute(
        "select event_date, country_code, city, victim_names, source_names from marts.dim_event "
        "where victim_count > 1 order by event_date limit 40"
    ).fetchall():
        print("  ", row)
    print("\nreview queue (uncertain pairs):", one("select count(*) from marts.review_queue"))
    for row in con.execute(
        "select q.left_report_id, q.right_report_id, round(q.event_score, 1), q.name_level, q.date_level, "
        "q.currently_same_event from marts.review_queue q order by q.event_score desc limit 30"
    ).fetchall():
        print("  ", row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default=str(REPO.parent / "shared" / "real-samples"))
    parser.add_argument("--work-dir", default=None)
    args = parser.parse_args(argv)
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="hrdw-real-cpj-"))
    sources, home = work / "sources", work / "home"
    build_sources(Path(args.samples), sources)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env.update({"HRDW_SOURCES_DIR": str(sources), "HRDW_HOME": str(home)})
    completed = subprocess.run([sys.executable, "-m", "orchestration.sync"], cwd=REPO, env=env, text=True, check=False)
    if completed.returncode != 0:
        print(f"sync failed; see {home / 'logs'}")
        return 1
    report(home)
    print(f"\nwarehouse: {home / 'warehouse.duckdb'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
