"""Reports whose event date could not be read exactly, for the run summary.

dbt types every date once (macros ``hrdw_parse_date``, ``hrdw_date_precision``,
``hrdw_date_issue``) and keeps the reason in ``intermediate.int_reports_conformed.event_date_issue``;
the warn test ``assert_event_dates_read_exactly`` counts them. This module only reads the built
warehouse (read-only, like the quarantine listing) and formats them per source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    from hrdw.warehouse import read_built

    rows = read_built(
        "select source_name, source_file, source_row, event_date_raw, event_date_issue, "
        "cast(extract(year from event_date) as integer) "
        "from intermediate.int_reports_conformed where event_date_issue is not null "
        "order by source_name, source_file, source_row, report_id",
        warehouse,
    )
    return [DateIssue(*row) for row in rows]


def per_source_lines(title: str, issues: list, noun: str, per_source: int) -> list[str]:
    """A run-summary listing: ``title``, then per source (``issue.source_name``) its count of
    ``noun`` and up to ``per_source`` of its issues (``issue.describe()``)."""
    lines = [title]
    by_source: dict[str, list] = {}
    for issue in issues:
        by_source.setdefault(issue.source_name, []).append(issue)
    for source, found in by_source.items():
        lines.append(f"  {source}: {len(found)} {noun}:")
        lines += [f"    {issue.describe()}" for issue in found[:per_source]]
        if len(found) > per_source:
            lines.append(f"    ... and {len(found) - per_source} more")
    return lines


def summary_lines(issues: list[DateIssue] | None = None, per_source: int = 10) -> list[str]:
    """The run summary's lines: a count, then per source its count and up to ``per_source`` records.
    No lines when every date was read exactly."""
    issues = date_issues() if issues is None else issues
    if not issues:
        return []
    title = (
        f"Dates not read exactly: {len(issues)} (kept; the reason is "
        "intermediate.int_reports_conformed.event_date_issue)"
    )
    return per_source_lines(title, issues, "date(s) not read exactly", per_source)
