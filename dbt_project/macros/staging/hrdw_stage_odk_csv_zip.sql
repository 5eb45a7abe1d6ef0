{#- ODK Central CSV export (submissions.csv.zip): group paths joined by '-' (`incident-date`),
    geopoints split into `<field>-Latitude` / `-Longitude` (map `latitude` and `longitude`), and each
    repeat carried on its parent row as a JSON array column named after the repeat.

    With `victims_repeat: <repeat column>` in the YAML columns, each element of that array is one
    victim and becomes one report: mappings written `<repeat>/<field>` (e.g. victim_name:
    victims/name) read the element, the others read the submission, and the report's
    source_record_id is the repeat row's KEY (`uuid:.../victims[2]`, which starts with the
    submission's key). A submission without victims still gives one report, keyed by its KEY, and
    its `victims_issue` says so (as does a mapped `victim_count` differing from the repeat rows).
    The reports of one submission share its key as `incident_key`: one incident, several victims
    (hrdw_odk_reports, shared with odk_odata). -#}
{% macro hrdw_stage_odk_csv_zip(source_relation, columns={}, options={}) -%}
{{ hrdw_odk_reports(
    source_relation, columns, options,
    review_state=adapter.quote("ReviewState"),
    submitted_at="nullif(trim(" ~ adapter.quote("SubmissionDate") ~ "), '')",
    repeat_row_key="KEY"
) }}
{%- endmacro %}
