"""What every format writer shares: which events a source hears of, how it splits victims into
records, and the parts of its YAML every benchmark source has."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bench.model import Actor, Event, Prefs

if TYPE_CHECKING:
    from bench.world import World

STAGING_MACROS_DIR = Path(__file__).resolve().parent.parent.parent / "dbt_project" / "macros" / "staging"
VICTIM_SEPARATOR = ";"
ATTRIBUTION = "Synthetic benchmark data (bench/generator.py)"


class Source:
    """One source: which events it hears of, how it splits victims into records, how it writes them."""

    key = ""
    name = ""
    kind = ""
    weight = 1.0
    p_resubmit = 0.0
    prefs = Prefs(0.0, 0.8, (("simple", 1.0),), (("GS", 1.0),), 0.05, 0.02)

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.rows: list = []
        self.records = 0
        self.reports = 0
        self.files: list[str] = []

    def available(self) -> bool:
        """Render this source only if its connector module and staging macro exist in this checkout."""
        from extract.connectors import connector_for
        from hrdw.kinds import UnknownKindError

        try:
            connector_for(self.kind)
        except (UnknownKindError, ImportError, SyntaxError):
            return False
        return (STAGING_MACROS_DIR / f"hrdw_stage_{self.kind}.sql").exists()

    def eligible(self, event: Event) -> bool:
        return True

    def plan(self, event: Event) -> list[list[Actor]]:
        """Victim groups, one per record: together, one per victim, or only some of them."""
        victims = list(event.victims)
        if len(victims) > 3 and self.rng.random() < 0.4:
            kept = [victim for victim in victims if self.rng.random() < 0.7] or victims[:1]
            if len(kept) < len(victims):
                self.world.noise["partial_victim_coverage"] += 1
            victims = kept
        if len(victims) > 1 and self.rng.random() < self.p_together():
            self.world.noise["multi_victim_record"] += 1
            return [victims]
        if len(victims) > 1:
            self.world.noise["one_record_per_victim"] += 1
        return [[victim] for victim in victims]

    def p_together(self) -> float:
        return 0.0

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        raise NotImplementedError

    def finish(self, out: Path) -> None:
        raise NotImplementedError

    def spec(self) -> dict:
        raise NotImplementedError

    def summary(self) -> dict:
        return {"kind": self.kind, "records": self.records, "reports": self.reports, "files": self.files}

    def violation_labels(self, event: Event, vocabulary: str, *, choice_name: bool = False) -> list[str]:
        key = (vocabulary, event.violations, choice_name)
        cached = self.world._label_cache.get(key)
        if cached is None:
            vocab = self.world.vocab
            labels = [vocab.violation_label(vocabulary, code, choice_name=choice_name) for code in event.violations]
            cached = self.world._label_cache[key] = list(dict.fromkeys(label for label in labels if label))
        return cached

    def can_say(self, event: Event, vocabulary: str, *, choice_name: bool = False) -> bool:
        return bool(self.violation_labels(event, vocabulary, choice_name=choice_name))
