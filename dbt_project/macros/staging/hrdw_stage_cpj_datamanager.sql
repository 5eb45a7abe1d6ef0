{#- CPJ datamanager reports/entries JSON: `country` is the country and `location` the place. -#}
{% macro hrdw_stage_cpj_datamanager(source_relation, columns={}, options={}) -%}
    {{ hrdw_stage_cpj_json(source_relation, country_column='country', city_column='location', options=options) }}
{%- endmacro %}
