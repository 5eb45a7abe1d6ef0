"""A small partner workbook (.xlsx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from bench.formats import partner_text
from bench.formats.base import VICTIM_SEPARATOR
from bench.formats.partner_csv import PartnerCsv
from bench.model import Event


class PartnerXlsx(PartnerCsv):
    """A small Tajik partner workbook (.xlsx): merged title, header on row 3, Excel dates, a total row."""

    key, name, kind, weight, p_resubmit = "partner_xlsx", "bench_partner_tj", "spreadsheet", 2.0, 0.0
    HEADERS: ClassVar[dict[str, str]] = {
        "incident_number": "№",
        "event_date": "Сана / Date",
        "country": "Кишвар / Country",
        "city": "Шаҳр / City",
        "victim_name_original": "Ному насаб / Name (Cyrillic)",
        "victim_name": "Name (Latin)",
        "victim_type": "Навъ / Victim type",
        "organization": "ВАО / Outlet",
        "violations": "Вайронкунӣ / Violation",
        "perpetrator": "Иҷрокунанда / Perpetrator",
        "description": "Тавсиф / Description",
    }
    SHEET = "Ҳодисаҳо"
    FILE = "partner_tj_incidents.xlsx"

    def eligible(self, event: Event) -> bool:
        return event.country in {"TJ", "UZ"} and len(self.rows) < 150 and super().eligible(event)

    def date_text(self, date: dt.date, country: str) -> str | dt.date:
        roll, noise = self.rng.random(), self.world.noise
        if roll < 0.6:
            noise["date_precision_day"] += 1
            noise["date_excel_cell"] += 1
            return date
        if roll < 0.85:
            noise["date_precision_day"] += 1
            return date.strftime("%d.%m.%Y")
        if roll < 0.92:
            noise["date_excel_serial_text"] += 1
            return str((date - dt.date(1899, 12, 30)).days)
        if roll < 0.96:
            noise["date_precision_day"] += 1
            noise["date_two_digit_year"] += 1
            return date.strftime("%d.%m.%y")
        noise["date_precision_month"] += 1
        noise["date_month_name"] += 1
        return f"{partner_text.RU_NOMINATIVE[date.month - 1]} {date.year}"

    def finish(self, out: Path) -> None:
        from openpyxl import Workbook

        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.SHEET
        header = list(self.HEADERS.values())
        sheet.append(["Мониторинги вайронкунии ҳуқуқи рӯзноманигорон — Тоҷикистон ва Ӯзбекистон"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
        sheet.append(header)
        rows = sorted(self.rows, key=lambda row: (row[0], row[1]))
        for number, (_, _, cells, event, victims) in enumerate(rows, start=1):
            values = [
                number if canonical == "incident_number" else (cells.get(canonical) or None)
                for canonical in self.HEADERS
            ]
            sheet.append(values)
            date_value = cells.get("event_date")
            if isinstance(date_value, dt.date):
                sheet.cell(row=sheet.max_row, column=2).number_format = "DD.MM.YYYY"
            self.world.add_truth(self, str(number), event, victims)
            self.reports += 1
        total = ["Ҳамагӣ / Total"] + [None] * (len(header) - 2) + [f"{len(rows)} ҳодиса"]
        sheet.append(total)
        reason = (
            "missing required value(s): event_date ('Сана / Date'), country ('Кишвар / Country'), "
            "victim_name ('Name (Latin)'), violations ('Вайронкунӣ / Violation')"
        )
        self.world.truth.quarantine.append((self.name, self.FILE, len(rows) + 1, reason))
        self.world.noise["injected_quarantine_row"] += 1
        notes = workbook.create_sheet("Notes")
        notes.append(["Synthetic benchmark data written by bench/generator.py."])
        workbook.properties.creator = "bench/generator.py"
        workbook.save(folder / self.FILE)
        self.records = self.reports
        self.files = [f"data/{self.name}/{self.FILE}"]

    def spec(self) -> dict:
        spec = super().spec()
        spec.update(
            {
                "description": "Benchmark: a small Tajik partner workbook (xlsx): merged title row, header on row 3, "
                "Excel date cells and dd.mm.yyyy text, a total row at the bottom.",
                "location": {"path": f"data/{self.name}/*.xlsx"},
                "options": {
                    "sheets": [self.SHEET],
                    "header_row": 3,
                    "multi_value_separator": VICTIM_SEPARATOR,
                    "victim_separator": VICTIM_SEPARATOR,
                },
            }
        )
        return spec
