{#- Every source record behind every event, traceable to the landed file and row, with the score
    that placed it there (its best link to another report of the event; null for an event
    reported once) and the record's date as written, with the reason when it was not read exactly. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

report_links as (
    select
        left_report_id as report_id,
        right_report_id as other_report_id,
        event_score,
        blocking_rules
    from pairs
    union all
    select
        right_report_id as report_id,
        left_report_id as other_report_id,
        event_score,
        blocking_rules
    from pairs
),

best_links as (
    select
        report_links.report_id,
        max(report_links.event_score) as match_score
    from report_links
    inner join event_ids as own on report_links.report_id = own.report_id
    inner join event_ids as other on report_links.other_report_id = other.report_id
    where own.assigned_id = other.assigned_id
    group by report_links.report_id
),

final as (
    select
        event_ids.assigned_id as event_id,
        reports.source_name,
        reports.source_record_id,
        reports.source_file,
        reports.source_row,
        reports.report_id,
        best_links.match_score,
        reports.batch_id,
        reports.record_hash,
        reports.event_date_raw,
        reports.event_date_issue,
        case
            when best_links.match_score is null then 'only report of its event'
            else 'scored match (see int_mention_pairs_scored)'
        end as match_rule
    from reports
    inner join event_ids on reports.report_id = event_ids.report_id
    left join best_links on reports.report_id = best_links.report_id
)

select * from final
