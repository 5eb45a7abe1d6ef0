{#- Report x violation type: each source label mapped through the violation_type_crosswalk
    seed; an unmapped label becomes `unclassified` (kept and flagged, never dropped). -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

crosswalk as (
    select * from {{ ref('violation_type_crosswalk') }}
),

labels as (
    select
        report_id,
        violation_vocabulary,
        {{ hrdw_split_to_rows('violation_labels', '|') }} as source_label
    from reports
    where violation_labels is not null
    union all
    select
        report_id,
        violation_vocabulary,
        cast(null as varchar) as source_label
    from reports
    where violation_labels is null
),

mapped as (
    select
        labels.report_id,
        labels.source_label,
        coalesce(crosswalk.violation_type_code, 'unclassified') as violation_type_code
    from labels
    left join crosswalk
        on
            labels.violation_vocabulary = crosswalk.vocabulary
            and {{ hrdw_label_key('labels.source_label') }} = {{ hrdw_label_key('crosswalk.source_label') }}
),

report_violations as (
    select
        {{ hrdw_surrogate_key(['report_id', 'violation_type_code']) }} as report_violation_id,
        report_id,
        violation_type_code,
        string_agg(distinct source_label, ' | ' order by source_label) as source_labels
    from mapped
    group by report_id, violation_type_code
)

select * from report_violations
