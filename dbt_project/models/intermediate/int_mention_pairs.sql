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

mention_categories as (
    {#- one row per mention and category of violation (Liberty, Physical integrity...): different
        victims of one attack are often filed under different types of one category (a CPJ
        "imprisoned" row, a monitor's "arbitrary detention" form) -#}
    select
        mention_id,
        report_id,
        country_code,
        city_key,
        event_year,
        event_date,
        event_date_precision,
        reported_at,
        violation_category
    from (
        select
            mention_id,
            report_id,
            country_code,
            nullif(city_key, '') as city_key,
            event_year,
            event_date,
            event_date_precision,
            reported_at,
            {{ hrdw_split_to_rows('violation_categories', '|') }} as violation_category
        from mentions
        where violation_categories is not null
    ) as split_categories
),

context_blocks as (
    select
        country_code,
        city_key,
        event_year,
        violation_category
    from mention_categories
    where city_key is not null and event_year is not null
    group by country_code, city_key, event_year, violation_category
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_context_block') }}
),

year_blocks as (
    select
        country_code,
        event_year,
        violation_category
    from mention_categories
    where event_year is not null
    group by country_code, event_year, violation_category
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_year_block') }}
),

dated_months as (
    select
        mention_id,
        report_id,
        country_code,
        violation_category,
        date_trunc('month', event_date) as event_month
    from mention_categories
    where event_date_precision in ('day', 'month')
),

month_blocks as (
    select
        country_code,
        violation_category,
        event_month
    from dated_months
    group by country_code, violation_category, event_month
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_place_block') }}
),

earlier_months as (
    {#- each dated report under the month after its own (its own month's group within the cap),
        to meet the reports of that next month -#}
    select
        dated_months.mention_id,
        dated_months.report_id,
        dated_months.country_code,
        dated_months.violation_category,
        dated_months.event_month + interval '1 month' as event_month
    from dated_months
    inner join month_blocks
        on
            dated_months.country_code = month_blocks.country_code
            and dated_months.violation_category = month_blocks.violation_category
            and dated_months.event_month = month_blocks.event_month
),

undated_mentions as (
    select *
    from mention_categories
    where event_year is null and city_key is not null
),

received_undated as (
    {#- reports without an event date but with the day they were received: the event happened
        in that month or one of the var hrdw_report_window_months - 1 before it -#}
    select
        mention_id,
        report_id,
        country_code,
        violation_category,
        date_trunc('month', reported_at) as window_month
    from mention_categories
    where event_date is null and reported_at is not null
),

month_offsets as (
    {%- for months_after in range(var('hrdw_report_window_months')) %}
        select {{ months_after }} as months_after
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

dated_windows as (
    {#- each dated report under its event month and the months after it in which a report of it
        could have been received (var hrdw_report_window_months in all) -#}
    select
        mention_categories.mention_id,
        mention_categories.report_id,
        mention_categories.country_code,
        mention_categories.violation_category,
        date_trunc('month', mention_categories.event_date)
        + month_offsets.months_after * interval '1 month' as window_month
    from mention_categories
    cross join month_offsets
    where mention_categories.event_date_precision in ('day', 'month')
),

window_blocks as (
    select
        country_code,
        violation_category,
        window_month
    from dated_windows
    group by country_code, violation_category, window_month
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_place_block') }}
),

year_offsets as (
    select 0 as years_before
    union all
    select 1 as years_before
),

received_years as (
    {#- undated reports against year-only ones: the year it was received, or the one before -#}
    select
        mention_categories.mention_id,
        mention_categories.report_id,
        mention_categories.country_code,
        mention_categories.violation_category,
        extract(year from mention_categories.reported_at) - year_offsets.years_before as event_year
    from mention_categories
    cross join year_offsets
    where mention_categories.event_date is null and mention_categories.reported_at is not null
),

year_only_blocks as (
    select
        country_code,
        violation_category,
        event_year
    from mention_categories
    where event_date_precision = 'year'
    group by country_code, violation_category, event_year
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_place_block') }}
),

place_blocks as (
    {#- places of undated reports: every report of the same place and category, any year -#}
    select
        country_code,
        city_key,
        violation_category
    from mention_categories
    where city_key is not null
    group by country_code, city_key, violation_category
    having count(distinct report_id) <= {{ var('hrdw_blocking_max_place_block') }}
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
        and category of violation -#}
    {{ hrdw_blocking_rule(
        'country_place_year_category', 'mention_categories',
        ['country_code', 'city_key', 'event_year', 'violation_category'], blocks='context_blocks'
    ) }}
),

same_year_category as (
    {#- small country-years: every pair of reports of the same category of violation -#}
    {{ hrdw_blocking_rule(
        'country_year_category', 'mention_categories',
        ['country_code', 'event_year', 'violation_category'], blocks='year_blocks'
    ) }}
),

same_month_category as (
    {#- reports of one month and category of violation in a country, whatever their place (many
        give none) -#}
    {{ hrdw_blocking_rule(
        'country_month_category', 'dated_months',
        ['country_code', 'violation_category', 'event_month'], blocks='month_blocks'
    ) }}
),

adjacent_month_category as (
    {#- ... and of the month before: an attack late in a month reported early in the next -#}
    {{ hrdw_cross_blocking_rule(
        'country_adjacent_month_category', 'earlier_months', 'dated_months',
        ['country_code', 'violation_category', 'event_month'], blocks='month_blocks'
    ) }}
),

undated_same_place as (
    {#- a report without any date (a form left blank) meets the reports of its place and category -#}
    {{ hrdw_cross_blocking_rule(
        'undated_place_category', 'undated_mentions', 'mention_categories',
        ['country_code', 'city_key', 'violation_category'], blocks='place_blocks'
    ) }}
),

received_window as (
    {#- an undated report meets the reports dated in the months before it was received -#}
    {{ hrdw_cross_blocking_rule(
        'received_window_category', 'received_undated', 'dated_windows',
        ['country_code', 'violation_category', 'window_month'], blocks='window_blocks'
    ) }}
),

received_together as (
    {#- two undated reports received in the same month -#}
    {{ hrdw_blocking_rule(
        'received_month_category', 'received_undated',
        ['country_code', 'violation_category', 'window_month']
    ) }}
),

received_year as (
    {{ hrdw_cross_blocking_rule(
        'received_year_category', 'received_years', 'mention_categories',
        ['country_code', 'violation_category', 'event_year'], blocks='year_only_blocks',
        where="right_side.event_date_precision = 'year'"
    ) }}
),

same_incident as (
    {#- reports split from one source record (ODK repeat rows of one submission): clustering links
        them anyway; as candidates their features are scored and shown like any pair -#}
    {{ hrdw_blocking_rule('same_incident', 'mentions', ['source_name', 'incident_key']) }}
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
    select * from same_year_category
    union all
    select * from same_month_category
    union all
    select * from adjacent_month_category
    union all
    select * from undated_same_place
    union all
    select * from received_window
    union all
    select * from received_year
    union all
    select * from received_together
    union all
    select * from same_incident
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
