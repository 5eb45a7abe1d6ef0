{#- Partner spreadsheets: the YAML `columns` mapping says which header holds which canonical
    field; multi-values are split by `options.multi_value_separator` (default ";"). -#}
{% macro hrdw_stage_spreadsheet(source_relation, columns={}, options={}) -%}
{%- set separator = options.get("multi_value_separator", ";") -%}
{%- set victim_type = hrdw_column(columns, "victim_type") -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        {{ hrdw_column(columns, "title") }} as title,
        {{ hrdw_column(columns, "event_date") }} as event_date_raw,
        {{ hrdw_column(columns, "country") }} as country_raw,
        {{ hrdw_column(columns, "city") }} as city,
        {{ hrdw_column(columns, "latitude") }} as latitude_raw,
        {{ hrdw_column(columns, "longitude") }} as longitude_raw,
        {{ hrdw_column(columns, "victim_name") }} as victim_name,
        {{ hrdw_column(columns, "victim_name_original") }} as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ victim_type ~ ", ''))", 'сми|media outlet|organi[sz]ation|организац') }}
                then 'organization'
            else 'person'
        end as victim_kind,
        {{ victim_type }} as victim_role,
        {{ hrdw_column(columns, "victim_gender") }} as victim_gender,
        {{ hrdw_column(columns, "organization") }} as organization,
        '{{ options.get("vocabulary", "partner") }}' as violation_vocabulary,
        {{ hrdw_normalise_list(hrdw_column(columns, "violations"), separator) }} as violation_labels,
        cast(null as varchar) as violation_detail,
        '{{ options.get("vocabulary", "partner") }}' as perpetrator_vocabulary,
        {{ hrdw_normalise_list(hrdw_column(columns, "perpetrator"), separator) }} as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {{ hrdw_column(columns, "monitoring_status") }} as monitoring_status,
        {{ hrdw_column(columns, "description") }} as description,
        {{ hrdw_column(columns, "summary_for_publication") }} as summary_for_publication,
        true as published_in_source
    from latest
)

{{ hrdw_typed_reports() }}
{%- endmacro %}
