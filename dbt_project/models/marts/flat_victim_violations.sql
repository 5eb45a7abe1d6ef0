{#- The flat export, one row per victim and violation (fct_violation's grain) with the event's
    and the victim's facts beside it: counting people, acts and places in a spreadsheet. -#}
with

violations as (
    select * from {{ ref('fct_violation') }}
),

events as (
    select * from {{ ref('dim_event') }}
),

countries as (
    select * from {{ ref('dim_country') }}
),

violation_types as (
    select * from {{ ref('dim_violation_type') }}
),

actors as (
    select * from {{ ref('dim_actor') }}
),

final as (
    select
        violations.violation_id,
        violations.event_id,
        violations.event_date,
        violations.event_date_precision,
        violations.country_code,
        countries.country_name,
        events.admin1,
        events.city,
        violations.actor_id as victim_id,
        actors.display_name as victim_name,
        actors.actor_kind as victim_kind,
        actors.actor_role as victim_role,
        actors.gender as victim_gender,
        actors.organizations as victim_organizations,
        violations.violation_type_code,
        violation_types.violation_type_label,
        violation_types.huridocs_act_label,
        violations.perpetrator_type,
        events.monitoring_status,
        events.source_names,
        violations.report_count
    from violations
    inner join events on violations.event_id = events.event_id
    left join countries on violations.country_code = countries.country_code
    left join violation_types on violations.violation_type_code = violation_types.violation_type_code
    left join actors on violations.actor_id = actors.actor_id
)

select * from final
