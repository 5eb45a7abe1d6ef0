"""The ground truth the writers fill in, and the truth files (the benchmark's contract with the scorer).

- ``truth_reports.csv``: ``source_name, source_record_id, true_event_id``: one row per report exactly
  as staging keys it (``report_id = source_name:source_record_id``).
- ``truth_mentions.csv``: ``source_name, source_record_id, victim_position, true_actor_id,
  true_event_id, victim_name, victim_name_forms``: one row per victim a report names. For a source
  with a victim field, ``victim_position`` is the victim's 1-based place in the record's list (1 for
  one victim); for a source whose victims are only named in its text (``victims_from_text``), it is
  the order of first mention, which the warehouse need not reproduce, so the scorer aligns those
  reports' mentions by name. ``victim_name`` is the name as the record first writes it;
  ``victim_name_forms`` every form the record writes it in (``|``-separated: a romanisation, the
  Cyrillic original in parentheses...).
- ``truth_events.csv``, ``truth_actors.csv``: the events and actors themselves (for diagnosis).
- ``expected_quarantine.csv``: rows injected on purpose that the loader must quarantine.
- ``manifest.json``: counts per source and of every kind of noise produced.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.model import Actor, Event

if TYPE_CHECKING:
    from bench.world import World

MENTION_COLUMNS = (
    "source_name",
    "source_record_id",
    "victim_position",
    "true_actor_id",
    "true_event_id",
    "victim_name",
    "victim_name_forms",
)


@dataclass
class Truth:
    reports: list[tuple[str, str, str]] = field(default_factory=list)
    mentions: list[tuple[str, str, int, str, str, str, str]] = field(default_factory=list)
    quarantine: list[tuple[str, str, int, str]] = field(default_factory=list)

    def add(
        self,
        source_name: str,
        record_id: str,
        event: Event,
        victims: list[Actor],
        written: list[tuple[str, ...]] | None = None,
    ) -> None:
        """One report and the victims it names; ``written[i]``: the forms victim i is written in."""
        self.reports.append((source_name, record_id, event.event_id))
        for position, victim in enumerate(victims, start=1):
            forms = written[position - 1] if written else ()
            name = forms[0] if forms else ""
            self.mentions.append(
                (source_name, record_id, position, victim.actor_id, event.event_id, name, "|".join(forms))
            )


def _write_csv(path: Path, header: tuple[str, ...], rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write(world: World, out: Path) -> None:
    truth = world.truth
    _write_csv(out / "truth_reports.csv", ("source_name", "source_record_id", "true_event_id"), truth.reports)
    _write_csv(out / "truth_mentions.csv", MENTION_COLUMNS, truth.mentions)
    _write_csv(
        out / "truth_events.csv",
        ("true_event_id", "event_date", "country_code", "city", "latitude", "longitude", "violation_type_codes",
         "perpetrator", "true_actor_ids", "tags"),
        [
            (e.event_id, e.date.isoformat(), e.country, e.city.names[0], e.lat, e.lon, "|".join(e.violations),
             e.perpetrator, "|".join(v.actor_id for v in e.victims), "|".join(e.tags))
            for e in world.events
        ],
    )  # fmt: skip
    _write_csv(
        out / "truth_actors.csv",
        ("true_actor_id", "kind", "role", "country_code", "name_group", "gender", "canonical_name", "patronymic",
         "byline_scheme", "outlet_actor_id", "namesake_of"),
        [
            (a.actor_id, a.kind, a.role, a.country, a.group, a.gender, a.canonical, a.patronymic, a.byline,
             a.outlet.actor_id if a.outlet else "", a.namesake_of)
            for a in world.actors
        ],
    )  # fmt: skip
    quarantine_header = ("source_name", "source_file", "source_row", "reason")
    _write_csv(out / "expected_quarantine.csv", quarantine_header, truth.quarantine)
    manifest = {
        "seed": world.seed,
        "n_reports_requested": world.n_reports,
        "n_reports": len(truth.reports),
        "n_mentions": len(truth.mentions),
        "n_events": len(world.events),
        "n_events_reported": len({row[2] for row in truth.reports}),
        "n_actors": len(world.actors),
        "n_actors_mentioned": len({row[3] for row in truth.mentions}),
        "expected_quarantined_rows": len(truth.quarantine),
        "sources": {source.name: source.summary() for source in world.sources},
        "noise": dict(sorted(world.noise.items())),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
