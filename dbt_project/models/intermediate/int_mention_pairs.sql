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

same_skeleton as (
    {{ hrdw_blocking_rule(
        'skeleton_key', 'mentions', ['skeleton_key'],
        where='not left_side.is_anonymous and not right_side.is_anonymous'
    ) }}
),

shared_token as (
    {{ hrdw_blocking_rule('country_name_token', 'token_keys', ['country_code', 'token_key'], blocks='token_blocks') }}
),

same_day as (
    {{ hrdw_blocking_rule(
        'country_day', 'mentions', ['country_code', 'event_date'],
        where="left_side.event_date_precision = 'day' and right_side.event_date_precision = 'day'"
    ) }}
),

same_context as (
    {#- different victims of one attack, each in a report of its own: same country, place, year
        and violation types -#}
    {{ hrdw_blocking_rule(
        'country_place_year_types', 'mentions',
        ['country_code', 'city_key', 'event_year', 'violation_type_codes'], blocks='context_blocks'
    ) }}
),

same_year_types as (
    {#- small country-years: every pair of reports of the same violation types -#}
    {{ hrdw_blocking_rule(
        'country_year_types', 'mentions', ['country_code', 'event_year', 'violation_type_codes'], blocks='year_blocks'
    ) }}
),

shared_identifier as (
    {{ hrdw_blocking_rule('shared_identifier', 'mentions', ['shared_identifier']) }}
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
