{#- Grain: event x victim x violation type. -#}
with

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

matches as (
    select * from {{ ref('int_reports_matched') }}
),

events as (
    select * from {{ ref('dim_event') }}
),

violations as (
    select
        matches.event_id,
        matches.actor_id,
        report_violations.violation_type_code,
        count(distinct report_violations.report_id) as report_count,
        string_agg(distinct report_violations.source_labels, ' | ' order by report_violations.source_labels)
            as source_labels
    from report_violations
    inner join matches on report_violations.report_id = matches.report_id
    group by matches.event_id, matches.actor_id, report_violations.violation_type_code
),

final as (
    select
        {{ hrdw_surrogate_key(['violations.event_id', 'violations.actor_id', 'violations.violation_type_code']) }}
            as violation_id,
        violations.event_id,
        violations.actor_id,
        violations.violation_type_code,
        events.event_date,
        events.event_date_precision,
        events.country_code,
        events.perpetrator_type,
        violations.report_count,
        violations.source_labels
    from violations
    inner join events on violations.event_id = events.event_id
)

select * from final
