{#- CPJ people_list JSON: `location` holds the country; there is no place. -#}
{% macro hrdw_stage_cpj_people_list(source_relation, columns={}, options={}) -%}
    {{ hrdw_stage_cpj_json(source_relation, country_column='location', city_column=none, options=options) }}
{%- endmacro %}
