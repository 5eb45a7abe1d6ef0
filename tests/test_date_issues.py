"""Dates a source wrote that could not be read exactly are kept with the text as received and a
reason, counted by a dbt warn test (the build passes) and listed per source in the run summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hrdw import date_issues, settings

HEADER = ["№", "Дата", "Страна", "Name", "Нарушение"]
DATES = {
    "1": "17.10.2015",
    "2": "17.10.15",  # a two-digit year: 2015, not the year 15
    "3": "март 2019",  # a Russian month: March 2019, not the year 2019
    "4": "31.02.2021",  # no such day: only the year is kept, and said so
    "5": "н/д",  # the partner has no date
    "6": "2015",  # a year the partner meant
    "7": "17.10.2061",  # a typo: after the night being built (no date is kept, and it is said)
    "8": "1850",  # before 1900: no event this warehouse records
}


def partner_sheet(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, date in DATES.items():
            writer.writerow([number, date, "Kyrgyzstan", f"Victim Number{number}", "Threats"])
    return path


def test_dates_not_read_exactly_are_kept_flagged_counted_and_listed(tmp_path, make_spec, build_warehouse):
    spec = make_spec(
        name="partner_dates",
        kind="spreadsheet",
        location={"path": str(partner_sheet(tmp_path / "partner.csv"))},
        record_key=["№"],
        columns={
            "incident_number": "№",
            "event_date": "Дата",
            "country": "Страна",
            "victim_name": "Name",
            "violations": "Нарушение",
        },
        required_columns=["event_date", "country", "victim_name", "violations"],
    )
    con = build_warehouse([spec])  # a warning never fails the build
    reports = con.execute(
        "select source_record_id, event_date_raw, cast(event_date as varchar), event_date_precision, "
        "event_date_issue, data_quality_flags from intermediate.int_reports_conformed order by source_record_id"
    ).fetchall()
    assert reports == [
        ("1", "17.10.2015", "2015-10-17", "day", None, None),
        ("2", "17.10.15", "2015-10-17", "day", None, None),
        ("3", "март 2019", "2019-03-01", "month", None, None),
        ("4", "31.02.2021", "2021-01-01", "year", "not a valid date (read as the year)",
         "event date not a valid date (read as the year): 31.02.2021"),
        ("5", "н/д", None, "unknown", "marked unknown", "event date marked unknown: н/д"),
        ("6", "2015", "2015-01-01", "year", None, None),
        ("7", "17.10.2061", None, "unknown", "out of range", "event date out of range: 17.10.2061"),
        ("8", "1850", None, "unknown", "out of range", "event date out of range: 1850"),
    ]  # fmt: skip
    # the snapshot's provenance table carries the text and the reason per source record
    bridged = con.execute(
        "select source_record_id, event_date_raw, event_date_issue from marts.bridge_event_source_record "
        "where event_date_issue is not null order by source_record_id"
    ).fetchall()
    assert bridged == [
        ("4", "31.02.2021", "not a valid date (read as the year)"),
        ("5", "н/д", "marked unknown"),
        ("7", "17.10.2061", "out of range"),
        ("8", "1850", "out of range"),
    ]
    # and no published event date lies outside 1900..the night built (an error test guards it)
    assert con.execute("select count(*) from marts.dim_event where event_date < date '1900-01-01'").fetchone() == (0,)
    con.close()

    results = json.loads(settings.dbt_run_results_path().read_text())["results"]
    (warn_test,) = [node for node in results if node["unique_id"] == "test.hrdw.assert_event_dates_read_exactly"]
    assert (warn_test["status"], warn_test["failures"]) == ("warn", 4)
    (range_test,) = [node for node in results if node["unique_id"] == "test.hrdw.assert_event_dates_within_range"]
    assert range_test["status"] == "pass"

    assert date_issues.summary_lines() == [
        "Dates not read exactly: 4 (kept; the reason is intermediate.int_reports_conformed.event_date_issue)",
        "  partner_dates: 4 date(s) not read exactly:",
        "    partner.csv row 4: '31.02.2021' not a valid date (read as the year 2021)",
        "    partner.csv row 5: 'н/д' marked unknown",
        "    partner.csv row 7: '17.10.2061' out of range",
        "    partner.csv row 8: '1850' out of range",
    ]
    # ...which the summary of `make run` prints after the quarantined rows
    from orchestration import sync

    summary = sync.summary([], "20261129T000000Z", tmp_path / "sync.log").splitlines()
    listed = summary.index("  partner_dates: 4 date(s) not read exactly:")
    assert summary[listed + 1] == "    partner.csv row 4: '31.02.2021' not a valid date (read as the year 2021)"


def issue(source: str, row: int, raw: str | None, reason: str, year: int | None = None) -> date_issues.DateIssue:
    return date_issues.DateIssue(source, "file.xlsx", row, raw, reason, year)


def test_summary_lists_issues_per_source_and_shortens_long_lists():
    issues = [
        issue("cpj_people_list", 3, "April 10-12, 1994", "unreadable (read as the year)", 1994),
        issue("cpj_people_list", 7, None, "empty"),
        issue("cpj_people_list", 8, "Late January, early February", "unreadable"),
        issue("partner_central_asia", 9, "31.02.21", "not a valid date"),
    ]
    assert date_issues.summary_lines(issues, per_source=2) == [
        "Dates not read exactly: 4 (kept; the reason is intermediate.int_reports_conformed.event_date_issue)",
        "  cpj_people_list: 3 date(s) not read exactly:",
        "    file.xlsx row 3: 'April 10-12, 1994' unreadable (read as the year 1994)",
        "    file.xlsx row 7: no date (empty)",
        "    ... and 1 more",
        "  partner_central_asia: 1 date(s) not read exactly:",
        "    file.xlsx row 9: '31.02.21' not a valid date",
    ]
    assert date_issues.summary_lines([]) == []


def test_no_warehouse_no_lines(hrdw_home):
    assert date_issues.date_issues() == []
    assert date_issues.summary_lines() == []
