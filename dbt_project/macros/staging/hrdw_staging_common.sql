{#- Shared by every staging macro: pick each record's latest version from raw, then type the
    mapped text columns into the staging contract (documented in docs/staging-contract.md and in
    each generated _<source>__models.yml). -#}

{#- The latest delivered version of each source record: raw keeps every batch (nothing a source
    sent is lost), staging reads the newest. -#}
{% macro hrdw_latest_records(source_relation) -%}
    select *
    from (
        select
            raw_rows.*,
            row_number() over (
                partition by raw_rows._source_record_id
                order by raw_rows._batch_id desc, raw_rows._loaded_at desc
            ) as _version_rank
        from {{ source_relation }} as raw_rows
    ) as versions
    where _version_rank = 1
{%- endmacro %}

{#- A column of the source by its canonical name. `columns` maps the canonical name to the
    source's header or to a list of aliases; with `present` (the relation's real columns) only
    headers that exist are used, the first non-empty one winning, so a renamed or missing
    optional column gives null instead of an error. A `value_maps` entry for the canonical name
    rewrites whole values (for multi-valued cells use hrdw_normalise_list's value_map instead). -#}
{% macro hrdw_column(columns, canonical, present=none, value_maps={}) -%}
    {%- set headers = columns.get(canonical) -%}
    {%- if headers is none -%}
        cast(null as varchar)
    {%- else -%}
        {%- set candidates = [headers] if headers is string else headers -%}
        {%- if present is not none -%}
            {%- set value = hrdw_first_present(present, candidates) -%}
        {%- else -%}
            {%- set quoted = [] -%}
            {%- for header in candidates -%}
                {%- do quoted.append("nullif(trim(" ~ adapter.quote(header) ~ "), '')") -%}
            {%- endfor -%}
            {%- set value = quoted[0] if quoted | length == 1 else "coalesce(" ~ quoted | join(", ") ~ ")" -%}
        {%- endif -%}
        {{ hrdw_map_values(value, value_maps.get(canonical, {})) }}
    {%- endif -%}
{%- endmacro %}

{#- Rewrite values through a {from: to} map (from YAML `value_maps`); others pass unchanged. -#}
{% macro hrdw_map_values(expression, value_map) -%}
    {%- if value_map | length == 0 -%}
        {{ expression }}
    {%- else -%}
        case {{ expression }}
        {%- for source_value, target_value in value_map.items() %}
            when {{ hrdw_sql_string(source_value) }} then {{ hrdw_sql_string(target_value) }}
        {%- endfor %}
            else {{ expression }}
        end
    {%- endif -%}
{%- endmacro %}

{% macro hrdw_sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro hrdw_lineage_select() -%}
    _source as source_name,
    _source_record_id as source_record_id,
    _source_file as source_file,
    _source_row as source_row,
    _batch_id as batch_id,
    _loaded_at as loaded_at,
    _record_hash as record_hash
{%- endmacro %}

{#- The typed staging contract, from a CTE named `mapped` holding the text columns (among
    them `reported_at_raw`: when the source received the report, as text, or null).
    `incident_key`: an expression over `mapped` naming the source's incident when one source record
    is split into several reports (ODK repeat rows of one submission); null otherwise.
    `victim_count`: an expression over `mapped` giving, as text, how many victims the source counts
    (Uwazi's Impact of Event); null otherwise. -#}
{% macro hrdw_typed_reports(incident_key=none, victim_count=none) -%}
select
    source_name || ':' || source_record_id as report_id,
    source_name,
    source_record_id,
    source_file,
    cast(source_row as integer) as source_row,
    batch_id,
    cast(loaded_at as timestamp) as loaded_at,
    record_hash,
    title,
    event_date_raw,
    case when {{ hrdw_date_in_range('event_date_read') }} then event_date_read end as event_date,
    case
        when event_date_read is not null and not {{ hrdw_date_in_range('event_date_read') }} then 'unknown'
        else event_date_precision_read
    end as event_date_precision,
    case
        when event_date_read is not null and not {{ hrdw_date_in_range('event_date_read') }} then 'out of range'
        else event_date_issue_read
    end as event_date_issue,
    country_raw,
    city,
    {{ hrdw_try_cast_double('latitude_raw') }} as latitude,
    {{ hrdw_try_cast_double('longitude_raw') }} as longitude,
    case
        when
            {{ hrdw_try_cast_double('latitude_raw') }} is not null
            and {{ hrdw_try_cast_double('longitude_raw') }} is not null
            then least({{ hrdw_decimal_places('latitude_raw') }}, {{ hrdw_decimal_places('longitude_raw') }})
    end as coordinate_decimals,
    victim_name,
    victim_name_original,
    victim_kind,
    victim_role,
    victim_gender,
    {%- if victim_count %}
    cast(floor({{ hrdw_try_cast_double(victim_count) }}) as integer) as victim_count,
    {%- else %}
    cast(null as integer) as victim_count,
    {%- endif %}
    organization,
    violation_vocabulary,
    violation_labels,
    violation_detail,
    perpetrator_vocabulary,
    perpetrator_labels,
    perpetrator_type_hint,
    monitoring_status,
    description,
    summary_for_publication,
    published_in_source,
    {{ incident_key if incident_key else 'cast(null as varchar)' }} as incident_key,
    case
        when {{ hrdw_date_precision('reported_at_raw') }} = 'day' then {{ hrdw_parse_date('reported_at_raw') }}
    end as reported_at
from (
    {#- the date is read once per row: the expressions are long -#}
    select
        mapped.*,
        {{ hrdw_parse_date('event_date_raw') }} as event_date_read,
        {{ hrdw_date_precision('event_date_raw') }} as event_date_precision_read,
        {{ hrdw_date_issue('event_date_raw') }} as event_date_issue_read
    from mapped
) as dates_read
{%- endmacro %}

{#- An event date the warehouse can hold: from 1900 to the night being built (var hrdw_run_date,
    set by the nightly build from its data interval; the build day otherwise). A date outside is a
    misreading or a typo (0015, 2061): staging keeps the text, nulls the date and says "out of
    range", and the test assert_event_dates_within_range makes sure none reaches the marts. -#}
{% macro hrdw_date_in_range(day) -%}
    coalesce({{ day }} between date '1900-01-01' and {{ hrdw_run_date() }}, false)
{%- endmacro %}

{% macro hrdw_run_date() -%}
    {%- if var('hrdw_run_date', none) -%}
        cast({{ hrdw_sql_string(var('hrdw_run_date')) }} as date)
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}

{#- Names of the columns a relation really has (at execution; empty while dbt only parses). -#}
{% macro hrdw_relation_columns(relation) -%}
    {%- if execute -%}
        {{ return(adapter.get_columns_in_relation(relation) | map(attribute='name') | list) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}

{#- The first non-empty value among candidate source columns that exist in the relation (a source
    whose layout changed over time has both in raw); null when none exists. -#}
{% macro hrdw_first_present(present_columns, candidates) -%}
    {%- set found = [] -%}
    {%- for candidate in candidates -%}
        {%- if candidate in present_columns -%}
            {%- do found.append("nullif(trim(" ~ adapter.quote(candidate) ~ "), '')") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length == 0 -%}
        cast(null as varchar)
    {%- elif found | length == 1 -%}
        {{ found[0] }}
    {%- else -%}
        coalesce({{ found | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{#- A victim-name column: a list re-joined with "|" when the source declares
    `options.victim_separator` (several victims in one record), else the value as it is. -#}
{% macro hrdw_victim_names(columns, canonical, present, maps, options) -%}
    {%- if options.get("victim_separator") -%}
        {{ hrdw_normalise_list(hrdw_column(columns, canonical, present, maps), options["victim_separator"]) }}
    {%- else -%}
        {{ hrdw_column(columns, canonical, present, maps) }}
    {%- endif -%}
{%- endmacro %}
