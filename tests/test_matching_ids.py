"""Stable ids over successive builds: same input, same ids; a new report joining an event keeps
its id; a merge (here forced by a reviewer's must_link) keeps one id and redirects the other; a
reviewer's cannot_link splits what matching joined."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
# the marts that hold ids, and what they are built from (the rest of the marts reads no id rule);
# built without their data tests, which every demo night runs (test_e2e)
ID_MODELS = "+bridge_event_source_record +event_id_redirects +dim_event +dim_actor"
HEADER = ["ID", "Date", "Country", "City", "Name", "Violation", "Perpetrator"]
FIRST = [
    [
        "1",
        "06.10.2020",
        "Kyrgyzstan",
        "Bishkek",
        "Venera Djumataeva",
        "Угрозы / Threats",
        "Негосударственный / Non-state",
    ],
    ["2", "15.03.2021", "Kyrgyzstan", "Osh", "Bakyt Isaev", "Задержание / Detention", "Государственный / State"],
]
LATE = ["3", "2020-10-06", "Kyrgyzstan", "Бишкек", "Dzhumataeva Venera", "Угрозы / Threats", ""]


def write_sheet(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])


def write_decisions(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_report_id", "right_report_id", "decision", "scope", "reviewer", "reason", "decided_at"])
        writer.writerows(rows)


def specs(make_spec, folder: Path) -> list:
    sheet = make_spec(
        name="partner_ids",
        kind="spreadsheet",
        location={"path": str(folder / "sheet.csv")},
        record_key=["ID"],
        columns={
            "event_date": "Date",
            "country": "Country",
            "city": "City",
            "victim_name": "Name",
            "violations": "Violation",
            "perpetrator": "Perpetrator",
        },
    )
    decisions = make_spec(name="reviews", kind="review_decisions", location={"path": str(folder / "decisions.csv")})
    return [sheet, decisions]


def event_ids(con) -> dict[str, str]:
    return dict(con.execute("select report_id, event_id from marts.bridge_event_source_record").fetchall())


def test_ids_survive_joins_merges_and_splits(tmp_path, make_spec, build_warehouse):
    folder = tmp_path / "data"
    folder.mkdir()
    write_sheet(folder / "sheet.csv", FIRST)
    write_decisions(folder / "decisions.csv", [])
    con = build_warehouse(specs(make_spec, folder), select=ID_MODELS, data_tests=False)
    first = event_ids(con)
    con.close()
    assert first["partner_ids:1"] != first["partner_ids:2"]

    # A late report of the first attack (another romanisation, ISO date, Cyrillic city) joins it,
    # and a reviewer says reports 1 and 2 are one attack.
    write_sheet(folder / "sheet.csv", [*FIRST, LATE])
    write_decisions(
        folder / "decisions.csv",
        [["partner_ids:1", "partner_ids:2", "must_link", "event", "reviewer-a", "same crackdown", "2026-11-28"]],
    )
    con = build_warehouse(specs(make_spec, folder), select=ID_MODELS, data_tests=False)
    second = event_ids(con)
    redirects = con.execute("select retired_event_id, current_event_id from marts.event_id_redirects").fetchall()
    con.close()
    kept = second["partner_ids:1"]
    assert second["partner_ids:2"] == kept == second["partner_ids:3"]
    assert kept in {first["partner_ids:1"], first["partner_ids:2"]}
    retired = ({first["partner_ids:1"], first["partner_ids:2"]} - {kept}).pop()
    assert redirects == [(retired, kept)]

    # The reviewer changes their mind: a later cannot_link splits the events again; the split-off
    # report gets a fresh id and the old redirect still resolves to a live id.
    write_decisions(
        folder / "decisions.csv",
        [
            ["partner_ids:1", "partner_ids:2", "must_link", "event", "reviewer-a", "same crackdown", "2026-11-28"],
            ["partner_ids:2", "partner_ids:1", "cannot_link", "event", "reviewer-b", "different cities", "2026-11-29"],
        ],
    )
    con = build_warehouse(specs(make_spec, folder), select=ID_MODELS, data_tests=False)
    third = event_ids(con)
    live = {row[0] for row in con.execute("select event_id from marts.dim_event").fetchall()}
    targets = {row[0] for row in con.execute("select current_event_id from marts.event_id_redirects").fetchall()}
    con.close()
    assert third["partner_ids:1"] == third["partner_ids:3"] == kept
    assert third["partner_ids:2"] != kept
    assert targets <= live


def test_same_input_gives_the_same_ids(tmp_path, make_spec, build_warehouse, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    write_sheet(folder / "sheet.csv", [*FIRST, LATE])
    write_decisions(folder / "decisions.csv", [])
    con = build_warehouse(specs(make_spec, folder), select=ID_MODELS, data_tests=False)
    first = (event_ids(con), con.execute("select actor_id, display_name from marts.dim_actor order by 1").fetchall())
    con.close()
    monkeypatch.setenv("HRDW_HOME", str(tmp_path / "another_home"))
    con = build_warehouse(specs(make_spec, folder), select=ID_MODELS, data_tests=False)
    second = (event_ids(con), con.execute("select actor_id, display_name from marts.dim_actor order by 1").fetchall())
    con.close()
    assert first == second
