"""Run context, landing partitions and the row types every connector produces."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hrdw import settings
from hrdw.secrets import redact_url
from hrdw.sources import SourceSpec

MANIFEST_NAME = "manifest.json"
LOAD_REPORT_NAME = "load_report.json"
# Files of a partition that are not data: a delivered file may not land under these names.
RESERVED_NAMES = frozenset({MANIFEST_NAME, LOAD_REPORT_NAME})


@dataclass(frozen=True)
class RunContext:
    """One ingest run of one source over one data interval.

    The batch id is derived from the interval, never from the wall clock, so re-running the same
    interval rewrites the same landing partition and the same raw batch.
    """

    spec: SourceSpec
    interval_start: datetime
    interval_end: datetime
    cursor: str | None = None
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    login: str | None = field(default=None, repr=False)

    @property
    def password(self) -> str | None:
        return self.secrets.get("password")

    @property
    def batch_id(self) -> str:
        return self.interval_end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    @property
    def partition_dir(self) -> Path:
        return settings.landing_dir() / self.spec.name / self.batch_id


@dataclass
class RawRecord:
    """One readable record: every value as text (or None), with where it came from."""

    values: dict[str, str | None]
    source_file: str
    source_row: int
    record_id: str | None = None


@dataclass
class QuarantinedRow:
    """A row that could not be read, kept verbatim with the reason so it can be replayed."""

    source_file: str
    source_row: int
    reason: str
    raw: str


ParsedRow = RawRecord | QuarantinedRow


def json_value_text(value: Any, *, compact: bool = False) -> str | None:
    """A JSON value as raw text: nested objects and arrays as JSON (``compact``: no spaces),
    booleans as ``true``/``false``, blank strings and null as None."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if text.strip() else None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LandingCollisionError(ValueError):
    """Two delivered files would land under one name: landing refuses rather than overwrite one."""


class LandingWriter:
    """Writes one landing partition aside, then swaps it in whole.

    A rerun of the same interval replaces that partition and nothing else; a failure mid-way
    leaves the previous partition untouched.
    """

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.final_dir = ctx.partition_dir
        self.work_dir = self.final_dir.with_name(self.final_dir.name + ".partial")
        self.files: list[dict[str, Any]] = []
        self._names: set[str] = set()
        self.cursor_after: str | None = ctx.cursor
        self.notes: dict[str, Any] = {}
        # Records the source delivered in this run, and the scope they answer (e.g. a year range),
        # so the shrink guard compares like with like.
        self.record_count: int | None = None
        self.scope: str = "full"
        # Records per part of the scope (e.g. per year), every part the scope covers listed, zeros
        # included: runs of different scopes are then compared over the parts both cover.
        self.scope_counts: dict[str, int] | None = None

    def __enter__(self) -> LandingWriter:
        shutil.rmtree(self.work_dir, ignore_errors=True)
        self.work_dir.mkdir(parents=True)
        return self

    def write(self, name: str, data: bytes, *, origin: str, records: int | None = None) -> Path:
        """Store ``data`` exactly as received under ``name``; ``origin`` is a path or URL.

        ``name`` may hold ``/`` (a file in a subfolder of the partition). A name already written in
        this partition, one reaching outside it, or the partition's own bookkeeping files is
        refused: landing never overwrites anything it received.
        """
        source = self.ctx.spec.name
        if any(part in ("", ".", "..") for part in name.split("/")):
            raise ValueError(f"source {source}: cannot land a file named {name!r} (not a plain relative path)")
        if name in RESERVED_NAMES:
            raise ValueError(f"source {source}: cannot land a file named {name!r}: landing keeps its own file there")
        origin = redact_url(origin, self.ctx.secrets) if "://" in origin else origin
        target = self.work_dir / name
        if name in self._names or target.exists():
            first = next((entry["origin"] for entry in self.files if entry["name"] == name), "another file")
            raise LandingCollisionError(
                f"source {source}: two files would land as {name!r} in one partition ({first} and {origin}); "
                "refusing to overwrite one with the other, the previous landing is kept"
            )
        self._names.add(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files.append(
            {
                "name": name,
                "origin": origin,
                "sha256": sha256_bytes(data),
                "bytes": len(data),
                "records": records,
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        return target

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            return
        manifest = {
            "source": self.ctx.spec.name,
            "kind": self.ctx.spec.kind,
            "batch_id": self.ctx.batch_id,
            "interval_start": self.ctx.interval_start.isoformat(),
            "interval_end": self.ctx.interval_end.isoformat(),
            "cursor_before": self.ctx.cursor,
            "cursor_after": self.cursor_after,
            "scope": self.scope,
            "record_count": self.record_count,
            **({"scope_counts": self.scope_counts} if self.scope_counts is not None else {}),
            "files": self.files,
            **self.notes,
        }
        (self.work_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        if self.final_dir.exists():
            retired = self.final_dir.with_name(self.final_dir.name + ".old")
            shutil.rmtree(retired, ignore_errors=True)
            self.final_dir.rename(retired)
            self.work_dir.rename(self.final_dir)
            shutil.rmtree(retired)
        else:
            self.work_dir.rename(self.final_dir)


def previous_manifests(spec: SourceSpec, before_batch: str) -> list[dict[str, Any]]:
    """Manifests of this source's committed landing partitions older than ``before_batch``, newest first."""
    folder = settings.landing_dir() / spec.name
    manifests = []
    for partition in sorted(folder.glob("*/" + MANIFEST_NAME), reverse=True) if folder.exists() else []:
        if partition.parent.name < before_batch and "." not in partition.parent.name:
            manifests.append(json.loads(partition.read_text(encoding="utf-8")))
    return manifests


def read_manifest(partition: Path) -> dict[str, Any]:
    return json.loads((partition / MANIFEST_NAME).read_text(encoding="utf-8"))


def landed_files(partition: Path) -> Iterator[tuple[str, Path]]:
    """(name, path) of every landed data file in manifest order; a name may hold ``/`` (a subfolder)."""
    for entry in read_manifest(partition)["files"]:
        yield entry["name"], partition / entry["name"]
