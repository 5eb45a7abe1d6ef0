"""Publish the marts as a versioned snapshot folder that appears whole or not at all.

``HRDW_HOME/snapshots/<snapshot_id>/`` (id: run time + the first 8 hex digits of the content
checksum) holds:

- ``<mart>.parquet`` and ``<mart>.csv`` for every table of schema ``marts``, and ``<mart>.xlsx``
  for the flat exports (``flat_events``, ``flat_victim_violations``: ``publish/xlsx.py``) (CSV cells that a
  spreadsheet would run as formulas are quoted, see ``publish/tables.py``); run metadata columns
  (load times, batch ids) are in ``run_metadata/<mart>.parquet``/``.csv`` with the table's key;
- ``warehouse.duckdb``: every mart whole (run metadata included), tables in schema ``main``, each
  table and column commented with its description (``publish/dictionary.py``);
- ``dictionary.html``: the data dictionary, one page; ``docs/index.html``: dbt's documentation
  site of the build (``orchestration.dbt.generate_docs_site``); ``report.html``: charts by year,
  country and violation type, the SDG 16.10.1 table, what changed and a map (``publish/report.py``);
- ``manifest.json``: tables, row counts, column schemas, sha256 per file, content checksums,
  source freshness, the dbt build's invocation and test summary (warnings listed), the code
  version, the changelog's counts and the public variant's section;
- ``CHANGELOG.md`` and ``changelog.json``: events added, changed (with the fields), removed and
  merged since the previous snapshot (the one ``latest`` named before this publish);
- ``public/``: the public variant built from the publication policy (``publish/policy.py``), with
  its own Parquet, CSV, DuckDB file (commented), ``manifest.json``, ``dictionary.html``, changelog
  and ``report.html`` (drawn from the public files only).

Guarantees:

- **Quality gate**: nothing is written when the last dbt build had an error or a failing test
  (``publish/quality.py``) or the policy is malformed.
- **Atomic**: the folder is written aside (``.<stamp>.partial``) and renamed into place; only
  then do the ``latest`` symlink and the ``LATEST`` file move, each by an atomic rename. A failure
  or a kill at any point before leaves the previous snapshot and ``latest`` untouched; leftovers
  of a killed attempt are removed by the next publish (which holds ``.publish.lock``, so it knows
  no other publish is writing them). A complete snapshot folder is never rewritten: publishing
  the same content for the same run time again (a retried task) keeps it and re-points ``latest``.
- **Retained**: after ``latest`` moves, snapshots beyond the newest ``HRDW_SNAPSHOT_RETENTION``
  (default 10) are deleted; the one ``latest`` names never is.
- **Idempotent**: the same marts give the same content checksums and byte-identical Parquet and
  CSV files (rows sorted, run metadata kept apart) and an empty changelog.
- **Remote**: with ``HRDW_PUBLISH_TARGET`` (an ObjectStoragePath URL such as ``s3://bucket/prefix``,
  credentials from the Airflow connection ``HRDW_PUBLISH_CONN_ID``) the finished snapshot is
  uploaded and ``<target>/LATEST`` written last (``publish/targets.py``).
- **Private**: files are ``0600`` and folders ``0700``, ``public/`` included, inside a ``0700``
  ``HRDW_HOME`` (``hrdw/privacy.py``); the public variant is shared by copying it out.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from hrdw import label_issues, privacy, settings
from publish import changelog, dictionary, freshness, quality, report, targets, xlsx
from publish.policy import PublicationPolicy, PublicBuild, build_public, load_policy, policy_file_label
from publish.tables import (
    CONTENT_CHECKSUM_METHOD,
    Column,
    export_table,
    file_entry,
    quote,
    split_run_metadata,
    sql_text,
    table_columns,
)

log = logging.getLogger(__name__)
MART_SCHEMA = "marts"
DUCKDB_FILE = "warehouse.duckdb"
PUBLIC_DIR = "public"
BYTE_STABILITY = (
    "Parquet and CSV rows are sorted by every column and DuckDB writes no timestamp into them, so for one "
    "DuckDB version equal content gives byte-identical files (sha256); content_sha256 is computed over a "
    "canonical form and does not depend on the writer. The DuckDB files are not byte-stable: compare their "
    "tables, not their sha256."
)


@dataclass
class Snapshot:
    snapshot_id: str
    path: Path
    manifest: dict

    @property
    def public_path(self) -> Path:
        return self.path / PUBLIC_DIR

    def summary(self) -> dict[str, Any]:
        """A small JSON-able summary for the task's return value and logs."""
        sources = self.manifest["freshness"]["sources"]
        return {
            "snapshot_id": self.snapshot_id,
            "path": str(self.path),
            "changes": self.manifest["changelog"]["counts"],
            "public_events": self.manifest["public"]["public_events"],
            "stale_sources": sorted(name for name, info in sources.items() if info["stale"]),
            "dbt_warnings": len(self.manifest["dbt"]["warnings"]),
        }


