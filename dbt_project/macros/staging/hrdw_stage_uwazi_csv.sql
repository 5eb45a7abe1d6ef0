{#- Uwazi CSV export: property labels as headers (mapped in YAML), multiselects joined by "|",
    geolocation "lat|lon", separate state and non-state perpetrator properties, and the
    `Published` column saying whether the entity is public in Uwazi. -#}
{% macro hrdw_stage_uwazi_csv(source_relation, columns={}, options={}) -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
{%- set maps = options.get("value_maps", {}) -%}
{%- set state = hrdw_column(columns, "perpetrator_state", present, maps) -%}
{%- set non_state = hrdw_column(columns, "perpetrator_non_state", present, maps) -%}
{%- set geolocation = hrdw_column(columns, "geolocation", present, maps) -%}
{%- set gender = hrdw_column(columns, "victim_gender", present, maps) -%}
{%- set violations = hrdw_column(columns, "violations", present) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        {{ hrdw_column(columns, "title", present, maps) }} as title,
        {{ hrdw_column(columns, "event_date", present, maps) }} as event_date_raw,
        {{ hrdw_column(columns, "country", present, maps) }} as country_raw,
        {{ hrdw_column(columns, "city", present, maps) }} as city,
        nullif(split_part({{ geolocation }}, '|', 1), '') as latitude_raw,
        nullif(split_part({{ geolocation }}, '|', 2), '') as longitude_raw,
        {{ hrdw_victim_names(columns, "victim_name", present, maps, options) }} as victim_name,
        cast(null as varchar) as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ gender ~ ", ''))", 'organi[sz]ation|community') }} then 'organization'
            else 'person'
        end as victim_kind,
        {{ hrdw_column(columns, "victim_type", present, maps) }} as victim_role,
        {{ gender }} as victim_gender,
        {{ hrdw_column(columns, "victim_count", present, maps) }} as victim_count_raw,
        {{ hrdw_column(columns, "organization", present, maps) }} as organization,
        '{{ options.get("vocabulary", "uwazi") }}' as violation_vocabulary,
        {#- grouped thesaurus values "Parent::Child" map by their child label; the full path is kept -#}
        {{ hrdw_normalise_list(
            "regexp_replace(" ~ violations ~ ", '[^|]*::', '', 'g')", "|", maps.get("violations", {})
        ) }} as violation_labels,
        case when {{ violations }} like '%::%' then {{ violations }} end as violation_detail,
        '{{ options.get("vocabulary", "uwazi") }}' as perpetrator_vocabulary,
        nullif(concat_ws('|', {{ state }}, {{ non_state }}), '') as perpetrator_labels,
        case
            when {{ state }} is not null and {{ non_state }} is not null then 'state_and_non_state'
            when {{ state }} is not null then 'state'
            when lower({{ non_state }}) in ('unknown', 'unidentified') then 'unknown'
            when {{ non_state }} is not null then 'non_state'
        end as perpetrator_type_hint,
        {{ hrdw_column(columns, "monitoring_status", present, maps) }} as monitoring_status,
        {{ hrdw_column(columns, "description", present, maps) }} as description,
        {{ hrdw_column(columns, "summary_for_publication", present, maps) }} as summary_for_publication,
        coalesce(lower({{ hrdw_column(columns, "published", present, maps) }}) = 'published', true) as published_in_source,
        {{ hrdw_column(columns, "reported_at", present, maps) }} as reported_at_raw
    from latest
)

{{ hrdw_typed_reports(victim_count='victim_count_raw') }}
{%- endmacro %}
