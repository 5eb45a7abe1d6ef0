"""Violation and perpetrator labels of the seeds' crosswalks, for the sources whose vocabulary the
warehouse knows by construction (CPJ's statuses, a Kobo or ODK form's choice names). Sources that
write free labels (partner sheets, Uwazi thesauri) keep their own label tables in their writer, so
a label the crosswalk lacks shows as ``unclassified`` in the warehouse, as it would in real data."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.gazetteer import SEEDS_DIR
from bench.model import PERPETRATOR_PREFERENCES, PERPETRATOR_TYPE, VIOLATION_FALLBACK


@dataclass
class Vocabularies:
    violations: dict[str, dict[str, list[str]]]  # vocabulary -> code -> labels (seed order)
    perpetrators: dict[str, dict[str, list[str]]]  # vocabulary -> perpetrator type -> labels

    @classmethod
    def load(cls, seeds_dir: Path = SEEDS_DIR) -> Vocabularies:
        violations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with (seeds_dir / "violation_type_crosswalk.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                violations[row["vocabulary"]][row["violation_type_code"]].append(row["source_label"])
        perpetrators: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with (seeds_dir / "perpetrator_type_crosswalk.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                perpetrators[row["vocabulary"]][row["perpetrator_type"]].append(row["source_label"])
        return cls(violations, perpetrators)

    def violation_label(self, vocabulary: str, code: str, *, choice_name: bool = False) -> str | None:
        """The label ``vocabulary`` uses for ``code`` (its fallback's if it has none); None if neither."""
        known = self.violations.get(vocabulary, {})
        labels = known.get(code) or known.get(VIOLATION_FALLBACK.get(code, ""), [])
        if choice_name:  # select-multiples are space-separated: only labels without spaces work there
            labels = [label for label in labels if " " not in label]
        return labels[0] if labels else None

    def perpetrator_label(self, vocabulary: str, perpetrator: str, *, choice_name: bool = False) -> str | None:
        by_type = self.perpetrators.get(vocabulary, {})
        labels = by_type.get(PERPETRATOR_TYPE[perpetrator], [])
        if choice_name:
            labels = [label for label in labels if " " not in label]
        for preferred in PERPETRATOR_PREFERENCES[perpetrator]:
            if preferred in labels:
                return preferred
        return labels[0] if labels else None


def title_label(label: str) -> str:
    """Uwazi-style thesaurus label: "intimidation and threats" -> "Intimidation and Threats"."""
    return " ".join(
        word if word in {"and", "of", "the", "or"} else word[:1].upper() + word[1:] for word in label.split()
    )


def partner_label(label: str) -> str:
    """Partner-sheet style: "угрозы / threats" -> "Угрозы / Threats"."""
    return " / ".join(part[:1].upper() + part[1:] for part in label.split(" / "))
