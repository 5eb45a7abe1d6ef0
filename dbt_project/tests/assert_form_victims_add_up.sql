{{ config(severity='warn') }}
{#- Reports of form submissions whose victims do not add up (int_reports_conformed.victims_issue,
    forms with a victims repeat: KoboToolbox, ODK): a submission with no repeat row and no victim
    answered outside it (one report without a victim), or a `victim_count` answer differing from
    the victims read. They are kept, and the build passes; the count shows as a warning in
    run_results.json, the snapshot manifest and the run summary (which lists them per source).
    Before repeats were read, 919 of 3,187 submissions of one form had no victim, silently. -#}
select
    report_id,
    source_name,
    source_file,
    source_row,
    incident_key,
    victims_issue
from {{ ref('int_reports_conformed') }}
where victims_issue is not null
