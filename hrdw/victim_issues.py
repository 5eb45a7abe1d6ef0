"""Form submissions whose victims do not add up, for the run summary.

dbt staging of forms with a victims repeat (KoboToolbox, ODK; macro ``hrdw_victims_issue``) keeps
the reason in ``intermediate.int_reports_conformed.victims_issue``: a submission with no repeat row
and no victim answered outside it, or a ``victim_count`` differing from the victims read. The warn
test ``assert_form_victims_add_up`` counts their reports. This module only reads the built
warehouse (read-only) and lists them per source, one line per submission (its reports share it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrdw.date_issues import per_source_lines


@dataclass(frozen=True)
class VictimIssue:
    source_name: str
    source_file: str
    source_row: int
    issue: str

    def describe(self) -> str:
        return f"{self.source_file} row {self.source_row}: {self.issue}"


def victim_issues(warehouse: Path | None = None) -> list[VictimIssue]:
    """One entry per submission with a ``victims_issue``, by source, file and row; empty when there
    is no built warehouse."""
    from hrdw.warehouse import read_built

    rows = read_built(
        "select distinct source_name, source_file, source_row, victims_issue "
        "from intermediate.int_reports_conformed where victims_issue is not null "
        "order by source_name, source_file, source_row, victims_issue",
        warehouse,
    )
    return [VictimIssue(*row) for row in rows]


def summary_lines(issues: list[VictimIssue] | None = None, per_source: int = 10) -> list[str]:
    """A count, then per source its count and up to ``per_source`` submissions; none when all add up."""
    issues = victim_issues() if issues is None else issues
    if not issues:
        return []
    title = (
        f"Form submissions whose victims do not add up: {len(issues)} (kept; the reason is "
        "intermediate.int_reports_conformed.victims_issue)"
    )
    return per_source_lines(title, issues, "submission(s)", per_source)
