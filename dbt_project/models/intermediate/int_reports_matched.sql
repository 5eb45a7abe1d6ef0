{#- First-cut matching (exact keys): reports with the same country, year and victim name key
    are one event; the same victim name key and kind is one actor. Anonymous victims
    ("Unidentified", "[full name unavailable]") and reports lacking a key part stay alone.
    Known limits until scored matching lands: different romanisations do not meet, and one
    victim attacked twice in the same year and country becomes one event. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

keyed as (
    select
        report_id,
        victim_kind,
        victim_name_key,
        country_code,
        event_year,
        (
            victim_name_key is null
            or victim_name_key in ('unidentified', 'unknown', 'anonymous', 'unnamed')
            or lower(coalesce(victim_name, '')) like '%unavailable%'
        ) as is_anonymous_victim
    from reports
),

matched as (
    select
        report_id,
        case
            when is_anonymous_victim or country_code is null or event_year is null
                then 'report:' || report_id
            else country_code || '|' || cast(event_year as varchar) || '|' || victim_name_key
        end as event_match_key,
        case
            when is_anonymous_victim then 'singleton: anonymous victim'
            when country_code is null then 'singleton: no country'
            when event_year is null then 'singleton: no date'
            else 'exact: country + year + victim name key'
        end as match_rule,
        case
            when is_anonymous_victim then 'report:' || report_id
            else victim_kind || '|' || victim_name_key
        end as actor_match_key
    from keyed
),

identified as (
    select
        report_id,
        event_match_key,
        match_rule,
        actor_match_key,
        'ev_' || left(md5(event_match_key), 16) as event_id,
        'ac_' || left(md5(actor_match_key), 16) as actor_id
    from matched
)

select * from identified
