{#- Events before any attachment: reports clustered transitively by the supported links
    (int_event_links_supported), with the guard against chained giant clusters. Inside a
    cluster larger than var hrdw_max_event_reports, or whose day-precise dates spread over more
    than var hrdw_max_event_spread_days, the co-reference links (the same named victim) between
    its reports dated to the day are tried first: each part they form that is within the
    limits keeps them (a year-only row naming a person attacked twice no longer chains the two
    attacks). Elsewhere in the cluster only strict links (is_strict_link: scoring the threshold
    plus var hrdw_strict_margin, context links plus var hrdw_strict_context_margin, reviewers'
    must_link and source incidents) survive and the cluster is computed again (it is listed in
    review_queue). The strict pass also cuts the ordinary links inside each attack (a mass
    arrest's victims are linked by context scores just above the threshold), so two strict
    components linked by an ordinary link come back together when both are dated to the day,
    their day ranges overlap, their places agree and together they stay within the limits; a
    component without a day-precise date comes back to the one component its links reach (to
    two, it stays apart); a rejoined component that drifts past the limits again keeps the
    strict pass. -#}
with

reports as (
    select report_id as node_id from {{ ref('int_reports_conformed') }}
),

report_dates as (
    select
        report_id,
        case when event_date_precision = 'day' then event_date end as day_date
    from {{ ref('int_reports_conformed') }}
),

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

supported_links as (
    select * from {{ ref('int_event_links_supported') }}
    where is_supported
),

set_aside_reports as (
    {#- both ends of every context link set aside, for review and the convergence test -#}
    select node_a as report_id
    from {{ ref('int_event_links_supported') }}
    where not is_supported
    union
    select node_b as report_id
    from {{ ref('int_event_links_supported') }}
    where not is_supported
),

first_pass as (
    {{ hrdw_connected_components('reports', 'supported_links') }}
),

first_sizes as (
    {#- a cluster is suspect when it is very large, or when its day-precise dates spread too far -#}
    {{ hrdw_component_profiles('first_pass', 'report_dates') }}
),

dated_links as (
    {#- inside a suspect cluster, first the co-reference links between reports dated to the day:
        a row dated only to a year that names a person attacked twice (a mass arrest in January,
        again in June) chains two attacks; without such rows each may be within the limits -#}
    select
        supported_links.node_a,
        supported_links.node_b
    from supported_links
    inner join first_pass on supported_links.node_a = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    inner join report_dates as dates_a on supported_links.node_a = dates_a.report_id
    inner join report_dates as dates_b on supported_links.node_b = dates_b.report_id
    where
        first_sizes.is_suspect and dates_a.day_date is not null and dates_b.day_date is not null
        -- only "the same named victim" links: context links (different victims) and links
        -- between unnamed victims inside a suspect cluster are what chains attacks on nearby
        -- days (found on the real CPJ files: Iraq, 2004-2006), so they stay with the strict
        -- pass and its rejoin rules
        and supported_links.is_named_coreference_link
),

dated_pass as (
    {{ hrdw_connected_components('reports', 'dated_links') }}
),

dated_sizes as (
    {{ hrdw_component_profiles('dated_pass', 'report_dates') }}
),

guarded_links as (
    {#- a suspect cluster keeps the co-reference links of its day-dated parts that are within
        the limits (its undated rows come back below when they reach one part only), and
        elsewhere only strict links -#}
    select supported_links.*
    from supported_links
    inner join first_pass on supported_links.node_a = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    inner join dated_pass as dated_a on supported_links.node_a = dated_a.node_id
    inner join dated_pass as dated_b on supported_links.node_b = dated_b.node_id
    inner join dated_sizes on dated_a.component_id = dated_sizes.component_id
    where
        not first_sizes.is_suspect
        or (
            dated_a.component_id = dated_b.component_id and not dated_sizes.is_suspect
            and supported_links.is_named_coreference_link
        )
        or supported_links.is_strict_link
),

second_pass as (
    {{ hrdw_connected_components('reports', 'guarded_links') }}
),

strict_profiles as (
    {{ hrdw_component_profiles('second_pass', 'report_dates') }}
),

strict_candidates as (
    {#- the strict pass also cuts the ordinary links inside each attack (a mass arrest's
        different victims are linked by context scores just above the threshold): two strict
        components joined by an ordinary link are candidates to come back together when both
        have a day-precise date, their day ranges overlap and the two together stay within the
        guard's limits (size and day span) -#}
    select distinct
        left_strict.component_id as cluster_id,
        right_strict.component_id as target_cluster_id
    from supported_links
    inner join first_pass on supported_links.node_a = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    inner join second_pass as left_strict on supported_links.node_a = left_strict.node_id
    inner join second_pass as right_strict on supported_links.node_b = right_strict.node_id
    inner join strict_profiles as left_profile on left_strict.component_id = left_profile.component_id
    inner join strict_profiles as right_profile on right_strict.component_id = right_profile.component_id
    where
        first_sizes.is_suspect
        and left_strict.component_id <> right_strict.component_id
        and left_profile.first_day <= right_profile.last_day
        and right_profile.first_day <= left_profile.last_day
        and greatest(left_profile.last_day, right_profile.last_day)
        - least(left_profile.first_day, right_profile.first_day)
        <= {{ var('hrdw_max_event_spread_days') }}
        and left_profile.reports_in_component + right_profile.reports_in_component
        <= {{ var('hrdw_max_event_reports') }}
),

strict_cities as (
    select distinct
        second_pass.component_id as cluster_id,
        mentions.city_key
    from second_pass
    inner join mentions on second_pass.node_id = mentions.report_id
    where nullif(mentions.city_key, '') is not null
),

rejoined_links as (
    {#- ... and the place agrees: both name a common city, or either names none -#}
    select
        guarded_links.node_a,
        guarded_links.node_b
    from guarded_links
    union all
    select
        agreeing.cluster_id as node_a,
        agreeing.target_cluster_id as node_b
    from ({{ hrdw_candidates_agreeing('strict_candidates', 'strict_cities', 'city_key') }}) as agreeing
),

third_pass as (
    {{ hrdw_connected_components('reports', 'rejoined_links') }}
),

third_sizes as (
    {#- rejoining can chain again: a component that drifts past the limits keeps the strict pass -#}
    {{ hrdw_component_profiles('third_pass', 'report_dates') }}
),

dated_clusters as (
    select
        second_pass.node_id as report_id,
        second_pass.component_id as strict_component_id,
        first_sizes.is_suspect as was_guarded,
        case
            when third_sizes.is_suspect then second_pass.component_id
            else third_pass.component_id
        end as cluster_id
    from second_pass
    inner join first_pass on second_pass.node_id = first_pass.node_id
    inner join first_sizes on first_pass.component_id = first_sizes.component_id
    inner join third_pass on second_pass.node_id = third_pass.node_id
    inner join third_sizes on third_pass.component_id = third_sizes.component_id
),

undirected_links as (
    select
        node_a as node_id,
        node_b as neighbour_id
    from supported_links
    union all
    select
        node_b as node_id,
        node_a as neighbour_id
    from supported_links
),

clusters_with_day as (
    select distinct dated_clusters.cluster_id
    from dated_clusters
    inner join report_dates on dated_clusters.report_id = report_dates.report_id
    where report_dates.day_date is not null
),

undated_rejoins as (
    {#- a strict component without any day-precise date (a year-only row) rejoins the one dated
        component its ordinary links reach; reaching two, it stays apart (links to other undated
        rows do not count: they are as unplaced as it is) -#}
    select
        undated.strict_component_id,
        min(reached.cluster_id) as cluster_id
    from dated_clusters as undated
    inner join strict_profiles on undated.strict_component_id = strict_profiles.component_id
    inner join undirected_links on undated.report_id = undirected_links.node_id
    inner join dated_clusters as reached
        on
            undirected_links.neighbour_id = reached.report_id
            and undated.cluster_id <> reached.cluster_id
    inner join clusters_with_day on reached.cluster_id = clusters_with_day.cluster_id
    where undated.was_guarded and strict_profiles.first_day is null
    group by undated.strict_component_id
    having count(distinct reached.cluster_id) = 1
),

guarded_clusters as (
    select
        dated_clusters.report_id,
        dated_clusters.was_guarded,
        coalesce(undated_rejoins.cluster_id, dated_clusters.cluster_id) as cluster_id
    from dated_clusters
    left join undated_rejoins on dated_clusters.strict_component_id = undated_rejoins.strict_component_id
),

clusters as (
    select
        guarded_clusters.report_id,
        guarded_clusters.was_guarded,
        guarded_clusters.cluster_id,
        set_aside_reports.report_id is not null as had_context_link_set_aside
    from guarded_clusters
    left join set_aside_reports on guarded_clusters.report_id = set_aside_reports.report_id
)

select * from clusters
