"""Source specifications: one YAML file per source under ``HRDW_SOURCES_DIR``.

A specification names the source, its connector ``kind``, where its data lives, the Airflow
connection holding credentials (never the secret itself), its record key, its column mapping,
its schedule, reliability and publication policy. Names are validated before they reach SQL or
file paths, so a YAML file can never inject either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hrdw import settings
from hrdw.kinds import UnknownKindError, accepted_options, unknown_options

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# The staging contract's free-text columns, where `victims_from_text` may look for victims' names.
VICTIM_TEXT_COLUMNS = ("title", "description", "summary_for_publication")


class SourceSpecError(ValueError):
    """A source YAML file is missing, unreadable or invalid; the message names the file, the field
    and the reason. URLs in it are redacted: a source file may hold a token in a URL."""

    def __init__(self, message: str) -> None:
        from hrdw.secrets import scrub

        super().__init__(scrub(message, []))


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(None, description="File path or glob, relative to the YAML file's folder.")
    url: str | None = Field(None, description="URL template; `{page}` is replaced by the page number.")


class Publication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    publish: bool = True


class SourceLabels(BaseModel):
    """What the source's labels mean (hrdw/labels.py): label as the source writes it -> code."""

    model_config = ConfigDict(extra="forbid")

    violations: dict[str, str] = Field(default_factory=dict, description="-> violation_types.violation_type_code")
    perpetrators: dict[str, str] = Field(default_factory=dict, description="-> perpetrator_types.perpetrator_type")
    countries: dict[str, str] = Field(default_factory=dict, description="-> countries.country_code (ISO 3166-1)")
    victim_roles: dict[str, str] = Field(default_factory=dict, description="-> victim_roles.victim_role")


class SourceSpec(BaseModel):
    """One source, as declared in ``sources/<name>.yml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str
    description: str
    # A draft (what `make new-source` writes) is never scheduled, built or published: its DAG is
    # paused and unscheduled, the build and the sync leave it out. Remove the key once it is real.
    draft: bool = False
    entity: str = "reports"
    schedule: str | None = "@daily"
    connection_id: str | None = None
    reliability: Literal["high", "medium", "low"] = "medium"
    attribution: str | None = None
    # Who collects the source: sources of one organisation are not independent of each other when
    # an event is counted as corroborated (fct_sdg_16_10_1). Default: the source is its own.
    organization: str | None = None
    location: Location
    record_key: list[str] = Field(default_factory=list)
    # canonical name -> the source's header, or a list of alternative headers (aliases) tried in order
    columns: dict[str, str | list[str]] = Field(default_factory=dict)
    required_columns: list[str] = Field(default_factory=list)
    # canonical name -> {value as the source writes it: value to use}; applied in dbt staging
    value_maps: dict[str, dict[str, str]] = Field(default_factory=dict)
    # the source's own labels -> the warehouse's codes, per kind (hrdw/labels.py)
    labels: SourceLabels = Field(default_factory=SourceLabels)
    # text columns (canonical names, or the headers they map) whose text names the victims, for
    # sources without a victim-name column (an Uwazi event's Title and Event Description)
    victims_from_text: list[str] = Field(default_factory=list)
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

    @model_validator(mode="after")
    def _victim_text_columns_exist(self) -> SourceSpec:
        self.victim_text_columns()
        return self

    def victim_text_columns(self) -> list[str]:
        """``victims_from_text`` as canonical text columns of the staging contract, in order."""
        canonical_of = {
            header: canonical for canonical in VICTIM_TEXT_COLUMNS for header in self.headers_for(canonical)
        }
        resolved = []
        for entry in self.victims_from_text:
            canonical = entry if entry in VICTIM_TEXT_COLUMNS else canonical_of.get(entry)
            if canonical is None:
                raise ValueError(
                    f"victims_from_text: {entry!r} is none of the text columns {', '.join(VICTIM_TEXT_COLUMNS)} "
                    "nor a header mapped to one in `columns`"
                )
            if canonical not in resolved:
                resolved.append(canonical)
        return resolved

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


SPEC_SUFFIXES = (".yml", ".yaml")


def _field_errors(error: ValidationError) -> str:
    """One line per invalid field: where, what is wrong, and the value found."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        value = item.get("input")
        found = "" if item["type"] == "missing" or isinstance(value, dict) else f" (found {value!r:.80})"
        lines.append(f"field `{where}`: {item['msg']}{found}")
    return "; ".join(lines)


def _check_kind_and_options(path: Path, spec: SourceSpec) -> None:
    """The connector kind exists and reads every key under ``options:`` (a typo is no setting)."""
    try:
        unknown = unknown_options(spec.kind, spec.options)
    except UnknownKindError as error:
        raise SourceSpecError(f"{path}: field `kind`: {error}") from None
    if unknown:
        raise SourceSpecError(
            f"{path}: field `options`: kind {spec.kind!r} has no option(s) {', '.join(map(repr, unknown))}; "
            f"it accepts {', '.join(sorted(accepted_options(spec.kind)))}"
        )


