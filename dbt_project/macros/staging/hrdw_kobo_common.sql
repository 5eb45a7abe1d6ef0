{#- Shared by hrdw_stage_kobo_api and hrdw_stage_kobo_export. A Kobo form's raw table only has
    the columns its submissions or export actually carried (the API omits unanswered questions;
    an export may carry a select-multiple only as `Question/Option` 0/1 columns), so these
    helpers look at the raw table's real columns and never reference one that is not there.
    A `columns` entry is a name or a list of aliases (a form whose questions were renamed between
    versions has both in raw; the first non-empty wins); every answer goes through the "other"
    fallback and `value_maps` exactly as for every kind (hrdw_mapped_value, hrdw_mapped_list). -#}

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

{#- The raw text of the first non-empty of `headers` (none when nothing can be read). A header
    under the victims repeat (`victim/name` with `victims_repeat: victim`; nested:
    `incident/victim/name` with `victims_repeat: incident/victim`) is read from the key of the same
    full path of `element` (the repeat row's JSON object, as Kobo's data.json writes it), then from
    the submission's own column of that name (an older form version's plain group). -#}
{% macro hrdw_kobo_raw(columns, headers, existing, element=none) -%}
    {%- set repeat = columns.get("victims_repeat") -%}
    {%- set reads = [] -%}
    {%- if element is not none and repeat -%}
        {%- for header in headers if header.startswith(repeat ~ "/") -%}
            {%- do reads.append("nullif(trim(" ~ hrdw_odk_json_text(element, header) ~ "), '')") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for header in headers if header in existing -%}
        {%- do reads.append(hrdw_kobo_named(existing, header)) -%}
    {%- endfor -%}
    {%- if reads | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(reads[0] if reads | length == 1 else "coalesce(" ~ reads | join(", ") ~ ")") }}
{%- endmacro %}

