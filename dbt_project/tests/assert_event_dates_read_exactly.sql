{{ config(severity='warn') }}
{#- Reports whose event date could not be read exactly (int_reports_conformed.event_date_issue:
    empty, marked unknown, not a valid date, unreadable). They are kept, and the build passes; the
    count shows as a warning in run_results.json, the snapshot manifest and the run summary (which
    lists them per source). Fix the source, or let it stand when the source truly has no better date. -#}
select
    report_id,
    source_name,
    source_file,
    source_row,
    event_date_raw,
    event_date_issue
from {{ ref('int_reports_conformed') }}
where event_date_issue is not null
