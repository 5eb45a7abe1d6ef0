"""Partner spreadsheets: xlsx/ods/csv, encodings, delimiters, header detection, sheets, merged
cells, dates, aliases, value maps and multi-values, through to staging with real dbt."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from extract.base import RawRecord
from extract.ingest import MissingColumnsError, land_source, load_source

REPO = Path(__file__).resolve().parent.parent
END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
HEADER = ["№", "Дата", "Страна", "ФИО", "Name", "Нарушение", "Заметки", "Внесено"]
ROWS = [
    [
        "1",
        "12.03.2021",
        "Кыргызстан",
        "Нурлан Абдылдаев",
        "Nurlan Abdyldaev",
        "Задержание; Угрозы",
        "первый",
        "15.03.2021",
    ],
    ["2", "2022-04-19", "KG", "Айгуль Осмонова", "Aigul Osmonova", "Угрозы", "", ""],
]
COLUMNS = {
    "incident_number": "№",
    "event_date": "Дата",
    "country": "Страна",
    "victim_name_original": "ФИО",
    "victim_name": ["Name", "Name (Latin)", "ФИО латиницей"],
    "violations": "Нарушение",
    "reported_at": "Внесено",
}


def sheet_spec(make_spec, path: Path, **options):
    return make_spec(
        name="partner_test",
        kind="spreadsheet",
        location={"path": str(path)},
        record_key=["№"],
        columns=COLUMNS,
        required_columns=["event_date", "country", "victim_name", "violations"],
        value_maps={
            "country": {"KG": "Kyrgyzstan"},
            "violations": {"Задержание": "задержание / detention", "Угрозы": "угрозы / threats"},
        },
        # the partner's own labels (hrdw/labels.py): no partner rows in the shared crosswalk seeds
        labels={"violations": {"задержание / detention": "arbitrary_detention", "угрозы / threats": "threats"}},
        options={"multi_value_separator": ";", **options},
    )


def write_csv(path: Path, encoding: str, delimiter: str, title_rows: int = 0) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["Отчёт партнёра за 2021-2022"] + [""] * (len(HEADER) - 1)] * title_rows)
    writer.writerows([HEADER, *ROWS])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def names(rows: list) -> list[str]:
    return [row.values["Name"] for row in rows if isinstance(row, RawRecord)]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", "\t")],
    ids=["utf8-comma", "utf8-bom-semicolon", "cp1251-semicolon", "cp1251-tab"],
)
def test_csv_encodings_and_sniffed_delimiters(tmp_path, make_spec, land_and_parse, encoding, delimiter):
    path = write_csv(tmp_path / "partner.csv", encoding, delimiter)
    manifest, rows = land_and_parse(sheet_spec(make_spec, path))
    assert names(rows) == ["Nurlan Abdyldaev", "Aigul Osmonova"]
    assert rows[0].values["ФИО"] == "Нурлан Абдылдаев"  # Cyrillic decoded, not mojibake
    assert "№" in rows[0].values  # BOM stripped from the first header
    assert (path.read_bytes(), manifest["files"][0]["bytes"]) == ((REPO / path).read_bytes(), path.stat().st_size)


def test_header_row_is_detected_below_title_rows(tmp_path, make_spec, land_and_parse):
    path = write_csv(tmp_path / "partner.csv", "utf-8", ";", title_rows=3)
    _, rows = land_and_parse(sheet_spec(make_spec, path))
    assert names(rows) == ["Nurlan Abdyldaev", "Aigul Osmonova"]
    assert [row.source_row for row in rows] == [1, 2]


def test_declared_header_row_wins_over_detection(tmp_path, make_spec, land_and_parse):
    path = write_csv(tmp_path / "partner.csv", "utf-8", ";", title_rows=3)
    _, rows = land_and_parse(sheet_spec(make_spec, path, header_row=4))
    assert names(rows) == ["Nurlan Abdyldaev", "Aigul Osmonova"]


def test_xlsx_sheets_merged_cells_dates_and_serials(tmp_path, make_spec, land_and_parse):
    workbook = Workbook()
    first = workbook.active
    first.title = "2021"
    first.append(["Мониторинг", None, None, None, None, None, None])
    first.merge_cells("A1:G1")
    first.append(HEADER)
    first.append(["1", dt.datetime(2021, 3, 12), "Кыргызстан", "Нурлан Абдылдаев", "Nurlan Abdyldaev", "Угрозы", None])
    first.append(["2", 44300, "Кыргызстан", "Айгуль Осмонова", "Aigul Osmonova", "Угрозы", None])  # a serial
    first.append(["3", "05.05.2021", "Кыргызстан", "Бакыт Исаев", "Bakyt Isaev", "Угрозы", None])
    first.merge_cells("C3:C5")  # one country cell merged over three incidents
    second = workbook.create_sheet("2022")
    second.append(HEADER)
    second.append(["4", "2022-04-19", "KG", "Айгуль Осмонова", "Aigul Osmonova", "Задержание", "extra"])
    path = tmp_path / "partner.xlsx"
    workbook.save(path)
    _, rows = land_and_parse(sheet_spec(make_spec, path, sheets="*"))
    assert [(row.values["_sheet"], row.source_row, row.values["Name"]) for row in rows] == [
        ("2021", 1, "Nurlan Abdyldaev"),
        ("2021", 2, "Aigul Osmonova"),
        ("2021", 3, "Bakyt Isaev"),
        ("2022", 1, "Aigul Osmonova"),
    ]
    assert [row.values["Страна"] for row in rows[:3]] == ["Кыргызстан"] * 3
    assert [row.values["Дата"] for row in rows[:3]] == ["2021-03-12", "44300", "05.05.2021"]


def test_ods_is_read_like_xlsx(tmp_path, make_spec, land_and_parse):
    path = tmp_path / "partner.ods"
    frame = pd.DataFrame(ROWS, columns=HEADER)
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Лист1", index=False, startrow=2)
    _, rows = land_and_parse(sheet_spec(make_spec, path))
    assert names(rows) == ["Nurlan Abdyldaev", "Aigul Osmonova"]
    assert rows[0].values["Нарушение"] == "Задержание; Угрозы"


def test_alias_header_satisfies_a_required_column(tmp_path, make_spec, land_and_parse):
    path = tmp_path / "partner.csv"
    renamed = [cell if cell != "Name" else "ФИО латиницей" for cell in HEADER]
    path.write_text("\n".join(",".join(row) for row in [renamed, *ROWS]) + "\n", encoding="utf-8")
    _, rows = land_and_parse(sheet_spec(make_spec, path))
    assert [row.values["ФИО латиницей"] for row in rows] == ["Nurlan Abdyldaev", "Aigul Osmonova"]


def test_missing_required_column_fails_naming_everything(hrdw_home, tmp_path, make_spec):
    path = tmp_path / "partner.csv"
    renamed = [cell if cell != "Страна" else "Country?" for cell in HEADER]
    path.write_text("\n".join(",".join(row) for row in [renamed, *ROWS]) + "\n", encoding="utf-8")
    spec = sheet_spec(make_spec, path)
    batch = land_source(spec, END - dt.timedelta(days=1), END)["batch_id"]
    with pytest.raises(MissingColumnsError) as failure:
        load_source(spec, batch)
    message = str(failure.value)
    for part in ("source partner_test", "file partner.csv", "'Страна'", "expected", "found", "'Country?'"):
        assert part in message


def test_partner_sheet_reads_header_row_dates_and_cyrillic(hrdw_home, land_and_parse):
    from hrdw.sources import load_spec

    _, rows = land_and_parse(load_spec(REPO / "sources" / "partner_central_asia.yml"))
    records = [row for row in rows if isinstance(row, RawRecord)]
    assert len(rows) == 9  # 8 incidents and the totals row; title rows above the header skipped
    assert records[0].values["ФИО (кириллица)"] == "Эрнис Назалов"
    assert records[0].values["Дата / Date"] == "15.09.2003"  # a text date kept as written
    assert records[1].values["Дата / Date"] == "2007-10-24"  # an Excel date becomes ISO text
    assert records[0].values["№"] == "1"  # numbers as plain text, not "1.0"
    assert records[0].values["_sheet"] == "Инциденты"


def test_value_maps_aliases_and_multi_values_reach_staging(tmp_path, make_spec, build_warehouse):
    path = write_csv(tmp_path / "partner.csv", "cp1251", ";", title_rows=2)
    con = build_warehouse([sheet_spec(make_spec, path)], select="+int_report_violations")
    rows = con.execute(
        "select victim_name, victim_name_original, country_code, cast(event_date as varchar), violation_labels, "
        "cast(reported_at as varchar) from intermediate.int_reports_conformed order by source_record_id"
    ).fetchall()
    assert rows == [
        ("Nurlan Abdyldaev", "Нурлан Абдылдаев", "KG", "2021-03-12", "задержание / detention|угрозы / threats",
         "2021-03-15"),  # the mapped reported_at column, typed as a day
        ("Aigul Osmonova", "Айгуль Осмонова", "KG", "2022-04-19", "угрозы / threats", None),
    ]  # fmt: skip
    types = con.execute(
        "select violation_type_code from intermediate.int_report_violations order by report_id, 1"
    ).fetchall()
    assert types == [("arbitrary_detention",), ("threats",), ("threats",)]


def _good_workbook(path: Path) -> Path:
    if path.suffix == ".ods":
        with pd.ExcelWriter(path, engine="odf") as writer:
            pd.DataFrame(ROWS, columns=HEADER).to_excel(writer, index=False)
        return path
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in ROWS:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("suffix", "spoil"),
    [
        (".xlsx", lambda data: data[: len(data) // 2]),  # an upload cut short
        (".xlsx", lambda data: b"<html><body>Session expired</body></html>"),  # not a workbook at all
        (".ods", lambda data: data[: len(data) // 3]),
    ],
    ids=["truncated-xlsx", "garbage-xlsx", "truncated-ods"],
)
def test_a_corrupt_workbook_fails_the_load_naming_source_and_file(hrdw_home, tmp_path, make_spec, suffix, spoil):
    from extract.tabular import UnreadableFileError
    from hrdw import warehouse

    path = _good_workbook(tmp_path / f"partner{suffix}")
    spec = sheet_spec(make_spec, path)
    first = land_source(spec, END - dt.timedelta(days=1), END)["batch_id"]
    assert load_source(spec, first).loaded == 2
    path.write_bytes(spoil(path.read_bytes()))
    later = END + dt.timedelta(days=1)
    batch = land_source(spec, later - dt.timedelta(days=1), later)["batch_id"]
    with pytest.raises(UnreadableFileError) as failure:
        load_source(spec, batch)
    assert f"source partner_test, file partner{suffix}: not a valid {suffix} (zip) file" in str(failure.value)
    # The file is kept in landing as received, so the batch can be loaded again once it is replaced;
    # raw keeps the earlier batch.
    landed = hrdw_home / "landing" / "partner_test" / batch / f"partner{suffix}"
    assert landed.read_bytes() == path.read_bytes()
    con = warehouse.connect(read_only=True)
    try:
        assert con.execute("select _batch_id, count(*) from raw.partner_test__reports group by 1").fetchall() == [
            (first, 2)
        ]
    finally:
        con.close()


def test_an_undecodable_csv_fails_naming_source_and_file(hrdw_home, tmp_path, make_spec):
    from extract.tabular import UnreadableFileError

    path = tmp_path / "partner.csv"
    path.write_bytes(",".join(HEADER).encode("utf-8") + b"\n1,\x98\x98\n")  # \x98 is unassigned in cp1251
    spec = sheet_spec(make_spec, path)
    batch = land_source(spec, END - dt.timedelta(days=1), END)["batch_id"]
    with pytest.raises(UnreadableFileError, match=r"source partner_test, file partner\.csv: cannot decode"):
        load_source(spec, batch)
