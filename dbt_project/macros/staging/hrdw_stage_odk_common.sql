{#- What the two ODK Central kinds (odk_odata, odk_csv_zip) share: the YAML `columns` mapping
    names the form's columns (OData: `incident/date`; CSV export: `incident-date`), select-multiple
    answers are space-separated choice names, the review state and a soft delete decide whether
    the record counts as published in the source. A `columns` entry is a name or a list of aliases
    (renamed between form versions); every answer goes through the "other" fallback (a
    `<question>_other` column, or `<canonical>_other` mapped) and `value_maps` exactly as for every
    kind (hrdw_mapped_value, hrdw_mapped_list). -#}

{#- The text of one key of a JSON object (null when absent or JSON null). -#}
{% macro hrdw_odk_json_text(expression, key) -%}
    {{ return(adapter.dispatch('hrdw_odk_json_text', 'hrdw')(expression, key)) }}
{%- endmacro %}
{% macro duckdb__hrdw_odk_json_text(expression, key) -%}
    json_extract_string({{ expression }}, '$."{{ key | replace("'", "''") | replace('"', '') }}"')
{%- endmacro %}
{% macro default__hrdw_odk_json_text(expression, key) -%}
    (cast({{ expression }} as jsonb) ->> '{{ key | replace("'", "''") }}')
{%- endmacro %}

{#- The raw value and the "other" free text of a canonical column: [value, other], each an
    expression or none. A header written `<victims_repeat>/<field>` is read from the repeat
    element's key `<field>` (an error when the kind has no element); the others from the form's
    own columns, which must exist. The free text: `<canonical>_other` when mapped, else
    `<field>_other` in the element, else `<header>_other` among `present` (the real columns). -#}
{% macro hrdw_odk_value_and_other(columns, canonical, element=none, present=[]) -%}
    {%- set repeat = columns.get("victims_repeat") -%}
    {%- set prefix = (repeat ~ "/") if repeat else none -%}
    {%- set headers = hrdw_headers(columns, canonical) -%}
    {%- set mapped_others = hrdw_headers(columns, canonical ~ "_other") -%}
    {%- set values, others, plain = [], [], [] -%}
    {%- for header in headers -%}
        {%- if prefix and header.startswith(prefix) -%}
            {%- if element is none -%}
                {{ exceptions.raise_compiler_error(
                    "column " ~ canonical ~ ": " ~ header ~ " reads the repeat " ~ repeat
                    ~ ", which this connector kind does not carry") }}
            {%- endif -%}
            {%- do values.append("nullif(trim(" ~ hrdw_odk_json_text(element, header[prefix | length:]) ~ "), '')") -%}
            {%- do others.append("nullif(trim(" ~ hrdw_odk_json_text(element, header[prefix | length:] ~ "_other") ~ "), '')") -%}
        {%- else -%}
            {%- do plain.append(header) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if plain -%}
        {%- do values.append(hrdw_header_value(plain)) -%}
        {%- set plain_others = hrdw_other_headers({canonical: plain}, canonical, present) -%}
        {%- if plain_others -%}
            {%- do others.append(hrdw_header_value(plain_others)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if mapped_others -%}
        {%- set others = [hrdw_odk_value_and_other(columns, canonical ~ "_other", element, [])[0]] -%}
    {%- endif -%}
    {{ return([
        none if not values else (values[0] if values | length == 1 else "coalesce(" ~ values | join(", ") ~ ")"),
        none if not others else (others[0] if others | length == 1 else "coalesce(" ~ others | join(", ") ~ ")")
    ]) }}
{%- endmacro %}

{#- A canonical column as staging reads it (hrdw_odk_value_and_other, the "other" fallback,
    `value_maps`), or null when unmapped. -#}
{% macro hrdw_odk_field(columns, canonical, element=none, present=[], maps={}) -%}
    {%- set value, other = hrdw_odk_value_and_other(columns, canonical, element, present) -%}
    {{ "cast(null as varchar)" if value is none else hrdw_mapped_value(value, canonical, other, maps) }}
{%- endmacro %}

{#- A multi-valued canonical column (select-multiple) as staging reads it (hrdw_mapped_list). -#}
{% macro hrdw_odk_list(columns, canonical, separator, element=none, present=[], maps={}) -%}
    {%- set value, other = hrdw_odk_value_and_other(columns, canonical, element, present) -%}
    {{ "cast(null as varchar)" if value is none else hrdw_mapped_list(value, canonical, separator, other, maps) }}
{%- endmacro %}

{#- One coordinate of a point written as GeoJSON (OData default), WKT (OData `$wkt=true`) or
    ODK's own "lat lon alt accuracy" text. axis 'x' is the longitude, 'y' the latitude. -#}
{% macro hrdw_odk_coordinate(expression, axis) -%}
    {%- set xy = 1 if axis == 'x' else 2 -%}
    case
        when {{ expression }} like '%"coordinates"%'
            then nullif(trim(split_part(split_part(split_part(split_part(
                {{ expression }}, '"coordinates"', 2), '[', 2), ']', 1), ',', {{ xy }})), '')
        when upper(trim({{ expression }})) like 'POINT%'
            then nullif(trim(split_part(trim(split_part(split_part(
                {{ expression }}, '(', 2), ')', 1)), ' ', {{ xy }})), '')
        when {{ hrdw_regex_match("trim(" ~ expression ~ ")", '^-?[0-9.]+ +-?[0-9.]+') }}
            then nullif(split_part(trim({{ expression }}), ' ', {{ 3 - xy }}), '')
    end
{%- endmacro %}

{#- The mapped report columns, title .. reported_at_raw, in the order hrdw_typed_reports wants.
    deleted_at / review_state / submitted_at are SQL expressions (OData __system columns; the CSV export's
    ReviewState, and deleted_at none: the export has no deleted submissions); element is the JSON
    repeat element, if any. -#}
{% macro hrdw_odk_report_columns(
    columns, options, review_state, deleted_at=none, element=none, submitted_at=none, present=[]
) -%}
    {%- set maps = options.get("value_maps", {}) -%}
    {%- set vocabulary = options.get("vocabulary", "odk") | replace("'", "''") -%}
    {%- set separator = options.get("multi_value_separator", " ") -%}
    {%- set unpublished = [] -%}
    {%- for state in options.get("unpublished_review_states", "rejected").split(",") if state.strip() -%}
        {%- do unpublished.append("'" ~ (state.strip() | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- set role = hrdw_odk_field(columns, "victim_type", element, present, maps) -%}
    {%- set status = hrdw_odk_field(columns, "monitoring_status", element, present, maps) -%}
    {%- set geolocation = hrdw_odk_field(columns, "geolocation", element, present, maps) -%}
        {{ hrdw_odk_field(columns, "title", element, present, maps) }} as title,
        {{ hrdw_odk_field(columns, "event_date", element, present, maps) }} as event_date_raw,
        {{ hrdw_odk_field(columns, "country", element, present, maps) }} as country_raw,
        {{ hrdw_odk_field(columns, "city", element, present, maps) }} as city,
        {% if "latitude" in columns -%}
        {{ hrdw_odk_field(columns, "latitude", element, present, maps) }} as latitude_raw,
        {{ hrdw_odk_field(columns, "longitude", element, present, maps) }} as longitude_raw,
        {%- else -%}
        {{ hrdw_odk_coordinate(geolocation, 'y') }} as latitude_raw,
        {{ hrdw_odk_coordinate(geolocation, 'x') }} as longitude_raw,
        {%- endif %}
        {{ hrdw_odk_field(columns, "victim_name", element, present, maps) }} as victim_name,
        {{ hrdw_odk_field(columns, "victim_name_original", element, present, maps) }} as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ role ~ ", ''))", 'organi[sz]ation|outlet|media_house') }}
                then 'organization'
            else 'person'
        end as victim_kind,
        {{ role }} as victim_role,
        {{ hrdw_odk_field(columns, "victim_gender", element, present, maps) }} as victim_gender,
        {{ hrdw_odk_field(columns, "organization", element, present, maps) }} as organization,
        '{{ vocabulary }}' as violation_vocabulary,
        {{ hrdw_odk_list(columns, "violations", separator, element, present, maps) }} as violation_labels,
        {{ hrdw_odk_field(columns, "violation_detail", element, present, maps) }} as violation_detail,
        '{{ vocabulary }}' as perpetrator_vocabulary,
        {{ hrdw_odk_list(columns, "perpetrator", separator, element, present, maps) }} as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {% if deleted_at is not none -%}
        case
            when {{ deleted_at }} is not null then coalesce({{ status }}, 'Deleted in source')
            else {{ status }}
        end as monitoring_status,
        {%- else -%}
        {{ status }} as monitoring_status,
        {%- endif %}
        {{ hrdw_odk_field(columns, "description", element, present, maps) }} as description,
        {{ hrdw_odk_field(columns, "summary_for_publication", element, present, maps) }} as summary_for_publication,
        (
            {% if deleted_at is not none -%}
            {{ deleted_at }} is null and
            {% endif -%}
            coalesce({{ review_state }}, '') not in ({{ unpublished | join(', ') if unpublished else "''" }})
            {%- if "published" in columns %}
            and coalesce(lower({{ hrdw_odk_field(columns, "published", element, present, maps) }})
                in ('yes', 'true', '1', 'published', 'public'), false)
            {%- endif %}
        ) as published_in_source,
        {{ submitted_at if submitted_at else 'cast(null as varchar)' }} as reported_at_raw
{%- endmacro %}

{#- The whole staging model of an ODK Central kind, from `latest` to the typed contract.
    review_state / submitted_at / deleted_at: as for hrdw_odk_report_columns. With
    `victims_repeat: <repeat column>` in the YAML columns (the column holding the repeat as a JSON
    array of row objects), each element is one victim and becomes one report: mappings written
    `<repeat>/<field>` read the element's key `<field>`, the others read the submission; the
    report's source_record_id is the element's `repeat_row_key` when given and set (the CSV
    export's KEY), else `<submission key>/<repeat>[n]` (n 1-based in array order). A submission
    without elements (or a raw table without the column yet) gives one report under its own key,
    and its `victims_issue` says so (as does a mapped `victim_count` differing from the elements).
    The reports of one submission share its key as `incident_key`: one incident, several victims. -#}
{% macro hrdw_odk_reports(
    source_relation, columns, options, review_state, submitted_at, deleted_at=none, repeat_row_key=none
) -%}
{%- set repeat = columns.get("victims_repeat") -%}
{%- if repeat is not none and repeat is not string -%}
    {{ exceptions.raise_compiler_error("victims_repeat names one repeat group (a path such as victims), not a list") }}
{%- endif -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
{%- set position_key = "_source_record_id || " ~ hrdw_sql_string("/" ~ repeat ~ "[")
    ~ " || cast(repeat_position as varchar) || ']'" -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

{{ hrdw_repeat_reports(repeat, present) }},

mapped as (
    select
        _source as source_name,
        {% if repeat -%}
        case
            when repeat_position is null then _source_record_id
            {%- if repeat_row_key %}
            else coalesce({{ hrdw_odk_json_text('repeat_element', repeat_row_key) }}, {{ position_key }})
            {%- else %}
            else {{ position_key }}
            {%- endif %}
        end as source_record_id,
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
            columns, options, review_state=review_state, deleted_at=deleted_at,
            element=('repeat_element' if repeat else none), submitted_at=submitted_at, present=present
        ) }}
    from reports
)

{#- the victims of one submission are one incident: clustering keeps their reports together -#}
{{ hrdw_typed_reports(
    incident_key='odk_submission_key' if repeat else none,
    victims_issue='victims_issue' if repeat else none
) }}
{%- endmacro %}
