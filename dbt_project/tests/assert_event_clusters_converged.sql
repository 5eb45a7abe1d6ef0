{#- Clustering converged: no link that clustering used (a supported link of
    int_event_links_supported: a score, the same source incident or a reviewer's must_link, not
    cannot-linked and not a context link set aside), outside guarded clusters and not touching a
    report that names nobody (those join one named event only, see int_event_clusters), joins
    reports left in different clusters. Fails if the unrolled label propagation needs more
    rounds. -#}
with

links as (
    select * from {{ ref('int_event_links_supported') }}
    where is_supported
),

clusters as (
    select * from {{ ref('int_event_clusters') }}
)

select
    links.node_a,
    links.node_b,
    links.link_reason
from links
inner join clusters as left_cluster on links.node_a = left_cluster.report_id
inner join clusters as right_cluster on links.node_b = right_cluster.report_id
where
    not left_cluster.was_guarded
    and not right_cluster.was_guarded
    and not left_cluster.names_nobody
    and not right_cluster.names_nobody
    and left_cluster.cluster_id <> right_cluster.cluster_id
