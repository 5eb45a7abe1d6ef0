{#- Blocking: candidate pairs of victim mentions from different reports, as the union of
    equi-join rules (never one big OR join). Each pair lists the rules that proposed it;
    bench/matching.py measures how many true pairs these rules reach (blocking recall). -#}
with

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

tokens as (
    select
        mention_id,
        report_id,
        country_code,
        {{ hrdw_split_to_rows('skeleton_key', ' ') }} as token
    from mentions
    where not is_anonymous and skeleton_key is not null
),

token_keys as (
    {#- each name token's skeleton, and the same without its first letter (Shokhbekov / Chokhbekov) -#}
    select
        mention_id,
        report_id,
        country_code,
        'full:' || token as token_key
    from tokens
    where length(token) >= 3
    union all
    select
        mention_id,
        report_id,
        country_code,
        'tail:' || substr(token, 2) as token_key
    from tokens
    where length(token) >= 5
),

token_blocks as (
    {#- a token shared by very many mentions in one country (a frequent first name) proposes too
        many pairs to be useful; the other rules still apply to those mentions -#}
    select
        country_code,
        token_key
    from token_keys
    group by country_code, token_key
    having count(*) <= {{ var('hrdw_blocking_max_token_block') }}
),

context_blocks as (
    select
        country_code,
        city_key,
        event_year,
        violation_type_codes
    from mentions
    where city_key is not null and city_key <> '' and event_year is not null
    group by country_code, city_key, event_year, violation_type_codes
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_context_block') }}
),

same_skeleton as (
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'skeleton_key' as blocking_rule
    from mentions as left_side
    inner join mentions as right_side
        on
            left_side.skeleton_key = right_side.skeleton_key
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
    where not left_side.is_anonymous and not right_side.is_anonymous
),

shared_token as (
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'country_name_token' as blocking_rule
    from token_keys as left_side
    inner join token_blocks
        on left_side.country_code = token_blocks.country_code and left_side.token_key = token_blocks.token_key
    inner join token_keys as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.token_key = right_side.token_key
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
),

same_day as (
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'country_day' as blocking_rule
    from mentions as left_side
    inner join mentions as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.event_date = right_side.event_date
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
    where left_side.event_date_precision = 'day' and right_side.event_date_precision = 'day'
),

same_context as (
    {#- different victims of one attack, each in a report of its own: same country, place, year
        and violation types -#}
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'country_place_year_types' as blocking_rule
    from mentions as left_side
    inner join context_blocks
        on
            left_side.country_code = context_blocks.country_code
            and left_side.city_key = context_blocks.city_key
            and left_side.event_year = context_blocks.event_year
            and left_side.violation_type_codes = context_blocks.violation_type_codes
    inner join mentions as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.city_key = right_side.city_key
            and left_side.event_year = right_side.event_year
            and left_side.violation_type_codes = right_side.violation_type_codes
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
),

year_blocks as (
    select
        country_code,
        event_year,
        violation_type_codes
    from mentions
    where event_year is not null
    group by country_code, event_year, violation_type_codes
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_context_block') }}
),

same_year_types as (
    {#- small country-years: every pair of reports of the same violation types -#}
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'country_year_types' as blocking_rule
    from mentions as left_side
    inner join year_blocks
        on
            left_side.country_code = year_blocks.country_code
            and left_side.event_year = year_blocks.event_year
            and left_side.violation_type_codes = year_blocks.violation_type_codes
    inner join mentions as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.event_year = right_side.event_year
            and left_side.violation_type_codes = right_side.violation_type_codes
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
),

shared_identifier as (
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'shared_identifier' as blocking_rule
    from mentions as left_side
    inner join mentions as right_side
        on
            left_side.shared_identifier = right_side.shared_identifier
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
),

proposed as (
    select * from same_skeleton
    union all
    select * from shared_token
    union all
    select * from same_day
    union all
    select * from same_context
    union all
    select * from same_year_types
    union all
    select * from shared_identifier
),

pairs as (
    select
        left_mention_id,
        right_mention_id,
        string_agg(distinct blocking_rule, '|' order by blocking_rule) as blocking_rules
    from proposed
    group by left_mention_id, right_mention_id
)

select * from pairs
