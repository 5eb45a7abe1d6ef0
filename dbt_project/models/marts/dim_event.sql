{#- One row per event: a cluster of matched reports of one attack, with a stable id.
    Survivorship, per field, with provenance (`<field>_source` names the winning source):
    - event_date: the most precise date, then the most reliable source;
    - monitoring_status: the report delivered in the latest ingest batch that has one (status
      changes over time), then the most reliable source;
    - latitude and longitude: together from one report, the most precise (coordinates_precision),
      then the most reliable source;
    - city: the most reliable source that names a place (its English gazetteer name, see
      int_report_places), with the text it wrote (city_original) and the admin-1 region;
    - every other field: the most reliable source that has a value; an event no source titled
      gets a title built from its fields (hrdw_built_event_title, title_is_built).
    Remaining ties go to the source name, then the record id (stable keys): never to load times,
    which differ between two syncs of the same inputs, so the same inputs give the same event.
    `conflicting_fields` lists fields on which the event's sources disagree; nothing is hidden. -#}
{%- set stable_keys = 'source_name, source_record_id' -%}
{%- set by_reliability = 'source_reliability_rank, ' ~ stable_keys -%}
{%- set by_precision = 'date_precision_rank, source_reliability_rank, ' ~ stable_keys -%}
{%- set by_recency = 'batch_id desc, source_reliability_rank, ' ~ stable_keys -%}
{%- set by_coordinates = 'coordinates_precision_rank, source_reliability_rank, ' ~ stable_keys -%}
{%- set has_coordinates = 'latitude is not null and longitude is not null' -%}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

clusters as (
    select * from {{ ref('int_event_clusters') }}
),

mentions as (
    select * from {{ ref('int_mentions') }}
),

report_places as (
    select * from {{ ref('int_report_places') }}
),

violation_types as (
    select * from {{ ref('violation_types') }}
),

countries as (
    select * from {{ ref('countries') }}
),

event_reports as (
    select
        reports.*,
        event_ids.assigned_id as event_id,
        clusters.was_guarded,
        report_places.city as place_name,
        report_places.admin1 as place_admin1,
        case reports.coordinates_precision
            when 'point' then 1 when 'approximate' then 2 when 'place' then 3 else 4
        end as coordinates_precision_rank
    from reports
    inner join event_ids on reports.report_id = event_ids.report_id
    inner join clusters on reports.report_id = clusters.report_id
    inner join report_places on reports.report_id = report_places.report_id
),

event_violations as (
    select
        mentions.event_id,
        string_agg(distinct mentions.violation_type_code, '|' order by mentions.violation_type_code)
            as violation_type_codes,
        string_agg(distinct violation_types.violation_type_label, ', ' order by violation_types.violation_type_label)
            as violation_type_labels,
        string_agg(distinct mentions.victim_name, ' | ' order by mentions.victim_name) as victim_names,
        count(distinct mentions.actor_id) as victim_count
    from mentions
    left join violation_types on mentions.violation_type_code = violation_types.violation_type_code
    group by mentions.event_id
),

events as (
    select
        event_id,
        {{ hrdw_first_by('event_date', by_precision) }} as event_date,
        {{ hrdw_first_by_where('event_date_precision', by_precision, 'event_date is not null') }}
            as event_date_precision,
        {{ hrdw_first_by_where('source_name', by_precision, 'event_date is not null') }} as event_date_source,
        {{ hrdw_first_by('country_code', by_reliability) }} as country_code,
        {{ hrdw_first_by_where('source_name', by_reliability, 'country_code is not null') }} as country_source,
        {{ hrdw_first_by('place_name', by_reliability) }} as city,
        coalesce(
            {{ hrdw_first_by_where('city', by_reliability, 'place_name is not null') }},
            {{ hrdw_first_by('city', by_reliability) }}
        ) as city_original,
        {{ hrdw_first_by_where('place_admin1', by_reliability, 'place_name is not null') }} as admin1,
        {{ hrdw_first_by_where('source_name', by_reliability, 'place_name is not null') }} as city_source,
        {{ hrdw_first_by_where('latitude', by_coordinates, has_coordinates) }} as latitude,
        {{ hrdw_first_by_where('longitude', by_coordinates, has_coordinates) }} as longitude,
        {{ hrdw_first_by_where('coordinates_precision', by_coordinates, has_coordinates) }} as coordinates_precision,
        {{ hrdw_first_by_where('source_name', by_coordinates, has_coordinates) }} as coordinates_source,
        {{ hrdw_first_by('title', by_reliability) }} as title,
        {{ hrdw_first_by('description', by_reliability) }} as description,
        {{ hrdw_first_by_where('source_name', by_reliability, 'description is not null') }} as description_source,
        {{ hrdw_first_by('summary_for_publication', by_reliability) }} as summary_for_publication,
        {{ hrdw_first_by('monitoring_status', by_recency) }} as monitoring_status,
        {{ hrdw_first_by_where('source_name', by_recency, 'monitoring_status is not null') }}
            as monitoring_status_source,
        {{ hrdw_first_by("nullif(perpetrator_type, 'unknown')", by_reliability) }} as known_perpetrator_type,
        {{ hrdw_first_by_where('source_name', by_reliability, "perpetrator_type <> 'unknown'") }}
            as perpetrator_type_source,
        nullif(concat_ws(
            '|',
            case when count(distinct country_code) > 1 then 'country_code' end,
            case
                when
                    max(event_date) filter (where event_date_precision = 'day')
                    - min(event_date) filter (where event_date_precision = 'day')
                    > 3
                    then 'event_date'
            end,
            case
                when count(distinct nullif(perpetrator_type, 'unknown')) > 1 then 'perpetrator_type'
            end,
            case when count(distinct monitoring_status) > 1 then 'monitoring_status' end
        ), '') as conflicting_fields,
        count(*) as source_record_count,
        count(distinct source_name) as source_count,
        string_agg(distinct source_name, '|' order by source_name) as source_names,
        bool_and(published_in_source) as published_in_all_sources,
        bool_or(was_guarded) as was_split_by_cluster_guard,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from event_reports
    group by event_id
),

final as (
    select
        events.event_id,
        events.event_date,
        events.event_date_precision,
        events.event_date_source,
        events.country_code,
        events.country_source,
        events.city,
        events.city_original,
        events.admin1,
        events.city_source,
        events.latitude,
        events.longitude,
        events.coordinates_precision,
        events.coordinates_source,
        coalesce(events.title, {{ hrdw_built_event_title(
            'event_violations.violation_type_labels', 'event_violations.victim_names',
            'event_violations.victim_count', 'events.city', 'countries.country_name',
            'events.event_date', 'events.event_date_precision'
        ) }}) as title,
        events.title is null as title_is_built,
        event_violations.victim_names,
        event_violations.violation_type_codes,
        events.perpetrator_type_source,
        events.monitoring_status,
        events.monitoring_status_source,
        events.description,
        events.description_source,
        events.summary_for_publication,
        events.conflicting_fields,
        events.source_record_count,
        events.source_count,
        events.source_names,
        events.published_in_all_sources,
        events.was_split_by_cluster_guard,
        events.first_loaded_at,
        events.last_loaded_at,
        event_violations.victim_count,
        extract(year from events.event_date) as event_year,
        coalesce(events.known_perpetrator_type, 'unknown') as perpetrator_type
    from events
    left join event_violations on events.event_id = event_violations.event_id
    left join countries on events.country_code = countries.country_code
)

select * from final
