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
        {#- columns by introspection: a delivery with no decisions yet has only the lineage columns -#}
        {{ hrdw_first_present(present, ['left_report_id']) }} as left_report_id,
        {{ hrdw_first_present(present, ['right_report_id']) }} as right_report_id,
        lower({{ hrdw_first_present(present, ['decision']) }}) as decision,
        coalesce(lower({{ hrdw_first_present(present, ['scope']) }}), 'event') as decision_scope,
        {{ hrdw_first_present(present, ['reviewer']) }} as reviewer,
        {{ hrdw_first_present(present, ['reason']) }} as reason,
        {{ hrdw_parse_date(hrdw_first_present(present, ['decided_at'])) }} as decided_at
    from latest
)

select * from typed
{%- endmacro %}
