{#- Every source record behind every event: provenance an analyst can follow back to the
    landed file and row. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

matches as (
    select * from {{ ref('int_reports_matched') }}
),

final as (
    select
        matches.event_id,
        reports.source_name,
        reports.source_record_id,
        reports.source_file,
        reports.source_row,
        reports.report_id,
        matches.match_rule,
        reports.batch_id,
        reports.record_hash
    from reports
    inner join matches on reports.report_id = matches.report_id
)

select * from final
