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
        event_year,
        {{ hrdw_split_to_rows('skeleton_key', ' ') }} as token
    from mentions
    where not is_anonymous and skeleton_key is not null
),

common_tokens as (
    {#- A token shared by very many mentions of one country and year (a frequent first name)
        proposes too many pairs to be useful; the other rules still apply to those mentions. -#}
    select
        country_code,
        event_year,
        token
    from tokens
    group by country_code, event_year, token
    having count(*) > {{ var('hrdw_blocking_max_token_block', 400) }}
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
        'country_year_name_token' as blocking_rule
    from tokens as left_side
    inner join tokens as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.event_year = right_side.event_year
            and left_side.token = right_side.token
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
    where
        length(left_side.token) >= 3
        and not exists (
            select 1
            from common_tokens
            where
                common_tokens.country_code = left_side.country_code
                and common_tokens.event_year = left_side.event_year
                and common_tokens.token = left_side.token
        )
),

same_day_place as (
    select
        left_side.mention_id as left_mention_id,
        right_side.mention_id as right_mention_id,
        'country_day_violation' as blocking_rule
    from mentions as left_side
    inner join mentions as right_side
        on
            left_side.country_code = right_side.country_code
            and left_side.event_date = right_side.event_date
            and left_side.violation_type_codes = right_side.violation_type_codes
            and left_side.mention_id < right_side.mention_id
            and left_side.report_id <> right_side.report_id
    where left_side.event_date_precision = 'day' and right_side.event_date_precision = 'day'
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
    select * from same_day_place
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
