{#- Clustering converged: no link that clustering used (a pair scoring above the threshold, not
    cannot-linked, outside guarded clusters, not a context link set aside for want of support or
    because the two sides are told apart: one source records them as two incidents, or their
    cities, specific perpetrators or pins disagree, not touching a report that names nobody: those
    join one named event only, see int_event_clusters)
    joins reports left in different clusters. Fails if the unrolled label propagation needs
    more rounds. -#}
with

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

clusters as (
    select * from {{ ref('int_event_clusters') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'event'
)

select
    pairs.left_report_id,
    pairs.right_report_id
from pairs
inner join clusters as left_cluster on pairs.left_report_id = left_cluster.report_id
inner join clusters as right_cluster on pairs.right_report_id = right_cluster.report_id
left join decisions
    on
        least(pairs.left_report_id, pairs.right_report_id) = decisions.left_report_id
        and greatest(pairs.left_report_id, pairs.right_report_id) = decisions.right_report_id
where
    (
        (pairs.event_score >= {{ var('hrdw_event_match_threshold') }} and pairs.event_link_allowed)
        or (
            pairs.context_score >= {{ var('hrdw_context_match_threshold') }} and pairs.context_link_allowed
            and not (left_cluster.had_context_link_set_aside and right_cluster.had_context_link_set_aside)
        )
    )
    and coalesce(decisions.decision, '') <> 'cannot_link'
    and not left_cluster.was_guarded
    and not right_cluster.was_guarded
    and not left_cluster.names_nobody
    and not right_cluster.names_nobody
    and left_cluster.cluster_id <> right_cluster.cluster_id
