{#- CPJ's two JSON APIs share one object shape; they differ in which field holds the country:
    people_list puts the country in `location` and has no place, the datamanager has `country` and
    puts the place in `location`. `startDisplay` is a human date in both. -#}
{% macro hrdw_stage_cpj_json(source_relation, country_column, city_column, options) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        cast(null as varchar) as title,
        nullif(trim("startDisplay"), '') as event_date_raw,
        nullif(trim({{ adapter.quote(country_column) }}), '') as country_raw,
        {% if city_column -%}
            nullif(trim({{ adapter.quote(city_column) }}), '')
        {%- else -%}
            cast(null as varchar)
        {%- endif %} as city,
        cast(null as varchar) as latitude_raw,
        cast(null as varchar) as longitude_raw,
        nullif(trim("fullName"), '') as victim_name,
        cast(null as varchar) as victim_name_original,
        'person' as victim_kind,
        nullif(trim("type"), '') as victim_role,
        cast(null as varchar) as victim_gender,
        {{ hrdw_normalise_list('"organizations"', ',') }} as organization,
        '{{ options.get("vocabulary", "cpj") }}' as violation_vocabulary,
        nullif(trim("status"), '') as violation_labels,
        nullif(nullif(trim("typeOfDeath"), ''), 'N/A') as violation_detail,
        '{{ options.get("vocabulary", "cpj") }}' as perpetrator_vocabulary,
        cast(null as varchar) as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        cast(null as varchar) as monitoring_status,
        cast(null as varchar) as description,
        cast(null as varchar) as summary_for_publication,
        true as published_in_source,
        cast(null as varchar) as reported_at_raw
    from latest
)

{{ hrdw_typed_reports() }}
{%- endmacro %}
