{#- ODK Central OData Submissions: groups flattened to `group/field` columns, `__system/*`
    metadata on every row. A submission soft-deleted in Central arrives with
    `__system/deletedAt` set: it is kept, marked not published in the source, and its
    monitoring_status says 'Deleted in source' unless the form's mapped status has a value.

    With `victims_repeat: <repeat path>` in the YAML columns (`victims`, or `incident/victims`
    inside a group), the connector asks Central for `$expand=*` and lands the repeat as a JSON
    array column named by its path (each row's groups flattened to `group/field` keys). Each
    element is one victim and becomes one report, exactly as for odk_csv_zip (hrdw_odk_reports):
    mappings written `<repeat>/<field>` (victim_name: victims/name) read the element, the others the
    submission; source_record_id is `<submission __id>/<repeat>[n]` (n 1-based in Central's order),
    incident_key the submission's __id; a submission without repeat rows is one report under its
    own __id with `victims_issue` saying so, as does a mapped `victim_count` that differs.
    A victims_repeat that is not one path is refused when the YAML is read (and here). -#}
{% macro hrdw_stage_odk_odata(source_relation, columns={}, options={}) -%}
{{ hrdw_odk_reports(
    source_relation, columns, options,
    review_state=adapter.quote("__system/reviewState"),
    submitted_at="nullif(trim(" ~ adapter.quote("__system/submissionDate") ~ "), '')",
    deleted_at="nullif(trim(" ~ adapter.quote("__system/deletedAt") ~ "), '')"
) }}
{%- endmacro %}
