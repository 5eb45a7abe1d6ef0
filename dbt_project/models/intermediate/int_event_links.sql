{#- Event links: the one place where a pair of reports is decided to be linked, one row per
    report pair and kind of link (link_reason), with the decisions the clustering steps need.
    - score: the pair's best mention pair scores at least the event threshold (hrdw_match_threshold('mention')) (the
      same victim) or its best context score at least the context threshold (hrdw_match_threshold('context'))
      (different victims, same attack);
    - same source incident: reports of one source record's incident (incident_key);
    - reviewer must_link: a reviewer joined the two reports;
    - same person record: both reports name, as their record, one CPJ person page
      (int_mention_pairs_scored.same_person_record: CPJ's datamanager entries and its people_list give the same
      `https://cpj.org/data/people/<slug>/`) and both record a killing: a person is killed once,
      so they are one event whatever their dates say (CPJ's files date one killing to October
      2015 in one and to June 2016 in another);
    a reviewer's cannot_link removes a score, incident or person-record link.
    A report that names nobody (all its victims anonymous: an Uwazi record, a form without a
    name) is evidence, never a bridge: its scored links are no score links; they count only as
    unnamed report links, when they pass the one rule for such reports (same day, country, city
    or pins within var hrdw_unnamed_link_km, a shared violation type), and only after the
    clustering (int_event_clusters). Its source incident and reviewers' must_link still count.
    Used by int_event_links_supported (context links weighed), int_event_clusters_guarded (the
    giant-cluster guard) and int_event_clusters (reports that name nobody). -#}
with

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

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
    select * from {{ ref('int_victim_mentions') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'event'
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

person_record_links as (
    select distinct
        least(mentions_a.report_id, mentions_b.report_id) as node_a,
        greatest(mentions_a.report_id, mentions_b.report_id) as node_b
    from person_record_pairs
    inner join mentions as mentions_a on person_record_pairs.left_mention_id = mentions_a.mention_id
    inner join mentions as mentions_b on person_record_pairs.right_mention_id = mentions_b.mention_id
    where
        {{ hrdw_lists_overlap('mentions_a.violation_type_codes', "'killing'") }}
        and {{ hrdw_lists_overlap('mentions_b.violation_type_codes', "'killing'") }}
),

unnamed_reports as (
    {{ hrdw_reports_naming_nobody('mentions') }}
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
            report_pairs.best_score >= {{ hrdw_match_threshold('mention') }}
            or report_pairs.best_context_score >= {{ hrdw_match_threshold('context') }}
        )
        and coalesce(decisions.decision, '') <> 'cannot_link'
),

unnamed_links as (
    {#- THE rule for a report that names nobody, stated once: a scored link touching one counts
        only on strong signs of the same attack, in some pair of the two reports' mentions: both
        dated to the same day, the same country, the same city (a report placed only by its pin:
        the gazetteer city nearest it; where either has no city, pins within var
        hrdw_unnamed_link_km), and a shared violation type; never across cities.
        int_event_clusters uses them to group such reports and to attach them to a named event. -#}
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
    union all
    select
        person_record_links.node_a,
        person_record_links.node_b,
        cast(null as double) as best_score,
        cast(null as double) as best_context_score,
        cast(null as double) as best_named_score,
        'same person record' as link_reason
    from person_record_links
    left join decisions
        on person_record_links.node_a = decisions.left_report_id and person_record_links.node_b = decisions.right_report_id
    where coalesce(decisions.decision, '') <> 'cannot_link'
    union all
    select
        node_a,
        node_b,
        cast(null as double) as best_score,
        cast(null as double) as best_context_score,
        cast(null as double) as best_named_score,
        'unnamed report' as link_reason
    from unnamed_links
),

decided as (
    select
        node_a,
        node_b,
        link_reason,
        best_score,
        best_context_score,
        best_named_score,
        -- "the same victim" (or the same source incident, or a reviewer): the groups these form
        -- are certain enough to weigh context links between them
        link_reason in ('reviewer must_link', 'same source incident', 'same person record')
        or coalesce(link_reason = 'score' and best_score >= {{ hrdw_match_threshold('mention') }}, false)
            as is_coreference_link,
        -- the same named victim: a guarded cluster tries these first between reports dated to the day
        link_reason = 'same person record'
        or coalesce(best_named_score >= {{ hrdw_match_threshold('mention') }}, false) as is_named_coreference_link,
        -- kept by the giant-cluster guard's strict pass wherever it fires
        link_reason in ('reviewer must_link', 'same source incident', 'same person record')
        or coalesce(best_score >= {{ hrdw_match_threshold('mention') + var('hrdw_strict_margin') }}, false)
        or coalesce(
            best_context_score >= {{ hrdw_match_threshold('context') + var('hrdw_strict_context_margin') }},
            false
        ) as is_strict_link
    from linked
)

select * from decided