@dataclass
class _Export:
    tables: dict[str, dict[str, Any]]
    public_tables: dict[str, dict[str, Any]]
    public_build: PublicBuild
    warehouse_sources: dict[str, dict[str, Any]]
    unmapped_labels: dict[str, Any]


def code_version() -> str:
    try:
        completed = subprocess.run(
            ["git", "-C", str(settings.REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@contextlib.contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    """Hold ``root/.publish.lock`` so that only one publish writes into ``root`` at a time."""
    with (root / ".publish.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _attach_warehouse(con: duckdb.DuckDBPyConnection, wait_seconds: float = 60.0) -> None:
    """Attach ``warehouse.duckdb`` read-only as ``wh``, waiting for a writer's lock to go away."""
    path = settings.warehouse_path()
    if not path.is_file():
        raise RuntimeError(f"no warehouse at {path}: build the warehouse first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con.execute(f"attach {sql_text(str(path))} as wh (read_only)")
            return
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def _mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = 'wh' and schema_name = ? order by table_name",
        [MART_SCHEMA],
    ).fetchall()
    return [row[0] for row in rows]


def _copy_marts(
    con: duckdb.DuckDBPyConnection, work_dir: Path, dbt: dict[str, Any]
) -> tuple[list[str], dict[str, dict[str, Any]], dict[str, dictionary.TableDoc]]:
    """Copy every mart into ``work_dir/warehouse.duckdb`` (attached as ``snap``) with its table and
    column comments; return the tables, dim_source and the descriptions.

    Checks first, on the same read-only attachment (no build can write in between), that the marts
    come from the build whose results ``dbt`` summarises; adds that build's sources to ``dbt``.
    """
    _attach_warehouse(con)
    try:
        dbt["build"] = quality.build_provenance(con, "wh", dbt)
        # read on the same attachment as the marts: the labels of this very build
        dbt["unmapped_labels"] = label_issues.read(con, "wh.intermediate")
        tables = _mart_tables(con)
        if not tables:
            raise RuntimeError(f"no tables in schema {MART_SCHEMA!r} of {settings.warehouse_path()}: build first")
        con.execute(f"attach {sql_text(str(work_dir / DUCKDB_FILE))} as snap")
        for table in tables:
            con.execute(
                f"create table snap.main.{quote(table)} as select * from wh.{MART_SCHEMA}.{quote(table)} order by all"
            )
        docs = dictionary.read_manifest(settings.dbt_manifest_path(), MART_SCHEMA)
        dictionary.apply(con, "snap", "main", docs)
    finally:
        con.execute("detach wh")
    sources: dict[str, dict[str, Any]] = {}
    if "dim_source" in tables:
        result = con.execute("select * from snap.main.dim_source")
        names = [column[0] for column in result.description]
        for row in result.fetchall():
            record = dict(zip(names, row, strict=True))
            sources[record["source_name"]] = record
    return tables, sources, docs


def _export(work_dir: Path, policy: PublicationPolicy, dbt: dict[str, Any]) -> _Export:
    """Write the internal and public tables (Parquet, CSV, DuckDB) into ``work_dir``."""
    public_dir = work_dir / PUBLIC_DIR
    public_dir.mkdir()
    con = duckdb.connect()
    try:
        tables, sources, docs = _copy_marts(con, work_dir, dbt)
        unmapped = dbt.pop("unmapped_labels", {})
        con.execute(f"attach {sql_text(str(public_dir / DUCKDB_FILE))} as pub")
        public_build = build_public(con, "snap", "pub", tables, policy)
        public_docs = dictionary.public_docs(docs, public_build.tables, policy.grid_degrees)
        dictionary.apply(con, "pub", "main", public_docs)
        exported = {}
        for table in tables:
            log.info("exporting %s", table)
            columns = table_columns(con, "snap", "main", table)
            entry = _export_with_xlsx(con, f"snap.main.{quote(table)}", table, columns, work_dir)
            exported[table] = dictionary.annotate(entry, docs.get(table))
        public_tables = {}
        for table in sorted(name for name, info in public_build.tables.items() if info["published"]):
            columns = table_columns(con, "pub", "main", table)
            entry = _export_with_xlsx(con, f"pub.main.{quote(table)}", table, columns, public_dir)
            public_tables[table] = dictionary.annotate(entry, public_docs.get(table))
        con.execute("detach pub")
        con.execute("detach snap")
    finally:
        con.close()
    return _Export(exported, public_tables, public_build, sources, unmapped)


def _export_with_xlsx(
    con: duckdb.DuckDBPyConnection, relation: str, table: str, columns: list[Column], out_dir: Path
) -> dict[str, Any]:
    """``export_table``, plus ``<table>.xlsx`` for the flat exports (``publish/xlsx.py``)."""
    entry = export_table(con, relation, table, columns, out_dir)
    if xlsx.wants_xlsx(table):
        target = out_dir / f"{table}.xlsx"
        why = xlsx.write_xlsx(con, relation, split_run_metadata(table, columns)[0], entry["rows"], target)
        entry["xlsx"] = {"file": None, "why": why} if why else {**file_entry(target, out_dir), "byte_stable": False}
    return entry


def _content_sha256(tables: dict[str, dict[str, Any]]) -> str:
    """sha256 of the tables' content checksums: equal table contents give an equal digest."""
    checksums = {name: info["content_sha256"] for name, info in sorted(tables.items())}
    return hashlib.sha256(json.dumps(checksums, sort_keys=True).encode()).hexdigest()


def _snapshot_digest(exported: _Export) -> str:
    """The content digest the snapshot id carries: every internal and public table."""
    public = {f"{PUBLIC_DIR}/{name}": info for name, info in exported.public_tables.items()}
    return _content_sha256({**exported.tables, **public})


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


DICTIONARY_FILE = "dictionary.html"


def _write_dictionaries(work_dir: Path, snapshot_id: str, exported: _Export) -> None:
    """``dictionary.html`` of the internal snapshot and of ``public/`` (what each holds only)."""
    about = "Each table is a Parquet and a CSV file here and a table of warehouse.duckdb, whose tables and columns "
    internal = about + "carry these descriptions as comments. Run metadata columns are in run_metadata/."
    public = about + "carry these descriptions as comments. Only what the publication policy publishes is here."
    pages = (
        (work_dir / DICTIONARY_FILE, f"Data dictionary of snapshot {snapshot_id}", internal, exported.tables),
        (
            work_dir / PUBLIC_DIR / DICTIONARY_FILE,
            f"Data dictionary of public snapshot {snapshot_id}",
            public,
            exported.public_tables,
        ),
    )
    for path, title, intro, tables in pages:
        path.write_text(dictionary.render_html(title, intro, tables), encoding="utf-8")


DOCS_SITE_FILE = "docs/index.html"


def _copy_docs_site(work_dir: Path) -> dict[str, Any]:
    """dbt's documentation site of the build being published (the build writes it after it
    succeeds and removes the previous one before it starts), or why there is none."""
    site = settings.dbt_docs_site_path()
    if not settings.docs_site_enabled():
        return {"file": None, "why": "HRDW_DOCS_SITE=0: builds write no documentation site"}
    if not site.exists():
        return {"file": None, "why": f"no {site.name} from the last build (its log says why)"}
    target = work_dir / DOCS_SITE_FILE
    target.parent.mkdir()
    shutil.copyfile(site, target)  # the snapshot's own mode (0600), not dbt's
    return {**file_entry(target, work_dir), "holds": "dbt docs: every model, column, test and the lineage"}


REPORT_FILE = "report.html"


def _write_reports(work_dir: Path, snapshot_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``report.html`` of the internal snapshot and of ``public/``, each from its own files only."""
    entries = []
    for folder, title, public in (
        (work_dir, f"Snapshot {snapshot_id}", False),
        (work_dir / PUBLIC_DIR, f"Public snapshot {snapshot_id}", True),
    ):
        changes = json.loads((folder / "changelog.json").read_text(encoding="utf-8"))
        page = report.render(folder / DUCKDB_FILE, changes, title=title, public=public)
        (folder / REPORT_FILE).write_text(page, encoding="utf-8")
        entries.append({**file_entry(folder / REPORT_FILE, folder), "holds": "charts, SDG 16.10.1, changes, map"})
    return entries[0], entries[1]


def _comparison_base(root: Path, previous_id: str | None, snapshot_id: str) -> tuple[str | None, Path | None]:
    """The snapshot to compare with: ``latest`` before this publish; when this publish rebuilds that
    very snapshot (same run, same content), the one it was compared with."""
    if previous_id == snapshot_id:
        try:
            manifest = json.loads((root / snapshot_id / "manifest.json").read_text())
            previous_id = manifest["changelog"]["previous_snapshot"]
        except (OSError, ValueError, KeyError, TypeError):
            previous_id = None
    if previous_id and (root / previous_id / "manifest.json").is_file():
        return previous_id, root / previous_id
    return None, None


def _write_changelogs(
    work_dir: Path, snapshot_id: str, previous_id: str | None, previous_dir: Path | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write CHANGELOG.md and changelog.json, internal and public; return their manifest sections."""
    sections = []
    for folder, base, heading in (
        (work_dir, previous_dir, "Changes in the events"),
        (work_dir / PUBLIC_DIR, previous_dir / PUBLIC_DIR if previous_dir else None, "Changes in the public events"),
    ):
        changes = changelog.event_changelog(base, previous_id if base else None, folder, snapshot_id)
        _write_json(folder / "changelog.json", changes)
        (folder / "CHANGELOG.md").write_text(changelog.render_markdown(changes, heading), encoding="utf-8")
        sections.append(
            {
                "previous_snapshot": changes["previous_snapshot"],
                "counts": changes["counts"],
                "json": file_entry(folder / "changelog.json", folder),
                "markdown": file_entry(folder / "CHANGELOG.md", folder),
            }
        )
    return sections[0], sections[1]


def _complete_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a complete snapshot folder (the manifest is written last), else None."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _swap_into_place(work_dir: Path, final_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Rename the finished folder into place and return the manifest of what is there now.

    A complete snapshot of the same id (same run time, same content: a retried run) is kept as it
    is and the new folder discarded, so a snapshot folder, once complete, is never replaced. An
    incomplete one is moved aside first (``remove_leftovers`` restores it if a kill strikes between
    the two renames).
    """
    if final_dir.exists():
        existing = _complete_manifest(final_dir)
        if existing is not None:
            shutil.rmtree(work_dir)
            log.info("snapshot %s already published with this content; keeping it", final_dir.name)
            return existing
        retired = final_dir.with_name(f".{final_dir.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        final_dir.rename(retired)
        work_dir.rename(final_dir)
        shutil.rmtree(retired)
    else:
        work_dir.rename(final_dir)
    return manifest


def _point_latest(root: Path, snapshot_id: str) -> None:
    temporary_link = root / ".latest.tmp"
    if temporary_link.is_symlink() or temporary_link.exists():
        temporary_link.unlink()
    temporary_link.symlink_to(snapshot_id, target_is_directory=True)
    os.replace(temporary_link, root / "latest")
    temporary_file = root / ".LATEST.tmp"
    temporary_file.write_text(snapshot_id + "\n")
    os.replace(temporary_file, root / "LATEST")


def remove_leftovers(root: Path) -> list[str]:
    """Delete work folders of interrupted publishes (``.<stamp>.partial``, ``.<id>.old``, pointer temps).

    A ``.<id>.old`` whose snapshot ``<id>`` is missing (a kill between the two renames that replace
    a snapshot of the same id) is renamed back instead. Call only while holding the publish lock:
    then no other publish is writing them.
    """
    removed = []
    for child in sorted(root.iterdir()):
        name = child.name
        work_folder = name.startswith(".") and child.is_dir() and not child.is_symlink()
        if name in {".latest.tmp", ".LATEST.tmp"}:
            child.unlink()
            removed.append(name)
        elif work_folder and name.endswith(".old") and not (root / name[1:-4]).exists():
            child.rename(root / name[1:-4])
            removed.append(f"{name} (restored)")
        elif work_folder and name.endswith((".partial", ".old")):
            shutil.rmtree(child)
            removed.append(name)
    if removed:
        log.warning("removed leftovers of interrupted publishes: %s", removed)
    return removed


def prune_snapshots(root: Path, keep: int) -> list[str]:
    """Delete snapshot folders beyond the newest ``keep`` (by id, i.e. run time); never the latest one.

    Only folders named like snapshot ids are touched. Returns the deleted ids.
    """
    latest = latest_snapshot()
    ids = sorted(
        child.name
        for child in root.iterdir()
        if targets.SNAPSHOT_ID.match(child.name) and child.is_dir() and not child.is_symlink()
    )
    keep_ids = set(ids[-keep:]) | ({latest.name} if latest else set())
    deleted = [snapshot_id for snapshot_id in ids if snapshot_id not in keep_ids]
    for snapshot_id in deleted:
        shutil.rmtree(root / snapshot_id)
    if deleted:
        log.info("retention %d: deleted snapshot(s) %s", keep, deleted)
    return deleted


def _manifests(
    snapshot_id: str,
    run_time: datetime,
    exported: _Export,
    policy: PublicationPolicy,
    dbt: dict[str, Any],
    fresh: dict[str, Any],
    work_dir: Path,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The internal manifest (without changelog) and the public one (only public facts)."""
    created = datetime.now(UTC).isoformat(timespec="seconds")
    version = code_version()
    public_manifest = {
        "snapshot_id": snapshot_id,
        "created_at": created,
        "code_version": version,
        "content_sha256": _content_sha256(exported.public_tables),
        "content_checksum_method": CONTENT_CHECKSUM_METHOD,
        "byte_stability": BYTE_STABILITY,
        "duckdb_version": duckdb.__version__,
        "policy": policy.public_summary(),
        "tables": exported.public_tables,
        "duckdb_file": {**file_entry(work_dir / PUBLIC_DIR / DUCKDB_FILE, work_dir / PUBLIC_DIR), "byte_stable": False},
        "dictionary": file_entry(work_dir / PUBLIC_DIR / DICTIONARY_FILE, work_dir / PUBLIC_DIR),
    }
    target = settings.publish_target()
    manifest = {
        "snapshot_id": snapshot_id,
        "created_at": created,
        "run_time": run_time.isoformat(),
        "code_version": version,
        "content_sha256": _snapshot_digest(exported),
        "content_sha256_covers": "the content_sha256 of every table, internal and public/ (sha256 of their JSON)",
        "content_checksum_method": CONTENT_CHECKSUM_METHOD,
        "byte_stability": BYTE_STABILITY,
        "duckdb_version": duckdb.__version__,
        "tables": exported.tables,
        "run_metadata_columns": {
            name: [column["name"] for column in info["run_metadata"]["columns"]]
            for name, info in exported.tables.items()
            if "run_metadata" in info
        },
        "duckdb_file": {
            **file_entry(work_dir / DUCKDB_FILE, work_dir),
            "byte_stable": False,
            "holds": "every mart whole, run metadata included, in schema main; table and column comments",
        },
        "dictionary": file_entry(work_dir / DICTIONARY_FILE, work_dir),
        "docs_site": _copy_docs_site(work_dir),
        "freshness": fresh,
        "unmapped_labels": {
            "about": (
                "per source and kind (violation, perpetrator, country, victim_role), the labels of this build that "
                "mapped to nothing, with the number of reports carrying each (intermediate.int_unmapped_labels); "
                "map them under `labels:` in the source's YAML"
            ),
            "sources": exported.unmapped_labels,
        },
        "dbt": dbt,
        "public": {
            "path": PUBLIC_DIR,
            "policy_file": policy_file_label(policy.path, settings.REPO_ROOT),
            "policy_sha256": policy.sha256,
            "public_events": exported.public_build.public_event_count,
            "sources": exported.public_build.sources,
            "withheld_tables": exported.public_build.withheld_tables,
            "table_rules": exported.public_build.tables,
            "content_sha256": public_manifest["content_sha256"],
            "tables": exported.public_tables,
            "duckdb_file": public_manifest["duckdb_file"],
        },
        "publish_target": (
            {"url": targets.redacted_url(target), "conn_id": settings.publish_conn_id()} if target else None
        ),
    }
    return manifest, public_manifest


def _build(
    work_dir: Path,
    run_time: datetime,
    policy: PublicationPolicy,
    dbt: dict[str, Any],
    batch_id: str | None,
    extra_manifest: dict | None,
) -> dict[str, Any]:
    """Write the whole snapshot into ``work_dir``; returns its manifest (``snapshot_id`` included)."""
    root = work_dir.parent
    exported = _export(work_dir, policy, dbt)
    stamp = run_time.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    snapshot_id = f"{stamp}-{_snapshot_digest(exported)[:8]}"
    # the night built is the publishing run's (UTC) date: a source without a good batch of it is stale
    night = run_time.astimezone(UTC).date()
    notes = dbt.get("build", {}).get("source_notes", {})
    fresh = freshness.source_freshness(exported.warehouse_sources, notes, night, batch_id)
    _write_dictionaries(work_dir, snapshot_id, exported)
    manifest, public_manifest = _manifests(snapshot_id, run_time, exported, policy, dbt, fresh, work_dir)
    previous = latest_snapshot()
    previous_id, previous_dir = _comparison_base(root, previous.name if previous else None, snapshot_id)
    internal_log, public_log = _write_changelogs(work_dir, snapshot_id, previous_id, previous_dir)
    manifest["report"], public_manifest["report"] = _write_reports(work_dir, snapshot_id)
    public_manifest["changelog"] = public_log
    _write_json(work_dir / PUBLIC_DIR / "manifest.json", public_manifest)
    manifest["changelog"] = internal_log
    manifest["public"]["changelog"] = public_log
    manifest["public"]["manifest"] = file_entry(work_dir / PUBLIC_DIR / "manifest.json", work_dir)
    manifest.update(extra_manifest or {})
    _write_json(work_dir / "manifest.json", manifest)
    return manifest


def publish(run_time: datetime, *, extra_manifest: dict | None = None, batch_id: str | None = None) -> Snapshot:
    """Publish the marts as a new snapshot named after ``run_time`` and its content, then move ``latest``.

    Raises ``QualityGateError`` (dbt build failed) or ``PolicyError`` before writing anything.
    ``batch_id``: this run's ingest batch, named in the freshness section (default: the newest loaded).
    """
    privacy.make_private()
    root = settings.snapshots_dir()
    root.mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        dbt = quality.dbt_summary(settings.dbt_run_results_path())
        quality.check_gate(dbt)
        policy = load_policy(settings.publication_policy_path())
        keep = settings.snapshot_retention()  # a bad setting fails here, before anything is written
        remove_leftovers(root)
        work_dir = root / f".{run_time.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}.partial"
        work_dir.mkdir()
        try:
            manifest = _build(work_dir, run_time, policy, dbt, batch_id, extra_manifest)
            final_dir = root / manifest["snapshot_id"]
            manifest = _swap_into_place(work_dir, final_dir, manifest)
        except BaseException:
            shutil.rmtree(work_dir, ignore_errors=True)
            raise
        _point_latest(root, manifest["snapshot_id"])
        prune_snapshots(root, keep)
        target = settings.publish_target()
        if target:
            targets.upload_snapshot(final_dir, target, settings.publish_conn_id())
            targets.prune_remote(target, settings.publish_conn_id(), keep)
    return Snapshot(snapshot_id=manifest["snapshot_id"], path=final_dir, manifest=manifest)


def latest_snapshot() -> Path | None:
    """The folder ``LATEST`` names, or None when nothing was published yet."""
    pointer = settings.snapshots_dir() / "LATEST"
    if not pointer.exists():
        return None
    return settings.snapshots_dir() / pointer.read_text().strip()
