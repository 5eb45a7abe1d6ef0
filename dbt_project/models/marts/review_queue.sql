{#- Pairs a person should look at: report pairs scoring in the uncertain band, events the
    giant-cluster guard split, context links set aside for want of support, and month-dated
    reports attached to a multi-victim event (paired with that event's first report). Reviewers
    answer through a source of kind review_decisions (must_link / cannot_link), applied before
    clustering on the next run. -#}
{#- the comparison levels a reviewer sees for a pair (the lowest of its mention pairs) -#}
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
    where context_link_allowed and context_score >= {{ var('hrdw_context_match_threshold') }}
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

uncertain as (
    select
        least(pairs.left_report_id, pairs.right_report_id) as left_report_id,
        greatest(pairs.left_report_id, pairs.right_report_id) as right_report_id,
        max(pairs.event_score) as event_score,
        max(pairs.match_probability) as match_probability,
        {%- for level in review_levels %}
            min(pairs.{{ level }}) as {{ level }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from pairs
    group by least(pairs.left_report_id, pairs.right_report_id), greatest(pairs.left_report_id, pairs.right_report_id)
    having
        max(pairs.event_score) >= {{ var('hrdw_event_match_threshold') - var('hrdw_review_margin') }}
        and max(pairs.event_score) < {{ var('hrdw_event_match_threshold') + var('hrdw_strict_margin') }}
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

set_aside as (
    {#- a context link (different victims, same attack) that clustering set aside because too few
        reports of one side carry it, or because the two sides are told apart (one source records
        them as two incidents, or their cities, specific perpetrators or pins disagree): pairs
        between the few flagged reports, found from them (not by scanning every pair against
        every cluster) -#}
    select
        least(linking_context_pairs.left_report_id, linking_context_pairs.right_report_id) as left_report_id,
        greatest(linking_context_pairs.left_report_id, linking_context_pairs.right_report_id) as right_report_id,
        max(linking_context_pairs.event_score) as event_score,
        max(linking_context_pairs.match_probability) as match_probability,
        {%- for level in review_levels %}
            min(linking_context_pairs.{{ level }}) as {{ level }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from set_aside_reports as left_reports
    inner join linking_context_pairs on left_reports.report_id = linking_context_pairs.left_report_id
    inner join set_aside_reports as right_reports on linking_context_pairs.right_report_id = right_reports.report_id
    where left_reports.cluster_id <> right_reports.cluster_id
    group by least(linking_context_pairs.left_report_id, linking_context_pairs.right_report_id), greatest(linking_context_pairs.left_report_id, linking_context_pairs.right_report_id)
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
            when uncertain.event_score >= {{ var('hrdw_event_match_threshold') }} then 'merged with low confidence'
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
