{#- Victims named in free text, for reports of sources that declare `victims_from_text` and whose
    record names no victim in a field. A person victim is read two ways, merged by name key: names
    introduced by a role word or followed by one (`pattern`; macros/utils/hrdw_text_victims.sql),
    and names that other records give a victim in a field, found in the text (`known name`). An
    organisation victim (victim_kind) is the outlet the text names most (`outlet`). -#}
{%- set word = hrdw_text_name_word() -%}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

field_victims as (
    {{ hrdw_victims_of(ref('int_reports_conformed')) }}
),

texts as (
    {{ hrdw_victim_texts('reports') }}
),

person_texts as (
    select
        report_id,
        field_rank,
        field_name,
        regexp_replace(body, {{ hrdw_text_pattern(hrdw_text_spokesperson()) }}, ' ', 'g') as body
    from texts
    where victim_kind <> 'organization'
),

role_lists as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_role_then_names(), 1) }} as segment
    from person_texts
),

pattern_names as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('segment', hrdw_text_listed_name(), 1) }} as found_name,
        {{ hrdw_regex_rows('segment', hrdw_text_listed_name(), 2) }} as parenthesis
    from role_lists
    union all
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_name_then_role(), 1) }} as found_name,
        cast(null as varchar) as parenthesis
    from person_texts
),

known_keys as (
    select distinct {{ hrdw_name_key('known_name') }} as name_key
    from (
        select victim_name as known_name from field_victims
        union all
        select victim_name_original as known_name from field_victims
    ) as known
    where known_name is not null and not {{ hrdw_is_placeholder_name('known_name') }}
),

grams as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_word_gram_rows('body', word, 3) }} as gram
    from person_texts
),

known_names as (
    select
        grams.report_id,
        grams.field_rank,
        grams.field_name,
        grams.gram as found_name,
        cast(null as varchar) as parenthesis
    from grams
    inner join known_keys on {{ hrdw_name_key('grams.gram') }} = known_keys.name_key
    where known_keys.name_key like '% %'
),

outlet_mentions as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_outlet_name(), 1) }} as found_name
    from texts
    where victim_kind = 'organization'
),

outlet_names as (
    select
        report_id,
        found_name,
        cast(null as varchar) as parenthesis,
        min(field_rank) as field_rank,
        min(field_name) as field_name,
        row_number() over (partition by report_id order by count(*) desc, min(field_rank), found_name) as outlet_rank
    from outlet_mentions
    group by report_id, found_name
),

candidates as (
    select
        *,
        'pattern' as reading
    from pattern_names
    union all
    select
        *,
        'known name' as reading
    from known_names
    union all
    select
        report_id,
        field_rank,
        field_name,
        found_name,
        parenthesis,
        'outlet' as reading
    from outlet_names
    where outlet_rank = 1
),

cleaned as (
    select
        candidates.report_id,
        candidates.field_rank,
        candidates.field_name,
        candidates.reading,
        trim(regexp_replace(
            regexp_replace(candidates.found_name, {{ hrdw_text_pattern(hrdw_text_name_tail()) }}, ''), '[''’]s$', ''
        )) as name_read,
        candidates.parenthesis,
        strpos(texts.body, candidates.found_name) as found_at
    from candidates
    inner join texts on candidates.report_id = texts.report_id and candidates.field_name = texts.field_name
),

keyed as (
    select
        *,
        {{ hrdw_name_key('name_read') }} as name_key,
        {{ hrdw_regex_match('name_read', '\\p{Cyrillic}') }} as is_cyrillic
    from cleaned
    where (name_read like '% %' or reading = 'outlet') and not {{ hrdw_is_placeholder_name('name_read') }}
),

first_readings as (
    {#- one victim per name key and report: its first appearance, a pattern before a known name -#}
    select
        *,
        row_number() over (
            partition by report_id, name_key
            order by field_rank, found_at, case reading when 'pattern' then 1 else 2 end, name_read
        ) as reading_rank
    from keyed
),

victims as (
    select
        report_id,
        row_number() over (partition by report_id order by field_rank, found_at, name_key) as victim_position,
        case when not is_cyrillic then name_read end as victim_name,
        case
            when is_cyrillic then name_read
            when {{ hrdw_regex_match('parenthesis', '^\\s*\\p{Cyrillic}+(?:\\s+\\p{Cyrillic}+){1,3}\\s*$') }}
                then trim(parenthesis)
        end as victim_name_original,
        'text' as victim_name_origin,
        field_name as read_from,
        reading
    from first_readings
    where reading_rank = 1
)

select * from victims
