{#- ODK Central CSV export (submissions.csv.zip): group paths joined by '-' (`incident-date`),
    geopoints split into `<field>-Latitude` / `-Longitude` (map `latitude` and `longitude`), and each
    repeat carried on its parent row as a JSON array column named after the repeat.

    With `victims_repeat: <repeat column>` in the YAML columns, each element of that array is one
    victim and becomes one report: mappings written `<repeat>/<field>` (e.g. victim_name:
    victims/name) read the element, the others read the submission, and the report's
    source_record_id is the repeat row's KEY (`uuid:.../victims[2]`, which starts with the
    submission's key). A submission without victims still gives one report, keyed by its KEY.
    The reports of one submission share its key as `incident_key`: one incident, several victims. -#}
{% macro hrdw_stage_odk_csv_zip(source_relation, columns={}, options={}) -%}
{%- set repeat = columns.get("victims_repeat") -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

{% if repeat -%}
odk_victims as (
    select
        _source_record_id as odk_parent_id,
        {{ hrdw_odk_json_array_rows(adapter.quote(repeat)) }} as odk_victim
    from latest
    where nullif(trim({{ adapter.quote(repeat) }}), '') is not null
),

reports as (
    select
        latest.*,
        odk_victims.odk_victim
    from latest
    left join odk_victims
        on latest._source_record_id = odk_victims.odk_parent_id
),
{%- else -%}
reports as (
    select * from latest
),
{%- endif %}

mapped as (
    select
        _source as source_name,
        {% if repeat -%}
        coalesce({{ hrdw_odk_json_text('odk_victim', 'KEY') }}, _source_record_id) as source_record_id,
        _source_record_id as odk_submission_key,
        {%- else -%}
        _source_record_id as source_record_id,
        {%- endif %}
        _source_file as source_file,
        _source_row as source_row,
        _batch_id as batch_id,
        _loaded_at as loaded_at,
        _record_hash as record_hash,
        {{ hrdw_odk_report_columns(
            columns, options, review_state=adapter.quote("ReviewState"), element=('odk_victim' if repeat else none),
            submitted_at="nullif(trim(" ~ adapter.quote("SubmissionDate") ~ "), '')"
        ) }}
    from reports
)

{#- the victims of one submission are one incident: clustering keeps their reports together -#}
{{ hrdw_typed_reports(incident_key='odk_submission_key' if repeat else none) }}
{%- endmacro %}
