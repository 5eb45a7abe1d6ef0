{#- KoboToolbox API v2 data.json submissions: XML names with group paths (`incident/date`), as
    the YAML `columns` mapping names them; select-multiple answers are space-separated choice
    names; geopoints "lat lon altitude precision" (canonical `geopoint`) or `_geolocation`
    [lat, lon]; `_validation_status` a JSON object (uid and label). Options: `vocabulary`
    (default "kobo"), `perpetrator_select_multiple`, `publish_only_approved`. Shared logic
    (identical for exports): hrdw_kobo_common.sql. -#}
{% macro hrdw_stage_kobo_api(source_relation, columns={}, options={}) -%}
{{ hrdw_kobo_reports(source_relation, columns, options) }}
{%- endmacro %}
