{#- Events: reports clustered transitively. Two reports are linked when their best mention pair
    scores at least var hrdw_event_match_threshold, when they are reports of one source record's
    incident (incident_key), or when a reviewer said must_link; a reviewer's cannot_link removes
    the link. Guard against chained giant clusters: inside a cluster larger
    than var hrdw_max_event_reports, or whose day-precise dates spread over more than var
    hrdw_max_event_spread_days, only links scoring the threshold plus var hrdw_strict_margin
    survive and the cluster is computed again (it is listed in review_queue). -#}
with

reports as (
    select report_id as node_id from {{ ref('int_reports_conformed') }}
),

incident_links as (
    {#- one source record split into several reports (ODK repeat rows of one submission) is one
        incident: each report links to the first report of its incident -#}
    select
        report_id as node_b,
        min(report_id) over (partition by source_name, incident_key) as node_a
    from {{ ref('int_reports_conformed') }}
    where incident_key is not null
),

report_dates as (
    select
        report_id,
        case when event_date_precision = 'day' then event_date end as day_date
    from {{ ref('int_reports_conformed') }}
),

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'event'
),

report_pairs as (
    select
        least(left_report_id, right_report_id) as node_a,
        greatest(left_report_id, right_report_id) as node_b,
        max(case when event_link_allowed then event_score end) as best_score,
        max(case when context_link_allowed then context_score end) as best_context_score
    from pairs
    group by least(left_report_id, right_report_id), greatest(left_report_id, right_report_id)
),

linked as (
    select
        report_pairs.node_a,
        report_pairs.node_b,
        report_pairs.best_score,
        'score' as link_reason
    from report_pairs
    left join decisions
        on report_pairs.node_a = decisions.left_report_id and report_pairs.node_b = decisions.right_report_id
    where
        (
            report_pairs.best_score >= {{ var('hrdw_event_match_threshold') }}
            or report_pairs.best_context_score >= {{ var('hrdw_context_match_threshold') }}
        )
        and coalesce(decisions.decision, '') <> 'cannot_link'
    union all
    select
        left_report_id as node_a,
        right_report_id as node_b,
        cast(null as double) as best_score,
        'reviewer must_link' as link_reason
    from decisions
    where decision = 'must_link'
    union all
    select
        incident_links.node_a,
        incident_links.node_b,
        cast(null as double) as best_score,
        'same source incident' as link_reason
    {#- node_a is the smallest report id of its incident, so the pair is already ordered as
        decisions are (left < right) #}
    from incident_links
    left join decisions
        on incident_links.node_a = decisions.left_report_id and incident_links.node_b = decisions.right_report_id
    where incident_links.node_a <> incident_links.node_b and coalesce(decisions.decision, '') <> 'cannot_link'
),

first_pass as (
    {{ hrdw_connected_components('reports', 'linked') }}
),

first_sizes as (
    {#- a cluster is suspect when it is very large, or when its day-precise dates spread over more
        than var hrdw_max_event_spread_days: one attack happens on one day, chains drift -#}
    select
        first_pass.component_id,
        count(*) as reports_in_component,
        count(*) > {{ var('hrdw_max_event_reports') }}
        or coalesce(max(report_dates.day_date) - min(report_dates.day_date), 0)
        > {{ var('hrdw_max_event_spread_days') }} as is_suspect
    from first_pass
    inner join report_dates on first_pass.node_id = report_dates.report_id
    group by first_pass.component_id
),

guarded_links as (
    select linked.*
    from linked
    inner join first_pass on linked.node_a = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    where
        not first_sizes.is_suspect
        or linked.link_reason in ('reviewer must_link', 'same source incident')
        or linked.best_score >= {{ var('hrdw_event_match_threshold') + var('hrdw_strict_margin') }}
),

second_pass as (
    {{ hrdw_connected_components('reports', 'guarded_links') }}
),

clusters as (
    select
        second_pass.node_id as report_id,
        second_pass.component_id as cluster_id,
        first_sizes.is_suspect as was_guarded
    from second_pass
    inner join first_pass on second_pass.node_id = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
)

select * from clusters
