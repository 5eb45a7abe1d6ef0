"""What CPJ's two JSON endpoints share: year-window incremental runs and page bookkeeping.

CPJ's APIs have no "modified since" filter, but they filter by year and CPJ edits old records.
So a run asks for the years from ``cursor - options.look_back_years`` (default 2) to the year of
the interval end; the first run (no cursor) asks from ``options.year_from`` (default 1992).
Records of earlier years stay in raw from earlier runs (staging reads each record's newest
version), so nothing is lost by not re-fetching them. Each run counts its records per year of its
window (the manifest's ``scope_counts``), so the shrink guard compares two runs of different
windows over the years both asked for.
"""

from __future__ import annotations

import re

from extract.base import LandingWriter, RunContext

YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def year_window(ctx: RunContext) -> tuple[int, int]:
    options = ctx.spec.options
    first_year = int(options.get("year_from", 1992))
    last_year = ctx.interval_end.year
    if ctx.cursor and ctx.cursor.isdigit():
        first_year = max(first_year, int(ctx.cursor) - int(options.get("look_back_years", 2)))
    return first_year, last_year


def start_window(ctx: RunContext, writer: LandingWriter) -> tuple[int, int]:
    """Ask for the run's years; the manifest counts records per year (``scope_counts``, see ``count_years``)."""
    year_from, year_to = year_window(ctx)
    writer.scope = f"years {year_from}-{year_to}"
    writer.cursor_after = str(year_to)
    writer.scope_counts = {str(year): 0 for year in range(year_from, year_to + 1)}
    return year_from, year_to


def record_year(item: object) -> str | None:
    """The year a CPJ record is dated in: the last year named in ``startDisplay`` ("April 30, 2018",
    "Unknown in 2013", "June 7 or 8, 2008"), None when it names none."""
    text = item.get("startDisplay") if isinstance(item, dict) else None
    years = YEAR.findall(text) if isinstance(text, str) else []
    return years[-1] if years else None


def count_years(writer: LandingWriter, items: list) -> None:
    """Add a page's records to the per-year counts of the window.

    The shrink guard compares two runs whose windows differ (the window moves with the cursor)
    over the years both cover, so a run of a shifted window is compared like with like. A record
    dated outside the window, or not at all, counts in the total only.
    """
    counts = writer.scope_counts if writer.scope_counts is not None else {}
    for item in items:
        year = record_year(item)
        if year in counts:
            counts[year] += 1
