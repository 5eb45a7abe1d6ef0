{#- Reviewers' decisions: one row per decision, typed; unknown decisions or scopes fail the
    staging model's accepted_values tests rather than being guessed. -#}
{% macro hrdw_stage_review_decisions(source_relation, columns={}, options={}) -%}
{%- set present = hrdw_relation_columns(source_relation) -%}
with

latest as (
    {{ hrdw_latest_records(source_relation) }}
),

typed as (
    select
        _source || ':' || _source_record_id as decision_id,
        _source as source_name,
        trim(left_report_id) as left_report_id,
        trim(right_report_id) as right_report_id,
        lower(trim(decision)) as decision,
        {% if 'scope' in present -%}
            coalesce(lower(nullif(trim("scope"), '')), 'event')
        {%- else -%}
            'event'
        {%- endif %} as decision_scope,
        nullif(trim(reviewer), '') as reviewer,
        nullif(trim(reason), '') as reason,
        {{ hrdw_parse_date('decided_at') }} as decided_at
    from latest
)

select * from typed
{%- endmacro %}
