{#- ODK Central CSV export (submissions.csv.zip): group paths joined by '-' (`incident-date`),
    geopoints split into `<field>-Latitude` / `-Longitude` (map `latitude` and `longitude`), and each
    repeat carried on its parent row as a JSON array column named after the repeat.

    With `victims_repeat: <repeat column>` in the YAML columns, each element of that array is one
    victim and becomes one report: mappings written `<repeat>/<field>` (e.g. victim_name:
    victims/name) read the element, the others read the submission, and the report's
    source_record_id is the repeat row's KEY (`uuid:.../victims[2]`, which starts with the
    submission's key). A submission without victims still gives one report, keyed by its KEY, and
    its `victims_issue` says so (as does a mapped `victim_count` differing from the repeat rows).
    The reports of one submission share its key as `incident_key`: one incident, several victims. -#}
{% macro hrdw_stage_odk_csv_zip(source_relation, columns={}, options={}) -%}
{%- set repeat = columns.get("victims_repeat") -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

{% if repeat -%}
{{ hrdw_repeat_reports(repeat) }},
{%- else -%}
reports as (
    select * from latest
),
{%- endif %}

mapped as (
    select
        _source as source_name,
        {% if repeat -%}
        coalesce({{ hrdw_odk_json_text('repeat_element', 'KEY') }}, _source_record_id) as source_record_id,
        _source_record_id as odk_submission_key,
        {{ hrdw_victims_issue(
            repeat, victim_count=hrdw_odk_field(columns, "victim_count", none, present, options.get("value_maps", {}))
            if "victim_count" in columns else none
        ) }} as victims_issue,
        {%- else -%}
        _source_record_id as source_record_id,
        {%- endif %}
        _source_file as source_file,
        _source_row as source_row,
        _batch_id as batch_id,
        _loaded_at as loaded_at,
        _record_hash as record_hash,
        {{ hrdw_odk_report_columns(
            columns, options, review_state=adapter.quote("ReviewState"), element=('repeat_element' if repeat else none),
            submitted_at="nullif(trim(" ~ adapter.quote("SubmissionDate") ~ "), '')", present=present
        ) }}
    from reports
)

{#- the victims of one submission are one incident: clustering keeps their reports together -#}
{{ hrdw_typed_reports(
    incident_key='odk_submission_key' if repeat else none,
    victims_issue='victims_issue' if repeat else none
) }}
{%- endmacro %}
