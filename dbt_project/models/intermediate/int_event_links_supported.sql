{#- Links supported: every link of int_event_links that the clustering may use (the unnamed
    report links take no part in it, see int_event_clusters), with whether it is supported. A
    context link between two co-reference groups (int_event_context_links) counts only when its
    pair of groups has the support (var hrdw_context_support_share) and nothing in the two
    groups tells them apart: a source records them as two incidents (a source that lists an
    incident's victims in one record lists them all there), or the groups name cities (known
    to the gazetteer), specific perpetrators (police, security services...) or precise pins,
    and none of them agree. A group whose kept context links reach two groups told apart would
    chain two attacks: its links to both are set aside. Every other link (the same victim, the
    same source incident, a reviewer's must_link) is supported. -#}
with

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

linked as (
    select * from {{ ref('int_event_links') }}
    where link_reason <> 'unnamed report'
),

coreference_groups as (
    select
        report_id as node_id,
        group_id as component_id
    from {{ ref('int_event_coreference_groups') }}
),

context_only_links as (
    select * from {{ ref('int_event_context_links') }}
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
    from context_only_links
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
        context_only_links.node_a,
        context_only_links.node_b,
        context_only_links.group_x,
        context_only_links.group_y,
        context_only_links.node_x,
        context_only_links.node_y,
        context_only_links.is_share_supported and groups_told_apart.group_x is null as is_supported
    from context_only_links
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


supported as (
    select
        linked.node_a,
        linked.node_b,
        linked.link_reason,
        linked.best_score,
        linked.best_context_score,
        linked.best_named_score,
        linked.is_named_coreference_link,
        linked.is_strict_link,
        coalesce(context_links_judged.is_supported, true) as is_supported
    from linked
    left join context_links_judged
        on
            linked.node_a = context_links_judged.node_a
            and linked.node_b = context_links_judged.node_b
            and linked.link_reason = 'score'
)

select * from supported
