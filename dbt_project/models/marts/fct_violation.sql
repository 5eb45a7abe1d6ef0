{#- Grain: event x victim x violation type. One attack on one person (or outlet) of one type. -#}
with

mentions as (
    select * from {{ ref('int_mentions') }}
),

events as (
    select * from {{ ref('dim_event') }}
),

violations as (
    select
        event_id,
        actor_id,
        violation_type_code,
        count(distinct report_id) as report_count,
        string_agg(distinct source_labels, ' | ' order by source_labels) as source_labels
    from mentions
    group by event_id, actor_id, violation_type_code
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
