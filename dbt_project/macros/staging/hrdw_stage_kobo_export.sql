{#- KoboToolbox CSV/XLSX exports: XML names (with or without group paths) or labels as headers,
    as the YAML `columns` mapping names them. A select-multiple mapped as `violations: Q` is read
    from its `Q/<option>` 0/1 columns when the export has them (labels there may contain
    spaces), else from `Q` split on `options.select_multiple_separator` (default a space);
    geopoints from `_<name>_latitude`/`_longitude` or the geopoint column; `_validation_status`
    as uid (`validation_status_approved`) or label (`Approved`). Options as for the API kind.
    Shared logic: hrdw_kobo_common.sql. -#}
{% macro hrdw_stage_kobo_export(source_relation, columns={}, options={}) -%}
{{ hrdw_kobo_reports(source_relation, columns, options) }}
{%- endmacro %}
