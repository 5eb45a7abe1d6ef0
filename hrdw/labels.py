"""A source's own labels: what its violation, perpetrator, country and victim-role labels mean.

Declared under ``labels:`` in the source's YAML, so adding a source never edits a shared seed:

.. code-block:: yaml

    labels:
      violations: {"Угрозы / Threats": threats}        # -> violation_types.violation_type_code
      perpetrators: {"Государственный / State": state}  # -> perpetrator_types.perpetrator_type
      countries: {"Кыргызская Республика": KG}          # -> countries.country_code (ISO 3166-1)
      victim_roles: {"Журналист": journalist}           # -> victim_roles.victim_role

Codes are checked against the vocabulary seeds of the dbt project when the YAML is read.
``orchestration.dbt`` writes every source's labels into the generated seed ``hrdw_source_labels``; the
intermediate models look a label up there first (the source's own meaning), then in the shared
defaults of the well-known vocabularies (``violation_type_crosswalk``, ``perpetrator_type_crosswalk``,
``country_aliases``, ``victim_role_aliases``). Labels are compared as ``hrdw_label_key`` compares
them: trimmed, lower-case, runs of white space as one space.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from hrdw import settings

# label kind (the YAML key, singular in the seed) -> (vocabulary seed, its code column)
VOCABULARIES: dict[str, tuple[str, str, str]] = {
    "violations": ("violation", "violation_types", "violation_type_code"),
    "perpetrators": ("perpetrator", "perpetrator_types", "perpetrator_type"),
    "countries": ("country", "countries", "country_code"),
    "victim_roles": ("victim_role", "victim_roles", "victim_role"),
}
SEED_COLUMNS = ("source_name", "label_kind", "source_label", "code")


def label_key(label: str) -> str:
    """A label as dbt's ``hrdw_label_key`` compares it: trimmed, lower-case, single spaces."""
    return re.sub(r"\s+", " ", label.strip().lower())


@cache
def vocabulary_codes(seed: str, column: str, seeds_dir: Path | None = None) -> frozenset[str]:
    """The codes of a vocabulary seed of the dbt project."""
    folder = seeds_dir or settings.dbt_project_dir() / "seeds"
    with (folder / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(row[column] for row in csv.DictReader(handle) if row.get(column))


def problems(labels: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with a source's ``labels:`` mapping (empty when nothing is): unknown codes,
    empty labels, one label given two meanings."""
    found: list[str] = []
    for kind, mapping in labels.items():
        _, seed, column = VOCABULARIES[kind]
        codes = vocabulary_codes(seed, column)
        meanings: dict[str, tuple[str, str]] = {}
        for label, code in mapping.items():
            key = label_key(label)
            if not key:
                found.append(f"labels.{kind}: an empty label")
                continue
            if code not in codes:
                sample = ", ".join(sorted(codes)[:12]) + (", ..." if len(codes) > 12 else "")
                found.append(f"labels.{kind}.{label!r}: {code!r} is not a code of {seed} ({sample})")
            earlier = meanings.get(key)
            if earlier and earlier[1] != code:
                found.append(
                    f"labels.{kind}: {earlier[0]!r} and {label!r} are one label (compared trimmed and lower-case) "
                    f"with two codes, {earlier[1]!r} and {code!r}"
                )
            meanings.setdefault(key, (label, code))
    return found


def seed_rows(specs: list) -> list[tuple[str, str, str, str]]:
    """One row per (source, kind, label) for the generated ``hrdw_source_labels`` seed."""
    rows = []
    for spec in specs:
        for kind, mapping in spec.labels.model_dump().items():
            singular = VOCABULARIES[kind][0]
            rows += [(spec.name, singular, label.strip(), code) for label, code in mapping.items()]
    return sorted(rows)
