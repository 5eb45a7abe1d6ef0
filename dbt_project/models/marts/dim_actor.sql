{#- One row per actor (victim person or organisation) across all events. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

matches as (
    select * from {{ ref('int_reports_matched') }}
),

actor_reports as (
    select
        reports.*,
        matches.actor_id,
        matches.event_id
    from reports
    inner join matches on reports.report_id = matches.report_id
),

actors as (
    select
        actor_id,
        min(victim_kind) as actor_kind,
        coalesce(
            {{ hrdw_first_by('victim_name', 'source_reliability_rank, report_id') }},
            '(unnamed)'
        ) as display_name,
        string_agg(distinct victim_name, ' | ' order by victim_name) as name_variants,
        string_agg(distinct victim_name_original, ' | ' order by victim_name_original) as original_script_names,
        min(victim_name_key) as name_key,
        {{ hrdw_first_by('victim_role', 'source_reliability_rank, report_id') }} as actor_role,
        {{ hrdw_first_by('victim_gender', 'source_reliability_rank, report_id') }} as gender,
        string_agg(distinct organization, ' | ' order by organization) as organizations,
        count(distinct event_id) as event_count,
        count(*) as source_record_count
    from actor_reports
    group by actor_id
)

select * from actors
