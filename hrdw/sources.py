"""Source specifications: one YAML file per source under ``HRDW_SOURCES_DIR``.

A specification names the source, its connector ``kind``, where its data lives, the Airflow
connection holding credentials (never the secret itself), its record key, its column mapping,
its schedule, reliability and publication policy. Names are validated before they reach SQL or
file paths, so a YAML file can never inject either.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hrdw import settings

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class SourceSpecError(ValueError):
    """A source YAML file is missing, unreadable or invalid; the message names the file."""


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(None, description="File path or glob, relative to the YAML file's folder.")
    url: str | None = Field(None, description="URL template; `{page}` is replaced by the page number.")


class Publication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    publish: bool = True


class SourceSpec(BaseModel):
    """One source, as declared in ``sources/<name>.yml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str
    description: str
    entity: str = "reports"
    schedule: str | None = "@daily"
    connection_id: str | None = None
    reliability: Literal["high", "medium", "low"] = "medium"
    attribution: str | None = None
    location: Location
    record_key: list[str] = Field(default_factory=list)
    # canonical name -> the source's header, or a list of alternative headers (aliases) tried in order
    columns: dict[str, str | list[str]] = Field(default_factory=dict)
    required_columns: list[str] = Field(default_factory=list)
    # canonical name -> {value as the source writes it: value to use}; applied in dbt staging
    value_maps: dict[str, dict[str, str]] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    publication: Publication = Field(default_factory=Publication)
    yaml_path: Path | None = None

    @field_validator("name", "entity")
    @classmethod
    def _safe_identifier(cls, value: str) -> str:
        if not NAME_PATTERN.match(value):
            raise ValueError(f"{value!r} must match {NAME_PATTERN.pattern}")
        return value

    @field_validator("columns", "value_maps")
    @classmethod
    def _safe_canonical_names(cls, value: dict) -> dict:
        for canonical in value:
            if not NAME_PATTERN.match(canonical):
                raise ValueError(f"column key {canonical!r} must match {NAME_PATTERN.pattern}")
        return value

    def headers_for(self, canonical: str) -> list[str]:
        """The source headers that may hold a canonical column (its name itself when unmapped)."""
        mapped = self.columns.get(canonical, canonical)
        return [mapped] if isinstance(mapped, str) else list(mapped)

    @property
    def dag_id(self) -> str:
        return f"ingest_{self.name}"

    @property
    def raw_table(self) -> str:
        return f"{self.name}__{self.entity}"

    @property
    def base_dir(self) -> Path:
        return self.yaml_path.parent if self.yaml_path else settings.sources_dir()

    def resolve(self, relative: str) -> Path:
        """A path from the YAML, resolved against the YAML file's folder."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else (self.base_dir / candidate)


def load_spec(path: Path) -> SourceSpec:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SourceSpecError(f"{path}: cannot read source YAML: {error}") from error
    if not isinstance(document, dict):
        raise SourceSpecError(f"{path}: expected a mapping at the top level")
    try:
        spec = SourceSpec(**document, yaml_path=path.resolve())
    except ValidationError as error:
        raise SourceSpecError(f"{path}: invalid source specification:\n{error}") from error
    if path.stem != spec.name:
        raise SourceSpecError(f"{path}: file name must be <name>.yml; found name {spec.name!r}")
    return spec


def load_specs(directory: Path | None = None) -> list[SourceSpec]:
    """Every ``*.yml`` in the sources folder, sorted by name; duplicate names are an error."""
    folder = directory or settings.sources_dir()
    specs = [load_spec(path) for path in sorted(folder.glob("*.yml"))]
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise SourceSpecError(f"{folder}: source name {spec.name!r} is declared twice")
        seen.add(spec.name)
    return specs
