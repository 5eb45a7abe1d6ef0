{#- Uwazi /api/v2/search JSON (extract/connectors/uwazi_api.py): one text column per template
    property *name* (mapped in YAML, e.g. event_date: initial_date), values joined by "|" with
    labels, grouped thesaurus values "Parent::Child", geolocation "lat|lon", dates as Uwazi stores
    them (epoch seconds; multidate "a|b", daterange "from~to"), the top-level `title` and
    `published` (true/false) columns, separate state and non-state perpetrator properties. -#}

{#- Epoch seconds (text) -> 'YYYY-MM-DD' (UTC) text, or null when not a number. Uwazi stores a
    date as UTC midnight, so the day is taken in UTC whatever the session time zone is. -#}
{% macro hrdw_uwazi_epoch_to_iso_date(expression) -%}
    {{ return(adapter.dispatch('hrdw_uwazi_epoch_to_iso_date', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_uwazi_epoch_to_iso_date(expression) -%}
    strftime(timezone('UTC', to_timestamp({{ hrdw_try_cast_double(expression) }})), '%Y-%m-%d')
{%- endmacro %}
{% macro default__hrdw_uwazi_epoch_to_iso_date(expression) -%}
    to_char(to_timestamp({{ hrdw_try_cast_double(expression) }}) at time zone 'UTC', 'YYYY-MM-DD')
{%- endmacro %}

{#- A "|"-list of labels with any "Parent::" group prefixes removed, so that grouped thesaurus
    values map through the crosswalk by their own label. -#}
{% macro hrdw_uwazi_child_labels(expression) -%}
    {{ hrdw_normalise_list("regexp_replace(" ~ expression ~ ", '[^|]*::', '', 'g')", "|") }}
{%- endmacro %}

{% macro hrdw_stage_uwazi_api(source_relation, columns={}, options={}) -%}
{#- The top-level title and published columns are used unless the YAML maps them elsewhere. -#}
{%- set mapping = {"title": "title", "published": "published"} -%}
{%- do mapping.update(columns) -%}
{%- set state = hrdw_column(mapping, "perpetrator_state") -%}
{%- set non_state = hrdw_column(mapping, "perpetrator_non_state") -%}
{%- set geolocation = hrdw_column(mapping, "geolocation") -%}
{%- set gender = hrdw_column(mapping, "victim_gender") -%}
{%- set violations = hrdw_column(mapping, "violations") -%}
{%- set first_date = "split_part(split_part(" ~ hrdw_column(mapping, "event_date") ~ ", '|', 1), '~', 1)" -%}
{%- set vocabulary = options.get("vocabulary", "uwazi") -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        {{ hrdw_column(mapping, "title") }} as title,
        coalesce({{ hrdw_uwazi_epoch_to_iso_date(first_date) }}, nullif(trim({{ first_date }}), '')) as event_date_raw,
        {{ hrdw_column(mapping, "country") }} as country_raw,
        {{ hrdw_column(mapping, "city") }} as city,
        nullif(split_part({{ geolocation }}, '|', 1), '') as latitude_raw,
        nullif(split_part({{ geolocation }}, '|', 2), '') as longitude_raw,
        {{ hrdw_column(mapping, "victim_name") }} as victim_name,
        {{ hrdw_column(mapping, "victim_name_original") }} as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ gender ~ ", ''))", 'organi[sz]ation|community') }} then 'organization'
            else 'person'
        end as victim_kind,
        {{ hrdw_column(mapping, "victim_type") }} as victim_role,
        {{ gender }} as victim_gender,
        {{ hrdw_column(mapping, "victim_count") }} as victim_count_raw,
        {{ hrdw_column(mapping, "organization") }} as organization,
        '{{ vocabulary }}' as violation_vocabulary,
        {{ hrdw_uwazi_child_labels(violations) }} as violation_labels,
        case when {{ violations }} like '%::%' then {{ violations }} end as violation_detail,
        '{{ vocabulary }}' as perpetrator_vocabulary,
        nullif(concat_ws('|', {{ state }}, {{ non_state }}), '') as perpetrator_labels,
        case
            when {{ state }} is not null and {{ non_state }} is not null then 'state_and_non_state'
            when {{ state }} is not null then 'state'
            when lower({{ non_state }}) in ('unknown', 'unidentified') then 'unknown'
            when {{ non_state }} is not null then 'non_state'
        end as perpetrator_type_hint,
        {{ hrdw_column(mapping, "monitoring_status") }} as monitoring_status,
        {{ hrdw_column(mapping, "description") }} as description,
        {{ hrdw_column(mapping, "summary_for_publication") }} as summary_for_publication,
        coalesce(lower({{ hrdw_column(mapping, "published") }}) in ('true', 'published'), true) as published_in_source,
        {% if "creationDate" in present -%}
        {#- creationDate is in milliseconds; the helper takes seconds as text -#}
        {{ hrdw_uwazi_epoch_to_iso_date(
            "cast(" ~ hrdw_try_cast_double(adapter.quote("creationDate")) ~ " / 1000 as varchar)"
        ) }}
        {%- else -%}
        cast(null as varchar)
        {%- endif %} as reported_at_raw
    from latest
)

{{ hrdw_typed_reports(victim_count='victim_count_raw') }}
{%- endmacro %}
