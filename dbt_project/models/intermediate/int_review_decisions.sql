{#- Reviewers' decisions on pairs of reports (must_link / cannot_link, for events or actors),
    from every source of kind review_decisions; the latest decision per pair wins
    (a tie, two decisions of one day, goes to the reviewer's name, then the decision's id: the same
    decisions give the same result whatever order they were loaded in). -#}
with

{% set decision_models = hrdw_review_decision_models() %}
decisions as (
    {% if decision_models | length == 0 %}
        select
            cast(null as varchar) as decision_id,
            cast(null as varchar) as left_report_id,
            cast(null as varchar) as right_report_id,
            cast(null as varchar) as decision,
            cast(null as varchar) as decision_scope,
            cast(null as varchar) as reviewer,
            cast(null as varchar) as reason,
            cast(null as timestamp) as decided_at
        where false
    {% else %}
        {% for model_name in decision_models %}
            select
                decision_id,
                left_report_id,
                right_report_id,
                decision,
                decision_scope,
                reviewer,
                reason,
                decided_at
            from {{ ref(model_name) }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    {% endif %}
),

ordered as (
    select
        decision,
        decision_scope,
        reviewer,
        reason,
        decided_at,
        least(left_report_id, right_report_id) as left_report_id,
        greatest(left_report_id, right_report_id) as right_report_id,
        row_number() over (
            partition by
                least(left_report_id, right_report_id), greatest(left_report_id, right_report_id),
                decision_scope
            order by decided_at desc nulls last, reviewer asc, decision_id asc
        ) as recency
    from decisions
),

latest as (
    select
        left_report_id,
        right_report_id,
        decision,
        decision_scope,
        reviewer,
        reason,
        decided_at
    from ordered
    where recency = 1
)

select * from latest
