{#- KoboToolbox CSV/XLSX exports: XML names (with or without group paths) or labels as headers,
    as the YAML `columns` mapping names them. A select-multiple mapped as `violations: Q` is read
    from its `Q/<option>` 0/1 columns when the export has them (labels there may contain
    spaces), else from `Q` split on `options.select_multiple_separator` (default a space);
    geopoints from `_<name>_latitude`/`_longitude` or the geopoint column; `_validation_status`
    as uid (`validation_status_approved`) or label (`Approved`). Options as for the API kind.
    A repeat group is not in the table this kind reads (Kobo puts it in a sheet or file of its
    own, which the connector does not read): `victims_repeat` is an error here, never silence;
    read such a form with the kobo_api kind. Shared logic: hrdw_kobo_common.sql. -#}
{% macro hrdw_stage_kobo_export(source_relation, columns={}, options={}) -%}
{%- if columns.get("victims_repeat") -%}
    {{ exceptions.raise_compiler_error(
        "victims_repeat: the kobo_export kind does not read repeat groups (an export carries them in "
        ~ "sheets of their own); read this form with the kobo_api kind") }}
{%- endif -%}
{{ hrdw_kobo_reports(source_relation, columns, options) }}
{%- endmacro %}
