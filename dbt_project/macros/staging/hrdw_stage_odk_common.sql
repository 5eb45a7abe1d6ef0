{#- What the two ODK Central kinds (odk_odata, odk_csv_zip) share: the YAML `columns` mapping
    names the form's columns (OData: `incident/date`; CSV export: `incident-date`), select-multiple
    answers are space-separated choice names, the review state and a soft delete decide whether
    the record counts as published in the source. -#}

{#- One row per element of a JSON array held as text (for use in a select list). -#}
{% macro hrdw_odk_json_array_rows(expression) -%}
    {{ return(adapter.dispatch('hrdw_odk_json_array_rows', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_odk_json_array_rows(expression) -%}
    unnest(cast(json_extract({{ expression }}, '$[*]') as json[]))
{%- endmacro %}
{% macro default__hrdw_odk_json_array_rows(expression) -%}
    jsonb_array_elements(cast({{ expression }} as jsonb))
{%- endmacro %}

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

{#- A canonical column: from the repeat element when the mapping reads `<victims_repeat>/<field>`,
    otherwise the form's own column (hrdw_column). -#}
{% macro hrdw_odk_field(columns, canonical, element=none) -%}
    {%- set repeat = columns.get("victims_repeat") -%}
    {%- set target = columns.get(canonical) -%}
    {%- if target and repeat and target.startswith(repeat ~ "/") -%}
        {%- if element is none -%}
            {{ exceptions.raise_compiler_error(
                "column " ~ canonical ~ ": " ~ target ~ " reads the repeat " ~ repeat
                ~ ", which this connector kind does not carry") }}
        {%- endif -%}
        nullif(trim({{ hrdw_odk_json_text(element, target[(repeat | length) + 1:]) }}), '')
    {%- else -%}
        {{ hrdw_column(columns, canonical) }}
    {%- endif -%}
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
{% macro hrdw_odk_report_columns(columns, options, review_state, deleted_at=none, element=none, submitted_at=none) -%}
    {%- set vocabulary = options.get("vocabulary", "odk") | replace("'", "''") -%}
    {%- set separator = options.get("multi_value_separator", " ") -%}
    {%- set unpublished = [] -%}
    {%- for state in options.get("unpublished_review_states", "rejected").split(",") if state.strip() -%}
        {%- do unpublished.append("'" ~ (state.strip() | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- set role = hrdw_odk_field(columns, "victim_type", element) -%}
    {%- set status = hrdw_odk_field(columns, "monitoring_status", element) -%}
    {%- set geolocation = hrdw_odk_field(columns, "geolocation", element) -%}
        {{ hrdw_odk_field(columns, "title", element) }} as title,
        {{ hrdw_odk_field(columns, "event_date", element) }} as event_date_raw,
        {{ hrdw_odk_field(columns, "country", element) }} as country_raw,
        {{ hrdw_odk_field(columns, "city", element) }} as city,
        {% if "latitude" in columns -%}
        {{ hrdw_odk_field(columns, "latitude", element) }} as latitude_raw,
        {{ hrdw_odk_field(columns, "longitude", element) }} as longitude_raw,
        {%- else -%}
        {{ hrdw_odk_coordinate(geolocation, 'y') }} as latitude_raw,
        {{ hrdw_odk_coordinate(geolocation, 'x') }} as longitude_raw,
        {%- endif %}
        {{ hrdw_odk_field(columns, "victim_name", element) }} as victim_name,
        {{ hrdw_odk_field(columns, "victim_name_original", element) }} as victim_name_original,
        case
            when {{ hrdw_regex_match("lower(coalesce(" ~ role ~ ", ''))", 'organi[sz]ation|outlet|media_house') }}
                then 'organization'
            else 'person'
        end as victim_kind,
        {{ role }} as victim_role,
        {{ hrdw_odk_field(columns, "victim_gender", element) }} as victim_gender,
        {{ hrdw_odk_field(columns, "organization", element) }} as organization,
        '{{ vocabulary }}' as violation_vocabulary,
        {{ hrdw_normalise_list(hrdw_odk_field(columns, "violations", element), separator) }} as violation_labels,
        {{ hrdw_odk_field(columns, "violation_detail", element) }} as violation_detail,
        '{{ vocabulary }}' as perpetrator_vocabulary,
        {{ hrdw_normalise_list(hrdw_odk_field(columns, "perpetrator", element), separator) }} as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {% if deleted_at is not none -%}
        case
            when {{ deleted_at }} is not null then coalesce({{ status }}, 'Deleted in source')
            else {{ status }}
        end as monitoring_status,
        {%- else -%}
        {{ status }} as monitoring_status,
        {%- endif %}
        {{ hrdw_odk_field(columns, "description", element) }} as description,
        {{ hrdw_odk_field(columns, "summary_for_publication", element) }} as summary_for_publication,
        (
            {% if deleted_at is not none -%}
            {{ deleted_at }} is null and
            {% endif -%}
            coalesce({{ review_state }}, '') not in ({{ unpublished | join(', ') if unpublished else "''" }})
            {%- if "published" in columns %}
            and coalesce(lower({{ hrdw_odk_field(columns, "published", element) }})
                in ('yes', 'true', '1', 'published', 'public'), false)
            {%- endif %}
        ) as published_in_source,
        {{ submitted_at if submitted_at else 'cast(null as varchar)' }} as reported_at_raw
{%- endmacro %}
