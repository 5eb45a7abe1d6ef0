{#- Portable building blocks. Engine-specific SQL goes through adapter.dispatch so that a
    Postgres target can follow by adding postgres__ implementations. -#}

{% macro hrdw_surrogate_key(expressions) -%}
    md5({%- for expression in expressions -%}
        coalesce(cast({{ expression }} as varchar), '<null>'){% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%})
{%- endmacro %}

{% macro hrdw_try_cast_double(expression) -%}
    {{ return(adapter.dispatch('hrdw_try_cast_double', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_try_cast_double(expression) -%}
    try_cast(nullif(trim({{ expression }}), '') as double)
{%- endmacro %}
{% macro default__hrdw_try_cast_double(expression) -%}
    case when trim({{ expression }}) ~ '^-?[0-9]+(\.[0-9]+)?$' then cast(trim({{ expression }}) as double precision) end
{%- endmacro %}

{#- A string split into a list (an array on Postgres). -#}
{% macro hrdw_split_to_list(expression, separator) -%}
    {{ return(adapter.dispatch('hrdw_split_to_list', 'hrdw')(expression, separator)) }}
{%- endmacro %}
{% macro duckdb__hrdw_split_to_list(expression, separator) -%}
    string_split({{ expression }}, '{{ separator }}')
{%- endmacro %}
{% macro default__hrdw_split_to_list(expression, separator) -%}
    string_to_array({{ expression }}, '{{ separator }}')
{%- endmacro %}

{#- One output row per element of a delimited list, for use in a select list. -#}
{% macro hrdw_split_to_rows(expression, separator) -%}
    {{ return(adapter.dispatch('hrdw_split_to_rows', 'hrdw')(expression, separator)) }}
{%- endmacro %}
{% macro duckdb__hrdw_split_to_rows(expression, separator) -%}
    unnest(string_split({{ expression }}, '{{ separator }}'))
{%- endmacro %}
{% macro default__hrdw_split_to_rows(expression, separator) -%}
    unnest(string_to_array({{ expression }}, '{{ separator }}'))
{%- endmacro %}

{#- Re-join a list split by `separator` with '|' after trimming each element, dropping empties,
    replacing an `other` element by the expression `other` (a select-multiple's `*_other` free
    text, when it has a value) and rewriting elements through `value_map` (from YAML `value_maps`). -#}
{% macro hrdw_normalise_list(expression, separator, value_map={}, other=none) -%}
    {{ return(adapter.dispatch('hrdw_normalise_list', 'hrdw')(expression, separator, value_map, other)) }}
{%- endmacro %}
{% macro duckdb__hrdw_normalise_list(expression, separator, value_map={}, other=none) -%}
    nullif(array_to_string(list_filter(list_transform(
        string_split({{ expression }}, '{{ separator }}'),
        lambda item: {{ hrdw_map_values(hrdw_other_fallback('trim(item)', other), value_map) }}
    ), lambda item: item <> ''), '|'), '')
{%- endmacro %}
{% macro default__hrdw_normalise_list(expression, separator, value_map={}, other=none) -%}
    nullif(array_to_string(array(
        select {{ hrdw_map_values(hrdw_other_fallback('trim(item)', other), value_map) }}
        from unnest(string_to_array({{ expression }}, '{{ separator }}')) as item
        where trim(item) <> ''
    ), '|'), '')
{%- endmacro %}

{#- First non-null value of `expression` within a group, by `order_by`. -#}
{% macro hrdw_first_by(expression, order_by) -%}
    {{ return(adapter.dispatch('hrdw_first_by', 'hrdw')(expression, order_by)) }}
{%- endmacro %}
{% macro duckdb__hrdw_first_by(expression, order_by) -%}
    first({{ expression }} order by {{ order_by }}) filter (where {{ expression }} is not null)
{%- endmacro %}
{% macro default__hrdw_first_by(expression, order_by) -%}
    (array_agg({{ expression }} order by {{ order_by }}) filter (where {{ expression }} is not null))[1]
{%- endmacro %}

{% macro hrdw_regex_match(expression, pattern) -%}
    {{ return(adapter.dispatch('hrdw_regex_match', 'hrdw')(expression, pattern)) }}
{%- endmacro %}
{% macro duckdb__hrdw_regex_match(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}
{% macro default__hrdw_regex_match(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- The first capture group of `pattern` in `expression` (null or empty when it does not match). -#}
{% macro hrdw_regex_extract(expression, pattern) -%}
    {{ return(adapter.dispatch('hrdw_regex_extract', 'hrdw')(expression, pattern)) }}
{%- endmacro %}
{% macro duckdb__hrdw_regex_extract(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', 1)
{%- endmacro %}
{% macro default__hrdw_regex_extract(expression, pattern) -%}
    substring({{ expression }} from '{{ pattern }}')
{%- endmacro %}

{#- First value of `expression` within a group, by `order_by`, among rows where `condition` holds
    (used for provenance: the source of the value that won). -#}
{% macro hrdw_first_by_where(expression, order_by, condition) -%}
    {{ return(adapter.dispatch('hrdw_first_by_where', 'hrdw')(expression, order_by, condition)) }}
{%- endmacro %}
{% macro duckdb__hrdw_first_by_where(expression, order_by, condition) -%}
    first({{ expression }} order by {{ order_by }}) filter (where {{ condition }})
{%- endmacro %}
{% macro default__hrdw_first_by_where(expression, order_by, condition) -%}
    (array_agg({{ expression }} order by {{ order_by }}) filter (where {{ condition }}))[1]
{%- endmacro %}

{#- A FROM item yielding one row per day (column day_value) from `start_date` to `end_date`. -#}
{% macro hrdw_date_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('hrdw_date_series', 'hrdw')(start_date, end_date)) }}
{%- endmacro %}
{% macro duckdb__hrdw_date_series(start_date, end_date) -%}
    generate_series({{ start_date }}, {{ end_date }}, interval 1 day) as day_series (day_value)
{%- endmacro %}
{% macro default__hrdw_date_series(start_date, end_date) -%}
    generate_series({{ start_date }}, {{ end_date }}, interval '1 day') as day_series (day_value)
{%- endmacro %}
