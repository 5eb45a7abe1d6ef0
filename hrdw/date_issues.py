"""Reports whose event date could not be read exactly, for the run summary.

dbt types every date once (macros ``hrdw_parse_date``, ``hrdw_date_precision``,
``hrdw_date_issue``) and keeps the reason in ``intermediate.int_reports_conformed.event_date_issue``;
the warn test ``assert_event_dates_read_exactly`` counts them. This module only reads the built
warehouse (read-only, like the quarantine listing) and formats them per source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrdw import settings

# the reasons that keep only the year found in the text say which year
READ_AS_THE_YEAR = "(read as the year)"


@dataclass(frozen=True)
class DateIssue:
    source_name: str
    source_file: str
    source_row: int
    event_date_raw: str | None
    issue: str
    year: int | None

    def describe(self) -> str:
        """``file row N: '<text as received>' <reason>``, with the year a year-only reading kept."""
        reason = self.issue
        if reason.endswith(READ_AS_THE_YEAR) and self.year is not None:
            reason = reason.removesuffix(READ_AS_THE_YEAR) + f"(read as the year {self.year})"
        text = "no date (empty)" if reason == "empty" else f"{self.event_date_raw!r} {reason}"
        return f"{self.source_file} row {self.source_row}: {text}"


def date_issues(warehouse: Path | None = None) -> list[DateIssue]:
    """Every report of the built warehouse with an ``event_date_issue``, by source, file and row;
    empty when there is no warehouse or it was never built."""
    from hrdw import warehouse as warehouse_module

    path = warehouse or settings.warehouse_path()
    if not path.exists():
        return []
    con = warehouse_module.connect(path, read_only=True)
    try:
        rows = con.execute(
            "select source_name, source_file, source_row, event_date_raw, event_date_issue, "
            "cast(extract(year from event_date) as integer) "
            "from intermediate.int_reports_conformed where event_date_issue is not null "
            "order by source_name, source_file, source_row, report_id"
        ).fetchall()
    except Exception:
        return []
    finally:
        con.close()
    return [DateIssue(*row) for row in rows]


def summary_lines(issues: list[DateIssue] | None = None, per_source: int = 10) -> list[str]:
    """The run summary's lines: a count, then per source its count and up to ``per_source`` records.
    No lines when every date was read exactly."""
    issues = date_issues() if issues is None else issues
    if not issues:
        return []
    lines = [
        f"Dates not read exactly: {len(issues)} (kept; the reason is "
        "intermediate.int_reports_conformed.event_date_issue)"
    ]
    by_source: dict[str, list[DateIssue]] = {}
    for issue in issues:
        by_source.setdefault(issue.source_name, []).append(issue)
    for source, found in by_source.items():
        lines.append(f"  {source}: {len(found)} date(s) not read exactly:")
        lines += [f"    {issue.describe()}" for issue in found[:per_source]]
        if len(found) > per_source:
            lines.append(f"    ... and {len(found) - per_source} more")
    return lines
