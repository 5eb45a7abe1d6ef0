"""Landing for file-based sources: copy every file matching the declared path or glob.

A file lands under its path relative to the glob's base (the leading folders of the pattern that
hold no glob character), so ``data/x/**/incidents.csv`` lands ``2025/incidents.csv`` and
``2026/incidents.csv`` side by side, and a file at the base (every single-file source) keeps its
plain name. That landed name is the manifest's ``name`` and the raw rows' ``_source_file``.
"""

from __future__ import annotations

import glob
from pathlib import Path, PurePath

from extract.base import LandingWriter, RunContext


class NoFilesFound(FileNotFoundError):
    pass


def glob_base(pattern: str | PurePath) -> Path:
    """The leading folders of ``pattern`` that hold no glob character (never its last part)."""
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        base.append(part)
    return Path(*base) if base else Path()


def matching_files(ctx: RunContext) -> list[Path]:
    pattern = ctx.spec.location.path
    if not pattern:
        raise ValueError(f"source {ctx.spec.name}: location.path is required for kind {ctx.spec.kind}")
    resolved = str(ctx.spec.resolve(pattern))
    paths = sorted(Path(match) for match in glob.glob(resolved, recursive=True) if Path(match).is_file())
    if not paths:
        raise NoFilesFound(f"source {ctx.spec.name}: no file matches {resolved}")
    return paths


def named_matching_files(ctx: RunContext) -> list[tuple[str, Path]]:
    """(landed name, path) of every matching file: the path relative to the glob's base, with ``/``."""
    base = glob_base(ctx.spec.resolve(ctx.spec.location.path or ""))
    return [(path.relative_to(base).as_posix(), path) for path in matching_files(ctx)]


def land_files(ctx: RunContext, writer: LandingWriter) -> None:
    """Copy each matching file byte for byte, named by its path below the glob's base."""
    for name, path in named_matching_files(ctx):
        writer.write(name, path.read_bytes(), origin=str(path))
