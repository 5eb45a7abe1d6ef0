"""Landing for file-based sources: copy every file matching the declared path or glob."""

from __future__ import annotations

import glob
from pathlib import Path

from extract.base import LandingWriter, RunContext


class NoFilesFound(FileNotFoundError):
    pass


def matching_files(ctx: RunContext) -> list[Path]:
    pattern = ctx.spec.location.path
    if not pattern:
        raise ValueError(f"source {ctx.spec.name}: location.path is required for kind {ctx.spec.kind}")
    resolved = str(ctx.spec.resolve(pattern))
    paths = sorted(Path(match) for match in glob.glob(resolved, recursive=True) if Path(match).is_file())
    if not paths:
        raise NoFilesFound(f"source {ctx.spec.name}: no file matches {resolved}")
    return paths


def land_files(ctx: RunContext, writer: LandingWriter) -> None:
    """Copy each matching file byte for byte; names in landing keep the file's own name."""
    for path in matching_files(ctx):
        writer.write(path.name, path.read_bytes(), origin=str(path))
