{#- Shared by hrdw_stage_kobo_api and hrdw_stage_kobo_export. A Kobo form's raw table only has
    the columns its submissions or export actually carried (the API omits unanswered questions;
    an export may carry a select-multiple only as `Question/Option` 0/1 columns), so these
    helpers look at the raw table's real columns and never reference one that is not there. -#}

{#- Names of the raw table's columns (empty while dbt only parses the project). -#}
{% macro hrdw_kobo_existing_columns(source_relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(source_relation) -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}

{#- A double-quoted identifier and a single-quoted literal, for names taken from forms. -#}
{% macro hrdw_kobo_ident(name) -%}
    "{{ name | replace('"', '""') }}"
{%- endmacro %}

{% macro hrdw_kobo_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{#- A raw column by its own name: trimmed text, or null when the table has no such column. -#}
{% macro hrdw_kobo_named(existing, name) -%}
    {%- if name and name in existing -%}
        nullif(trim({{ hrdw_kobo_ident(name) }}), '')
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}

{#- A raw column by its canonical name, through the YAML `columns` mapping. -#}
{% macro hrdw_kobo_column(columns, canonical, existing) -%}
    {{ hrdw_kobo_named(existing, columns.get(canonical)) }}
{%- endmacro %}

{#- The `Question/Option` columns of a select-multiple question mapped as `canonical`. -#}
{% macro hrdw_kobo_option_columns(columns, canonical, existing) -%}
    {%- set found = [] -%}
    {%- set question = columns.get(canonical) -%}
    {%- if question -%}
        {%- set prefix = question ~ '/' -%}
        {%- for name in existing -%}
            {%- if name.startswith(prefix) and name | length > prefix | length -%}
                {%- do found.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- A select question as `|`-separated values: the options ticked (1) in its `Question/Option`
    columns when the export has them (labels may contain spaces, so these are unambiguous),
    else its own column, split on `separator` when `split` (a select-multiple's space-separated
    choice names) or taken whole (a select-one). -#}
{% macro hrdw_kobo_choices(columns, canonical, existing, separator=' ', split=true) -%}
    {%- set option_columns = hrdw_kobo_option_columns(columns, canonical, existing) -%}
    {%- set prefix_length = (columns.get(canonical) or '') | length + 1 -%}
    {%- set whole = hrdw_kobo_column(columns, canonical, existing) -%}
    coalesce(
        {%- if option_columns %}
        nullif(concat_ws(
            '|'
            {%- for name in option_columns %},
            case
                when lower(trim({{ hrdw_kobo_ident(name) }})) in ('1', '1.0', 'true')
                    then {{ hrdw_kobo_literal(name[prefix_length:]) }}
            end
            {%- endfor %}
        ), ''),
        {%- endif %}
        {% if split %}{{ hrdw_normalise_list(whole, separator) }}{% else %}{{ whole }}{% endif %}
    )
{%- endmacro %}

{#- Kobo's validation status, from the API's JSON object, an export's uid or an export's
    label: approved, not_approved, on_hold or null. -#}
{% macro hrdw_kobo_validation(expression) -%}
    case
        when lower({{ expression }}) like '%not_approved%' or lower({{ expression }}) like '%not approved%'
            then 'not_approved'
        when lower({{ expression }}) like '%approved%' then 'approved'
        when lower({{ expression }}) like '%on_hold%' or lower({{ expression }}) like '%on hold%' then 'on_hold'
    end
{%- endmacro %}

{#- Whether the record may be published: never when a reviewer marked it "Not approved"; with
    `options.publish_only_approved`, only when marked "Approved". -#}
{% macro hrdw_kobo_published(validation, options) -%}
    case
        when {{ validation }} = 'not_approved' then false
        {%- if options.get("publish_only_approved", false) %}
        when coalesce({{ validation }}, '') <> 'approved' then false
        {%- endif %}
        else true
    end
{%- endmacro %}

{#- `Organisation`-like roles make the victim an organization; everyone else is a person. -#}
{% macro hrdw_kobo_victim_kind(role) -%}
    case
        when {{ hrdw_regex_match("lower(coalesce(" ~ role ~ ", ''))", 'organi[sz]ation|media outlet|outlet') }}
            then 'organization'
        else 'person'
    end
{%- endmacro %}

{#- Warn (at run time) about mapped columns the raw table does not have: a typo in the YAML, or
    a question no submission answered yet. Staging then reads them as null. -#}
{% macro hrdw_kobo_warn_unmapped(source_relation, columns, existing) -%}
    {%- if execute -%}
        {%- for canonical, name in columns.items() -%}
            {%- if name not in existing and not hrdw_kobo_option_columns(columns, canonical, existing) -%}
                {%- do exceptions.warn(
                    "source " ~ source_relation ~ ": column " ~ name ~ " (mapped as " ~ canonical
                    ~ ") is not in the raw table; staging reads it as null"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- Latitude or longitude: the mapped `latitude`/`longitude` column; else an export's
    `_<geopoint>_latitude` column (with or without the group path); else the mapped `geopoint`
    ("lat lon altitude precision", space-separated); else the API's `_geolocation` ([lat, lon]). -#}
{% macro hrdw_kobo_coordinate(columns, existing, part) -%}
    {%- set index = 1 if part == 'latitude' else 2 -%}
    {%- set geopoint = columns.get('geopoint') -%}
    {%- set candidates = [] -%}
    {%- if geopoint -%}
        {%- set segments = geopoint.split('/') -%}
        {%- if segments | length > 1 -%}
            {%- do candidates.append((segments[:-1] | join('/')) ~ '/_' ~ segments[-1] ~ '_' ~ part) -%}
            {%- do candidates.append('_' ~ segments[-1] ~ '_' ~ part) -%}
        {%- endif -%}
        {%- do candidates.append('_' ~ geopoint ~ '_' ~ part) -%}
    {%- endif -%}
    {%- set geolocation = hrdw_kobo_named(existing, '_geolocation') -%}
    coalesce(
        {{ hrdw_kobo_column(columns, part, existing) }},
        {%- for name in candidates %}
        {{ hrdw_kobo_named(existing, name) }},
        {%- endfor %}
        nullif(split_part({{ hrdw_kobo_column(columns, 'geopoint', existing) }}, ' ', {{ index }}), ''),
        nullif(nullif(trim(split_part(replace(replace({{ geolocation }}, '[', ''), ']', ''), ',', {{ index }})), ''), 'null')
    )
{%- endmacro %}

{#- The staging contract for one Kobo form, API or export. `violations` is a select-multiple
    (space-separated choice names, or option columns); `perpetrator` a select-one taken whole
    (a label such as "State police" must not be split) unless it has option columns or
    `options.perpetrator_select_multiple` is true; `organization` is taken whole. -#}
{% macro hrdw_kobo_reports(source_relation, columns, options) -%}
{%- set existing = hrdw_kobo_existing_columns(source_relation) -%}
{%- do hrdw_kobo_warn_unmapped(source_relation, columns, existing) -%}
{%- set vocabulary = options.get("vocabulary", "kobo") -%}
{%- set separator = options.get("select_multiple_separator", " ") -%}
{%- set split_perpetrator = options.get("perpetrator_select_multiple", false) -%}
{%- set role = hrdw_kobo_column(columns, "victim_type", existing) -%}
{%- set validation = hrdw_kobo_validation(hrdw_kobo_named(existing, "_validation_status")) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

mapped as (
    select
        {{ hrdw_lineage_select() }},
        {{ hrdw_kobo_column(columns, "title", existing) }} as title,
        {{ hrdw_kobo_column(columns, "event_date", existing) }} as event_date_raw,
        {{ hrdw_kobo_column(columns, "country", existing) }} as country_raw,
        {{ hrdw_kobo_column(columns, "city", existing) }} as city,
        {{ hrdw_kobo_coordinate(columns, existing, "latitude") }} as latitude_raw,
        {{ hrdw_kobo_coordinate(columns, existing, "longitude") }} as longitude_raw,
        {{ hrdw_kobo_column(columns, "victim_name", existing) }} as victim_name,
        {{ hrdw_kobo_column(columns, "victim_name_original", existing) }} as victim_name_original,
        {{ hrdw_kobo_victim_kind(role) }} as victim_kind,
        {{ role }} as victim_role,
        {{ hrdw_kobo_column(columns, "victim_gender", existing) }} as victim_gender,
        {{ hrdw_kobo_choices(columns, "organization", existing, separator, false) }} as organization,
        {{ hrdw_kobo_literal(vocabulary) }} as violation_vocabulary,
        {{ hrdw_kobo_choices(columns, "violations", existing, separator, true) }} as violation_labels,
        cast(null as varchar) as violation_detail,
        {{ hrdw_kobo_literal(vocabulary) }} as perpetrator_vocabulary,
        {{ hrdw_kobo_choices(columns, "perpetrator", existing, separator, split_perpetrator) }} as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {{ hrdw_kobo_column(columns, "monitoring_status", existing) }} as monitoring_status,
        {{ hrdw_kobo_column(columns, "description", existing) }} as description,
        {{ hrdw_kobo_column(columns, "summary_for_publication", existing) }} as summary_for_publication,
        {{ hrdw_kobo_published(validation, options) }} as published_in_source,
        {{ hrdw_kobo_named(existing, columns.get("reported_at", "_submission_time")) }} as reported_at_raw
    from latest
)

{{ hrdw_typed_reports() }}
{%- endmacro %}
