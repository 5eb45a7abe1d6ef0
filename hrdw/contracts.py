"""The contracts between the layers, stated once: what every staging model returns, what a review
decisions source returns, and the lineage columns every raw table carries.

Everything else is derived from here or tested against it:

- each source's generated dbt model YAML (``orchestration.dbt``) declares these columns with their
  ``data_type`` under an enforced dbt model contract, so ``dbt build`` refuses a staging model (a
  kind's ``hrdw_stage_<kind>`` macro, ``hrdw_typed_reports``) whose columns or types drift;
- the raw tables' lineage columns (``extract.raw``) and their dbt source declarations;
- the column table of ``docs/staging-contract.md`` (``render_markdown``; a test compares it).

The order is the contract's too: ``int_reports_conformed`` unions the staging models by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    """One contract column: its name, its DuckDB type, what it holds, and its dbt data tests."""

    name: str
    data_type: str
    description: str
    data_tests: tuple[Any, ...] = ()


def accepted(*values: str) -> dict[str, Any]:
    """dbt's accepted_values test over ``values``."""
    return {"accepted_values": {"arguments": {"values": list(values)}}}


NOT_NULL = ("not_null",)

STAGING: tuple[Column, ...] = (
    Column(
        "report_id",
        "varchar",
        "Report key: `<source_name>:<source_record_id>`; one row per source record (latest version).",
        ("unique", "not_null"),
    ),
    Column("source_name", "varchar", "The source (its YAML name) that sent the record.", NOT_NULL),
    Column(
        "source_record_id",
        "varchar",
        "The record's key within its source: natural key, declared key columns, or content hash.",
        NOT_NULL,
    ),
    Column("source_file", "varchar", "Landed file the record was read from.", NOT_NULL),
    Column(
        "source_row",
        "integer",
        "1-based data row in that file (header excluded); 1-based array index for JSON pages.",
        NOT_NULL,
    ),
    Column("batch_id", "varchar", "Ingest batch (the interval end, UTC) that delivered this version."),
    Column("loaded_at", "timestamp", "When this version was written to raw (UTC)."),
    Column("record_hash", "varchar", "sha256 of the record's raw values; changes when the source edits the record."),
    Column("title", "varchar", "Title of the report, where the source gives one."),
    Column("event_date_raw", "varchar", "The date exactly as the source wrote it."),
    Column("event_date", "date", "First day of the period the source's date names (see event_date_precision)."),
    Column(
        "event_date_precision",
        "varchar",
        "day, month, year or unknown: how precise event_date is.",
        (accepted("day", "month", "year", "unknown"),),
    ),
    Column(
        "event_date_issue",
        "varchar",
        (
            "Why event_date_raw was not read exactly at the precision it states, null when it was: empty, marked "
            "unknown (н/д, N/A, Unknown), not a valid date (31.02.2021), unreadable (April 10-12, 1994); '(read "
            "as the year)' when event_date keeps only the year found in the text; out of range (a day before 1900"
            " or after the night being built: event_date is null). A coarse date the source meant (2015, Unknown "
            "in 2013, Summer 1993) is no issue."
        ),
    ),
    Column("country_raw", "varchar", "Country as the source wrote it (mapped to ISO-3166 in int_reports_conformed)."),
    Column("city", "varchar", "Place or locality as the source wrote it."),
    Column("latitude", "double", "Latitude in decimal degrees, when the source gives coordinates."),
    Column("longitude", "double", "Longitude in decimal degrees, when the source gives coordinates."),
    Column(
        "coordinate_decimals",
        "bigint",
        (
            "Fewest decimal places the source wrote in latitude or longitude (3 is about 100 m, 2 about 1 km); "
            "int_reports_conformed turns it into coordinates_precision."
        ),
    ),
    Column(
        "victim_name",
        "varchar",
        (
            "Victim's name in Latin script as the source wrote it (person or organisation); several victims "
            "`|`-separated when the source declares options.victim_separator."
        ),
    ),
    Column(
        "victim_name_original",
        "varchar",
        "Victim's name in the original script (e.g. Cyrillic), when given; `|`-separated likewise.",
    ),
    Column("victim_kind", "varchar", "person or organization.", (accepted("person", "organization"),)),
    Column(
        "victim_role",
        "varchar",
        (
            "The victim's role as the source states it (journalist, media worker, HRD, outlet...); "
            "`int_reports_conformed.victim_role_code` holds its code in the one vocabulary (seed `victim_roles`),"
            " read by the source's YAML `labels.victim_roles`, else seed `victim_role_aliases`."
        ),
    ),
    Column("victim_gender", "varchar", "Gender as the source states it."),
    Column(
        "victim_count",
        "integer",
        (
            "How many victims the source counts for the record (canonical column `victim_count`, e.g. Uwazi's "
            "Impact of Event); null when it gives no count. Victims read from text are checked against it."
        ),
    ),
    Column("organization", "varchar", "Media outlet(s) or organisation(s) the victim worked for, `|`-separated."),
    Column(
        "violation_vocabulary",
        "varchar",
        (
            "Vocabulary of violation_labels: the key of its defaults in the violation_type_crosswalk seed (the "
            "source's YAML `labels.violations` are read first)."
        ),
    ),
    Column("violation_labels", "varchar", "The source's violation labels, `|`-separated, trimmed."),
    Column("violation_detail", "varchar", "Further detail on the violation as given (e.g. CPJ type of death)."),
    Column(
        "perpetrator_vocabulary",
        "varchar",
        (
            "Vocabulary of perpetrator_labels: the key of its defaults in the perpetrator_type_crosswalk seed "
            "(the source's YAML `labels.perpetrators` are read first)."
        ),
    ),
    Column("perpetrator_labels", "varchar", "The source's perpetrator labels, `|`-separated."),
    Column("perpetrator_type_hint", "varchar", "Perpetrator type stated by the source's structure itself, if any."),
    Column(
        "monitoring_status", "varchar", "Monitoring status (HURIDOCS list 43: Active, Pending, Not active), when given."
    ),
    Column("description", "varchar", "Internal description of the event. Never published in the public variant."),
    Column("summary_for_publication", "varchar", "Summary written for publication, when given."),
    Column("published_in_source", "boolean", "False when the source itself marks the record as not public."),
    Column(
        "incident_key",
        "varchar",
        (
            "Set when one source record is split into several reports that describe one incident (KoboToolbox and"
            " ODK repeat rows of one submission carry the submission's key, as does every submission of a form "
            "mapped with `victims_repeat`); reports sharing it within one source are always one event. Null "
            "otherwise."
        ),
    ),
    Column(
        "victims_issue",
        "varchar",
        (
            "Forms with a victims repeat (KoboToolbox, ODK): why a submission's victims do not add up — `no "
            "victim: the repeat <r> has no rows` (no repeat row and no victim answered outside it), or "
            "`victim_count N but M victim(s) read from the repeat <r>`; on every report of the submission, null "
            "otherwise. Counted by the warn test `assert_form_victims_add_up` and listed per source in the run "
            "summary."
        ),
    ),
    Column(
        "reported_at",
        "date",
        (
            "The day the source received the report: Kobo `_submission_time`, ODK Central `SubmissionDate` "
            "(`__system/submissionDate` over OData), Uwazi `creationDate`, or a column the YAML maps as "
            "`reported_at`; null when unknown. The event happened on or before it: matching uses it to place "
            "reports that give no event date."
        ),
    ),
)

