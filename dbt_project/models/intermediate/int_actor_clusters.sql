{#- Actors: victim mentions clustered transitively across events. Two mentions are linked when
    their actor score (name, country, organisation; not dates, so the same journalist attacked
    twice is one actor) reaches var hrdw_actor_match_threshold and their names agree at least
    fuzzily, or when they are the co-referent mentions that made their reports one event (the
    mention model's score reaches var hrdw_event_match_threshold, the names agree at least
    fuzzily, and the reports ended in one event: "Carlos Domínguez" and "Carlos Domínguez
    Rodríguez" killed in one attack are one person). Mentions of one report are never linked
    (relatives in one event are different people), nor two mentions killed in two different
    events (a person is killed once: two journalists named Sergei Ivanov killed in 1995 and
    2000 are two people), anonymous victims stay alone, and giant clusters are guarded like
    events. -#}
with

mentions as (
    select mention_id as node_id from {{ ref('int_victim_mentions') }}
),

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

event_clusters as (
    select * from {{ ref('int_event_clusters') }}
),

killed as (
    select mention_id
    from {{ ref('int_victim_mentions') }}
    where {{ hrdw_lists_overlap('violation_type_codes', "'killing'") }}
),

named_pairs as (
    {#- the pairs either rule may link: names alike at least fuzzily, mentions of two reports,
        with the events the two reports ended in and whether each mention was killed -#}
    select
        pairs.left_mention_id,
        pairs.right_mention_id,
        pairs.actor_score,
        pairs.event_score,
        pairs.event_link_allowed,
        left_event.cluster_id = right_event.cluster_id as same_event,
        left_killed.mention_id is not null and right_killed.mention_id is not null as both_killed
    from pairs
    inner join event_clusters as left_event on pairs.left_report_id = left_event.report_id
    inner join event_clusters as right_event on pairs.right_report_id = right_event.report_id
    left join killed as left_killed on pairs.left_mention_id = left_killed.mention_id
    left join killed as right_killed on pairs.right_mention_id = right_killed.mention_id
    where
        pairs.name_level in ('exact', 'skeleton', 'subset', 'fuzzy')
        and pairs.left_report_id <> pairs.right_report_id
),

linked as (
    select
        left_mention_id as node_a,
        right_mention_id as node_b,
        actor_score
    from named_pairs
    where
        -- the actor model, except across two killings (a person is killed once) ...
        (actor_score >= {{ var('hrdw_actor_match_threshold') }} and not (both_killed and not same_event))
        -- ... and the co-referent mentions that made their reports one event
        or (event_link_allowed and event_score >= {{ var('hrdw_event_match_threshold') }} and same_event)
),

first_pass as (
    {{ hrdw_connected_components('mentions', 'linked') }}
),

first_sizes as (
    select
        component_id,
        count(*) as mentions_in_component
    from first_pass
    group by component_id
),

guarded_links as (
    select linked.*
    from linked
    inner join first_pass on linked.node_a = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    where
        first_sizes.mentions_in_component <= {{ var('hrdw_max_actor_mentions') }}
        or linked.actor_score >= {{ var('hrdw_actor_match_threshold') + var('hrdw_strict_margin') }}
),

second_pass as (
    {{ hrdw_connected_components('mentions', 'guarded_links') }}
),

clusters as (
    select
        node_id as mention_id,
        component_id as cluster_id
    from second_pass
)

select * from clusters
