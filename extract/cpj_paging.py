"""What CPJ's two JSON endpoints share: year-window incremental runs and page bookkeeping.

CPJ's APIs have no "modified since" filter, but they filter by year and CPJ edits old records.
So a run asks for the years from ``cursor - options.look_back_years`` (default 2) to the year of
the interval end; the first run (no cursor) asks from ``options.year_from`` (default 1992).
Records of earlier years stay in raw from earlier runs (staging reads each record's newest
version), so nothing is lost by not re-fetching them.
"""

from __future__ import annotations

from extract.base import LandingWriter, RunContext


def year_window(ctx: RunContext) -> tuple[int, int]:
    options = ctx.spec.options
    first_year = int(options.get("year_from", 1992))
    last_year = ctx.interval_end.year
    if ctx.cursor and ctx.cursor.isdigit():
        first_year = max(first_year, int(ctx.cursor) - int(options.get("look_back_years", 2)))
    return first_year, last_year


def start_window(ctx: RunContext, writer: LandingWriter) -> tuple[int, int]:
    year_from, year_to = year_window(ctx)
    writer.scope = f"years {year_from}-{year_to}"
    writer.cursor_after = str(year_to)
    return year_from, year_to
