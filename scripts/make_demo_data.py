"""Regenerate the bundled demo data under ``sources/demo_data/``.

Run once by a developer (the outputs are committed; nothing runs this at install or sync time):

    .venv/bin/python scripts/make_demo_data.py ../shared/real-samples

- ``cpj_killed_export_excerpt.csv``: Central Asian rows plus a few others, copied verbatim from
  CPJ's database CSV export (see ``sources/demo_data/ATTRIBUTION.md``).
- ``cpj_people_list/page-000N.json``: real ``people_list`` objects re-paged 20 a page in the
  API's own envelope ``{pageCount,rowCount,data}``, as the API would have served them.
- ``partner_central_asia_incidents.xlsx``: a partner monitoring sheet written for this project.
- ``uwazi_hrd_events_export.csv``: an Uwazi CSV export whose template has the seed record's fields.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "sources" / "demo_data"
CENTRAL_ASIA = {"Kyrgyzstan", "Kazakhstan", "Tajikistan", "Uzbekistan", "Turkmenistan"}
PAGE_SIZE = 20


def cpj_export_excerpt(samples: Path) -> None:
    source = samples / "cpj-database-export-killed-1992-2022" / "cpj_killed_1992_2022_motive_confirmed_unconfirmed.csv"
    text = source.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    country = header.index("country")
    keep = body[:4] + [row for row in body if len(row) > country and row[country] in CENTRAL_ASIA]
    keep += [row for row in body if row[header.index("fullName")] == "Abadullah Hananzai"]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([header, *keep])
    (OUT / "cpj_killed_export_excerpt.csv").write_text(buffer.getvalue(), encoding="utf-8")


def cpj_people_list_pages(samples: Path) -> None:
    people = json.loads((samples / "cpj-wpjson-people-list" / "cpj_data.json").read_text(encoding="utf-8"))
    chosen = [person for person in people if person["location"] in CENTRAL_ASIA]
    chosen += [person for person in people if person["location"] == "Afghanistan"][:8]
    chosen.sort(key=lambda person: person["fullName"])
    folder = OUT / "cpj_people_list"
    folder.mkdir(parents=True, exist_ok=True)
    page_count = (len(chosen) + PAGE_SIZE - 1) // PAGE_SIZE
    for page in range(page_count):
        data = chosen[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        envelope = {"pageCount": page_count, "rowCount": len(chosen), "data": data}
        (folder / f"page-{page + 1}.json").write_text(json.dumps(envelope, ensure_ascii=False, indent=1) + "\n")
    empty = {"pageCount": page_count, "rowCount": len(chosen), "data": []}
    (folder / f"page-{page_count + 1}.json").write_text(json.dumps(empty) + "\n")


PARTNER_HEADER = [
    "№",
    "Дата / Date",
    "Страна / Country",
    "Город / City",
    "ФИО (кириллица)",
    "Name (Latin)",
    "Тип жертвы / Victim type",
    "СМИ / Outlet",
    "Нарушение / Violation",
    "Исполнитель / Perpetrator",
    "Описание / Description",
    "Источник / Source",
]
# Incidents written for this project. Real, CPJ-documented killings appear as the partner would
# record them (so they must merge with CPJ's records); every other person here is fictional.
PARTNER_ROWS = [
    [
        1,
        "15.09.2003",
        "Кыргызстан",
        "Кара-Суу",
        "Эрнис Назалов",
        "Ernis Nazalov",
        "Журналист",
        "Kyrgyz Ruhu",
        "Убийство / Killing",
        "Неизвестно / Unknown",
        "Тело найдено в канале; связь с работой не установлена.",
        "CPJ; местные СМИ",
    ],
    [
        2,
        dt.datetime(2007, 10, 24),
        "Kyrgyzstan",
        "Osh",
        "Алишер Саипов",
        "Alisher Saipov",
        "Журналист",
        "Siyosat",
        "Убийство / Killing",
        "Неизвестно / Unknown",
        "Застрелен на улице в Оше.",
        "CPJ",
    ],
    [
        3,
        dt.datetime(2020, 10, 6),
        "Kyrgyzstan",
        "Бишкек",
        "Радио Азаттык",
        "Radio Azattyk",
        "СМИ / Media outlet",
        "Radio Azattyk",
        "Угрозы / Threats; Онлайн-травля / Online harassment",
        "Негосударственный / Non-state",
        "Угрозы в соцсетях и WhatsApp после выборов.",
        "Партнёрский мониторинг",
    ],
    [
        4,
        "12.03.2021",
        "Кыргызстан",
        "Бишкек",
        "Нурлан Абдылдаев",
        "Nurlan Abdyldaev",
        "Журналист",
        "Demo Media KG",
        "Задержание / Detention",
        "Государственный / State",
        "Задержан на 8 часов после публикации (вымышленный пример).",
        "Партнёрский мониторинг",
    ],
    [
        5,
        dt.datetime(2022, 4, 19),
        "Kyrgyz Republic",
        "Bishkek",
        "Нурлан Абдылдаев",
        "Nurlan Abdyldaev",
        "Журналист",
        "Demo Media KG",
        "Задержание / Detention",
        "Государственный / State",
        "Повторное задержание (вымышленный пример).",
        "Партнёрский мониторинг",
    ],
    [
        6,
        "2021-11-02",
        "Kazakhstan",
        "Алматы",
        "Сауле Жакупова",
        "Saule Zhakupova",
        "Правозащитник / HRD",
        "",
        "Судебное преследование / Legal harassment",
        "Государственный / State",
        "Иск о клевете (вымышленный пример).",
        "Партнёрский мониторинг",
    ],
    [
        7,
        "07.07.2022",
        "Таджикистан",
        "Душанбе",
        "Тимур Эргашев",
        "Timur Ergashev",
        "Журналист",
        "Demo Weekly TJ",
        "Нападение / Physical attack",
        "Неизвестно / Unknown",
        "Избит у дома (вымышленный пример).",
        "Партнёрский мониторинг",
    ],
    [
        8,
        "30.01.2023",
        "Узбекистан",
        "Ташкент",
        "Дилноза Рахимова",
        "Dilnoza Rakhimova",
        "Блогер / Blogger",
        "",
        "Угрозы / Threats",
        "Негосударственный / Non-state",
        "Угрозы в Telegram (вымышленный пример).",
        "Партнёрский мониторинг",
    ],
    ["Итого / Total", None, None, None, None, None, None, None, None, None, "8 инцидентов", None],
]


def partner_sheet() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Инциденты"
    sheet["A1"] = (
        "Мониторинг нарушений прав журналистов — Центральная Азия / Monitoring of violations against journalists"
    )
    sheet["A1"].font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PARTNER_HEADER))
    sheet.append([])
    sheet.append(PARTNER_HEADER)
    for row in PARTNER_ROWS:
        sheet.append(row)
    for cell in sheet["B"][3:]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "DD.MM.YYYY"
    notes = workbook.create_sheet("Notes")
    notes.append(["Fictional demo data written for hrd-warehouse, except rows 1-3 (public CPJ cases)."])
    workbook.save(OUT / "partner_central_asia_incidents.xlsx")


UWAZI_HEADER = [
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
]


def uwazi_export(seed_record: Path) -> None:
    seed = seed_record.read_text(encoding="utf-8")
    description = seed.split("- Event Description\n", 1)[1].split("\n- Impact of Event", 1)[0].strip()
    summary = seed.split("- Summary for Publications\n", 1)[1].strip()
    rows = [
        [
            "Kyrgyzstan: media outlet website, social media target of online harassment",
            "2020-10-08",
            "Event",
            "Kyrgyzstan",
            "2020-10-06",
            description,
            "1",
            "Other (e.g. undefined, organisation, community)",
            "Intimidation and Threats|Online Attack and Harassment",
            "Media freedom|Online|Right to healthy and safe environment",
            "Media Worker",
            "",
            "Non-state",
            "",
            "Pending",
            "42.88654926606721|74.60373960534305",
            summary,
            "",
            "",
            "Published",
        ],
        [
            "Kazakhstan: lawyer detained after defending protesters (fictional demo)",
            "2022-01-12",
            "Event",
            "Kazakhstan",
            "2022-01-10",
            "Fictional demo record: police in Almaty detained lawyer Aidos Serikbayev (Айдос Серикбаев) for 48 "
            "hours after he defended protesters in court, his colleague Dana Zhaksylykova told reporters.",
            "1",
            "Man",
            "Arbitrary Arrest and Detention",
            "Freedom of expression",
            "Lawyer",
            "Police",
            "",
            "",
            "Active",
            "43.2389|76.8897",
            "A lawyer was detained in Almaty (fictional demo).",
            "",
            "",
            "Published",
        ],
        [
            "Tajikistan: blogger Farrukh Nazarov receives death threats (fictional demo)",
            "2023-05-03",
            "Event",
            "Tajikistan",
            "2023-04-28",
            "Fictional demo record: anonymous death threats by phone.",
            "1",
            "Man",
            "Intimidation and Threats",
            "Media freedom",
            "Blogger",
            "",
            "Unknown",
            "",
            "Pending",
            "38.5598|68.7870",
            "A blogger received death threats in Dushanbe (fictional demo).",
            "",
            "",
            "Published",
        ],
        [
            "Kyrgyzstan: journalist detained again (fictional demo, private)",
            "2022-04-21",
            "Event",
            "Kyrgyz Republic",
            "2022-04-19",
            "Fictional demo record matching a partner-sheet row: Nurlan Abdyldaev, a journalist with a local "
            "newspaper, was detained by police in Bishkek.",
            "1",
            "Man",
            "Arbitrary Arrest and Detention",
            "Media freedom",
            "Media Worker",
            "Police",
            "",
            "",
            "Not active",
            "42.8746|74.5698",
            "",
            "",
            "",
            "Restricted",
        ],
    ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([UWAZI_HEADER, *rows])
    (OUT / "uwazi_hrd_events_export.csv").write_text(buffer.getvalue(), encoding="utf-8")


def main(samples_dir: str) -> None:
    samples = Path(samples_dir)
    OUT.mkdir(parents=True, exist_ok=True)
    cpj_export_excerpt(samples)
    cpj_people_list_pages(samples)
    partner_sheet()
    uwazi_export(samples.parent / "seed-record.txt")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/real-samples")
