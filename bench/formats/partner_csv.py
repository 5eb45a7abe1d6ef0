"""A partner's incident sheet as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import ClassVar

from bench.formats import partner_text
from bench.formats.base import ATTRIBUTION, VICTIM_SEPARATOR, Source
from bench.model import PERPETRATOR_TYPE, VIOLATION_WORDS, Actor, Event, Prefs


class PartnerCsv(Source):
    """A Central Asian partner's incident sheet as CSV: title rows, Cyrillic and Latin names, ';' lists."""

    key, name, kind, weight, p_resubmit = "partner_csv", "bench_partner_ca", "spreadsheet", 3.0, 0.04
    prefs = Prefs(
        0.04,
        0.4,
        (("passport", 0.35), ("simple", 0.3), ("dj", 0.2), ("bgn", 0.15)),
        (("GS", 0.5), ("SG", 0.35), ("S,G", 0.15)),
        0.1,
        0.05,
    )
    HEADERS: ClassVar[dict[str, str]] = {
        "incident_number": "№",
        "event_date": "Дата / Date",
        "country": "Страна / Country",
        "city": "Город / City",
        "victim_name_original": "ФИО (кириллица)",
        "victim_name": "Name (Latin)",
        "victim_type": "Тип жертвы / Victim type",
        "victim_gender": "Пол / Gender",
        "organization": "СМИ / Outlet",
        "violations": "Нарушение / Violation",
        "perpetrator": "Исполнитель / Perpetrator",
        "description": "Описание / Description",
        "information_source": "Источник / Source",
    }
    ROLE_LABELS: ClassVar[dict[str, str]] = {
        "journalist": "Журналист / Journalist",
        "media_worker": "Медиаработник / Media worker",
        "blogger": "Блогер / Blogger",
        "hrd": "Правозащитник / HRD",
        "lawyer": "Адвокат / Lawyer",
        "outlet": "СМИ / Media outlet",
    }
    GENDER_LABELS: ClassVar[dict[str, str]] = {"m": "М", "f": "Ж", "": ""}
    TITLE = "Мониторинг нарушений прав журналистов и правозащитников — Центральная Азия (выгрузка)"
    FILE = "partner_ca_incidents.csv"
    REQUIRED = ("incident_number", "event_date", "country", "victim_name", "violations")

    def eligible(self, event: Event) -> bool:
        return True  # partners write every violation, in their own words

    def p_together(self) -> float:
        return 0.65

    def date_text(self, date: dt.date, country: str) -> str | dt.date:
        return partner_text.date_text(date, country, self.rng, self.world.noise)

    def cells(self, event: Event, victims: list[Actor]) -> dict[str, object]:
        world, rng = self.world, self.rng
        latin = [world.latin_name(victim, self.prefs) for victim in victims]
        with_cyrillic = rng.random() < 0.8
        cyrillic = [world.cyrillic_name(v, surname_first=rng.random() < 0.6) for v in victims] if with_cyrillic else []
        outlets = list(dict.fromkeys(filter(None, (world.organization_text(v) for v in victims))))
        if not outlets:
            world.noise["organization_missing"] += 1
        separator = f"{VICTIM_SEPARATOR} "
        words = ", ".join(VIOLATION_WORDS[code][1] for code in event.violations)
        return {
            "event_date": self.date_text(event.date, event.country),
            "country": world.country_text(event.country, "cyrillic"),
            "city": world.city_text(event.city, 0.6, 0.08),
            "victim_name_original": separator.join(cyrillic),
            "victim_name": separator.join(latin),
            "victim_type": separator.join(self.ROLE_LABELS[v.role] for v in victims),
            "victim_gender": separator.join(self.GENDER_LABELS[v.gender] for v in victims),
            "organization": separator.join(outlets),
            "violations": separator.join(
                dict.fromkeys(partner_text.violation_label(rng, code) for code in event.violations)
            ),
            "perpetrator": partner_text.perpetrator_label(rng, PERPETRATOR_TYPE[event.perpetrator]),
            "description": f"{words.capitalize()}; пострадавших: {len(victims)}.",
            "information_source": rng.choice(("Партнёрский мониторинг", "СМИ", "CPJ", "Соцсети")),
        }

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        cells = self.cells(event, victims)
        self.rows.append((event.date + dt.timedelta(days=lag), len(self.rows), cells, event, victims))
        return 1

    def inject_drafts(self) -> list[tuple[dt.date, int, dict, None, None]]:
        """Draft rows missing required values, as partners leave them: the loader must quarantine them."""
        drafts = []
        for index in range(max(1, len(self.rows) // 1000)):
            if not self.rows:
                break
            _, _, cells, _, _ = self.rows[self.rng.randrange(len(self.rows))]
            draft = {**cells, "event_date": "", "violations": "", "description": "черновик / draft"}
            drafts.append((self.rows[-1][0], len(self.rows) + index, draft, None, None))
        return drafts

    def ordered_rows(self) -> list:
        rows = sorted(self.rows, key=lambda row: (row[0], row[1])) + self.inject_drafts()
        return rows

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        header = list(self.HEADERS.values())
        writer.writerow([self.TITLE] + [""] * (len(header) - 1))
        writer.writerow([""] * len(header))
        writer.writerow(header)
        for number, (_, _, cells, event, victims) in enumerate(self.ordered_rows(), start=1):
            cells = {**cells, "incident_number": str(number)}
            writer.writerow([str(cells.get(canonical, "")) for canonical in self.HEADERS])
            if event is None:
                reason = "missing required value(s): event_date ('Дата / Date'), violations ('Нарушение / Violation')"
                self.world.truth.quarantine.append((self.name, self.FILE, number, reason))
                self.world.noise["injected_quarantine_row"] += 1
                continue
            self.world.add_truth(self, str(number), event, victims)
            self.reports += 1
        (folder / self.FILE).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
        self.records = self.reports
        self.files = [f"data/{self.name}/{self.FILE}"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: a partner's incident sheet for Central Asia, exported as CSV (UTF-8 with BOM), "
            "two title rows above the header, several victims of one incident in one row separated by ';'.",
            "attribution": ATTRIBUTION,
            "reliability": "medium",
            "location": {"path": f"data/{self.name}/*.csv"},
            "options": {
                "delimiter": ",",
                "multi_value_separator": VICTIM_SEPARATOR,
                "victim_separator": VICTIM_SEPARATOR,
            },
            "record_key": ["№"],
            "columns": dict(self.HEADERS),
            "labels": partner_text.declared_labels(),
            "required_columns": list(self.REQUIRED),
            "publication": {"publish": False},
        }
