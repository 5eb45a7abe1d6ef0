{#- ODK Central OData Submissions: groups flattened to `group/field` columns, `__system/*`
    metadata on every row. A submission soft-deleted in Central arrives with
    `__system/deletedAt` set: it is kept, marked not published in the source, and its
    monitoring_status says 'Deleted in source' unless the form's mapped status has a value.
    Repeats are not followed by this kind (use odk_csv_zip and `victims_repeat`). -#}
{% macro hrdw_stage_odk_odata(source_relation, columns={}, options={}) -%}
{%- if columns.get("victims_repeat") -%}
    {{ exceptions.raise_compiler_error(
        "victims_repeat: the odk_odata kind does not follow repeats; use the odk_csv_zip kind") }}
{%- endif -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
{%- set deleted_at = "nullif(trim(" ~ adapter.quote("__system/deletedAt") ~ "), '')" -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        {{ hrdw_odk_report_columns(
            columns, options, deleted_at=deleted_at, review_state=adapter.quote("__system/reviewState"),
            submitted_at="nullif(trim(" ~ adapter.quote("__system/submissionDate") ~ "), '')", present=present
        ) }}
    from latest
)

{{ hrdw_typed_reports() }}
{%- endmacro %}
