{#- CPJ database CSV exports, both layouts (a source may hold both over time):
    - the 42-column export (`year,combinedStatus,fullName,...,country,location,...`): years only,
      `country` is the country and `location`/`locality` the place, multi-values comma-joined;
    - the older 18-column export (`Type,Date,Name,Sex,Country_killed,...`): full dates as text,
      every row a killing, multi-values ", "-joined.
    Columns are picked by name from what the raw table really has. -#}
{% macro hrdw_stage_cpj_csv(source_relation, columns={}, options={}) -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
{%- set status = hrdw_first_present(present, ['status']) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        cast(null as varchar) as title,
        {{ hrdw_first_present(present, ['Date', 'year']) }} as event_date_raw,
        {{ hrdw_first_present(present, ['country', 'Country_killed']) }} as country_raw,
        {{ hrdw_first_present(present, ['locality', 'location']) }} as city,
        cast(null as varchar) as latitude_raw,
        cast(null as varchar) as longitude_raw,
        {{ hrdw_first_present(present, ['fullName', 'Name']) }} as victim_name,
        cast(null as varchar) as victim_name_original,
        'person' as victim_kind,
        {{ hrdw_first_present(present, ['type', 'Job']) }} as victim_role,
        {{ hrdw_first_present(present, ['gender', 'Sex']) }} as victim_gender,
        {{ hrdw_normalise_list(hrdw_first_present(present, ['organizations', 'Organization']), ',') }}
            as organization,
        '{{ options.get("vocabulary", "cpj") }}' as violation_vocabulary,
        {%- if 'status' in present %}
            coalesce({{ status }}, 'Killed') as violation_labels,
        {%- else %}
            'Killed' as violation_labels,
        {%- endif %}
        nullif({{ hrdw_first_present(present, ['typeOfDeath', 'Type_death']) }}, 'N/A') as violation_detail,
        '{{ options.get("vocabulary", "cpj") }}' as perpetrator_vocabulary,
        {{ hrdw_normalise_list(hrdw_first_present(present, ['sourcesOfFire', 'Source_fire']), ',') }}
            as perpetrator_labels,
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
