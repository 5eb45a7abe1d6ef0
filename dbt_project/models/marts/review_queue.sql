{#- Pairs a person should look at, chosen so that the queue holds the decisions most likely to
    be wrong and stays small (issue 17: at most 5% of events): report pairs kept apart although
    they may be linked and score just under the threshold (within var hrdw_review_margin), report
    pairs merged by a score just over it although their names disagree, events the giant-cluster
    guard split (among those pairs), context links set aside for want of support, and month-dated
    reports attached to a multi-victim event (paired with that event's first report). Measured on
    development seeds (bench/matching.py reports the share of events and the wrong decisions
    caught): pairs kept apart by a veto (dates far apart) and pairs merged whose names agree were
    almost never wrong, and listing them made the queue touch ~40% of events. Reviewers answer
    through a source of kind review_decisions (must_link / cannot_link), applied before
    clustering on the next run. -#}
{#- the comparison levels a reviewer sees for a pair: those of its best-scoring mention pair -#}
{%- set review_levels = ['name_level', 'date_level', 'country_level', 'place_level', 'violation_level',
    'organization_level', 'perpetrator_level', 'blocking_rules'] %}
with

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

linking_context_pairs as (
    {#- a second import of the pairs, not a second reference to `pairs`: DuckDB materialises a
        CTE used twice, which at 100,000 reports holds every scored pair in memory -#}
    select * from {{ ref('int_mention_pairs_scored') }}
    where context_link_allowed and context_score >= {{ hrdw_match_threshold('context') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
),

clusters as (
    select * from {{ ref('int_event_clusters') }}
),

ranked_pairs as (
    {#- every mention pair that may be near the threshold, ranked within its report pair -#}
    select
        pairs.*,
        {{ hrdw_report_pair_rank('pairs', 'event_score') }}
    from pairs
    where pairs.event_score >= {{ hrdw_match_threshold('mention') - var('hrdw_review_margin') }}
),

uncertain as (
    select
        ranked_pairs.low_report_id as left_report_id,
        ranked_pairs.high_report_id as right_report_id,
        ranked_pairs.event_score,
        ranked_pairs.match_probability,
        {%- for level in review_levels %}
            ranked_pairs.{{ level }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from ranked_pairs
    inner join clusters as left_clusters on ranked_pairs.low_report_id = left_clusters.report_id
    inner join clusters as right_clusters on ranked_pairs.high_report_id = right_clusters.report_id
    where
        ranked_pairs.rank_in_report_pair = 1
        and ranked_pairs.event_score < {{ hrdw_match_threshold('mention') + var('hrdw_review_margin') }}
        and (
            -- kept apart just under the threshold, though nothing vetoes the link
            (
                left_clusters.cluster_id <> right_clusters.cluster_id
                and ranked_pairs.event_link_allowed
                and ranked_pairs.event_score < {{ hrdw_match_threshold('mention') }}
            )
            -- merged just over the threshold, though the names disagree or one is missing
            or (
                left_clusters.cluster_id = right_clusters.cluster_id
                and ranked_pairs.event_score >= {{ hrdw_match_threshold('mention') }}
                and ranked_pairs.name_level in ('conflict', 'different', 'missing')
            )
        )
),

attached as (
    {#- a month-dated report attached to a multi-victim event, paired with the event's first report;
        a pair already in the uncertain band is listed once, from there -#}
    select
        least(clusters.report_id, clusters.cluster_id) as left_report_id,
        greatest(clusters.report_id, clusters.cluster_id) as right_report_id
    from clusters
    left join uncertain
        on
            least(clusters.report_id, clusters.cluster_id) = uncertain.left_report_id
            and greatest(clusters.report_id, clusters.cluster_id) = uncertain.right_report_id
    where clusters.was_attached_by_month and uncertain.left_report_id is null
),

set_aside_reports as (
    select
        report_id,
        cluster_id
    from clusters
    where had_context_link_set_aside
),

set_aside_ranked as (
    {#- a context link (different victims, same attack) that clustering set aside because too few
        reports of one side carry it, or because the two sides are told apart (one source records
        them as two incidents, or their cities, specific perpetrators or pins disagree): pairs
        between the few flagged reports, found from them (not by scanning every pair against
        every cluster), ranked within their report pair by context score -#}
    select
        linking_context_pairs.*,
        {{ hrdw_report_pair_rank('linking_context_pairs', 'context_score') }}
    from set_aside_reports as left_reports
    inner join linking_context_pairs on left_reports.report_id = linking_context_pairs.left_report_id
    inner join set_aside_reports as right_reports on linking_context_pairs.right_report_id = right_reports.report_id
    where left_reports.cluster_id <> right_reports.cluster_id
),

set_aside as (
    select
        low_report_id as left_report_id,
        high_report_id as right_report_id,
        event_score,
        match_probability,
        {%- for level in review_levels %}
            {{ level }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from set_aside_ranked
    where rank_in_report_pair = 1
),

set_aside_not_uncertain as (
    {#- a pair already in the uncertain band is listed once, from there -#}
    select set_aside.*
    from set_aside
    left join uncertain
        on
            set_aside.left_report_id = uncertain.left_report_id
            and set_aside.right_report_id = uncertain.right_report_id
    where uncertain.left_report_id is null
),

candidates as (
    select
        left_report_id,
        right_report_id,
        event_score,
        match_probability,
        {%- for level in review_levels %}
            {{ level }},
        {%- endfor %}
        false as is_attachment,
        false as is_set_aside
    from uncertain
    union all
    select
        left_report_id,
        right_report_id,
        event_score,
        match_probability,
        {%- for level in review_levels %}
            {{ level }},
        {%- endfor %}
        false as is_attachment,
        true as is_set_aside
    from set_aside_not_uncertain
    union all
    select
        left_report_id,
        right_report_id,
        cast(null as double) as event_score,
        cast(null as double) as match_probability,
        {%- for level in review_levels %}
            cast(null as varchar) as {{ level }},
        {%- endfor %}
        true as is_attachment,
        false as is_set_aside
    from attached
),

queued as (
    select
        {{ hrdw_surrogate_key(['uncertain.left_report_id', 'uncertain.right_report_id']) }} as review_item_id,
        uncertain.left_report_id,
        uncertain.right_report_id,
        left_event.assigned_id as left_event_id,
        right_event.assigned_id as right_event_id,
        left_event.assigned_id = right_event.assigned_id as currently_same_event,
        case
            when uncertain.is_attachment then 'month-dated report attached to the one multi-victim event of its month'
            when uncertain.is_set_aside
                then 'context link set aside: too few reports of one side carry it, or the two sides are told apart'
            when left_clusters.was_guarded or right_clusters.was_guarded then 'giant cluster guard split this event'
            when left_event.assigned_id = right_event.assigned_id
                then 'merged with low confidence though the names disagree'
            else 'kept apart with low confidence'
        end as review_reason,
        uncertain.event_score,
        uncertain.match_probability,
        {%- for level in review_levels %}
            uncertain.{{ level }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from candidates as uncertain
    inner join event_ids as left_event on uncertain.left_report_id = left_event.report_id
    inner join event_ids as right_event on uncertain.right_report_id = right_event.report_id
    inner join clusters as left_clusters on uncertain.left_report_id = left_clusters.report_id
    inner join clusters as right_clusters on uncertain.right_report_id = right_clusters.report_id
    left join decisions
        on
            uncertain.left_report_id = decisions.left_report_id
            and uncertain.right_report_id = decisions.right_report_id
            and decisions.decision_scope = 'event'
    where decisions.decision is null
)

select * from queued
