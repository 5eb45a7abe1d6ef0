{#- The matching nodes: one row per victim named in a report (report x victim), with every key
    and attribute the comparisons use. Acts (violation types) travel as a sorted list. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

victims as (
    {{ hrdw_victims_of(ref('int_reports_conformed')) }}
),

violation_sets as (
    select
        report_id,
        string_agg(violation_type_code, '|' order by violation_type_code) as violation_type_codes
    from report_violations
    group by report_id
),

named as (
    select
        victims.report_id,
        victims.victim_position,
        victims.victim_name,
        victims.victim_name_original,
        coalesce(
            {{ hrdw_name_key('victims.victim_name') }},
            {{ hrdw_name_key('victims.victim_name_original') }}
        ) as name_key
    from victims
),

mentions as (
    select
        named.report_id || '#' || cast(named.victim_position as varchar) as mention_id,
        named.report_id,
        named.victim_position,
        named.victim_name,
        named.victim_name_original,
        named.name_key,
        {{ hrdw_name_skeleton_key('named.name_key') }} as skeleton_key,
        (
            named.name_key is null
            or named.name_key in ('unidentified', 'unknown', 'anonymous', 'unnamed', 'n a', 'na')
            or named.name_key like '%unavailable%'
            or named.name_key like 'unidentified %'
        ) as is_anonymous,
        reports.source_name,
        reports.source_record_id,
        reports.source_reliability_rank,
        reports.victim_kind,
        reports.country_code,
        reports.event_date,
        reports.event_date_precision,
        reports.date_precision_rank,
        reports.event_year,
        {{ hrdw_clean_name('reports.city') }} as city_key,
        reports.latitude,
        reports.longitude,
        {{ hrdw_clean_name("split_part(reports.organization, '|', 1)") }} as organization_key,
        violation_sets.violation_type_codes,
        case
            when reports.source_record_id like 'https://cpj.org/data/people/%'
                then reports.source_record_id
        end as shared_identifier,
        reports.loaded_at
    from named
    inner join reports on named.report_id = reports.report_id
    left join violation_sets on named.report_id = violation_sets.report_id
)

select * from mentions
