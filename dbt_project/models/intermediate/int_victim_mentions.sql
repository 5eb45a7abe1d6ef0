{#- The matching nodes: one row per victim named in a report (report x victim), with every key
    and attribute the comparisons use. Acts (violation types) travel as a sorted list. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

field_victims as (
    {{ hrdw_victims_of(ref('int_reports_conformed')) }}
),

text_victims as (
    select * from {{ ref('int_victims_from_text') }}
),

reports_read_from_text as (
    select distinct report_id from text_victims
),

victims as (
    {#- a report's victims come from its fields, or (sources with victims_from_text, records
        naming nobody in a field) from its text -#}
    select
        field_victims.report_id,
        field_victims.victim_position,
        field_victims.victim_name,
        field_victims.victim_name_original,
        case
            when coalesce(field_victims.victim_name, field_victims.victim_name_original) is not null then 'field'
        end as victim_name_origin
    from field_victims
    left join reports_read_from_text as read_from_text
        on field_victims.report_id = read_from_text.report_id
    where read_from_text.report_id is null
    union all
    select
        report_id,
        victim_position,
        victim_name,
        victim_name_original,
        victim_name_origin
    from text_victims
),

violation_types as (
    select * from {{ ref('violation_types') }}
),

places_read as (
    select * from {{ ref('int_report_places') }}
),

report_places as (
    {#- the source's own place, else the gazetteer city its text names (a city read from the pin
        is left out: the coordinates are compared already, and would count twice) -#}
    select
        reports.report_id,
        {{ hrdw_place_name_key("coalesce(reports.city, case when places_read.city_origin = 'text' then places_read.city end)") }}
            as place_name_key,
        places_read.city_origin,
        -- the gazetteer city nearest the pin (a report's only sign of its city, for reports that
        -- name nobody: int_event_clusters)
        case when places_read.city_origin = 'pin' then {{ hrdw_clean_name('places_read.city') }} end as pin_city_key
    from reports
    left join places_read on reports.report_id = places_read.report_id
),

gazetteer_places as (
    {#- places the place_aliases gazetteer knows, by their canonical key -#}
    select distinct
        country_code,
        {{ hrdw_clean_name('canonical_place') }} as canonical_key
    from {{ ref('place_aliases') }}
),

violation_sets as (
    select
        report_violations.report_id,
        string_agg(distinct report_violations.violation_type_code, '|' order by report_violations.violation_type_code)
            as violation_type_codes,
        string_agg(distinct violation_types.category, '|' order by violation_types.category) as violation_categories
    from report_violations
    left join violation_types on report_violations.violation_type_code = violation_types.violation_type_code
    group by report_violations.report_id
),

cleaned as (
    {#- normalisation in steps (one CTE each) keeps every expression shallow -#}
    select
        report_id,
        victim_position,
        victim_name,
        victim_name_original,
        victim_name_origin,
        {{ hrdw_clean_name('coalesce(victim_name, victim_name_original)') }} as clean_name
    from victims
),

named as (
    select
        report_id,
        victim_position,
        victim_name,
        victim_name_original,
        victim_name_origin,
        {{ hrdw_sorted_tokens('clean_name') }} as name_key
    from cleaned
),

name_tokens as (
    select
        report_id,
        victim_position,
        {{ hrdw_split_to_rows('name_key', ' ') }} as token
    from named
    where name_key is not null
),

flagged_tokens as (
    select
        report_id,
        victim_position,
        token,
        {{ hrdw_regex_match('token', var('hrdw_patronymic_pattern')) }} as is_patronymic
    from name_tokens
),

counted_tokens as (
    select
        *,
        count(*) over (partition by report_id, victim_position) as token_count,
        count(*) filter (where not is_patronymic) over (partition by report_id, victim_position) as core_token_count
    from flagged_tokens
),

core_tokens as (
    {#- sources drop or keep patronymics at will ("Roman Borisovich Popov", "Roman Popov"): the
        skeleton leaves them out of names of three or more words, keeping at least two words -#}
    select
        report_id,
        victim_position,
        token
    from counted_tokens
    where not (is_patronymic and token_count >= 3 and core_token_count >= 2)
),

folded_tokens as (
    select
        report_id,
        victim_position,
        token,
        {{ hrdw_drop_vowels(hrdw_fold_digraphs('token')) }} as consonants
    from core_tokens
),

token_skeletons as (
    select
        report_id,
        victim_position,
        coalesce(nullif({{ hrdw_collapse_repeats('consonants') }}, ''), token) as skeleton
    from folded_tokens
),

skeleton_keys as (
    select
        report_id,
        victim_position,
        string_agg(skeleton, ' ' order by skeleton) as skeleton_key,
        count(*) filter (where length(skeleton) >= 3) as strong_token_count
    from token_skeletons
    group by report_id, victim_position
),

skeletons as (
    select
        named.*,
        skeleton_keys.skeleton_key,
        coalesce(skeleton_keys.strong_token_count, 0) as strong_token_count
    from named
    left join skeleton_keys
        on named.report_id = skeleton_keys.report_id and named.victim_position = skeleton_keys.victim_position
),

mentions as (
    select
        named.report_id || '#' || cast(named.victim_position as varchar) as mention_id,
        named.report_id,
        named.victim_position,
        named.victim_name,
        named.victim_name_original,
        named.victim_name_origin,
        named.name_key,
        named.skeleton_key,
        named.strong_token_count,
        (
            named.name_key is null
            or {{ hrdw_is_placeholder_name('coalesce(named.victim_name, named.victim_name_original)') }}
        ) as is_anonymous,
        reports.source_name,
        reports.source_record_id,
        reports.source_reliability_rank,
        reports.victim_kind,
        reports.perpetrator_type,
        reports.perpetrator_kinds,
        reports.country_code,
        reports.event_date,
        reports.event_date_precision,
        {{ hrdw_date_is_qualified('reports.event_date_raw') }} as event_date_is_qualified,
        case
            when reports.event_date_precision = 'day'
                then {{ hrdw_date_latest('reports.event_date_raw', 'reports.event_date') }}
            else reports.event_date
        end as event_date_latest,
        reports.date_precision_rank,
        reports.event_year,
        reports.incident_key,
        reports.reported_at,
        {{ hrdw_canonical_place('report_places.place_name_key', 'reports.country_code') }} as city_key,
        report_places.city_origin,
        report_places.pin_city_key,
        reports.latitude,
        reports.longitude,
        reports.coordinates_precision,
        {{ hrdw_clean_name("split_part(reports.organization, '|', 1)") }} as organization_key,
        violation_sets.violation_type_codes,
        violation_sets.violation_categories,
        case
            when reports.source_record_id like 'https://cpj.org/data/people/%'
                then reports.source_record_id
        end as shared_identifier,
        reports.loaded_at
    from skeletons as named
    inner join reports on named.report_id = reports.report_id
    left join violation_sets on named.report_id = violation_sets.report_id
    inner join report_places on named.report_id = report_places.report_id
),

placed_mentions as (
    select
        mentions.*,
        gazetteer_places.canonical_key is not null as city_in_gazetteer
    from mentions
    left join gazetteer_places
        on mentions.country_code = gazetteer_places.country_code and mentions.city_key = gazetteer_places.canonical_key
)

select * from placed_mentions
