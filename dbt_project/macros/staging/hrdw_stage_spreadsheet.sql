{#- Partner spreadsheets: the YAML `columns` mapping says which header holds which canonical
    field; multi-values are split by `options.multi_value_separator` (default ";"); `value_maps`
    and "other" answers with a `<header>_other` column (hrdw_column, hrdw_list_column) as for
    every kind. -#}
{% macro hrdw_stage_spreadsheet(source_relation, columns={}, options={}) -%}
{%- set separator = options.get("multi_value_separator", ";") -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
{%- set maps = options.get("value_maps", {}) -%}
{%- set victim_type = hrdw_column(columns, "victim_type", present, maps) -%}
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
        {{ hrdw_column(columns, "latitude", present, maps) }} as latitude_raw,
        {{ hrdw_column(columns, "longitude", present, maps) }} as longitude_raw,
        {{ hrdw_victim_names(columns, "victim_name", present, maps, options) }} as victim_name,
        {{ hrdw_victim_names(columns, "victim_name_original", present, maps, options) }} as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ victim_type ~ ", ''))", 'сми|media outlet|organi[sz]ation|организац') }}
                then 'organization'
            else 'person'
        end as victim_kind,
        {{ victim_type }} as victim_role,
        {{ hrdw_column(columns, "victim_gender", present, maps) }} as victim_gender,
        {{ hrdw_column(columns, "victim_count", present, maps) }} as victim_count_raw,
        {{ hrdw_column(columns, "organization", present, maps) }} as organization,
        '{{ options.get("vocabulary", "partner") }}' as violation_vocabulary,
        {{ hrdw_list_column(columns, "violations", separator, present, maps) }}
            as violation_labels,
        cast(null as varchar) as violation_detail,
        '{{ options.get("vocabulary", "partner") }}' as perpetrator_vocabulary,
        {{ hrdw_list_column(columns, "perpetrator", separator, present, maps) }}
            as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {{ hrdw_column(columns, "monitoring_status", present, maps) }} as monitoring_status,
        {{ hrdw_column(columns, "description", present, maps) }} as description,
        {{ hrdw_column(columns, "summary_for_publication", present, maps) }} as summary_for_publication,
        true as published_in_source,
        {{ hrdw_column(columns, "reported_at", present, maps) }} as reported_at_raw
    from latest
)

{{ hrdw_typed_reports(victim_count='victim_count_raw') }}
{%- endmacro %}
