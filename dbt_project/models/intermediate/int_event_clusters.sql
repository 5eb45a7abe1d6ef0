{#- Events: reports clustered transitively. Two reports are linked when their best mention pair
    scores at least var hrdw_event_match_threshold, when they are reports of one source record's
    incident (incident_key), or when a reviewer said must_link; a reviewer's cannot_link removes
    the link. A context link (different victims, same attack) between two groups of co-referent
    reports counts only when at least var hrdw_context_support_share of each group's day-dated
    reports near the links carry them (one misdated report does not bridge two attacks), and
    only when nothing in the two groups tells them apart: a source records them as two
    incidents (a source that lists an incident's victims in one record lists them all there),
    or the groups name cities (known to the gazetteer), specific perpetrators (police, security
    services...) or precise pins, and none of them agree. Guard
    against chained giant clusters: inside a cluster larger than var hrdw_max_event_reports, or
    whose day-precise dates spread over more than var hrdw_max_event_spread_days, the
    co-reference links (the same named victim) between its reports dated to the day are tried
    first: each part they form that is within the limits keeps them (a year-only row naming a
    person attacked twice no longer chains the two attacks). Elsewhere in the cluster only links
    scoring the threshold plus var hrdw_strict_margin (context links: plus var
    hrdw_strict_context_margin) survive and the cluster is computed again (it is listed in
    review_queue). The strict pass also cuts the ordinary links inside each attack (a mass
    arrest's victims are linked by context scores just above the threshold), so two strict
    components linked by an ordinary link come back together when both are dated to the day,
    their day ranges overlap, their places agree and together they stay within the limits; a
    component without a day-precise date comes back to the one component its links reach (to
    two, it stays apart); a rejoined component that drifts past the limits again keeps the
    strict pass.
    Last, a cluster dated only to a month (no day anywhere in it) joins a multi-victim event (at
    least var hrdw_attach_min_victims named victims) when that event is the only one with a day
    in the same month, country, place (or no place on either side) and category of violation: a
    CPJ row "imprisoned, June 2016" naming one of the people arrested at a mass detention that
    other sources date to the day. Ambiguous cases stay apart; every attachment is listed in
    review_queue.
    A report that names nobody (all its victims anonymous: an Uwazi record, a form without a
    name) is evidence, never a bridge: its scored links take no part in the clustering above
    (its source incident and reviewers' must_link do); afterwards the reports that name nobody
    group by their links that pass `unnamed_links` (the one rule: same day, country, city or pins
    within var hrdw_unnamed_link_km, a shared violation type), and each such group joins the one
    named event those links reach; reaching two, it joins neither. -#}
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

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'event'
),

unnamed_reports as (
    {#- reports whose victims are all anonymous (a report without mentions is not one of them) -#}
    select report_id
    from mentions
    group by report_id
    having bool_and(coalesce(is_anonymous, false))
),

report_pairs as (
    select
        least(left_report_id, right_report_id) as node_a,
        greatest(left_report_id, right_report_id) as node_b,
        max(case when event_link_allowed then event_score end) as best_score,
        max(case when context_link_allowed then context_score end) as best_context_score,
        -- the best score of a pair whose names were compared (no anonymous victim on either side)
        max(case when event_link_allowed and name_level <> 'missing' then event_score end) as best_named_score
    from pairs
    group by least(left_report_id, right_report_id), greatest(left_report_id, right_report_id)
),

score_links as (
    select
        report_pairs.node_a,
        report_pairs.node_b,
        report_pairs.best_score,
        report_pairs.best_context_score,
        report_pairs.best_named_score,
        unnamed_a.report_id is not null or unnamed_b.report_id is not null as touches_unnamed
    from report_pairs
    left join decisions
        on report_pairs.node_a = decisions.left_report_id and report_pairs.node_b = decisions.right_report_id
    left join unnamed_reports as unnamed_a on report_pairs.node_a = unnamed_a.report_id
    left join unnamed_reports as unnamed_b on report_pairs.node_b = unnamed_b.report_id
    where
        (
            report_pairs.best_score >= {{ var('hrdw_event_match_threshold') }}
            or report_pairs.best_context_score >= {{ var('hrdw_context_match_threshold') }}
        )
        and coalesce(decisions.decision, '') <> 'cannot_link'
),

unnamed_links as (
    {#- THE rule for a report that names nobody, stated once: a scored link touching one counts
        only on strong signs of the same attack, in some pair of the two reports' mentions: both
        dated to the same day, the same country, the same city (a report placed only by its pin:
        the gazetteer city nearest it; where either has no city, pins within var
        hrdw_unnamed_link_km), and a shared violation type; never across cities.
        Used below to group such reports and to attach them to a named event. -#}
    select distinct
        score_links.node_a,
        score_links.node_b
    from score_links
    inner join mentions as mentions_a on score_links.node_a = mentions_a.report_id
    inner join mentions as mentions_b on score_links.node_b = mentions_b.report_id
    where
        score_links.touches_unnamed
        and mentions_a.event_date_precision = 'day'
        and mentions_b.event_date_precision = 'day'
        and mentions_a.event_date = mentions_b.event_date
        and mentions_a.country_code = mentions_b.country_code
        and (
            -- a report placed only by its pin is in the gazetteer city nearest the pin
            coalesce(nullif(mentions_a.city_key, ''), mentions_a.pin_city_key)
            = coalesce(nullif(mentions_b.city_key, ''), mentions_b.pin_city_key)
            or (
                (
                    coalesce(nullif(mentions_a.city_key, ''), mentions_a.pin_city_key) is null
                    or coalesce(nullif(mentions_b.city_key, ''), mentions_b.pin_city_key) is null
                )
                and {{ hrdw_distance_km(
                    'mentions_a.latitude', 'mentions_a.longitude', 'mentions_b.latitude', 'mentions_b.longitude'
                ) }} <= {{ var('hrdw_unnamed_link_km') }}
            )
        )
        and mentions_a.violation_type_codes <> 'unclassified'
        and {{ hrdw_lists_overlap('mentions_a.violation_type_codes', 'mentions_b.violation_type_codes') }}
),

linked as (
    select
        node_a,
        node_b,
        best_score,
        best_context_score,
        best_named_score,
        'score' as link_reason
    from score_links
    where not touches_unnamed
    union all
    select
        left_report_id as node_a,
        right_report_id as node_b,
        cast(null as double) as best_score,
        cast(null as double) as best_context_score,
        cast(null as double) as best_named_score,
        'reviewer must_link' as link_reason
    from decisions
    where decision = 'must_link'
    union all
    select
        incident_links.node_a,
        incident_links.node_b,
        cast(null as double) as best_score,
        cast(null as double) as best_context_score,
        cast(null as double) as best_named_score,
        'same source incident' as link_reason
    {#- node_a is the smallest report id of its incident, so the pair is already ordered as
        decisions are (left < right) #}
    from incident_links
    left join decisions
        on incident_links.node_a = decisions.left_report_id and incident_links.node_b = decisions.right_report_id
    where incident_links.node_a <> incident_links.node_b and coalesce(decisions.decision, '') <> 'cannot_link'
),

coreference_links as (
    {#- links that say "the same victim" (or the same source incident, or a reviewer): the
        groups they form are certain enough to weigh context links between them -#}
    select
        node_a,
        node_b
    from linked
    where link_reason <> 'score' or best_score >= {{ var('hrdw_event_match_threshold') }}
),

coreference_groups as (
    {{ hrdw_connected_components('reports', 'coreference_links') }}
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
        and coalesce(linked.best_score, -1e9) < {{ var('hrdw_event_match_threshold') }}
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

report_named_victims as (
    select
        report_id,
        count(*) as named_victims
    from mentions
    where not is_anonymous
    group by report_id
),

source_records as (
    {#- a source's record of an incident: one report, or every report of one incident_key (the
        victims of one ODK submission), with how many victims it names -#}
    select
        reports.report_id,
        reports.source_name,
        sum(coalesce(report_named_victims.named_victims, 0)) over (
            partition by reports.source_name, coalesce(reports.incident_key, reports.report_id)
        ) as record_named_victims
    from {{ ref('int_reports_conformed') }} as reports
    left join report_named_victims on reports.report_id = report_named_victims.report_id
),

group_sources as (
    {#- per co-reference group, the sources with a record in it, and those of them with a record
        that names several victims ('|'-separated: the pairs of groups are then compared on their
        group ids alone; joining sources on their name first made a product of every group with
        every other group of a source, 200 million rows at 100,000 reports) -#}
    select
        group_id,
        string_agg(source_name, '|' order by source_name) as source_names,
        string_agg(case when lists_victims then source_name end, '|' order by source_name) as listing_source_names
    from (
        select
            coreference_groups.component_id as group_id,
            source_records.source_name,
            max(source_records.record_named_victims) >= 2 as lists_victims
        from coreference_groups
        inner join source_records on coreference_groups.node_id = source_records.report_id
        {% if var('hrdw_partial_victim_list_sources') -%}
            {#- sources known to spread one incident's victims over several records #}
            where source_records.source_name not in ('{{ var("hrdw_partial_victim_list_sources") | join("', '") }}')
        {% endif -%}
        group by coreference_groups.component_id, source_records.source_name
    ) as group_source_rows
    group by group_id
),

group_cities as (
    {#- the cities a group names, when the gazetteer knows every one of them: free-text places of
        one spot can differ ("Abtaa" and "Abtaa, Daraa province"), so they tell nothing apart -#}
    select
        coreference_groups.component_id as group_id,
        string_agg(distinct mentions.city_key, '|' order by mentions.city_key) as city_keys
    from coreference_groups
    inner join mentions on coreference_groups.node_id = mentions.report_id
    where nullif(mentions.city_key, '') is not null
    group by coreference_groups.component_id
    having bool_and(mentions.city_in_gazetteer)
),

group_perpetrators as (
    {#- the specific perpetrators (police, security services...) a group's reports name; "state"
        or "unknown" contradict nothing and are not listed -#}
    select
        group_id,
        string_agg(distinct perpetrator_kind, '|' order by perpetrator_kind) as perpetrator_kinds
    from (
        select
            coreference_groups.component_id as group_id,
            {{ hrdw_split_to_rows('mentions.perpetrator_kinds', '|') }} as perpetrator_kind
        from coreference_groups
        inner join mentions on coreference_groups.node_id = mentions.report_id
        where mentions.perpetrator_kinds is not null
    ) as group_perpetrator_rows
    group by group_id
),

group_pins as (
    {#- precise pins only: a city-centre pin says nothing of the spot -#}
    select distinct
        coreference_groups.component_id as group_id,
        mentions.latitude,
        mentions.longitude
    from coreference_groups
    inner join mentions on coreference_groups.node_id = mentions.report_id
    where mentions.coordinates_precision = 'point' and mentions.latitude is not null and mentions.longitude is not null
),

group_link_ends as (
    {#- each group with the groups its context links reach, both ways -#}
    select distinct
        group_x as group_id,
        group_y as neighbour_id
    from context_only_links
    union
    select distinct
        group_y as group_id,
        group_x as neighbour_id
    from context_only_links
),

judged_group_pairs as (
    {#- the pairs of groups to tell apart or not: those a context link joins, and those a third
        group's context links join (the pairs a chain through that group would make one event) -#}
    select
        group_x,
        group_y
    from context_support
    union
    select
        first_end.neighbour_id as group_x,
        second_end.neighbour_id as group_y
    from group_link_ends as first_end
    inner join group_link_ends as second_end
        on first_end.group_id = second_end.group_id and first_end.neighbour_id < second_end.neighbour_id
),

groups_pinned_apart as (
    {#- every precise pin of one group more than 2 km from every pin of the other (the distance
        at which int_mention_pairs_scored calls two pins in one city 'apart') -#}
    select
        judged_group_pairs.group_x,
        judged_group_pairs.group_y
    from judged_group_pairs
    inner join group_pins as pins_x on judged_group_pairs.group_x = pins_x.group_id
    inner join group_pins as pins_y on judged_group_pairs.group_y = pins_y.group_id
    group by judged_group_pairs.group_x, judged_group_pairs.group_y
    having
        min({{ hrdw_distance_km('pins_x.latitude', 'pins_x.longitude', 'pins_y.latitude', 'pins_y.longitude') }})
        > 2
),

groups_told_apart as (
    {#- what a group as a whole says against one attack, though the linking reports did not say
        it (a report without a city, a pin or a named perpetrator links both groups):
        - a source that lists an incident's victims in one record lists them all there: another
          record of that source naming none of them is another incident (resubmissions name the
          same victims and are in the same group);
        - the groups name cities the gazetteer knows and none is common to both;
        - the groups name specific perpetrators and none is common to both (police against
          security services; "state" contradicts nothing);
        - the groups carry precise pins and all are more than 2 km apart -#}
    select
        judged_group_pairs.group_x,
        judged_group_pairs.group_y
    from judged_group_pairs
    left join group_sources as sources_x on judged_group_pairs.group_x = sources_x.group_id
    left join group_sources as sources_y on judged_group_pairs.group_y = sources_y.group_id
    left join group_cities as cities_x on judged_group_pairs.group_x = cities_x.group_id
    left join group_cities as cities_y on judged_group_pairs.group_y = cities_y.group_id
    left join group_perpetrators as perpetrators_x on judged_group_pairs.group_x = perpetrators_x.group_id
    left join group_perpetrators as perpetrators_y on judged_group_pairs.group_y = perpetrators_y.group_id
    where
        coalesce({{ hrdw_lists_overlap('sources_x.listing_source_names', 'sources_y.source_names') }}, false)
        or coalesce({{ hrdw_lists_overlap('sources_y.listing_source_names', 'sources_x.source_names') }}, false)
        or not coalesce({{ hrdw_lists_overlap('cities_x.city_keys', 'cities_y.city_keys') }}, true)
        or not coalesce(
            {{ hrdw_lists_overlap('perpetrators_x.perpetrator_kinds', 'perpetrators_y.perpetrator_kinds') }}, true
        )
    union
    select
        group_x,
        group_y
    from groups_pinned_apart
),

context_links_weighed as (
    {#- every context link between two groups, with whether its pair of groups is supported and
        not told apart -#}
    select
        context_only_links.*,
        supported_group_pairs.group_x is not null and groups_told_apart.group_x is null as is_supported
    from context_only_links
    left join supported_group_pairs
        on
            context_only_links.group_x = supported_group_pairs.group_x
            and context_only_links.group_y = supported_group_pairs.group_y
    left join groups_told_apart
        on
            context_only_links.group_x = groups_told_apart.group_x
            and context_only_links.group_y = groups_told_apart.group_y
),

group_neighbours as (
    {#- each group with the groups its kept context links reach, both ways -#}
    select distinct
        group_x as group_id,
        group_y as neighbour_id
    from context_links_weighed
    where is_supported
    union
    select distinct
        group_y as group_id,
        group_x as neighbour_id
    from context_links_weighed
    where is_supported
),

bridging_links as (
    {#- a group whose kept context links reach two groups told apart would chain two attacks into
        one event; it could belong to either, so its links to both are set aside (its own
        co-referent reports stay together) -#}
    select distinct
        least(first_side.group_id, first_side.neighbour_id) as group_x,
        greatest(first_side.group_id, first_side.neighbour_id) as group_y
    from group_neighbours as first_side
    inner join group_neighbours as second_side
        on first_side.group_id = second_side.group_id and first_side.neighbour_id <> second_side.neighbour_id
    inner join groups_told_apart
        on
            least(first_side.neighbour_id, second_side.neighbour_id) = groups_told_apart.group_x
            and greatest(first_side.neighbour_id, second_side.neighbour_id) = groups_told_apart.group_y
),

context_links_judged as (
    select
        context_links_weighed.node_a,
        context_links_weighed.node_b,
        context_links_weighed.group_x,
        context_links_weighed.group_y,
        context_links_weighed.node_x,
        context_links_weighed.node_y,
        context_links_weighed.is_supported and bridging_links.group_x is null as is_supported
    from context_links_weighed
    left join bridging_links
        on
            context_links_weighed.group_x = bridging_links.group_x
            and context_links_weighed.group_y = bridging_links.group_y
),

supported_links as (
    select linked.*
    from linked
    left join context_links_judged
        on
            linked.node_a = context_links_judged.node_a
            and linked.node_b = context_links_judged.node_b
            and linked.link_reason = 'score'
    where context_links_judged.node_a is null or context_links_judged.is_supported
),

set_aside_reports as (
    {#- both ends of every context link set aside, for review and the convergence test -#}
    select node_x as report_id
    from context_links_judged
    where not is_supported
    union
    select node_y as report_id
    from context_links_judged
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
        and supported_links.best_named_score >= {{ var('hrdw_event_match_threshold') }}
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
            and supported_links.best_named_score >= {{ var('hrdw_event_match_threshold') }}
        )
        or supported_links.link_reason in ('reviewer must_link', 'same source incident')
        or supported_links.best_score >= {{ var('hrdw_event_match_threshold') + var('hrdw_strict_margin') }}
        or supported_links.best_context_score >= {{ var('hrdw_context_match_threshold') + var('hrdw_strict_context_margin') }}
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

cluster_mentions as (
    select
        guarded_clusters.cluster_id,
        mentions.report_id,
        mentions.skeleton_key,
        mentions.is_anonymous,
        mentions.country_code,
        mentions.event_date,
        mentions.event_date_precision,
        mentions.violation_categories,
        nullif(mentions.city_key, '') as city_key
    from mentions
    inner join guarded_clusters on mentions.report_id = guarded_clusters.report_id
),

cluster_profiles as (
    select
        cluster_id,
        min(country_code) as country_code,
        count(distinct country_code) as countries,
        count(distinct case when not is_anonymous then skeleton_key end) as named_victims,
        max(case when event_date_precision = 'day' then 1 else 0 end) = 1 as has_day_date
    from cluster_mentions
    group by cluster_id
),

cluster_months as (
    select distinct
        cluster_id,
        date_trunc('month', event_date) as event_month
    from cluster_mentions
    where event_date_precision in ('day', 'month')
),

cluster_cities as (
    select distinct
        cluster_id,
        city_key
    from cluster_mentions
    where city_key is not null
),

cluster_categories as (
    select distinct
        cluster_id,
        violation_category
    from (
        select
            cluster_id,
            {{ hrdw_split_to_rows('violation_categories', '|') }} as violation_category
        from cluster_mentions
        where violation_categories is not null
    ) as split_categories
),

month_only_clusters as (
    select cluster_profiles.*
    from cluster_profiles
    where
        not cluster_profiles.has_day_date
        and cluster_profiles.countries = 1
        -- a cluster that names nobody joins only on the same day (unnamed_links)
        and cluster_profiles.named_victims > 0
        and exists (
            select 1
            from cluster_months
            where cluster_months.cluster_id = cluster_profiles.cluster_id
        )
),

multi_victim_events as (
    select cluster_profiles.*
    from cluster_profiles
    where
        cluster_profiles.has_day_date
        and cluster_profiles.countries = 1
        and cluster_profiles.named_victims >= {{ var('hrdw_attach_min_victims') }}
),

month_candidates as (
    {#- equi-joins only, from the few month-only clusters to the few multi-victim events that
        share a month with them (a correlated exists over all clusters does not scale) -#}
    select distinct
        month_only.cluster_id,
        multi_victim.cluster_id as target_cluster_id
    from month_only_clusters as month_only
    inner join cluster_months as month_only_months on month_only.cluster_id = month_only_months.cluster_id
    inner join cluster_months as event_months on month_only_months.event_month = event_months.event_month
    inner join multi_victim_events as multi_victim
        on
            event_months.cluster_id = multi_victim.cluster_id
            and month_only.country_code = multi_victim.country_code
),

category_candidates as (
    {{ hrdw_candidates_sharing('month_candidates', 'cluster_categories', 'violation_category') }}
),

attach_candidates as (
    {#- the place agrees when both name one, or either names none -#}
    {{ hrdw_candidates_agreeing('category_candidates', 'cluster_cities', 'city_key') }}
),

vetoed_candidates as (
    {#- a reviewer's cannot_link between any two of their reports keeps the clusters apart -#}
    select distinct
        attach_candidates.cluster_id,
        attach_candidates.target_cluster_id
    from attach_candidates
    inner join guarded_clusters as left_reports on attach_candidates.cluster_id = left_reports.cluster_id
    inner join guarded_clusters as right_reports on attach_candidates.target_cluster_id = right_reports.cluster_id
    inner join decisions
        on
            least(left_reports.report_id, right_reports.report_id) = decisions.left_report_id
            and greatest(left_reports.report_id, right_reports.report_id) = decisions.right_report_id
    where decisions.decision = 'cannot_link'
),

attachments as (
    {#- only an unambiguous target: a month-only cluster compatible with two events joins neither -#}
    select
        attach_candidates.cluster_id,
        min(attach_candidates.target_cluster_id) as target_cluster_id
    from attach_candidates
    left join vetoed_candidates
        on
            attach_candidates.cluster_id = vetoed_candidates.cluster_id
            and attach_candidates.target_cluster_id = vetoed_candidates.target_cluster_id
    where vetoed_candidates.cluster_id is null
    group by attach_candidates.cluster_id
    having count(*) = 1
),

named_clusters as (
    select
        guarded_clusters.report_id,
        guarded_clusters.was_guarded,
        coalesce(attachments.target_cluster_id, guarded_clusters.cluster_id) as cluster_id,
        attachments.target_cluster_id is not null as was_attached_by_month,
        set_aside_reports.report_id is not null as had_context_link_set_aside
    from guarded_clusters
    left join attachments on guarded_clusters.cluster_id = attachments.cluster_id
    left join set_aside_reports on guarded_clusters.report_id = set_aside_reports.report_id
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
