"""Landing of file sources: files of one name in several folders, names that could overwrite each
other, and the shrink guard for sources whose landing does not count records (files)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from extract.base import LandingCollisionError, LandingWriter, RunContext
from extract.files import glob_base
from extract.ingest import ShrinkGuardError, check_load_shrink, land_source, load_source
from hrdw import settings, warehouse

END = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
HEADER = "id,event_date,country,victim_name,violations\n"


def day(n: int) -> tuple[dt.datetime, dt.datetime]:
    """The interval of the n-th nightly run from END."""
    end = END + dt.timedelta(days=n)
    return end - dt.timedelta(days=1), end


def csv_spec(make_spec, pattern: str, **options):
    return make_spec(
        name="partner_files",
        kind="spreadsheet",
        location={"path": pattern},
        record_key=["id"],
        columns={"event_date": "event_date", "country": "country", "victim_name": "victim_name"},
        options=options,
    )


def raw_rows(sql: str) -> list[tuple]:
    con = warehouse.connect(read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_same_named_files_in_two_folders_both_land_and_load(hrdw_home, tmp_path, make_spec):
    data = tmp_path / "data" / "x"
    for year, row in (
        ("2025", "25-1,2025-03-01,KG,Aida Mamatova,threats"),
        ("2026", "26-1,2026-02-11,KZ,Bolat Nurlanov,arrest"),
    ):
        (data / year).mkdir(parents=True)
        (data / year / "incidents.csv").write_text(HEADER + row + "\n", encoding="utf-8")
    spec = csv_spec(make_spec, str(tmp_path / "data" / "x" / "**" / "incidents.csv"))

    manifest = land_source(spec, *day(0))
    partition = settings.landing_dir() / spec.name / manifest["batch_id"]
    assert [entry["name"] for entry in manifest["files"]] == ["2025/incidents.csv", "2026/incidents.csv"]
    for entry, year in zip(manifest["files"], ("2025", "2026"), strict=True):
        landed = (partition / entry["name"]).read_bytes()
        assert landed == (data / year / "incidents.csv").read_bytes()
        assert entry["origin"] == str(data / year / "incidents.csv")

    report = load_source(spec, manifest["batch_id"])
    assert (report.loaded, report.quarantined) == (2, 0)
    assert raw_rows("select _source_file, _source_row, victim_name from raw.partner_files__reports order by 1") == [
        ("2025/incidents.csv", "1", "Aida Mamatova"),
        ("2026/incidents.csv", "1", "Bolat Nurlanov"),
    ]


def _copy_twice(source: Path, folder: Path, name: str | None = None) -> str:
    """The file in folder/a/ and folder/b/ under one name; returns the glob matching both."""
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / sub / (name or source.name))
    return str(folder / "*" / (name or source.name))


@pytest.mark.parametrize(
    ("kind", "fixture", "fields"),
    [
        ("cpj_csv", "cpj_csv/cpj_killed_export_head.csv", {}),
        ("uwazi_csv", "uwazi_csv/export_expected.csv", {}),
        ("kobo_export", "kobo_export/incident_report_xml_groups.csv", {}),
        ("kobo_export", "kobo_export/incident_report.xlsx", {}),
        ("odk_csv_zip", "odk_csv_zip/incident_report.zip", {"columns": {"victims_repeat": "victims"}}),
    ],
    ids=["cpj_csv", "uwazi_csv", "kobo_csv", "kobo_xlsx", "odk_zip"],
)
def test_every_file_kind_reads_files_landed_in_subfolders(
    hrdw_home, tmp_path, make_spec, fixtures_dir, land_and_parse, kind, fixture, fields
):
    pattern = _copy_twice(fixtures_dir / fixture, tmp_path / "drop")
    spec = make_spec(name="sub_test", kind=kind, location={"path": pattern}, **fields)
    manifest, rows = land_and_parse(spec)
    name = Path(fixture).name
    assert [entry["name"] for entry in manifest["files"]] == [f"a/{name}", f"b/{name}"]
    files = [row.source_file.split("!")[0] for row in rows]
    assert files.count(f"a/{name}") == files.count(f"b/{name}") == len(rows) // 2 > 0


def test_spreadsheet_workbooks_in_subfolders(hrdw_home, tmp_path, make_spec, land_and_parse):
    from openpyxl import Workbook

    for sub, victim in (("north", "Aida Mamatova"), ("south", "Bolat Nurlanov")):
        workbook = Workbook()
        workbook.active.append(["id", "event_date", "country", "victim_name"])
        workbook.active.append(["1", "2026-01-02", "KG", victim])
        (tmp_path / "drop" / sub).mkdir(parents=True)
        workbook.save(tmp_path / "drop" / sub / "sheet.xlsx")
    _, rows = land_and_parse(csv_spec(make_spec, str(tmp_path / "drop" / "*" / "sheet.xlsx")))
    assert [(row.source_file, row.values["victim_name"]) for row in rows] == [
        ("north/sheet.xlsx", "Aida Mamatova"),
        ("south/sheet.xlsx", "Bolat Nurlanov"),
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("/srv/drop/incidents.csv", "/srv/drop"),
        ("/srv/drop/*.csv", "/srv/drop"),
        ("/srv/drop/**/incidents.csv", "/srv/drop"),
        ("/srv/drop/20[0-9][0-9]/*.xlsx", "/srv/drop"),
        ("/srv/dr?p/x/*.csv", "/srv"),
    ],
)
def test_glob_base_is_the_leading_folders_without_glob_characters(pattern, expected):
    assert glob_base(pattern) == Path(expected)


def test_a_file_at_the_glob_base_keeps_its_plain_name(hrdw_home, tmp_path, make_spec):
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "incidents.csv").write_text(HEADER + "1,2026-01-02,KG,A,threats\n", encoding="utf-8")
    for pattern in ("drop/incidents.csv", "drop/*.csv", "drop/**/*.csv"):
        manifest = land_source(csv_spec(make_spec, str(tmp_path / pattern)), *day(0))
        assert [entry["name"] for entry in manifest["files"]] == ["incidents.csv"], pattern


def _writer(make_spec) -> LandingWriter:
    spec = make_spec(name="writer_test", kind="spreadsheet", location={"path": "x.csv"})
    return LandingWriter(RunContext(spec, *day(0)))


def test_landing_refuses_to_overwrite_a_file_it_already_wrote(hrdw_home, make_spec):
    with _writer(make_spec) as writer:
        writer.write("incidents.csv", b"first", origin="/in/2025/incidents.csv")
    partition = writer.final_dir
    collision = r"writer_test: two files would land as 'sub/a.csv'.*/in/2"
    with pytest.raises(LandingCollisionError, match=collision), _writer(make_spec) as writer:
        writer.write("sub/a.csv", b"one", origin="/in/1/sub/a.csv")
        writer.write("sub/a.csv", b"two", origin="/in/2/sub/a.csv")
    # The failed run changed nothing: the earlier partition is still there, whole.
    assert (partition / "incidents.csv").read_bytes() == b"first"
    assert not (partition / "sub").exists()


@pytest.mark.parametrize("name", ["../escape.csv", "/etc/passwd", "a//b.csv", "./a.csv", "", "manifest.json"])
def test_landing_refuses_names_outside_the_partition_or_its_own_files(hrdw_home, make_spec, name):
    with pytest.raises(ValueError, match="cannot land a file named"), _writer(make_spec) as writer:
        writer.write(name, b"x", origin="/in/x")


# The shrink guard for file sources: landing does not count their records, the load does.


def write_rows(path: Path, count: int, first_id: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{n},2026-01-{n % 28 + 1:02d},KG,Victim {n},threats\n" for n in range(first_id, first_id + count))
    path.write_text(HEADER + rows, encoding="utf-8")


def test_a_header_only_file_after_a_batch_with_rows_fails_the_load_and_loses_nothing(hrdw_home, tmp_path, make_spec):
    path = tmp_path / "drop" / "incidents.csv"
    write_rows(path, 6)
    spec = csv_spec(make_spec, str(path))
    first = land_source(spec, *day(0))["batch_id"]
    assert load_source(spec, first).loaded == 6

    path.write_text(HEADER, encoding="utf-8")  # the partner's export lost its rows
    second = land_source(spec, *day(1))["batch_id"]
    with pytest.raises(ShrinkGuardError) as failure:
        load_source(spec, second)
    message = str(failure.value)
    for part in (
        "source partner_files",
        f"batch {second}",
        "file incidents.csv: 0 record(s) (no data rows)",
        f"batch {first} had 6",
        "options.shrink_guard_min_ratio: 0",
    ):
        assert part in message, part
    # Nothing lost: the new batch stays in landing (unloaded), raw keeps the earlier batch.
    partition = settings.landing_dir() / spec.name / second
    assert (partition / "incidents.csv").read_text(encoding="utf-8") == HEADER
    assert not (partition / "load_report.json").exists()
    assert raw_rows("select _batch_id, count(*) from raw.partner_files__reports group by 1") == [(first, 6)]

    # The documented override: shrink_guard_min_ratio 0 for one run loads the batch.
    overridden = csv_spec(make_spec, str(path), shrink_guard_min_ratio=0)
    assert load_source(overridden, second).loaded == 0
    report = json.loads((partition / "load_report.json").read_text())
    assert report["records_per_file"] == {"incidents.csv": 0}


def test_the_guard_compares_file_by_file(hrdw_home, tmp_path, make_spec):
    """One of two files empties: the total halves (not below the ratio), the file alone trips the guard."""
    drop = tmp_path / "drop"
    write_rows(drop / "north.csv", 3)
    write_rows(drop / "south.csv", 3, first_id=10)
    spec = csv_spec(make_spec, str(drop / "*.csv"))
    load_source(spec, land_source(spec, *day(0))["batch_id"])
    write_rows(drop / "north.csv", 0)
    write_rows(drop / "south.csv", 3, first_id=10)
    batch = land_source(spec, *day(1))["batch_id"]
    with pytest.raises(
        ShrinkGuardError, match=r"file north\.csv: 0 record\(s\) \(no data rows\) where batch \S+ had 3"
    ):
        load_source(spec, batch)


def test_a_file_source_that_grows_or_keeps_its_size_loads(hrdw_home, tmp_path, make_spec):
    path = tmp_path / "drop" / "incidents.csv"
    write_rows(path, 4)
    spec = csv_spec(make_spec, str(path))
    for n, rows in enumerate((4, 5, 3)):  # 3 of 5 is above the default ratio 0.5
        write_rows(path, rows)
        assert load_source(spec, land_source(spec, *day(n))["batch_id"]).loaded == rows


def test_the_load_guard_skips_deltas_and_sources_counted_at_landing(hrdw_home, tmp_path, make_spec):
    """An API source's delta may be empty, and a source counted at landing was checked there."""
    path = tmp_path / "drop" / "incidents.csv"
    write_rows(path, 4)
    spec = csv_spec(make_spec, str(path))
    load_source(spec, land_source(spec, *day(0))["batch_id"])
    later = RunContext(spec, *day(1)).batch_id
    empty = {"incidents.csv": 0}
    check_load_shrink(spec, {"batch_id": later, "scope": "since 2026-11-29", "record_count": None}, empty)
    check_load_shrink(spec, {"batch_id": later, "scope": "full", "record_count": 0}, empty)
    with pytest.raises(ShrinkGuardError):
        check_load_shrink(spec, {"batch_id": later, "scope": "full", "record_count": None}, empty)
