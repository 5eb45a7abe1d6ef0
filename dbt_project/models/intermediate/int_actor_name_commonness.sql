{#- How common each victim's name is in its country, measured on this deployment's own data, and
    what that takes from the actor model's name weight (int_actor_clusters). The seed's weights
    say how often one person's records share a name; whether a shared name is one person also
    depends on how many people of that name the data holds, which grows with the data: at 4,000
    generated reports a skeleton match across events was another person 1% of the time, at
    100,000 half of the time ("Adilet Serybaev" / "Doolot Sarybaev", skeleton "dlt srbv").
    Two measures, both per country and counted in events (a person's several records of one
    attack count once):
    - observed: how many events carry this name (or skeleton); more than one person usually
      appears in (var hrdw_actor_name_events_expected) means namesakes (forty Mongolian events
      naming one "Bat-Erdene Monkhbat");
    - expected by chance: how many of the country's other events would carry this skeleton if
      names were drawn token by token from their own token frequencies (events x the product of
      each token's share of them), the term-frequency adjustment of record linkage with tokens
      taken as independent; above var hrdw_actor_chance_events_expected (chosen on development
      seeds 11-13 at 4,000 reports and 12 at 100,000), a shared name is likelier two people
      than one.
    The adjustment is minus log2 of the larger excess, never positive: rare names are not
    raised. -#}
with

victim_names as (
    {#- people only: an outlet attacked again and again is one outlet, its name is no namesake -#}
    select
        mention_id,
        report_id,
        country_code,
        name_key,
        skeleton_key
    from {{ ref('int_victim_mentions') }}
    where not is_anonymous and victim_kind = 'person' and skeleton_key is not null
),

event_clusters as (
    select * from {{ ref('int_event_clusters') }}
),

named_events as (
    select distinct
        victim_names.country_code,
        victim_names.name_key,
        victim_names.skeleton_key,
        event_clusters.cluster_id
    from victim_names
    inner join event_clusters on victim_names.report_id = event_clusters.report_id
),

country_events as (
    select
        country_code,
        count(distinct cluster_id) as events_naming_people
    from named_events
    group by country_code
),

name_tokens as (
    {#- each skeleton's tokens, split once: per event for the token counts, per skeleton for the
        product over its tokens -#}
    select distinct
        country_code,
        cluster_id,
        skeleton_key,
        {{ hrdw_split_to_rows('skeleton_key', ' ') }} as token
    from named_events
),

token_events as (
    select
        country_code,
        token,
        count(distinct cluster_id) as events_with_token
    from name_tokens
    group by country_code, token
),

skeleton_tokens as (
    select distinct
        country_code,
        skeleton_key,
        token
    from name_tokens
),

expected_by_chance as (
    {#- two mentions sharing this skeleton sit in two events that carry all its tokens: the chance
        estimate counts the country's other events only (two fewer events, two fewer carrying each
        token), so that a name only the two carry (a token in two events or fewer) is not expected
        at all. The greatest() guards keep ln() and the division defined on every row, since an
        aggregate is computed whichever branch the case takes. -#}
    select
        skeleton_tokens.country_code,
        skeleton_tokens.skeleton_key,
        case
            when max(country_events.events_naming_people) > 2 and min(token_events.events_with_token) > 2
                then
                    max(country_events.events_naming_people - 2)
                    * exp(sum(ln(
                        greatest(token_events.events_with_token - 2, 1) * 1.0
                        / greatest(country_events.events_naming_people - 2, 1)
                    )))
            else 0
        end as chance_events
    from skeleton_tokens
    inner join token_events
        on
            skeleton_tokens.country_code = token_events.country_code
            and skeleton_tokens.token = token_events.token
    inner join country_events on skeleton_tokens.country_code = country_events.country_code
    group by skeleton_tokens.country_code, skeleton_tokens.skeleton_key
),

name_events as (
    select
        country_code,
        name_key,
        count(distinct cluster_id) as events_with_name
    from named_events
    group by country_code, name_key
),

skeleton_events as (
    select
        country_code,
        skeleton_key,
        count(distinct cluster_id) as events_with_skeleton
    from named_events
    group by country_code, skeleton_key
),

measured as (
    select
        victim_names.mention_id,
        name_events.events_with_name,
        skeleton_events.events_with_skeleton,
        expected_by_chance.chance_events
    from victim_names
    inner join name_events
        on victim_names.country_code = name_events.country_code and victim_names.name_key = name_events.name_key
    inner join skeleton_events
        on
            victim_names.country_code = skeleton_events.country_code
            and victim_names.skeleton_key = skeleton_events.skeleton_key
    inner join expected_by_chance
        on
            victim_names.country_code = expected_by_chance.country_code
            and victim_names.skeleton_key = expected_by_chance.skeleton_key
),

adjusted as (
    {#- to a thousandth of a bit: the weights themselves are not known closer (a decimal cast
        rounds alike on DuckDB and Postgres, where round() takes no double) -#}
    select
        mention_id,
        events_with_name,
        events_with_skeleton,
        cast(chance_events as decimal(18, 6)) as chance_events,
        cast(least(0, -ln(greatest(
            events_with_name * 1.0 / {{ var('hrdw_actor_name_events_expected') }},
            chance_events / {{ var('hrdw_actor_chance_events_expected') }}
        )) / ln(2)) as decimal(18, 3)) as exact_name_adjustment,
        cast(least(0, -ln(greatest(
            events_with_skeleton * 1.0 / {{ var('hrdw_actor_name_events_expected') }},
            chance_events / {{ var('hrdw_actor_chance_events_expected') }}
        )) / ln(2)) as decimal(18, 3)) as skeleton_name_adjustment
    from measured
)

select * from adjusted
