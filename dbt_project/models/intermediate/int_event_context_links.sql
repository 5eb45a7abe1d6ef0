{#- Context links between co-reference groups (int_event_coreference_groups): the score links of
    int_event_links that say "different victims, same attack" (below the event threshold)
    between two groups, each oriented from the group with the smaller id, with whether their
    pair of groups has the support to be one attack by context alone: at least var
    hrdw_context_support_share of each group's day-dated reports near the links carry them (one
    misdated report does not bridge two attacks). What the groups say against one attack is
    weighed next, in int_event_links_supported. -#}
with

report_dates as (
    select
        report_id,
        case when event_date_precision = 'day' then event_date end as day_date
    from {{ ref('int_reports_conformed') }}
),

linked as (
    select * from {{ ref('int_event_links') }}
),

coreference_groups as (
    select
        report_id as node_id,
        group_id as component_id
    from {{ ref('int_event_coreference_groups') }}
),

context_only_links as (
    {#- context links (different victims, same attack) between two coreference groups, each
        link oriented from the group with the smaller id -#}
    select
        linked.node_a,
        linked.node_b,
        least(left_group.component_id, right_group.component_id) as group_x,
        greatest(left_group.component_id, right_group.component_id) as group_y,
        case
            when left_group.component_id < right_group.component_id then linked.node_a else linked.node_b
        end as node_x,
        case
            when left_group.component_id < right_group.component_id then linked.node_b else linked.node_a
        end as node_y
    from linked
    inner join coreference_groups as left_group on linked.node_a = left_group.node_id
    inner join coreference_groups as right_group on linked.node_b = right_group.node_id
    where
        linked.link_reason = 'score'
        and not linked.is_coreference_link
        and left_group.component_id <> right_group.component_id
),

context_support as (
    {#- per pair of groups: how many reports of each side carry the links, and their days -#}
    select
        context_only_links.group_x,
        context_only_links.group_y,
        count(distinct context_only_links.node_x) as linking_reports_x,
        count(distinct context_only_links.node_y) as linking_reports_y,
        min(dates_x.day_date) as first_linking_day_x,
        max(dates_x.day_date) as last_linking_day_x,
        min(dates_y.day_date) as first_linking_day_y,
        max(dates_y.day_date) as last_linking_day_y
    from context_only_links
    inner join report_dates as dates_x on context_only_links.node_x = dates_x.report_id
    inner join report_dates as dates_y on context_only_links.node_y = dates_y.report_id
    group by context_only_links.group_x, context_only_links.group_y
),

group_days as (
    select
        coreference_groups.component_id as group_id,
        report_dates.day_date
    from coreference_groups
    inner join report_dates on coreference_groups.node_id = report_dates.report_id
    where report_dates.day_date is not null
),

linking_sides as (
    {#- each side of a pair of groups: its group, how many of its reports carry the links, and
        their days -#}
    select
        group_x,
        group_y,
        group_x as group_id,
        linking_reports_x as linking_reports,
        first_linking_day_x as first_linking_day,
        last_linking_day_x as last_linking_day
    from context_support
    union all
    select
        group_x,
        group_y,
        group_y as group_id,
        linking_reports_y as linking_reports,
        first_linking_day_y as first_linking_day,
        last_linking_day_y as last_linking_day
    from context_support
),

side_support as (
    {#- a side's day-dated reports within the guard's day spread of its linking reports: the
        part of the group that could be the attack the links point at -#}
    select
        linking_sides.group_x,
        linking_sides.group_y,
        linking_sides.linking_reports,
        count(group_days.day_date) as nearby_reports
    from linking_sides
    left join group_days
        on
            linking_sides.group_id = group_days.group_id
            and group_days.day_date
            between linking_sides.first_linking_day - {{ var('hrdw_max_event_spread_days') }}
            and linking_sides.last_linking_day + {{ var('hrdw_max_event_spread_days') }}
    group by linking_sides.group_x, linking_sides.group_y, linking_sides.group_id, linking_sides.linking_reports
),

supported_group_pairs as (
    {#- two groups are one attack by context alone when at least var hrdw_context_support_share
        of each side's nearby day-dated reports carry the links: one misdated report of a group
        (a form dated a fortnight off) whose day meets another attack in the same city is not
        the group meeting it -#}
    select
        group_x,
        group_y
    from side_support
    group by group_x, group_y
    having
        min(
            case
                when linking_reports >= {{ var('hrdw_context_support_share') }} * nearby_reports then 1 else 0
            end
        ) = 1
),

context_links as (
    select
        context_only_links.node_a,
        context_only_links.node_b,
        context_only_links.group_x,
        context_only_links.group_y,
        context_only_links.node_x,
        context_only_links.node_y,
        supported_group_pairs.group_x is not null as is_share_supported
    from context_only_links
    left join supported_group_pairs
        on
            context_only_links.group_x = supported_group_pairs.group_x
            and context_only_links.group_y = supported_group_pairs.group_y
)

select * from context_links
