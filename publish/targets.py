"""Uploading a finished snapshot to object storage (any URL Airflow's ObjectStoragePath supports).

Object stores have no rename, so the switch is a pointer object written last:

1. every file of the local snapshot is uploaded under ``<target>/<snapshot_id>/`` (the manifest
   last, so a snapshot folder without ``manifest.json`` is known to be incomplete), and each
   upload's size is checked against the local file;
2. only then ``<target>/LATEST`` is written with the snapshot id (one PUT: readers see the old id
   or the new one, never a mixture);
3. older snapshot folders beyond the retention count are deleted; the one LATEST names never is.

A failure in step 1 leaves ``LATEST`` naming the previous snapshot; the partial folder is
overwritten by the retry. Credentials come from the Airflow connection (``conn_id``), never from
the URL, and never reach the manifest (``redacted_url``).
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger(__name__)
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
_LOCAL_PROTOCOLS = {"", "file", "local"}


def redacted_url(url: str) -> str:
    """The URL without user info, query or fragment (where credentials could hide)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def target_path(url: str, conn_id: str | None) -> Any:
    """The target as an ``airflow.sdk.ObjectStoragePath`` (imported here: publish/ works without Airflow otherwise)."""
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(url, conn_id=conn_id)


def _upload_order(snapshot_dir: Path) -> list[Path]:
    files = sorted(path for path in snapshot_dir.rglob("*") if path.is_file())
    manifest = snapshot_dir / "manifest.json"
    return [path for path in files if path != manifest] + ([manifest] if manifest in files else [])


def upload_snapshot(snapshot_dir: Path, url: str, conn_id: str | None) -> dict[str, Any]:
    """Upload every file of ``snapshot_dir`` to ``<url>/<snapshot id>/``, then write ``<url>/LATEST``.

    Raises on any failed or short upload, before ``LATEST`` is touched.
    """
    base = target_path(url, conn_id)
    snapshot_id = snapshot_dir.name
    destination = base / snapshot_id
    local = base.protocol in _LOCAL_PROTOCOLS
    uploaded = 0
    for path in _upload_order(snapshot_dir):
        relative = path.relative_to(snapshot_dir).as_posix()
        remote = destination / relative
        if local:
            remote.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as source, remote.open("wb") as sink:
            shutil.copyfileobj(source, sink, 8 << 20)
        size = remote.stat().st_size
        expected = path.stat().st_size
        if size != expected:
            raise OSError(f"upload of {relative} to {redacted_url(url)} is {size} bytes, expected {expected}")
        uploaded += 1
    (base / "LATEST").write_text(snapshot_id + "\n")
    log.info("uploaded %d file(s) to %s/%s and moved LATEST", uploaded, redacted_url(url), snapshot_id)
    return {"url": redacted_url(url), "conn_id": conn_id, "snapshot_id": snapshot_id, "files": uploaded}


def prune_remote(url: str, conn_id: str | None, keep: int) -> list[str]:
    """Delete remote snapshot folders beyond the newest ``keep``; never the one ``LATEST`` names.

    Only names shaped like snapshot ids are touched. Returns the deleted ids.
    """
    base = target_path(url, conn_id)
    base.fs.invalidate_cache()  # list what is there now, not a listing cached before this upload
    pointer = base / "LATEST"
    latest = pointer.read_text().strip() if pointer.exists() else None
    ids = sorted(child.name for child in base.iterdir() if SNAPSHOT_ID.match(child.name))
    keep_ids = set(ids[-keep:]) | {latest}
    deleted = [snapshot_id for snapshot_id in ids if snapshot_id not in keep_ids]
    for snapshot_id in deleted:
        folder = base / snapshot_id
        folder.fs.rm(folder.path, recursive=True)
    return deleted
