{#- Actors: victim mentions clustered transitively across events. Two mentions are linked when
    their actor score (name, country, organisation; not dates, so the same journalist attacked
    twice is one actor) reaches the actor threshold (hrdw_match_threshold('actor')) and their names agree at least
    fuzzily, or when they are the co-referent mentions that made their reports one event (the
    mention model's score reaches the event threshold (hrdw_match_threshold('mention')), the names agree at least
    fuzzily, and the reports ended in one event: "Carlos Domínguez" and "Carlos Domínguez
    Rodríguez" killed in one attack are one person). Names compare through hrdw_name_level: a
    shared word and a clearly different one on each side (name_level 'conflict': Aleksandr
    Sidelnikov / Aleksandr Smirnov on one day, Luis Antonio / Luis Carlos Peralta) never link;
    initials ('initials': "Джуматаева В.Б." / "Venera Djumataeva") link only within one country
    and one event or outlet. Mentions of one report are never linked
    (relatives in one event are different people), nor two mentions killed in two different
    events (a person is killed once: two journalists named Sergei Ivanov killed in 1995 and
    2000 are two people), anonymous victims stay alone, giant clusters are guarded like events,
    and reviewers' actor-scope decisions (cannot_link / must_link on victim mentions or
    single-victim reports) apply before clustering. Two mentions whose records are one CPJ person
    page (int_mention_pairs_scored.same_person_record) are one person. A name common in its country (observed
    in many events, or likely to recur by chance given the country's own name tokens:
    int_actor_name_commonness) weighs less, so that namesakes do not chain into one actor. -#}
with

person_record_pairs as (
    {#- a second import of the pairs, not a second reference to `pairs`: DuckDB materialises a CTE
        used twice, which at 100,000 reports holds every scored pair in memory -#}
    select
        left_mention_id,
        right_mention_id
    from {{ ref('int_mention_pairs_scored') }}
    where same_person_record
),

mentions as (
    select
        mention_id as node_id,
        report_id
    from {{ ref('int_victim_mentions') }}
),

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

event_clusters as (
    select * from {{ ref('int_event_clusters') }}
),

name_commonness as (
    select * from {{ ref('int_actor_name_commonness') }}
),

actor_decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'actor'
),

decided_mentions as (
    {#- a reviewer names a victim mention (`<report id>#<position>`, as in int_mentions) or a
        whole report (all its victims) on each side of an actor-scope decision -#}
    select
        actor_decisions.left_report_id,
        actor_decisions.right_report_id,
        actor_decisions.decision,
        left_mentions.node_id as left_mention_id,
        right_mentions.node_id as right_mention_id
    from actor_decisions
    inner join mentions as left_mentions
        on actor_decisions.left_report_id in (left_mentions.node_id, left_mentions.report_id)
    inner join mentions as right_mentions
        on actor_decisions.right_report_id in (right_mentions.node_id, right_mentions.report_id)
),

cannot_link_mentions as (
    select distinct
        least(left_mention_id, right_mention_id) as node_a,
        greatest(left_mention_id, right_mention_id) as node_b
    from decided_mentions
    where decision = 'cannot_link'
),

must_link_mentions as (
    {#- must_link only where each side is one victim: "these two reports are one person" says
        nothing about which of several victims -#}
    select
        min(left_mention_id) as node_a,
        min(right_mention_id) as node_b
    from decided_mentions
    where decision = 'must_link'
    group by left_report_id, right_report_id
    having count(distinct left_mention_id) = 1 and count(distinct right_mention_id) = 1
),

person_record_links as (
    {#- one CPJ person page is one person, whatever else differs (CPJ's files disagree on dates) -#}
    select distinct
        least(person_record_pairs.left_mention_id, person_record_pairs.right_mention_id) as node_a,
        greatest(person_record_pairs.left_mention_id, person_record_pairs.right_mention_id) as node_b
    from person_record_pairs
    left join cannot_link_mentions
        on
            least(person_record_pairs.left_mention_id, person_record_pairs.right_mention_id) = cannot_link_mentions.node_a
            and greatest(person_record_pairs.left_mention_id, person_record_pairs.right_mention_id) = cannot_link_mentions.node_b
    where cannot_link_mentions.node_a is null
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
        pairs.name_level,
        pairs.country_level,
        pairs.organization_level,
        pairs.event_score,
        pairs.event_link_allowed,
        -- a common name is weaker evidence (int_actor_name_commonness); the commoner side counts
        pairs.actor_score + coalesce(
            case pairs.name_level
                when 'exact' then least(left_commonness.exact_name_adjustment, right_commonness.exact_name_adjustment)
                else least(left_commonness.skeleton_name_adjustment, right_commonness.skeleton_name_adjustment)
            end,
            0
        ) as actor_score,
        left_event.cluster_id = right_event.cluster_id as same_event,
        left_killed.mention_id is not null and right_killed.mention_id is not null as both_killed
    from pairs
    inner join event_clusters as left_event on pairs.left_report_id = left_event.report_id
    inner join event_clusters as right_event on pairs.right_report_id = right_event.report_id
    left join killed as left_killed on pairs.left_mention_id = left_killed.mention_id
    left join killed as right_killed on pairs.right_mention_id = right_killed.mention_id
    left join name_commonness as left_commonness on pairs.left_mention_id = left_commonness.mention_id
    left join name_commonness as right_commonness on pairs.right_mention_id = right_commonness.mention_id
    where
        pairs.name_level in ('exact', 'skeleton', 'subset', 'initials', 'fuzzy')
        and pairs.left_report_id <> pairs.right_report_id
),

scored_links as (
    select
        named_pairs.left_mention_id as node_a,
        named_pairs.right_mention_id as node_b,
        named_pairs.actor_score
    from named_pairs
    left join cannot_link_mentions
        on
            least(named_pairs.left_mention_id, named_pairs.right_mention_id) = cannot_link_mentions.node_a
            and greatest(named_pairs.left_mention_id, named_pairs.right_mention_id) = cannot_link_mentions.node_b
    where
        cannot_link_mentions.node_a is null
        -- initials ("Джуматаева В.Б." / "Venera Djumataeva") only where the country and the
        -- event or the outlet agree too
        and (
            named_pairs.name_level <> 'initials'
            or (
                named_pairs.country_level = 'same'
                and (named_pairs.same_event or named_pairs.organization_level = 'same')
            )
        )
        and (
            -- the actor model, except across two killings (a person is killed once) ...
            (
                named_pairs.actor_score >= {{ hrdw_match_threshold('actor') }}
                and not (named_pairs.both_killed and not named_pairs.same_event)
            )
            -- ... and the co-referent mentions that made their reports one event
            or (
                named_pairs.event_link_allowed
                and named_pairs.event_score >= {{ hrdw_match_threshold('mention') }}
                and named_pairs.same_event
            )
        )
),

linked as (
    {#- reviewers' actor-scope decisions apply before clustering: cannot_link removes a link,
        must_link adds one; must_link and person-record links are certain (kept by the guard) -#}
    select
        node_a,
        node_b,
        actor_score,
        false as is_certain_link
    from scored_links
    union all
    select
        node_a,
        node_b,
        cast(null as double) as actor_score,
        true as is_certain_link
    from must_link_mentions
    union all
    select
        node_a,
        node_b,
        cast(null as double) as actor_score,
        true as is_certain_link
    from person_record_links
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
        or linked.is_certain_link
        or linked.actor_score >= {{ hrdw_match_threshold('actor') + var('hrdw_strict_margin') }}
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
