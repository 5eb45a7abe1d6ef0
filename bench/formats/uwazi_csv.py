"""Uwazi CSV export of events of the HURIDOCS template: the template's properties only.

The export's own columns first and last (``Title, Date added, Template`` ... ``Documents,
Attachments, Published``, as in Uwazi's exporter fixture), property labels in between exactly as
the seed record shows them: Country, Initial Date, Event Description, Impact of Event (number of
victims), Gender of HRD, Violation, Rights Concerned, HRD (victim category), Perpetrator-State,
Perpetrator-Non-State, Source, Monitoring Status, Event Location (``lat|lon``), Summary for
Publications. No victim and no city property: victims are named in the title and description
(``bench.formats.uwazi_text``), the city in the text or only in the map pin.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from bench.formats.base import ATTRIBUTION, Source
from bench.formats.uwazi_text import UwaziWriter
from bench.model import UWAZI_FROM, Actor, Event

if TYPE_CHECKING:
    from bench.world import World

# violation code -> the labels of the template's Violation thesaurus (the instance's own list; the
# seed crosswalk may lack some)
THESAURUS: dict[str, tuple[str, ...]] = {
    "threats": ("Intimidation and Threats",),
    "online_harassment": ("Online Attack and Harassment",),
    "arbitrary_detention": ("Arbitrary Arrest and Detention",),
    "physical_attack": ("Physical Attack",),
    "legal_harassment": ("Judicial Harassment",),
    "imprisonment": ("Judicial Harassment", "Arbitrary Arrest and Detention"),
    "killing": ("Killing",),
    "enforced_disappearance": ("Enforced Disappearance",),
}
PERPETRATOR = {
    "police": ("state", "Police"),
    "security_services": ("state", "Security Services"),
    "local_officials": ("state", "Local Officials"),
    "military": ("state", "Military"),
    "criminal_group": ("non_state", "Criminal Group"),
    "private_individual": ("non_state", "Private Individual"),
    "mob": ("non_state", "Non-state"),
    "unknown": ("non_state", "Unknown"),
}
RIGHTS = ("Media freedom", "Freedom of expression", "Media freedom|Online", "Right to liberty and security",
          "Media freedom|Online|Right to healthy and safe environment")  # fmt: skip


class UwaziCsv(Source):
    """An Uwazi instance's CSV export of events: property labels as headers, '|' multiselects."""

    key, name, kind, weight = "uwazi_csv", "bench_uwazi_events", "uwazi_csv", 2.0
    HEADER = (
        "Title",
        "Date added",
        "Template",
        "Country",
        "Initial Date",
        "Event Description",
        "Impact of Event",
        "Gender of HRD",
        "Violation",
        "Rights Concerned",
        "HRD",
        "Perpetrator-State",
        "Perpetrator-Non-State",
        "Source",
        "Monitoring Status",
        "Event Location",
        "Summary for Publications",
        "Documents",
        "Attachments",
        "Published",
    )
    ROLE_LABELS: ClassVar[dict[str, str]] = {
        "journalist": "Journalist",
        "media_worker": "Media Worker",
        "blogger": "Blogger",
        "hrd": "Human Rights Defender",
        "lawyer": "Lawyer",
        "outlet": "Media Worker",  # the seed record files an outlet under Media Worker, gender Other
    }
    GENDER: ClassVar[dict[str, str]] = {"m": "Man", "f": "Woman", "": "Other (e.g. undefined, organisation, community)"}

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.keys: set[str] = set()
        self.text = UwaziWriter(world)

    def eligible(self, event: Event) -> bool:
        return event.date >= UWAZI_FROM

    def p_together(self) -> float:
        return 0.8

    def initial_date(self, event: Event, lag: int) -> tuple[str, dt.date]:
        world = self.world
        shown = world.shown_date(event, lag, 0.1)
        world.noise["date_precision_day"] += 1
        if self.rng.random() < 0.08:
            world.noise["date_range"] += 1
            return f"{shown.isoformat()}~{(shown + dt.timedelta(days=self.rng.randint(1, 5))).isoformat()}", shown
        return shown.isoformat(), shown

    def unique_title(self, title: str, added: dt.date) -> tuple[str, str]:
        """(title, record key): two entries may share a title; the export keys by title and date added."""
        key = f"{title}|{added.isoformat()}"
        suffix = 2
        while key in self.keys:
            key = f"{title} ({suffix})|{added.isoformat()}"
            suffix += 1
        self.keys.add(key)
        return (f"{title} ({suffix - 1})" if suffix > 2 else title), key

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        added = event.date + dt.timedelta(days=lag + rng.randint(0, 3))
        initial, shown = self.initial_date(event, lag)
        city = world.city_text(event.city, 0.0, 0.0)
        city_ru = next((name for name in event.city.cyrillic if not set(name) & set("ӨөҮүҢңӘәҒғҚқҰұҺһІіӢӣӮӯҲҳҶҷЎў")),
                       event.city.cyrillic[0] if event.city.cyrillic else "")  # fmt: skip
        lat, lon = world.coordinates(event, 0.3)
        if lat and rng.random() < 0.25:  # the city only in the map pin
            city = city_ru = ""
            world.noise["uwazi_city_only_in_pin"] += 1
        text = self.text.write(event, victims, city, city_ru, shown)
        title, key = self.unique_title(text.title, added)
        state_or_not, label = PERPETRATOR[event.perpetrator]
        labels = [label for code in event.violations for label in THESAURUS[code]]
        row = {
            "Title": title,
            "Date added": added.isoformat(),
            "Template": "Event",
            "Country": world.country_text(event.country, "english"),
            "Initial Date": initial,
            "Event Description": text.description,
            "Impact of Event": str(len(victims)) if rng.random() < 0.95 else "",
            "Gender of HRD": "|".join(dict.fromkeys(self.GENDER[v.gender] for v in victims)),
            "Violation": "|".join(dict.fromkeys(labels)),
            "Rights Concerned": rng.choice(RIGHTS),
            "HRD": "|".join(dict.fromkeys(self.ROLE_LABELS[v.role] for v in victims)),
            "Perpetrator-State": label if state_or_not == "state" else "",
            "Perpetrator-Non-State": label if state_or_not == "non_state" else "",
            "Source": rng.choice(("", "", "CPJ", "CPJ|News reports", "Media Policy Institute")),
            "Monitoring Status": rng.choice(("Active", "Pending", "Not active")),
            "Event Location": f"{lat}|{lon}" if lat else "",
            "Summary for Publications": text.summary,
            "Published": "Published" if rng.random() < 0.9 else "Restricted",
        }
        record = [row.get(column, "") for column in self.HEADER]
        self.rows.append((added, len(self.rows), record, key, event, text.named, text.written))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.HEADER)
        for _, _, row, key, event, named, written in self.rows:
            writer.writerow(row)
            self.world.add_truth(self, key, event, named, written)
        (folder / "uwazi_export.csv").write_text(buffer.getvalue(), encoding="utf-8")
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/uwazi_export.csv"]

    def spec(self) -> dict:
        spec = {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: Uwazi CSV export of the HURIDOCS Event template; no victim property, the "
            "victims are named in the title and description; Date added is the report date.",
            "attribution": ATTRIBUTION,
            "reliability": "medium",
            "location": {"path": f"data/{self.name}/*.csv"},
            "record_key": ["Title", "Date added"],
            "columns": {
                "title": "Title",
                "event_date": "Initial Date",
                "country": "Country",
                "victim_count": "Impact of Event",
                "victim_gender": "Gender of HRD",
                "victim_type": "HRD",
                "violations": "Violation",
                "perpetrator_state": "Perpetrator-State",
                "perpetrator_non_state": "Perpetrator-Non-State",
                "monitoring_status": "Monitoring Status",
                "geolocation": "Event Location",
                "description": "Event Description",
                "summary_for_publication": "Summary for Publications",
                "published": "Published",
                "reported_at": "Date added",
            },
            "victims_from_text": ["title", "description"],
            # the instance's thesaurus value the shared uwazi defaults lack
            "labels": {"violations": {"Enforced Disappearance": "enforced_disappearance"}},
            "required_columns": ["title", "event_date", "country", "violations"],
            "publication": {"publish": False},
        }
        if not accepts_victims_from_text():
            del spec["victims_from_text"]  # an older checkout: without the key the source still loads
        return spec


def accepts_victims_from_text() -> bool:
    """Whether this checkout's SourceSpec has the ``victims_from_text`` key (issue 16 adds it)."""
    from hrdw.sources import SourceSpec

    return "victims_from_text" in SourceSpec.model_fields
