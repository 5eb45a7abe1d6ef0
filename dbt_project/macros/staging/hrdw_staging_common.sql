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

{#- The source headers a canonical column may come from: the YAML `columns` entry, a header or a
    list of aliases (a form or sheet whose layout changed over time has both in raw); [] when
    unmapped. -#}
{% macro hrdw_headers(columns, canonical) -%}
    {%- set headers = columns.get(canonical) -%}
    {{ return([] if headers is none else ([headers] if headers is string else headers | list)) }}
{%- endmacro %}

{#- The raw value of `headers`: trimmed text, the first non-empty one winning. With `present` (the
    relation's real columns) only headers that exist are read, so a renamed or missing optional
    column gives null instead of an error; without it every header must exist. -#}
{% macro hrdw_header_value(headers, present=none) -%}
    {%- if headers | length == 0 -%}
        cast(null as varchar)
    {%- elif present is not none -%}
        {{ hrdw_first_present(present, headers) }}
    {%- else -%}
        {%- set quoted = [] -%}
        {%- for header in headers -%}
            {%- do quoted.append("nullif(trim(" ~ adapter.quote(header) ~ "), '')") -%}
        {%- endfor -%}
        {{ quoted[0] if quoted | length == 1 else "coalesce(" ~ quoted | join(", ") ~ ")" }}
    {%- endif -%}
{%- endmacro %}

{#- The headers holding the free text of a select question's "other" choice: those the YAML maps
    as `<canonical>_other`, else `<header>_other` for each header of the canonical column that the
    relation has (`present`: its real columns; none: only a mapped `<canonical>_other` counts).
    KoboToolbox and ODK forms name it so (`incident/country_other`; ODK's CSV export
    `incident-country_other`), and a sheet may carry a `Country_other` column likewise. -#}
{% macro hrdw_other_headers(columns, canonical, present=none) -%}
    {%- set mapped = hrdw_headers(columns, canonical ~ "_other") -%}
    {%- set found = [] -%}
    {%- if mapped -%}
        {%- do found.extend(mapped) -%}
    {%- elif present is not none -%}
        {%- for header in hrdw_headers(columns, canonical) if (header ~ "_other") in present -%}
            {%- do found.append(header ~ "_other") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- A select answer with its "other" fallback: when the answer is `other` (any case) and `other`
    (the `*_other` free text; none when the form has no such question) has a value, the free text
    replaces it (410 Kobo records had country "other" and the country in `incident/country_other`).
    A select-multiple's `other` element is replaced the same way by hrdw_normalise_list. -#}
{% macro hrdw_other_fallback(value, other=none) -%}
    {%- if other is none -%}
        {{ value }}
    {%- else -%}
        case
            when lower(trim({{ value }})) = 'other' and nullif(trim({{ other }}), '') is not null
                then trim({{ other }})
            else {{ value }}
        end
    {%- endif -%}
{%- endmacro %}

{#- One select or text answer as staging reads it, the same for every kind: the "other" fallback
    (hrdw_other_fallback), then the YAML `value_maps` entry of the canonical column (whole values). -#}
{% macro hrdw_mapped_value(value, canonical, other=none, value_maps={}) -%}
    {{ hrdw_map_values(hrdw_other_fallback(value, other), value_maps.get(canonical, {})) }}
{%- endmacro %}

{#- One multi-valued answer (select-multiple, a list in a cell) as staging reads it, the same for
    every kind: split on `separator`, each element trimmed, an `other` element replaced by the
    `*_other` free text, each element rewritten through `value_maps[canonical]`, re-joined with '|'. -#}
{% macro hrdw_mapped_list(value, canonical, separator, other=none, value_maps={}) -%}
    {{ hrdw_normalise_list(value, separator, value_maps.get(canonical, {}), other) }}
{%- endmacro %}

{#- A column of the source by its canonical name: its headers (hrdw_headers, hrdw_header_value),
    the "other" fallback when the source has a `*_other` column for it (hrdw_other_headers; looked
    for among `other_present`, else `present`), and its `value_maps` entry rewriting whole values. -#}
{% macro hrdw_column(columns, canonical, present=none, value_maps={}, other_present=none) -%}
    {%- set headers = hrdw_headers(columns, canonical) -%}
    {%- if headers | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
        {%- set others = hrdw_other_headers(columns, canonical, present if other_present is none else other_present) -%}
        {{ hrdw_mapped_value(
            hrdw_header_value(headers, present), canonical,
            hrdw_header_value(others, present if other_present is none else other_present) if others else none,
            value_maps
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- A multi-valued column of the source by its canonical name (hrdw_mapped_list). -#}
{% macro hrdw_list_column(columns, canonical, separator, present=none, value_maps={}, other_present=none) -%}
    {%- set headers = hrdw_headers(columns, canonical) -%}
    {%- set others = hrdw_other_headers(columns, canonical, present if other_present is none else other_present) -%}
    {{ hrdw_mapped_list(
        hrdw_header_value(headers, present), canonical, separator,
        hrdw_header_value(others, present if other_present is none else other_present) if others else none,
        value_maps
    ) }}
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
    (Uwazi's Impact of Event); null otherwise.
    `victims_issue`: an expression over `mapped` saying why a form submission's victims do not add up
    (hrdw_victims_issue); null otherwise. -#}
{% macro hrdw_typed_reports(incident_key=none, victim_count=none, victims_issue=none) -%}
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
    {{ victims_issue if victims_issue else 'cast(null as varchar)' }} as victims_issue,
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

{#- Forms whose victims are a repeat group (KoboToolbox, ODK): the CTE `reports` (and `repeat_rows`)
    after `latest`. With `repeat_column` mapped and among `present` (the raw table's columns),
    `reports` has one row per element of the JSON array held as text in that column
    (`repeat_element`, its JSON text; `repeat_position`, 1-based in list order) and one row with
    both null for a submission without elements; `repeat_row_count` is the number of elements of
    the row's submission. Mapped but in no landed row yet: every submission has no victim row.
    Not mapped: `latest` as it is. -#}
{% macro hrdw_repeat_reports(repeat_column, present) -%}
{%- if repeat_column and repeat_column in present -%}
repeat_rows as (
    {{ hrdw_json_array_numbered('latest', '_source_record_id', adapter.quote(repeat_column)) }}
),

reports as (
    select
        latest.*,
        repeat_rows.repeat_element,
        repeat_rows.repeat_position,
        count(repeat_rows.repeat_element) over (partition by latest._source_record_id) as repeat_row_count
    from latest
    left join repeat_rows
        on latest._source_record_id = repeat_rows.repeat_parent_id
)
{%- elif repeat_column -%}
reports as (
    select
        latest.*,
        cast(null as varchar) as repeat_element,
        cast(null as integer) as repeat_position,
        0 as repeat_row_count
    from latest
)
{%- else -%}
reports as (
    select * from latest
)
{%- endif -%}
{%- endmacro %}

{#- One row per element of a JSON array held as text in `expression` (a column of `relation`):
    repeat_parent_id (the row's `key`), repeat_element (JSON text) and repeat_position (1-based).
    Rows whose text is not an array have none. -#}
{% macro hrdw_json_array_numbered(relation, key, expression) -%}
    {{ return(adapter.dispatch('hrdw_json_array_numbered', 'hrdw')(relation, key, expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_json_array_numbered(relation, key, expression) -%}
    select
        {{ key }} as repeat_parent_id,
        cast(unnest(cast(json_extract({{ expression }}, '$[*]') as json[])) as varchar) as repeat_element,
        generate_subscripts(cast(json_extract({{ expression }}, '$[*]') as json[]), 1) as repeat_position
    from {{ relation }}
    where trim({{ expression }}) like '[%'
{%- endmacro %}
{% macro default__hrdw_json_array_numbered(relation, key, expression) -%}
    select
        arrays.{{ key }} as repeat_parent_id,
        cast(elements.repeat_element as text) as repeat_element,
        cast(elements.repeat_position as integer) as repeat_position
    from {{ relation }} as arrays
    cross join lateral jsonb_array_elements(
        case when trim(arrays.{{ expression }}) like '[%' then cast(arrays.{{ expression }} as jsonb) else '[]'::jsonb end
    ) with ordinality as elements (repeat_element, repeat_position)
{%- endmacro %}

{#- Why a form submission's victims do not add up, for the reports of a form with a victims repeat
    (null when they do): no repeat row and no victim answered outside the repeat (an older form
    version's plain group) is a report without a victim; a `victim_count` answer differing from the
    victims read is a count mismatch. Each report of the submission carries it; the warn test
    assert_form_victims_add_up and the run summary count them. `plain_victim`: a boolean
    expression, true when the submission names a victim outside the repeat. -#}
{% macro hrdw_victims_issue(repeat_name, plain_victim='false', victim_count=none) -%}
    {%- set victims = "case when repeat_row_count = 0 and (" ~ plain_victim ~ ") then 1 else repeat_row_count end" -%}
    case
        when repeat_row_count = 0 and not coalesce({{ plain_victim }}, false)
            then {{ hrdw_sql_string('no victim: the repeat ' ~ repeat_name ~ ' has no rows') }}
        {%- if victim_count is not none %}
        when {{ hrdw_try_cast_double(victim_count) }} <> {{ victims }}
            then 'victim_count ' || {{ victim_count }} || ' but ' || cast({{ victims }} as varchar)
                || {{ hrdw_sql_string(' victim(s) read from the repeat ' ~ repeat_name) }}
        {%- endif %}
    end
{%- endmacro %}
