{#- The flat export, one row per event (in the manner of ACLED's): what an analyst opens in a
    spreadsheet, no joins needed. Lists are ' | '-separated; fatalities counts the event's
    victims of a killing. -#}
with

events as (
    select * from {{ ref('dim_event') }}
),

countries as (
    select * from {{ ref('dim_country') }}
),

violations as (
    select * from {{ ref('fct_violation') }}
),

violation_types as (
    select * from {{ ref('dim_violation_type') }}
),

actors as (
    select * from {{ ref('dim_actor') }}
),

event_actors as (
    select * from {{ ref('bridge_event_actor') }}
),

event_violations as (
    select
        violations.event_id,
        string_agg(
            distinct violation_types.violation_type_label, ' | ' order by violation_types.violation_type_label
        ) as violation_types,
        count(distinct violations.actor_id) filter (where violations.violation_type_code = 'killing') as fatalities
    from violations
    inner join violation_types on violations.violation_type_code = violation_types.violation_type_code
    group by violations.event_id
),

event_people as (
    select
        event_actors.event_id,
        string_agg(distinct actors.actor_role, ' | ' order by actors.actor_role) filter (
            where event_actors.involvement = 'victim'
        ) as victim_categories,
        string_agg(distinct actors.display_name, ' | ' order by actors.display_name) filter (
            where event_actors.involvement = 'perpetrator'
        ) as perpetrator_names
    from event_actors
    inner join actors on event_actors.actor_id = actors.actor_id
    group by event_actors.event_id
),

final as (
    select
        events.event_id,
        events.event_date,
        events.event_date_precision,
        events.event_year,
        events.country_code,
        countries.country_name,
        events.admin1,
        events.city,
        events.latitude,
        events.longitude,
        events.coordinates_precision,
        events.title,
        event_violations.violation_types,
        events.violation_type_codes,
        events.perpetrator_type,
        event_people.perpetrator_names,
        events.victim_names,
        events.victim_count,
        event_people.victim_categories,
        event_violations.fatalities,
        events.source_count,
        events.source_names,
        events.monitoring_status,
        events.summary_for_publication,
        events.description
    from events
    left join countries on events.country_code = countries.country_code
    left join event_violations on events.event_id = event_violations.event_id
    left join event_people on events.event_id = event_people.event_id
)

select * from final
