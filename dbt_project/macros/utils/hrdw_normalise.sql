{#- Normalisation used by matching: one definition each, applied in staging or conformed models. -#}

{#- Romanisation-insensitive name key (first cut): lower-case ASCII letters and digits, accents
    stripped, tokens sorted so that "Saipov, Alisher" and "Alisher Saipov" agree. -#}
{% macro hrdw_name_key(expression) -%}
    {{ return(adapter.dispatch('hrdw_name_key', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_name_key(expression) -%}
    nullif(array_to_string(list_sort(list_filter(
        string_split(regexp_replace(lower(strip_accents(coalesce({{ expression }}, ''))), '[^a-z0-9]+', ' ', 'g'), ' '),
        lambda token: token <> ''
    )), ' '), '')
{%- endmacro %}
{% macro default__hrdw_name_key(expression) -%}
    {{ exceptions.raise_compiler_error("hrdw_name_key has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- Lookup key for vocabularies and country aliases: trimmed, lower-case, single spaces. -#}
{% macro hrdw_label_key(expression) -%}
    nullif(regexp_replace(lower(trim({{ expression }})), '\s+', ' ', 'g'), '')
{%- endmacro %}

{#- Dates as sources write them: ISO, dd.mm.yyyy, dd/mm/yyyy, Excel serials, CPJ's
    "April 30, 2018", "June 7 or 8, 2008", "On or after March 30, 2007", "August 2015",
    "Unknown in 2013", "Summer 1993". The date is the first day of the stated period and the
    precision says which period (day, month, year, unknown). -#}
{% macro hrdw_date_text(expression) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(
        coalesce({{ expression }}, ''),
        '\s+', ' ', 'g'),
        '^(on or (after|before|about)|around|circa|c\.)\s+', '', 'i'),
        '\s+or\s+[0-9]{1,2}(,)', '\1', 'g'))
{%- endmacro %}

{% macro hrdw_parse_date(expression) -%}
    {{ return(adapter.dispatch('hrdw_parse_date', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_parse_date(expression) -%}
    {%- set text = hrdw_date_text(expression) -%}
    coalesce(
        cast(try_strptime(left({{ text }}, 10), ['%Y-%m-%d', '%d.%m.%Y', '%d/%m/%Y']) as date),
        cast(try_strptime({{ text }}, ['%B %d, %Y', '%b %d, %Y', '%d %B %Y', '%B %d %Y']) as date),
        case when regexp_matches({{ text }}, '^[0-9]{5}$') then date '1899-12-30' + cast({{ text }} as integer) end,
        cast(try_strptime({{ text }}, ['%B %Y', '%B, %Y', '%b %Y', '%m.%Y', '%Y-%m']) as date),
        case when regexp_matches({{ text }}, '(^|[^0-9])(1[89][0-9]{2}|20[0-9]{2})([^0-9]|$)')
            then make_date(cast(regexp_extract({{ text }}, '(1[89][0-9]{2}|20[0-9]{2})', 1) as integer), 1, 1) end
    )
{%- endmacro %}

{% macro hrdw_date_precision(expression) -%}
    {{ return(adapter.dispatch('hrdw_date_precision', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_date_precision(expression) -%}
    {%- set text = hrdw_date_text(expression) -%}
    case
        when try_strptime(left({{ text }}, 10), ['%Y-%m-%d', '%d.%m.%Y', '%d/%m/%Y']) is not null then 'day'
        when try_strptime({{ text }}, ['%B %d, %Y', '%b %d, %Y', '%d %B %Y', '%B %d %Y']) is not null then 'day'
        when regexp_matches({{ text }}, '^[0-9]{5}$') then 'day'
        when try_strptime({{ text }}, ['%B %Y', '%B, %Y', '%b %Y', '%m.%Y', '%Y-%m']) is not null then 'month'
        when regexp_matches({{ text }}, '(^|[^0-9])(1[89][0-9]{2}|20[0-9]{2})([^0-9]|$)') then 'year'
        else 'unknown'
    end
{%- endmacro %}
