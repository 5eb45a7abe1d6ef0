"""CPJ people_list JSON pages, replayed from disk."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from bench import names as nm
from bench.formats.base import ATTRIBUTION, Source
from bench.formats.cpj_csv import CpjCsv
from bench.model import Actor, Event, Prefs

if TYPE_CHECKING:
    from bench.world import World

MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905


class CpjPeopleList(Source):
    """CPJ's people_list JSON pages, read from disk: startDisplay dates in CPJ's free-text forms."""

    key, name, kind, weight = "cpj_people_list", "bench_cpj_people", "cpj_people_list", 3.0
    prefs = Prefs(0.0, 0.85, (("simple", 0.5), ("bgn", 0.5)), (("GS", 0.95), ("SG", 0.05)), 0.02, 0.01)
    PAGE_SIZE = 20

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.slugs: Counter[str] = Counter()
        self.cpj = CpjCsv(world)

    def eligible(self, event: Event) -> bool:
        return self.cpj.eligible(event)

    def plan(self, event: Event) -> list[list[Actor]]:
        return self.cpj.plan(event)

    def start_display(self, date: dt.date) -> str:
        rng, noise = self.rng, self.world.noise
        roll = rng.random()
        if roll < 0.6:
            noise["date_precision_day"] += 1
            return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
        if roll < 0.75:
            noise["date_precision_month"] += 1
            return f"{MONTHS[date.month - 1]} {date.year}"
        if roll < 0.85:
            noise["date_cpj_unknown_in_year"] += 1
            return f"Unknown in {date.year}"
        if roll < 0.95 and date.day > 1:  # "June 7 or 8, 2008": the truth is one of the two days
            first = date - dt.timedelta(days=rng.randint(0, 1))
            second = first + dt.timedelta(days=1)
            if second.month == first.month:
                noise["date_cpj_or_day"] += 1
                return f"{MONTHS[first.month - 1]} {first.day} or {second.day}, {first.year}"
        noise["date_cpj_on_or_after"] += 1
        start = date - dt.timedelta(days=rng.randint(0, 3))
        return f"On or after {MONTHS[start.month - 1]} {start.day}, {start.year}"

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        (victim,) = victims
        name = world.latin_name(victim, self.prefs)
        base = re.sub("[^a-z0-9]+", "-", nm.translit(victim.canonical, "simple").lower()).strip("-") or "person"
        self.slugs[base] += 1
        slug = base if self.slugs[base] == 1 else f"{base}-{self.slugs[base]}"
        status = self.cpj.cpj_status(event)
        item = {
            "fullName": name,
            "organizations": world.organization_text(victim) or "",
            "location": world.country_text(event.country, "english"),
            "status": status,
            "typeOfDeath": rng.choice(("Murder", "Crossfire", "Dangerous Assignment")) if status == "Killed" else "N/A",
            "startDisplay": self.start_display(event.date),
            "mtpage": f"https://cpj.org/data/people/{slug}/",
            "type": "Media Worker" if victim.role == "media_worker" else "Journalist",
            "motiveConfirmed": "Confirmed" if rng.random() < 0.7 else "Unconfirmed",
            "charges": rng.choice(("Anti-state", "Retaliatory")) if status == "Imprisoned" else None,
        }
        self.rows.append((name.lower(), item["mtpage"], item, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name / "people"
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        pages = [self.rows[i : i + self.PAGE_SIZE] for i in range(0, len(self.rows), self.PAGE_SIZE)] or [[]]
        for number, page in enumerate(pages, start=1):
            document = {"pageCount": len(pages), "rowCount": len(self.rows), "data": [row[2] for row in page]}
            text = json.dumps(document, indent=1, ensure_ascii=False)
            (folder / f"page-{number}.json").write_text(text + "\n", encoding="utf-8")
            for _, mtpage, _, event, victims in page:
                self.world.add_truth(self, mtpage, event, victims)
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/people/page-{n}.json" for n in range(1, len(pages) + 1)]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: CPJ people_list JSON API pages replayed from disk (20 a page).",
            "attribution": ATTRIBUTION,
            "reliability": "high",
            "location": {"url": f"data/{self.name}/people/page-{{page}}.json"},
            "options": {"min_request_interval_seconds": 0, "shrink_guard_min_ratio": 0},
            "publication": {"publish": False},
        }
