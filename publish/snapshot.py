"""Publish the marts as a versioned snapshot folder that appears whole or not at all.

``HRDW_HOME/snapshots/<snapshot_id>/`` holds one Parquet file per mart and ``manifest.json``
(tables, row counts, column schemas, sha256 per file, the code version). The folder is written
aside (``.<id>.partial``) and renamed into place; only then does the ``latest`` symlink (and the
``LATEST`` file, for filesystems without symlinks) move to it, each by an atomic rename.
Rows are written in a deterministic order so unchanged data gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hrdw import settings, warehouse

MART_SCHEMA = "marts"


@dataclass
class Snapshot:
    snapshot_id: str
    path: Path
    manifest: dict


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def _mart_tables(con) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by table_name", [MART_SCHEMA]
    ).fetchall()
    return [row[0] for row in rows]


def _export_tables(work_dir: Path) -> dict[str, dict]:
    tables: dict[str, dict] = {}
    con = warehouse.connect(read_only=True)
    try:
        for table in _mart_tables(con):
            relation = f'{MART_SCHEMA}."{table}"'
            target = work_dir / f"{table}.parquet"
            con.execute(f"copy (select * from {relation} order by all) to '{target}' (format parquet)")
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [MART_SCHEMA, table],
            ).fetchall()
            row_count = con.execute(f"select count(*) from {relation}").fetchone()[0]
            tables[table] = {
                "file": target.name,
                "rows": row_count,
                "sha256": _sha256_file(target),
                "bytes": target.stat().st_size,
                "columns": [{"name": name, "type": data_type} for name, data_type in columns],
            }
    finally:
        con.close()
    if not tables:
        raise RuntimeError(
            f"no tables in schema {MART_SCHEMA!r} of {settings.warehouse_path()}: build the warehouse first"
        )
    return tables


def _point_latest(root: Path, snapshot_id: str) -> None:
    temporary_link = root / ".latest.tmp"
    if temporary_link.is_symlink() or temporary_link.exists():
        temporary_link.unlink()
    temporary_link.symlink_to(snapshot_id, target_is_directory=True)
    os.replace(temporary_link, root / "latest")
    temporary_file = root / ".LATEST.tmp"
    temporary_file.write_text(snapshot_id + "\n")
    os.replace(temporary_file, root / "LATEST")


def publish(run_time: datetime, *, extra_manifest: dict | None = None) -> Snapshot:
    """Export every mart into a new snapshot named after ``run_time`` and its content."""
    root = settings.snapshots_dir()
    root.mkdir(parents=True, exist_ok=True)
    stamp = run_time.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    work_dir = root / f".{stamp}.partial"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir()
    try:
        tables = _export_tables(work_dir)
        content_digest = hashlib.sha256(
            json.dumps({name: info["sha256"] for name, info in tables.items()}, sort_keys=True).encode()
        ).hexdigest()
        snapshot_id = f"{stamp}-{content_digest[:8]}"
        manifest = {
            "snapshot_id": snapshot_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "run_time": run_time.isoformat(),
            "content_sha256": content_digest,
            "code_version": code_version(),
            "tables": tables,
            **(extra_manifest or {}),
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
        final_dir = root / snapshot_id
        if final_dir.exists():
            retired = root / f".{snapshot_id}.old"
            shutil.rmtree(retired, ignore_errors=True)
            final_dir.rename(retired)
            work_dir.rename(final_dir)
            shutil.rmtree(retired)
        else:
            work_dir.rename(final_dir)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    _point_latest(root, snapshot_id)
    return Snapshot(snapshot_id=snapshot_id, path=final_dir, manifest=manifest)


def latest_snapshot() -> Path | None:
    pointer = settings.snapshots_dir() / "LATEST"
    if not pointer.exists():
        return None
    return settings.snapshots_dir() / pointer.read_text().strip()
