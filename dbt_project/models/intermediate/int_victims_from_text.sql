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
        regexp_replace(body, {{ hrdw_sql_string(hrdw_text_spokesperson()) }}, ' ', 'g') as body
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
    union all
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_name_then_verb(), 1) }} as found_name,
        cast(null as varchar) as parenthesis
    from person_texts
),

unquoted_texts as (
    {#- people quoted or named for context ("spokesperson X", "X, director of ...") are no
        victims, even when other records name them as victims elsewhere -#}
    select
        report_id,
        field_rank,
        field_name,
        regexp_replace(body, {{ hrdw_sql_string(hrdw_text_speaker()) }}, ' ', 'g') as body
    from person_texts
),

person_victims as (
    select field_victims.*
    from field_victims
    inner join reports on field_victims.report_id = reports.report_id
    where reports.victim_kind = 'person'
),

known_keys as (
    {#- persons only: an outlet named as a victim elsewhere is no person victim here -#}
    select distinct {{ hrdw_name_key('known_name') }} as name_key
    from (
        select victim_name as known_name from person_victims
        union all
        select victim_name_original as known_name from person_victims
    ) as known
    where known_name is not null and not {{ hrdw_is_placeholder_name('known_name') }}
),

grams as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_word_gram_rows('body', word, 3) }} as gram
    from unquoted_texts
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

outlet_texts as (
    select * from texts
    where victim_kind = 'organization'
),

named_outlets as (
    {#- the pattern's three shapes capture in three groups; the one that matched is not empty -#}
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_named_outlet(), 1) }} as after_kind,
        {{ hrdw_regex_rows('body', hrdw_text_named_outlet(), 2) }} as before_kind,
        {{ hrdw_regex_rows('body', hrdw_text_named_outlet(), 3) }} as with_kind
    from outlet_texts
),

outlet_mentions as (
    select
        report_id,
        field_rank,
        field_name,
        {{ hrdw_regex_rows('body', hrdw_text_outlet_name(), 1) }} as found_name
    from outlet_texts
    union all
    select
        report_id,
        field_rank,
        field_name,
        coalesce(nullif(after_kind, ''), nullif(before_kind, ''), nullif(with_kind, '')) as found_name
    from named_outlets
),

outlet_names as (
    select
        report_id,
        found_name,
        cast(null as varchar) as parenthesis,
        min(field_rank) as field_rank,
        {{ hrdw_first_by('field_name', 'field_rank') }} as field_name,
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
        {#- a role word opening a title is no part of the name ("Blogger Asel Zhumakulova sentenced") -#}
        trim(regexp_replace(regexp_replace(
            regexp_replace(candidates.found_name, {{ hrdw_sql_string(hrdw_text_name_tail()) }}, ''), '[''’]s$', ''
        ), {{ hrdw_sql_string('^' ~ hrdw_text_role_words() ~ '\\s+') }}, '')) as name_read,
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

originals_read as (
    {#- the original script a pattern read in parentheses after a name ("A (А)"): the same
        person, not another one to find again as a known name -#}
    select distinct
        report_id,
        trim(parenthesis) as original
    from keyed
    where reading = 'pattern' and parenthesis is not null
),

distinct_readings as (
    select keyed.*
    from keyed
    left join originals_read
        on keyed.report_id = originals_read.report_id and keyed.name_read = originals_read.original
    where keyed.reading <> 'known name' or originals_read.original is null
),

first_readings as (
    {#- one victim per name key and report: its first appearance, a pattern before a known name -#}
    select
        *,
        row_number() over (
            partition by report_id, name_key
            order by field_rank, found_at, case reading when 'pattern' then 1 else 2 end, name_read
        ) as reading_rank
    from distinct_readings
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