def _check_labels(path: Path, spec: SourceSpec) -> None:
    """Every code under ``labels:`` exists in its vocabulary, and no label has two meanings."""
    from hrdw.labels import problems

    found = problems(spec.labels.model_dump())
    if found:
        raise SourceSpecError(f"{path}: field `labels`: " + "; ".join(found))


def load_spec(path: Path) -> SourceSpec:
    """Read and validate one source YAML; ``SourceSpecError`` names the file, the field and the reason."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SourceSpecError(f"{path}: cannot read source YAML: {error}") from None
    if not isinstance(document, dict):
        raise SourceSpecError(f"{path}: expected a mapping of fields at the top level")
    try:
        spec = SourceSpec.model_validate({**document, "yaml_path": path.resolve()})
    except ValidationError as error:
        raise SourceSpecError(f"{path}: invalid source specification: {_field_errors(error)}") from None
    if path.stem != spec.name:
        raise SourceSpecError(f"{path}: field `name`: file name must be <name>{path.suffix}; found name {spec.name!r}")
    _check_kind_and_options(path, spec)
    _check_labels(path, spec)
    return spec


def spec_files(directory: Path | None = None) -> list[Path]:
    """Every source YAML file (``*.yml`` and ``*.yaml``) in the sources folder, sorted by name."""
    folder = directory or settings.sources_dir()
    return sorted(path for path in folder.iterdir() if path.suffix in SPEC_SUFFIXES and path.is_file())


def spec_path(name: str, directory: Path | None = None) -> Path:
    """The file declaring source ``name`` (``<name>.yml`` or ``<name>.yaml``); the ``.yml`` path when neither exists."""
    folder = directory or settings.sources_dir()
    found = [folder / f"{name}{suffix}" for suffix in SPEC_SUFFIXES if (folder / f"{name}{suffix}").is_file()]
    return found[0] if found else folder / f"{name}.yml"


def problem_source_name(path: Path) -> str:
    """The source name a broken YAML file stands for, safe for a DAG id: its file name, cleaned."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", path.stem.lower()).strip("_")
    return cleaned if cleaned and cleaned[0].isalpha() else f"source_{cleaned}"


@dataclass(frozen=True)
class SpecProblem:
    """A source YAML file that cannot be used: its source fails alone, the others go on."""

    path: Path
    name: str
    message: str

    @property
    def dag_id(self) -> str:
        return f"ingest_{self.name}"


def scan_specs(directory: Path | None = None) -> tuple[list[SourceSpec], list[SpecProblem]]:
    """Every valid source, and every YAML file that is not one (with the reason), both by name.

    A bad file fails only its own source: the DAG factory turns it into a failing
    ``ingest_<name>`` DAG and the build goes on with the others. Two files declaring one name
    are both problems (neither wins silently).
    """
    folder = directory or settings.sources_dir()
    specs: list[SourceSpec] = []
    problems: list[SpecProblem] = []
    for path in spec_files(folder):
        try:
            specs.append(load_spec(path))
        except SourceSpecError as error:
            problems.append(SpecProblem(path, problem_source_name(path), str(error)))
        except Exception as error:  # whatever else a file can do, it fails its own source only
            message = f"{path}: cannot use this source file: {type(error).__name__}: {error}"
            problems.append(SpecProblem(path, problem_source_name(path), str(SourceSpecError(message))))
    counts = Counter(spec.name for spec in specs)
    for spec in [spec for spec in specs if counts[spec.name] > 1]:
        specs.remove(spec)
        message = f"{spec.yaml_path}: source name {spec.name!r} is declared by more than one file in {folder}"
        problems.append(SpecProblem(Path(spec.yaml_path or folder), spec.name, message))
    taken = {spec.name for spec in specs}
    named = []
    for problem in problems:  # every failing DAG needs an id of its own
        name, number = problem.name, 1
        while name in taken:
            number += 1
            name = f"{problem.name}_{problem.path.suffix.lstrip('.')}" + (f"_{number}" if number > 2 else "")
        taken.add(name)
        named.append(SpecProblem(problem.path, name, problem.message))
    problems = named
    return specs, sorted(problems, key=lambda problem: (problem.name, str(problem.path)))


def load_specs(directory: Path | None = None) -> list[SourceSpec]:
    """Every source, sorted by name; raises ``SourceSpecError`` listing every bad file.

    For tools that need all or nothing (``make dbt-generate``, tests). The nightly sync and the
    DAG factory use ``scan_specs`` so that one bad file stops only its own source.
    """
    specs, problems = scan_specs(directory)
    if problems:
        raise SourceSpecError("\n".join(problem.message for problem in problems))
    return specs
