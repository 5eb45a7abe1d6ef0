"""kobo_export: the three layouts KoboToolbox exports take (tests/fixtures/kobo_export/SOURCE.md):
`;` CSV with XML names and group paths, `,` CSV with BOM, labels and 0/1 option columns, XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from extract.base import QuarantinedRow, RawRecord, read_manifest
from extract.connectors import connector_for
from extract.connectors.kobo_export import LayoutError
from extract.ingest import land_source
from extract.tabular import UnreadableFileError
from hrdw import settings

END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
XML_CSV = "incident_report_xml_groups.csv"
LABEL_CSV = "incident_report_labels_bom.csv"
XLSX = "incident_report.xlsx"
XML_COLUMNS = {
    "event_date": "incident/date",
    "country": "incident/country",
    "geopoint": "incident/location",
    "victim_name": "victim/name",
    "victim_type": "victim/role",
    "violations": "incident/violation",
    "perpetrator": "incident/perpetrator",
    "description": "incident/description",
}
LABEL_COLUMNS = {
    "event_date": "Date of the incident",
    "country": "Country",
    "geopoint": "Location of the incident",
    "victim_name": "Name of the victim",
    "victim_type": "Role",
    "violations": "Violations",
    "perpetrator": "Perpetrator",
    "description": "Description",
}
UUIDS = [
    "a4c27a96-ce38-4d8a-a948-ce1a92ffc970",
    "d2fe94b7-afd5-4d60-b099-fc21c52e76a0",
    "52ef61e9-41ae-4885-bae9-cabaca0318ab",
    "9411d882-e068-4ebd-ae72-f753774f37c5",
]


@pytest.fixture
def export_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "kobo_export"


def export_spec(make_spec, path: Path, name: str = "kobo_export_test", **fields):
    fields.setdefault("columns", XML_COLUMNS)
    fields.setdefault("required_columns", ["event_date", "country"])
    return make_spec(name=name, kind="kobo_export", location={"path": str(path)}, **fields)


def land_and_read(spec) -> tuple[dict, list]:
    manifest = land_source(spec, END - dt.timedelta(days=1), END)
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    return manifest, list(connector_for(spec.kind).parse(spec, partition))


# --- layouts ----------------------------------------------------------------------------------


def test_semicolon_export_with_xml_names_and_group_paths(hrdw_home, make_spec, export_dir):
    source = export_dir / XML_CSV
    manifest, rows = land_and_read(export_spec(make_spec, source))
    assert manifest["files"][0]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert all(isinstance(row, RawRecord) for row in rows) and len(rows) == 4
    assert [row.record_id for row in rows] == UUIDS
    assert [row.source_row for row in rows] == [1, 2, 3, 4]
    aida = rows[0].values
    assert list(aida)[:3] == ["start", "end", "incident/date"]  # `;` sniffed, group paths kept as headers
    assert aida["incident/violation"] == "arbitrary_detention threats equipment_seized"  # split in staging
    assert aida["incident/_location_latitude"] == "42.8746" and aida["incident/location"] == "42.8746 74.5698 760 5"
    assert aida["_validation_status"] == "validation_status_approved"
    # Kobo quotes every field: the `;`, the line break and the doubled quotes survive.
    assert aida["incident/description"] == (
        "Detained for six hours after filming a protest outside the city court; her phone was searched.\n"
        'She said: "they wanted my sources".'
    )
    assert rows[3].values["incident/date"] is None and rows[3].values["_notes"] is None
    assert rows[1].values["_validation_status"] == "validation_status_not_approved"


def test_comma_export_with_bom_labels_and_option_columns(hrdw_home, make_spec, export_dir):
    spec = export_spec(make_spec, export_dir / LABEL_CSV, columns=LABEL_COLUMNS)
    _, rows = land_and_read(spec)
    assert len(rows) == 4 and [row.record_id for row in rows] == UUIDS
    aida = rows[0].values
    assert next(iter(aida)) == "start", "the BOM is not part of the first header"
    assert aida["Country"] == "Kyrgyzstan" and aida["Role"] == "Journalist" and aida["Perpetrator"] == "Police"
    assert aida["Violations/Arbitrary detention"] == "1" and aida["Violations/Physical attack"] == "0"
    assert aida["Violations/Seizure of the victim's equipment"] == "1"
    assert aida["_Location of the incident_longitude"] == "74.5698"
    assert aida["_validation_status"] == "Approved" and rows[1].values["_validation_status"] == "Not Approved"
    assert "; her phone was searched." in aida["Description"]  # a `;` in a `,` file is just text


def test_xlsx_export_reads_numbers_and_dates_as_text(hrdw_home, make_spec, export_dir):
    _, rows = land_and_read(export_spec(make_spec, export_dir / XLSX))
    assert len(rows) == 4 and [row.record_id for row in rows] == UUIDS
    aida = rows[0].values
    assert aida["_id"] == "500101" and aida["_index"] == "1"  # not "500101.0"
    assert aida["incident/date"] == "2026-03-14"  # an Excel date cell as ISO text
    assert aida["incident/_location_latitude"] == "42.8746"
    assert aida["incident/violation"] == "arbitrary_detention threats equipment_seized"
    assert (aida["incident/violation/threats"], aida["incident/violation/physical_attack"]) == ("1", "0")
    assert rows[3].values["incident/date"] is None
    assert "_sheet" not in aida


# --- reading rules ----------------------------------------------------------------------------


def test_explicit_delimiter_wins_and_an_undecidable_one_fails(hrdw_home, make_spec, export_dir, tmp_path):
    spec = export_spec(make_spec, export_dir / XML_CSV, options={"delimiter": ","})
    _, rows = land_and_read(spec)  # the header is then one long column: nothing matches the mapping
    assert "incident/date" not in rows[0].values and len(rows[0].values) == 1

    single = tmp_path / "data" / "single.csv"
    single.parent.mkdir()
    single.write_text("note\nfirst\n", encoding="utf-8")
    with pytest.raises(LayoutError, match=r"source kobo_single, file single\.csv: cannot tell the delimiter"):
        land_and_read(export_spec(make_spec, single, name="kobo_single", required_columns=[]))


def test_hxl_hashtag_row_under_the_header_is_not_a_record(hrdw_home, make_spec, export_dir, tmp_path):
    lines = (export_dir / XML_CSV).read_bytes().decode("utf-8").split("\r\n")
    width = lines[0].count(";") + 1
    hashtags = ['""'] * width
    hashtags[2], hashtags[3] = '"#date"', '"#country"'
    lines.insert(1, ";".join(hashtags))
    tagged = tmp_path / "data" / "tagged.csv"
    tagged.parent.mkdir()
    tagged.write_bytes("\r\n".join(lines).encode("utf-8"))
    _, rows = land_and_read(export_spec(make_spec, tagged))
    assert [row.record_id for row in rows] == UUIDS
    assert rows[0].source_row == 2  # row 1 was the hashtag row


def test_a_cut_csv_record_is_quarantined_not_padded(hrdw_home, make_spec, export_dir, tmp_path):
    lines = (export_dir / XML_CSV).read_bytes().decode("utf-8").split("\r\n")
    lines[2] = ";".join(lines[2].split(";")[:10])  # Timur's record lost its last 14 fields
    cut = tmp_path / "data" / "cut.csv"
    cut.parent.mkdir()
    cut.write_bytes("\r\n".join(lines).encode("utf-8"))
    _, rows = land_and_read(export_spec(make_spec, cut))
    bad = [row for row in rows if isinstance(row, QuarantinedRow)]
    assert len(rows) == 4 and len(bad) == 1
    assert (bad[0].source_row, bad[0].reason) == (2, "expected 24 fields, found 10")
    assert "Timur Bekov" in bad[0].raw


def test_xlsx_cells_beyond_the_header_are_quarantined(hrdw_home, make_spec, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["victim/name", "_uuid"])
    sheet.append(["Aida Mamatova", UUIDS[0]])
    sheet.append(["Timur Bekov", UUIDS[1], "stray note"])
    path = tmp_path / "data" / "stray.xlsx"
    path.parent.mkdir()
    workbook.save(path)
    _, rows = land_and_read(export_spec(make_spec, path, required_columns=[]))
    assert isinstance(rows[0], RawRecord) and rows[0].record_id == UUIDS[0]
    assert isinstance(rows[1], QuarantinedRow) and rows[1].source_row == 2 and "stray note" in rows[1].raw


def test_a_file_that_is_not_an_export_fails_naming_it(hrdw_home, make_spec, tmp_path):
    path = tmp_path / "data" / "incidents.json"
    path.parent.mkdir()
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(LayoutError, match=r"file incidents\.json: not a Kobo CSV or XLSX export"):
        land_and_read(export_spec(make_spec, path))


def test_a_corrupt_xlsx_export_fails_naming_source_and_file(hrdw_home, make_spec, export_dir, tmp_path):
    """Issue 15.10: not a bare `BadZipFile: File is not a zip file`."""
    path = tmp_path / "data" / "submissions.xlsx"
    path.parent.mkdir()
    path.write_bytes((export_dir / XLSX).read_bytes()[:300])  # cut short in transfer
    with pytest.raises(
        UnreadableFileError, match=r"source kobo_export_test, file submissions\.xlsx: not a valid \.xlsx"
    ):
        land_and_read(export_spec(make_spec, path))


# --- into the warehouse -----------------------------------------------------------------------


def records_in(path: Path) -> int:
    """Records in a fixture counted independently of the connector."""
    if path.suffix == ".xlsx":
        rows = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
        return sum(any(value is not None for value in row) for row in rows)
    text = path.read_bytes().decode("utf-8-sig")
    return (
        len(list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if ";" in text.split("\n")[0] else ","))) - 1
    )


def test_every_layout_reaches_int_reports_conformed(hrdw_home, make_spec, export_dir, build_warehouse):
    specs = [
        export_spec(make_spec, export_dir / XML_CSV, name="kobo_xml_csv"),
        export_spec(make_spec, export_dir / LABEL_CSV, name="kobo_label_csv", columns=LABEL_COLUMNS),
        export_spec(make_spec, export_dir / XLSX, name="kobo_xlsx"),
    ]
    con = build_warehouse(specs, select="+int_report_violations")
    rows = con.execute(
        """
        select source_name, victim_name, country_code, cast(event_date as varchar), violation_labels,
               perpetrator_labels, victim_role, latitude, longitude, published_in_source, source_record_id
        from intermediate.int_reports_conformed
        order by source_name, event_date
        """
    ).fetchall()
    xml_rows = [
        ("Aida Mamatova", "KG", "2026-03-14", "arbitrary_detention|threats|equipment_seized", "police", "journalist",
         42.8746, 74.5698, True, UUIDS[0]),
        ("Timur Bekov", "KZ", "2026-04-02", "online_harassment", "unknown", "blogger", None, None, False, UUIDS[1]),
        ("Dilnoza Rakhimova", "TJ", "2026-05-20", "judicial_harassment", "local_officials", "hrd",
         38.5598, 68.787, True, UUIDS[2]),
    ]  # fmt: skip
    label_rows = [
        ("Aida Mamatova", "KG", "2026-03-14",
         "Arbitrary detention|Threats and intimidation|Seizure of the victim's equipment", "Police", "Journalist",
         42.8746, 74.5698, True, UUIDS[0]),
        ("Timur Bekov", "KZ", "2026-04-02", "Online harassment", "Unknown", "Blogger", None, None, False, UUIDS[1]),
        ("Dilnoza Rakhimova", "TJ", "2026-05-20", "Judicial harassment", "Local officials", "Human rights defender",
         38.5598, 68.787, True, UUIDS[2]),
    ]  # fmt: skip
    assert rows == [
        *[("kobo_label_csv", *row) for row in label_rows],
        *[("kobo_xlsx", *row) for row in xml_rows],
        *[("kobo_xml_csv", *row) for row in xml_rows],
    ]
    assert {
        row[0]
        for row in con.execute("select distinct violation_vocabulary from staging.stg_kobo_xlsx__reports").fetchall()
    } == {"kobo"}

    for spec in specs:
        path = Path(spec.location.path)
        staged = con.execute(
            "select count(*) from intermediate.int_reports_conformed where source_name = ?", [spec.name]
        ).fetchone()[0]
        held = con.execute("select reason from raw._quarantine where _source = ?", [spec.name]).fetchall()
        assert records_in(path) == staged + len(held) == 4, spec.name
        assert held[0][0].startswith("missing required value(s): event_date"), spec.name
        assert read_manifest(settings.landing_dir() / spec.name / "20261129T000000Z")["files"][0]["name"] == path.name


def test_a_mapped_victims_repeat_is_an_error_not_silence(hrdw_home, make_spec, export_dir):
    """An export's main table never holds a repeat group's rows (issue 16, point 2): mapping one must
    fail the source, not give every multi-victim incident no victim."""
    columns = {**XML_COLUMNS, "victims_repeat": "victim", "victim_name": "victim/name"}
    spec = export_spec(make_spec, export_dir / XML_CSV, columns=columns)
    with pytest.raises(LayoutError, match=r"source kobo_export_test: columns.victims_repeat .*kobo_api kind"):
        land_and_read(spec)