{#- The raw value and the "other" free text of a canonical column: [value, other], each an
    expression or none. The free text is the `<canonical>_other` mapping, else `<header>_other`
    (Kobo's name for an "or other" question, `incident/country_other`; inside a repeat row too). -#}
{% macro hrdw_kobo_value_and_other(columns, canonical, existing, element=none) -%}
    {%- set headers = hrdw_headers(columns, canonical) -%}
    {%- set others = hrdw_headers(columns, canonical ~ "_other") -%}
    {%- if not others -%}
        {%- for header in headers -%}
            {%- do others.append(header ~ "_other") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return([hrdw_kobo_raw(columns, headers, existing, element), hrdw_kobo_raw(columns, others, existing, element)]) }}
{%- endmacro %}

{#- A canonical column of a Kobo form as staging reads it: its value (hrdw_kobo_raw), the "other"
    fallback and its `value_maps` entry; null when it cannot be read. -#}
{% macro hrdw_kobo_field(columns, canonical, existing, maps={}, element=none) -%}
    {%- set value, other = hrdw_kobo_value_and_other(columns, canonical, existing, element) -%}
    {%- if value is none -%}
        cast(null as varchar)
    {%- else -%}
        {{ hrdw_mapped_value(value, canonical, other, maps) }}
    {%- endif -%}
{%- endmacro %}

{#- The `Question/Option` columns of a select-multiple question mapped as `canonical` (any of its
    aliases): [column, option] pairs. -#}
{% macro hrdw_kobo_option_columns(columns, canonical, existing) -%}
    {%- set found = [] -%}
    {%- for question in hrdw_headers(columns, canonical) -%}
        {%- set prefix = question ~ '/' -%}
        {%- for name in existing -%}
            {%- if name.startswith(prefix) and name | length > prefix | length -%}
                {%- do found.append([name, name[prefix | length:]]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#- A select question as `|`-separated values: the options ticked (1) in its `Question/Option`
    columns when the export has them (labels may contain spaces, so these are unambiguous),
    else its own column, split on `separator` when `split` (a select-multiple's space-separated
    choice names) or taken whole (a select-one). `other` is replaced by the "other" free text and
    values go through `value_maps`, element by element for a list. -#}
{% macro hrdw_kobo_choices(columns, canonical, existing, maps={}, separator=' ', split=true, element=none) -%}
    {%- set option_columns = hrdw_kobo_option_columns(columns, canonical, existing) -%}
    {%- set value, other = hrdw_kobo_value_and_other(columns, canonical, existing, element) -%}
    {%- set whole = value if value is not none else "cast(null as varchar)" -%}
    coalesce(
        {%- if option_columns %}
        {{ hrdw_mapped_list(
            "concat_ws('|'" ~ hrdw_kobo_ticked(option_columns) ~ ")", canonical, "|", other, maps
        ) }},
        {%- endif %}
        {% if split %}{{ hrdw_mapped_list(whole, canonical, separator, other, maps) }}
        {%- else %}{{ hrdw_mapped_value(whole, canonical, other, maps) }}{% endif %}
    )
{%- endmacro %}

{#- `, <option or null>` for each [column, option] pair: the option when its column says 1. -#}
{% macro hrdw_kobo_ticked(option_columns) -%}
    {%- for name, option in option_columns -%}
        , case when lower(trim({{ hrdw_kobo_ident(name) }})) in ('1', '1.0', 'true') then {{ hrdw_kobo_literal(option) }} end
    {%- endfor -%}
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
    a question no submission answered yet. Staging then reads them as null. A column under the
    victims repeat is found when the repeat is; of a list of aliases, one found is enough. -#}
{% macro hrdw_kobo_warn_unmapped(source_relation, columns, existing) -%}
    {%- set repeat = columns.get("victims_repeat") -%}
    {%- if execute -%}
        {%- for canonical in columns -%}
            {%- set found = [] -%}
            {%- for name in hrdw_headers(columns, canonical) -%}
                {%- if name in existing or (repeat and repeat in existing and name.startswith(repeat ~ "/")) -%}
                    {%- do found.append(name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if not found and not hrdw_kobo_option_columns(columns, canonical, existing) -%}
                {%- do exceptions.warn(
                    "source " ~ source_relation ~ ": column " ~ (hrdw_headers(columns, canonical) | join(" / "))
                    ~ " (mapped as " ~ canonical ~ ") is not in the raw table; staging reads it as null"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- Latitude or longitude: the mapped `latitude`/`longitude` column; else an export's
    `_<geopoint>_latitude` column (with or without the group path); else the mapped `geopoint`
    ("lat lon altitude precision", space-separated); else the API's `_geolocation` ([lat, lon]). -#}
{% macro hrdw_kobo_coordinate(columns, existing, part, element=none) -%}
    {%- set index = 1 if part == 'latitude' else 2 -%}
    {%- set candidates = [] -%}
    {%- for geopoint in hrdw_headers(columns, 'geopoint') -%}
        {%- set segments = geopoint.split('/') -%}
        {%- if segments | length > 1 -%}
            {%- do candidates.append((segments[:-1] | join('/')) ~ '/_' ~ segments[-1] ~ '_' ~ part) -%}
            {%- do candidates.append('_' ~ segments[-1] ~ '_' ~ part) -%}
        {%- endif -%}
        {%- do candidates.append('_' ~ geopoint ~ '_' ~ part) -%}
    {%- endfor -%}
    {%- set geolocation = hrdw_kobo_named(existing, '_geolocation') -%}
    coalesce(
        {{ hrdw_kobo_field(columns, part, existing, {}, element) }},
        {%- for name in candidates %}
        {{ hrdw_kobo_named(existing, name) }},
        {%- endfor %}
        nullif(split_part({{ hrdw_kobo_field(columns, 'geopoint', existing, {}, element) }}, ' ', {{ index }}), ''),
        nullif(nullif(trim(split_part(replace(replace({{ geolocation }}, '[', ''), ']', ''), ',', {{ index }})), ''), 'null')
    )
{%- endmacro %}

{#- Whether the submission names a victim outside the victims repeat (an older form version's
    plain group, `victim/name`): a boolean expression over the submission's own columns. -#}
{% macro hrdw_kobo_plain_victim(columns, existing) -%}
    {%- set reads = [] -%}
    {%- for canonical in ["victim_name", "victim_name_original", "victim_type", "victim_gender"] -%}
        {%- set value = hrdw_kobo_raw(columns, hrdw_headers(columns, canonical), existing) -%}
        {%- if value is not none -%}
            {%- do reads.append(value) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ ("coalesce(" ~ reads | join(", ") ~ ", null) is not null") if reads else "false" }}
{%- endmacro %}

{#- The staging contract for one Kobo form, API or export. `violations` is a select-multiple
    (space-separated choice names, or option columns); `perpetrator` a select-one taken whole
    (a label such as "State police" must not be split) unless it has option columns or
    `options.perpetrator_select_multiple` is true; `organization` is taken whole.

    With `victims_repeat: <repeat path>` in the YAML columns (the API kind only: `victim`, or
    `incident/victim` inside a group), each row of the repeat (a list of objects whose keys carry
    the full path, `victim/name`) is one report: its source_record_id is
    `<submission key>/<repeat path>[<n>]` (n 1-based in list order), columns mapped under the
    repeat path read the row and the others the submission. A submission without repeat rows (an
    older form version with a plain group `victim/name`, read from the same mapping; or an empty
    repeat) is one report under its own key. The reports of one submission share its key as
    `incident_key`; `victims_issue` says when a submission has no victim at all or its mapped
    `victim_count` differs from the victims read. -#}
{% macro hrdw_kobo_reports(source_relation, columns, options) -%}
{%- set existing = hrdw_kobo_existing_columns(source_relation) -%}
{%- do hrdw_kobo_warn_unmapped(source_relation, columns, existing) -%}
{%- set maps = options.get("value_maps", {}) -%}
{%- set vocabulary = options.get("vocabulary", "kobo") -%}
{%- set separator = options.get("select_multiple_separator", " ") -%}
{%- set split_perpetrator = options.get("perpetrator_select_multiple", false) -%}
{%- set repeat = columns.get("victims_repeat") -%}
{%- if repeat is not none and repeat is not string -%}
    {{ exceptions.raise_compiler_error("victims_repeat names one repeat group (a path such as victim), not a list") }}
{%- endif -%}
{%- set element = "repeat_element" if repeat else none -%}
{%- set role = hrdw_kobo_field(columns, "victim_type", existing, maps, element) -%}
{%- set validation = hrdw_kobo_validation(hrdw_kobo_named(existing, "_validation_status")) -%}
{%- set reported_at = hrdw_kobo_raw(columns, hrdw_headers(columns, "reported_at") or ["_submission_time"], existing) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

{{ hrdw_repeat_reports(repeat, existing) }},

mapped as (
    select
        _source as source_name,
        {% if repeat -%}
        case
            when repeat_position is not null
                then _source_record_id || {{ hrdw_kobo_literal('/' ~ repeat ~ '[') }} || cast(repeat_position as varchar) || ']'
            else _source_record_id
        end as source_record_id,
        _source_record_id as kobo_submission_key,
        {{ hrdw_victims_issue(
            repeat, hrdw_kobo_plain_victim(columns, existing),
            hrdw_kobo_field(columns, "victim_count", existing, maps) if "victim_count" in columns else none
        ) }} as victims_issue,
        {%- else -%}
        _source_record_id as source_record_id,
        {%- endif %}
        _source_file as source_file,
        _source_row as source_row,
        _batch_id as batch_id,
        _loaded_at as loaded_at,
        _record_hash as record_hash,
        {{ hrdw_kobo_field(columns, "title", existing, maps, element) }} as title,
        {{ hrdw_kobo_field(columns, "event_date", existing, maps, element) }} as event_date_raw,
        {{ hrdw_kobo_field(columns, "country", existing, maps, element) }} as country_raw,
        {{ hrdw_kobo_field(columns, "city", existing, maps, element) }} as city,
        {{ hrdw_kobo_coordinate(columns, existing, "latitude", element) }} as latitude_raw,
        {{ hrdw_kobo_coordinate(columns, existing, "longitude", element) }} as longitude_raw,
        {{ hrdw_kobo_field(columns, "victim_name", existing, maps, element) }} as victim_name,
        {{ hrdw_kobo_field(columns, "victim_name_original", existing, maps, element) }} as victim_name_original,
        {{ hrdw_kobo_victim_kind(role) }} as victim_kind,
        {{ role }} as victim_role,
        {{ hrdw_kobo_field(columns, "victim_gender", existing, maps, element) }} as victim_gender,
        {{ hrdw_kobo_field(columns, "victim_count", existing, maps, element) }} as victim_count_raw,
        {{ hrdw_kobo_choices(columns, "organization", existing, maps, separator, false, element) }} as organization,
        {{ hrdw_kobo_literal(vocabulary) }} as violation_vocabulary,
        {{ hrdw_kobo_choices(columns, "violations", existing, maps, separator, true, element) }} as violation_labels,
        cast(null as varchar) as violation_detail,
        {{ hrdw_kobo_literal(vocabulary) }} as perpetrator_vocabulary,
        {{ hrdw_kobo_choices(columns, "perpetrator", existing, maps, separator, split_perpetrator, element) }}
            as perpetrator_labels,
        cast(null as varchar) as perpetrator_type_hint,
        {{ hrdw_kobo_field(columns, "monitoring_status", existing, maps, element) }} as monitoring_status,
        {{ hrdw_kobo_field(columns, "description", existing, maps, element) }} as description,
        {{ hrdw_kobo_field(columns, "summary_for_publication", existing, maps, element) }} as summary_for_publication,
        {{ hrdw_kobo_published(validation, options) }} as published_in_source,
        {{ reported_at if reported_at is not none else "cast(null as varchar)" }} as reported_at_raw
    from reports
)

{{ hrdw_typed_reports(
    incident_key="kobo_submission_key" if repeat else none,
    victim_count="victim_count_raw",
    victims_issue="victims_issue" if repeat else none
) }}
{%- endmacro %}
