{#- One row per event (a cluster of matched reports). Survivorship: the date comes from the
    most precise report (then the most reliable source); other fields from the most reliable
    source that has a value; the columns *_source name which source won. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

matches as (
    select * from {{ ref('int_reports_matched') }}
),

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

matched_reports as (
    select
        reports.*,
        matches.event_id,
        matches.match_rule
    from reports
    inner join matches on reports.report_id = matches.report_id
),

event_violation_types as (
    select
        matches.event_id,
        string_agg(distinct report_violations.violation_type_code, '|' order by report_violations.violation_type_code)
            as violation_type_codes
    from report_violations
    inner join matches on report_violations.report_id = matches.report_id
    group by matches.event_id
),

events as (
    select
        event_id,
        {{ hrdw_first_by('event_date', 'date_precision_rank, source_reliability_rank, report_id') }} as event_date,
        {{ hrdw_first_by('event_date_precision', 'date_precision_rank, source_reliability_rank, report_id') }}
            as event_date_precision,
        {{ hrdw_first_by('source_name', 'date_precision_rank, source_reliability_rank, report_id') }}
            as event_date_source,
        {{ hrdw_first_by('country_code', 'source_reliability_rank, report_id') }} as country_code,
        {{ hrdw_first_by('city', 'source_reliability_rank, report_id') }} as city,
        {{ hrdw_first_by('latitude', 'source_reliability_rank, report_id') }} as latitude,
        {{ hrdw_first_by('longitude', 'source_reliability_rank, report_id') }} as longitude,
        {{ hrdw_first_by('title', 'source_reliability_rank, report_id') }} as title,
        {{ hrdw_first_by('description', 'source_reliability_rank, report_id') }} as description,
        {{ hrdw_first_by('summary_for_publication', 'source_reliability_rank, report_id') }}
            as summary_for_publication,
        {{ hrdw_first_by('monitoring_status', 'source_reliability_rank, report_id') }} as monitoring_status,
        {{ hrdw_first_by("nullif(perpetrator_type, 'unknown')", 'source_reliability_rank, report_id') }}
            as known_perpetrator_type,
        string_agg(distinct victim_name, ' | ' order by victim_name) as victim_names,
        count(*) as source_record_count,
        count(distinct source_name) as source_count,
        string_agg(distinct source_name, '|' order by source_name) as source_names,
        min(match_rule) as match_rule,
        bool_and(published_in_source) as published_in_all_sources,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from matched_reports
    group by event_id
),

final as (
    select
        events.event_id,
        events.event_date,
        events.event_date_precision,
        events.event_date_source,
        events.country_code,
        events.city,
        events.latitude,
        events.longitude,
        events.title,
        events.victim_names,
        event_violation_types.violation_type_codes,
        events.monitoring_status,
        events.description,
        events.summary_for_publication,
        events.source_record_count,
        events.source_count,
        events.source_names,
        events.match_rule,
        events.published_in_all_sources,
        events.first_loaded_at,
        events.last_loaded_at,
        extract(year from events.event_date) as event_year,
        coalesce(events.known_perpetrator_type, 'unknown') as perpetrator_type
    from events
    left join event_violation_types on events.event_id = event_violation_types.event_id
)

select * from final
