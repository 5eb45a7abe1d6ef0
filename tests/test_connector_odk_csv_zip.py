"""ODK Central CSV export connector (submissions.csv.zip) on Central-shaped zips
(tests/fixtures/odk_csv_zip, see SOURCE.md) and layout variants built from them: repeats
attached to their parent, orphan and malformed rows quarantined, nested repeats, attachments,
older headers, and staging (one report per victim) through real dbt."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from extract.base import QuarantinedRow, RawRecord
from extract.connectors.odk_csv_zip import LayoutError
from extract.ingest import land_source

S1 = "uuid:3f9d0a52-6c1e-4b8a-9e57-0d2b8c41a7e3"
S2 = "uuid:8b27e6f4-1d3a-4c59-a2e8-5f60b9d3c814"
S3 = "uuid:c5a19e07-92b4-47d6-8f1c-e3b6a0d52f98"
S4 = "uuid:e1d47b3c-5a08-4f2e-b9c6-7a2f18d0e635"
MAIN, VICTIMS = "incident_report.csv", "incident_report-victims.csv"
ORPHAN = "Samuel Kiptoo Rotich,male,journalist,Eldoret Mirror,uuid:0f6c2d14-9a7b-4e3f-8c51-2b9e7d4a6f10,uuid:0f6c2d14-9a7b-4e3f-8c51-2b9e7d4a6f10/victims[1]\n"  # noqa: E501
# canonical name -> the export's column; `victims/<field>` reads the victims repeat
COLUMNS = {
    "victims_repeat": "victims",
    "victim_name": "victims/name",
    "victim_gender": "victims/gender",
    "victim_type": "victims/role",
    "organization": "victims/outlet",
    "event_date": "incident-date",
    "country": "incident-country",
    "city": "incident-city",
    "latitude": "incident-location-Latitude",
    "longitude": "incident-location-Longitude",
    "violations": "incident-violations",
    "perpetrator": "incident-perpetrator",
    "description": "incident-description",
    "monitoring_status": "follow_up",
}


@pytest.fixture
def export_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "odk_csv_zip"


def tables(export_dir: Path) -> dict[str, str]:
    folder = export_dir / "incident_report"
    return {MAIN: (folder / MAIN).read_text(encoding="utf-8"), VICTIMS: (folder / VICTIMS).read_text(encoding="utf-8")}


def build_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def zip_spec(make_spec, path: Path, name: str = "odk_export", **fields):
    fields.setdefault("columns", {"victims_repeat": "victims"})
    return make_spec(name=name, kind="odk_csv_zip", location={"path": str(path)}, **fields)


def records(rows: list) -> dict[str, RawRecord]:
    return {row.record_id: row for row in rows if isinstance(row, RawRecord)}


def test_fixture_zip_holds_exactly_the_readable_csvs(export_dir):
    with zipfile.ZipFile(export_dir / "incident_report.zip") as archive:
        assert archive.namelist() == [MAIN, VICTIMS]
        for member, text in tables(export_dir).items():
            assert archive.read(member).decode("utf-8") == text


def test_zip_lands_byte_for_byte_and_counts_submissions(hrdw_home, make_spec, export_dir, land_and_parse):
    spec = zip_spec(make_spec, export_dir / "incident_report.zip")
    manifest, rows = land_and_parse(spec)
    source = (export_dir / "incident_report.zip").read_bytes()
    landed = (hrdw_home / "landing" / "odk_export" / manifest["batch_id"] / "incident_report.zip").read_bytes()
    assert landed == source
    assert manifest["files"][0]["sha256"] == hashlib.sha256(source).hexdigest()
    assert (manifest["files"][0]["records"], manifest["record_count"], manifest["scope"]) == (4, 4, "full")
    assert len(rows) == 4 and all(isinstance(row, RawRecord) for row in rows)


def test_repeat_rows_travel_as_a_json_array_on_their_parent(hrdw_home, make_spec, export_dir, land_and_parse):
    _, rows = land_and_parse(zip_spec(make_spec, export_dir / "incident_report.zip"))
    assert [row.record_id for row in rows] == [S4, S3, S2, S1]  # Central exports newest first
    by_key = records(rows)
    nakuru = by_key[S1]
    assert (nakuru.source_file, nakuru.source_row) == ("incident_report.zip!incident_report.csv", 4)
    victims = json.loads(nakuru.values["victims"])
    assert [victim["name"] for victim in victims] == ["Grace Njeri Kamau", "Daniel Ochieng Were"]
    assert victims[1] == {
        "name": "Daniel Ochieng Were",
        "gender": "male",
        "role": "media_worker",
        "outlet": "Rift Valley Voice",
        "PARENT_KEY": S1,
        "KEY": f"{S1}/victims[2]",
    }
    assert json.loads(by_key[S3].values["victims"])[0]["outlet"] is None
    assert nakuru.values["incident-location-Latitude"] == "-0.2831"
    assert nakuru.values["incident-violations"] == "physical_attack threats"
    assert by_key[S2].values["incident-description"].endswith("allocation.\nReleased the next morning without charge.")
    assert by_key[S3].values["meta-instanceID"] == "uuid:7d0e4b91-3c2f-4a86-b5d1-96e8f2a07c34"
    assert (by_key[S3].values["ReviewState"], by_key[S3].values["Edits"]) == ("edited", "1")
    assert by_key[S4].values["ReviewState"] is None


def test_orphan_repeat_row_goes_to_quarantine_with_the_reason(
    hrdw_home, make_spec, export_dir, tmp_path, land_and_parse
):
    members = tables(export_dir)
    members[VICTIMS] += ORPHAN
    path = build_zip(tmp_path / "data" / "incident_report.zip", members)
    _, rows = land_and_parse(zip_spec(make_spec, path))
    quarantined = [row for row in rows if isinstance(row, QuarantinedRow)]
    assert len(quarantined) == 1
    orphan = quarantined[0]
    assert (orphan.source_file, orphan.source_row) == ("incident_report.zip!incident_report-victims.csv", 6)
    assert orphan.reason == (
        "repeat row's PARENT_KEY 'uuid:0f6c2d14-9a7b-4e3f-8c51-2b9e7d4a6f10' leads to no readable submission "
        "in incident_report.csv"
    )
    assert json.loads(orphan.raw)["name"] == "Samuel Kiptoo Rotich"
    attached = sum(len(json.loads(row.values["victims"])) for row in records(rows).values())
    assert attached == 5  # every other victim still on its submission


def test_nested_repeats_media_and_same_named_repeats(hrdw_home, make_spec, export_dir, tmp_path, land_and_parse):
    members: dict[str, str | bytes] = dict(tables(export_dir))
    # a repeat inside `victims` (follow-up contacts per victim) and two repeats both named `photo`
    members["incident_report-contacts.csv"] = (
        "date,channel,PARENT_KEY,KEY\n"
        f"2024-05-29,phone,{S1}/victims[2],{S1}/victims[2]/contacts[1]\n"
        f"2024-06-03,in_person,{S1}/victims[2],{S1}/victims[2]/contacts[2]\n"
    )
    members["incident_report-photo~1.csv"] = f"caption,PARENT_KEY,KEY\nMarket gate,{S1},{S1}/scene/photo[1]\n"
    members["incident_report-photo~2.csv"] = f"caption,PARENT_KEY,KEY\nSummons letter,{S3},{S3}/documents/photo[1]\n"
    members["media/1717086112345.jpg"] = b"\xff\xd8\xff\xe0 not really a jpeg"
    path = build_zip(tmp_path / "data" / "incident_report.zip", members)
    _, rows = land_and_parse(zip_spec(make_spec, path))
    assert all(isinstance(row, RawRecord) for row in rows) and len(rows) == 4
    by_key = records(rows)
    daniel = json.loads(by_key[S1].values["victims"])[1]
    assert [contact["channel"] for contact in daniel["contacts"]] == ["phone", "in_person"]
    assert json.loads(by_key[S1].values["photo~1"])[0]["caption"] == "Market gate"
    assert json.loads(by_key[S3].values["photo~2"])[0]["caption"] == "Summons letter"
    assert by_key[S3].values["photo~1"] is None and by_key[S4].values["contacts"] is None
    assert not any("media" in name for name in by_key[S1].values)


def test_root_only_export_with_an_older_header(hrdw_home, make_spec, tmp_path, land_and_parse):
    older = (  # Central before ReviewState, DeviceID, Edits and FormVersion joined the export
        "SubmissionDate,incident-date,incident-country,main_victim,meta-instanceID,KEY,SubmitterID,SubmitterName,"
        "AttachmentsPresent,AttachmentsExpected,Status\n"
        f"2021-03-04T09:15:00.000Z,2021-03-02,KE,Wanjiku Muthoni,{S1},{S1},12,Monitor - Rift Valley,0,0,\n"
    )
    path = build_zip(tmp_path / "data" / "incident_report.zip", {MAIN: older})
    _, rows = land_and_parse(zip_spec(make_spec, path))
    assert len(rows) == 1
    values = rows[0].values
    assert (values["main_victim"], values["ReviewState"], values["victims"]) == ("Wanjiku Muthoni", None, None)


def test_malformed_main_row_is_quarantined_and_its_repeat_rows_too(
    hrdw_home, make_spec, export_dir, tmp_path, land_and_parse
):
    members = tables(export_dir)
    lines = members[MAIN].splitlines(keepends=True)
    lines[1] = lines[1].replace(",Kisumu,", ",Kisumu,,")  # S4 gains a stray field
    members[MAIN] = "".join(lines)
    path = build_zip(tmp_path / "data" / "incident_report.zip", members)
    _, rows = land_and_parse(zip_spec(make_spec, path))
    quarantined = [row for row in rows if isinstance(row, QuarantinedRow)]
    assert [(row.source_file, row.source_row, row.reason[:28]) for row in quarantined] == [
        ("incident_report.zip!incident_report.csv", 1, "expected 25 fields, found 26"),
        ("incident_report.zip!incident_report-victims.csv", 1, "repeat row's PARENT_KEY 'uui"),
    ]
    assert set(records(rows)) == {S1, S2, S3}


def test_a_file_that_is_not_a_zip_fails_the_landing(hrdw_home, make_spec, tmp_path):
    path = tmp_path / "data" / "incident_report.zip"
    path.parent.mkdir()
    path.write_bytes(b"<!doctype html><html><body>Session expired</body></html>")
    spec = zip_spec(make_spec, path)
    end = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    with pytest.raises(LayoutError, match=r"source odk_export, file incident_report.zip: not a zip archive"):
        land_source(spec, end - dt.timedelta(days=1), end)
    assert not (hrdw_home / "landing" / "odk_export" / "20261129T000000Z").exists()


def test_main_table_is_found_by_shape_or_named_by_options_form_id(
    hrdw_home, make_spec, export_dir, tmp_path, land_and_parse
):
    members = tables(export_dir)
    members["incident_report_v1.csv"] = members[MAIN]
    two_roots = build_zip(tmp_path / "two" / "incident_report.zip", members)
    with pytest.raises(LayoutError, match=r"expected exactly one main table .*incident_report_v1.csv"):
        land_and_parse(zip_spec(make_spec, two_roots, name="odk_two"))
    # A form with its own field called PARENT_KEY hides the main table from detection by shape.
    members = tables(export_dir)
    members[MAIN] = members[MAIN].replace(",follow_up,", ",PARENT_KEY,", 1)
    odd_field = build_zip(tmp_path / "odd" / "incident_report.zip", members)
    with pytest.raises(LayoutError, match=r"found none .* set options.form_id"):
        land_and_parse(zip_spec(make_spec, odd_field, name="odk_odd"))
    _, rows = land_and_parse(zip_spec(make_spec, odd_field, name="odk_named", options={"form_id": "incident_report"}))
    assert len(records(rows)) == 4 and records(rows)[S1].values["PARENT_KEY"] == "active"
    assert len(json.loads(records(rows)[S1].values["victims"])) == 2


def test_export_stages_one_report_per_victim_and_nothing_is_lost(
    hrdw_home, make_spec, export_dir, tmp_path, build_warehouse
):
    members = tables(export_dir)
    members[VICTIMS] += ORPHAN
    lines = members[MAIN].splitlines(keepends=True)
    lines[1] = lines[1].replace(",,,collect:", ",,rejected,collect:")  # S4 was rejected in review
    members[MAIN] = "".join(lines)
    path = build_zip(tmp_path / "data" / "incident_report.zip", members)
    per_victim = zip_spec(make_spec, path, name="odk_export", columns=COLUMNS)
    flat_columns = {key: value for key, value in COLUMNS.items() if not value.startswith("victims")}
    per_submission = zip_spec(
        make_spec, path, name="odk_export_flat", columns={**flat_columns, "victim_name": "main_victim"}
    )
    con = build_warehouse([per_victim, per_submission], select="+int_report_violations")
    rows = con.execute(
        "select source_record_id, country_code, cast(event_date as varchar), victim_name, victim_gender, victim_role, "
        "organization, violation_labels, latitude, published_in_source "
        "from intermediate.int_reports_conformed where source_name = 'odk_export' order by event_date, victim_name"
    ).fetchall()
    assert rows == [
        (
            f"{S1}/victims[2]",
            "KE",
            "2024-05-28",
            "Daniel Ochieng Were",
            "male",
            "media_worker",
            "Rift Valley Voice",
            "physical_attack|threats",
            -0.2831,
            True,
        ),
        (
            f"{S1}/victims[1]",
            "KE",
            "2024-05-28",
            "Grace Njeri Kamau",
            "female",
            "journalist",
            "Rift Valley Voice",
            "physical_attack|threats",
            -0.2831,
            True,
        ),
        (
            f"{S2}/victims[1]",
            "UG",
            "2024-06-01",
            "Peter Okello Ocen",
            "male",
            "hrd",
            "Acholi Land Rights Forum",
            "arbitrary_detention",
            2.7724,
            True,
        ),
        (
            f"{S3}/victims[1]",
            "TZ",
            "2024-06-08",
            "Neema Joseph Mollel",
            "female",
            "blogger",
            None,
            "online_harassment|legal_harassment",
            None,
            True,
        ),
        (
            f"{S4}/victims[1]",
            "KE",
            "2024-06-13",
            "Fatuma Akinyi Odhiambo",
            "female",
            "journalist",
            "Lake Breeze FM",
            "threats",
            -0.0917,
            False,
        ),
    ]
    flat = con.execute(
        "select source_record_id, victim_name, country_code, cast(event_date as varchar), monitoring_status "
        "from intermediate.int_reports_conformed where source_name = 'odk_export_flat' order by event_date"
    ).fetchall()
    assert flat == [
        (S1, "Grace Njeri Kamau", "KE", "2024-05-28", "active"),
        (S2, "Peter Okello Ocen", "UG", "2024-06-01", None),
        (S3, "Neema Joseph Mollel", "TZ", "2024-06-08", "pending"),
        (S4, "Fatuma Akinyi Odhiambo", "KE", "2024-06-13", "active"),
    ]
    # Landed: 4 submission rows and 6 repeat rows. Raw holds the 4 submissions (victims inside),
    # staging has the 5 attached victims, quarantine the 1 orphan.
    raw_rows = con.execute('select count(*) from raw."odk_export__reports"').fetchone()[0]
    quarantined = con.execute("select reason from raw._quarantine where _source = 'odk_export'").fetchall()
    staged_submissions = con.execute(
        "select count(distinct split_part(source_record_id, '/', 1)) from intermediate.int_reports_conformed "
        "where source_name = 'odk_export'"
    ).fetchone()[0]
    assert (raw_rows, staged_submissions, len(rows), len(quarantined)) == (4, 4, 5, 1)
    assert "leads to no readable submission" in quarantined[0][0]
    assert len(flat) == raw_rows
    report = json.loads((hrdw_home / "landing" / "odk_export" / "20261129T000000Z" / "load_report.json").read_text())
    assert (report["loaded"], report["quarantined"]) == (4, 1)


def _with_column(table: str, name: str, values: dict[str, str], key: str = "KEY", edits: dict | None = None) -> str:
    """The CSV text with a column appended (value by the row's `key` column) and cells replaced."""
    rows = list(csv.DictReader(io.StringIO(table)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*rows[0].keys(), name], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        row.update((edits or {}).get(row[key], {}))
        writer.writerow({**row, name: values.get(row[key], "")})
    return out.getvalue()


def test_other_answers_value_maps_and_victim_counts_as_for_every_kind(
    hrdw_home, make_spec, export_dir, tmp_path, build_warehouse
):
    """Issue 16, point 2: `<question>_other` replaces an `other` answer (in the submission and in a
    repeat row, select-one and select-multiple), `value_maps` apply as for sheets, and a
    submission whose victim_count differs from its repeat rows is flagged."""
    members = tables(export_dir)
    members[MAIN] = _with_column(
        members[MAIN],
        "incident-country_other",
        {S3: "Tanzania"},
        edits={
            S3: {"incident-country": "other"},
            S2: {"incident-violations": "arbitrary_detention other"},
            S1: {"victim_count": "3"},
        },
    )
    members[MAIN] = _with_column(members[MAIN], "incident-violations_other", {S2: "land seized"})
    victim_two = f"{S1}/victims[2]"
    members[VICTIMS] = _with_column(
        members[VICTIMS], "role_other", {victim_two: "camera operator"}, edits={victim_two: {"role": "other"}}
    )
    lines = members[VICTIMS].splitlines(keepends=True)
    members[VICTIMS] = "".join(line for line in lines if f"{S2}/victims[1]" not in line)  # S2 says 1 victim
    path = build_zip(tmp_path / "data" / "incident_report.zip", members)
    maps = {"perpetrator": {"government_official": "state official"}, "violations": {"threats": "threat"}}
    con = build_warehouse([zip_spec(make_spec, path, columns={**COLUMNS, "victim_count": "victim_count"},
                                    value_maps=maps)], select="+int_report_violations")  # fmt: skip
    counted = "victim_count 3 but 2 victim(s) read from the repeat victims"
    rows = con.execute(
        "select source_record_id, country_raw, victim_role, violation_labels, perpetrator_labels, victims_issue "
        "from staging.stg_odk_export__reports order by source_record_id"
    ).fetchall()
    assert rows == [
        (f"{S1}/victims[1]", "KE", "journalist", "physical_attack|threat", "police", counted),
        (victim_two, "KE", "camera operator", "physical_attack|threat", "police", counted),
        (S2, "UG", None, "arbitrary_detention|land seized", "police",
         "no victim: the repeat victims has no rows"),
        (f"{S3}/victims[1]", "Tanzania", "blogger", "online_harassment|legal_harassment", "state official", None),
        (f"{S4}/victims[1]", "KE", "journalist", "threat", "unknown", None),
    ]  # fmt: skip
