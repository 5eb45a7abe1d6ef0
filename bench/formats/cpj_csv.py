"""CPJ database CSV export (42 columns, one row per person, years only)."""

from __future__ import annotations

# ruff: noqa: SIM905 (the export's header is written as its one line, split)
import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from bench import names as nm
from bench.formats.base import ATTRIBUTION, Source
from bench.model import CPJ_ROLES, Actor, Event, Prefs

if TYPE_CHECKING:
    from bench.world import World


class CpjCsv(Source):
    """CPJ's 42-column database export: one row per person, year only, killed/imprisoned/missing."""

    key, name, kind, weight = "cpj_csv", "bench_cpj_export", "cpj_csv", 3.0
    prefs = Prefs(0.0, 0.85, (("simple", 0.5), ("bgn", 0.5)), (("GS", 0.93), ("SG", 0.05), ("S,G", 0.02)), 0.03, 0.01)
    HEADER = tuple(
        "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,"
        "type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,"
        "state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,"
        "accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,"
        "healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist".split(",")
    )
    RECORD_KEY = ("fullName", "year", "country", "status")
    STATUS: ClassVar[dict[str, str]] = {
        "killing": "Killed",
        "imprisonment": "Imprisoned",
        "enforced_disappearance": "Missing",
    }
    # CPJ's own sourcesOfFire values (its database's list, not the warehouse's crosswalk)
    SOURCES_OF_FIRE: ClassVar[dict[str, str]] = {
        "police": "Government Officials",
        "security_services": "Government Officials",
        "local_officials": "Government Officials",
        "military": "Military Officials",
        "criminal_group": "Criminal Group",
        "private_individual": "Local Residents",
        "mob": "Mob Violence",
        "unknown": "Unknown Fire",
    }

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.keys: set[str] = set()

    def cpj_status(self, event: Event) -> str | None:
        """CPJ's database status for the event, or None: CPJ lists only these three."""
        for code in ("killing", "imprisonment", "enforced_disappearance"):
            if code in event.violations:
                return self.STATUS[code]
        return None

    def eligible(self, event: Event) -> bool:
        return self.cpj_status(event) is not None and any(
            v.kind == "person" and v.role in CPJ_ROLES for v in event.victims
        )

    def plan(self, event: Event) -> list[list[Actor]]:
        victims = [v for v in event.victims if v.kind == "person" and v.role in CPJ_ROLES]
        if len(victims) > 1:
            self.world.noise["one_record_per_victim"] += 1
        return [[victim] for victim in victims]

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        (victim,) = victims
        status = self.cpj_status(event)
        country = world.country_text(event.country, "english")
        year = str(event.date.year)
        for _attempt in range(3):
            name = world.latin_name(victim, self.prefs)
            key = "|".join(part.strip() for part in (name, year, country, status))
            if key not in self.keys:
                break
        else:
            return 0  # CPJ has one row per person and year: a second one is not in the export
        self.keys.add(key)
        world.noise["date_precision_year"] += 1
        city = world.city_text(event.city, 0.0, 0.1)
        killed = status == "Killed"
        perpetrator = self.SOURCES_OF_FIRE[event.perpetrator] if killed else None
        motive = "Confirmed" if rng.random() < 0.7 else "Unconfirmed"
        values = {
            "year": year,
            "combinedStatus": motive,
            "fullName": name,
            "sortName": f"{nm.translit(victim.surname, victim.byline)}, {nm.translit(victim.given, victim.byline)}"
            if rng.random() < 0.3
            else "",
            "gender": {"m": "Male", "f": "Female"}[victim.gender] if rng.random() < 0.5 else "",
            "type": "Media Worker" if victim.role == "media_worker" else "Journalist",
            "typeOfDeath": rng.choice(("Murder", "Murder", "Crossfire", "Dangerous Assignment")) if killed else "N/A",
            "status": status,
            "employedAs": rng.choice(("Staff", "Freelance")),
            "organizations": world.organization_text(victim) or "",
            "jobs": rng.choice(("Print Reporter", "Broadcast Reporter", "Internet Reporter", "Editor")),
            "coverage": rng.choice(("Politics", "Human Rights", "Corruption", "Politics,Human Rights")),
            "mediums": rng.choice(("Internet", "Print", "Television", "Radio")),
            "country": country,
            "location": city,
            "locality": city,
            "localOrForeign": "Local",
            "sourcesOfFire": perpetrator or "",
            "motiveConfirmed": motive if killed else "",
            "charges": rng.choice(("Anti-state", "Retaliatory", "False news")) if status == "Imprisoned" else "",
            "Type of journalist": "Media Worker" if victim.role == "media_worker" else "Journalist",
        }
        row = [values.get(column, "") for column in self.HEADER]
        self.rows.append((name.lower(), year, row, key, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda item: (item[0], item[1], item[3]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.HEADER)
        for _, _, row, key, event, victims in self.rows:
            writer.writerow(row)
            self.world.add_truth(self, key, event, victims)
        (folder / "cpj_export.csv").write_text(buffer.getvalue(), encoding="utf-8")
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/cpj_export.csv"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: CPJ database CSV export (42-column layout), one row per person, years only.",
            "attribution": ATTRIBUTION,
            "reliability": "high",
            "location": {"path": f"data/{self.name}/*.csv"},
            "record_key": list(self.RECORD_KEY),
            "publication": {"publish": False},
        }