REVIEW_DECISIONS: tuple[Column, ...] = (
    Column("decision_id", "varchar", "Key: `<source_name>:<source_record_id>`.", ("unique", "not_null")),
    Column("source_name", "varchar", "The decisions source."),
    Column(
        "left_report_id",
        "varchar",
        "One report of the pair (`<source>:<record id>`, as in bridge_event_source_record.report_id).",
        NOT_NULL,
    ),
    Column("right_report_id", "varchar", "The other report of the pair.", NOT_NULL),
    Column("decision", "varchar", "must_link or cannot_link.", (accepted("must_link", "cannot_link"),)),
    Column(
        "decision_scope",
        "varchar",
        "event (the two reports describe one attack or not) or actor.",
        (accepted("event", "actor"),),
    ),
    Column("reviewer", "varchar", "Who decided."),
    Column("reason", "varchar", "Why, in the reviewer's words."),
    Column("decided_at", "date", "When the decision was made (later decisions on a pair win)."),
)

# Appended by extract.raw to every raw row, after the source's own columns (all text, as received).
LINEAGE: tuple[Column, ...] = (
    Column("_source", "varchar", "Source name."),
    Column("_source_record_id", "varchar", "Record key within the source.", NOT_NULL),
    Column("_source_file", "varchar", "Landed file."),
    Column("_source_row", "varchar", "1-based row in the file (array index for JSON)."),
    Column("_batch_id", "varchar", "Ingest batch id.", NOT_NULL),
    Column("_loaded_at", "varchar", "Load time (UTC, ISO text)."),
    Column("_record_hash", "varchar", "sha256 of the raw values."),
)


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


def dbt_columns(columns: tuple[Column, ...], *, typed: bool) -> list[dict[str, Any]]:
    """The columns as dbt YAML: name, description, data tests, and ``data_type`` when ``typed``
    (an enforced contract)."""
    rendered = []
    for column in columns:
        entry: dict[str, Any] = {"name": column.name}
        if typed:
            entry["data_type"] = column.data_type
        entry["description"] = column.description
        if column.data_tests:
            entry["data_tests"] = list(column.data_tests)
        rendered.append(entry)
    return rendered


def render_markdown(columns: tuple[Column, ...]) -> str:
    """The contract as a Markdown table (docs/staging-contract.md holds this for STAGING)."""
    lines = ["| column | type | meaning |", "| --- | --- | --- |"]
    lines += [
        f"| `{column.name}` | {column.data_type} | {column.description.replace('|', chr(92) + '|')} |"
        for column in columns
    ]
    return "\n".join(lines) + "\n"
