{#- Events: reports clustered transitively, in steps a reader can hold in mind:
    - int_event_links: the one decision of which report pairs are linked, and how (a score, the
      same source incident, a reviewer's must_link, one CPJ person page recording a killing; a
      reviewer's cannot_link removes a link);
    - int_event_coreference_groups, int_event_context_links, int_event_links_supported: context
      links (different victims, same attack) between groups of co-referent reports count only
      with enough support and when nothing in the groups tells them apart;
    - int_event_clusters_guarded: the transitive clustering, with the guard against chained
      giant clusters;
    - int_event_clusters_attached: a cluster dated only to a month joins the one multi-victim
      event of its month;
    - here, last: the reports that name nobody.
    A report that names nobody (all its victims anonymous: an Uwazi record, a form without a
    name) is evidence, never a bridge: its scored links take no part in the clustering above
    (its source incident and reviewers' must_link do); afterwards the reports that name nobody
    group by their unnamed report links (int_event_links: the one rule, same day, country, city
    or pins within var hrdw_unnamed_link_km, a shared violation type), and each such group
    joins the one named event those links reach; reaching two, it joins neither. -#}
with

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

unnamed_reports as (
    {{ hrdw_reports_naming_nobody('mentions') }}
),

unnamed_links as (
    select
        node_a,
        node_b
    from {{ ref('int_event_links') }}
    where link_reason = 'unnamed report'
),

named_clusters as (
    select * from {{ ref('int_event_clusters_attached') }}
),

clusters_naming_someone as (
    select distinct named_clusters.cluster_id
    from named_clusters
    left join unnamed_reports on named_clusters.report_id = unnamed_reports.report_id
    where unnamed_reports.report_id is null
),

unnamed_units as (
    {#- the clusters so far that name nobody: one report, one submission's reports
        (incident_key), or reports a reviewer joined -#}
    select
        named_clusters.report_id,
        named_clusters.cluster_id as node_id
    from named_clusters
    left join clusters_naming_someone on named_clusters.cluster_id = clusters_naming_someone.cluster_id
    where clusters_naming_someone.cluster_id is null
),

unnamed_unit_links as (
    {#- unnamed_links between two such clusters -#}
    select distinct
        unit_a.node_id as node_a,
        unit_b.node_id as node_b
    from unnamed_links
    inner join unnamed_units as unit_a on unnamed_links.node_a = unit_a.report_id
    inner join unnamed_units as unit_b on unnamed_links.node_b = unit_b.report_id
    where unit_a.node_id <> unit_b.node_id
),

unnamed_unit_nodes as (
    select distinct node_id from unnamed_units
),

unnamed_groups as (
    {#- the reports that name nobody of one attack (same day, same place) together -#}
    {{ hrdw_connected_components('unnamed_unit_nodes', 'unnamed_unit_links') }}
),

unnamed_link_ends as (
    select
        node_a as report_id,
        node_b as other_report_id
    from unnamed_links
    union all
    select
        node_b as report_id,
        node_a as other_report_id
    from unnamed_links
),

unnamed_candidates as (
    {#- the named events an unnamed group's links reach -#}
    select distinct
        unnamed_groups.component_id as cluster_id,
        target_clusters.cluster_id as target_cluster_id
    from unnamed_link_ends
    inner join unnamed_units on unnamed_link_ends.report_id = unnamed_units.report_id
    inner join unnamed_groups on unnamed_units.node_id = unnamed_groups.node_id
    inner join named_clusters as target_clusters on unnamed_link_ends.other_report_id = target_clusters.report_id
    inner join clusters_naming_someone on target_clusters.cluster_id = clusters_naming_someone.cluster_id
),

unnamed_attachments as (
    {#- only a unique target: an unnamed group that reaches two named events joins neither -#}
    select
        cluster_id,
        min(target_cluster_id) as target_cluster_id
    from unnamed_candidates
    group by cluster_id
    having count(*) = 1
),

clusters as (
    select
        named_clusters.report_id,
        named_clusters.was_guarded,
        named_clusters.was_attached_by_month,
        named_clusters.had_context_link_set_aside,
        coalesce(unnamed_attachments.target_cluster_id, unnamed_groups.component_id, named_clusters.cluster_id)
            as cluster_id,
        unnamed_attachments.target_cluster_id is not null as was_attached_unnamed,
        unnamed_reports.report_id is not null as names_nobody
    from named_clusters
    left join unnamed_reports on named_clusters.report_id = unnamed_reports.report_id
    left join unnamed_units on named_clusters.report_id = unnamed_units.report_id
    left join unnamed_groups on unnamed_units.node_id = unnamed_groups.node_id
    left join unnamed_attachments on unnamed_groups.component_id = unnamed_attachments.cluster_id
)

select * from clusters
