{#- Report x violation type: each source label mapped by its source's own labels (YAML
    `labels.violations`, seed hrdw_source_labels), else by the violation_type_crosswalk defaults
    of its vocabulary; an unmapped label becomes `unclassified` (kept, listed in
    int_unmapped_labels, never dropped). -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

crosswalk as (
    select * from {{ ref('violation_type_crosswalk') }}
),

source_labels as (
    select * from {{ ref('hrdw_source_labels') }}
    where label_kind = 'violation'
),

labels as (
    select
        report_id,
        source_name,
        violation_vocabulary,
        {{ hrdw_split_to_rows('violation_labels', '|') }} as source_label
    from reports
    where violation_labels is not null
    union all
    select
        report_id,
        source_name,
        violation_vocabulary,
        cast(null as varchar) as source_label
    from reports
    where violation_labels is null
),

mapped as (
    select
        labels.report_id,
        labels.source_label,
        coalesce(source_labels.code, crosswalk.violation_type_code, 'unclassified') as violation_type_code
    from labels
    left join source_labels
        on
            labels.source_name = source_labels.source_name
            and {{ hrdw_label_key('labels.source_label') }} = {{ hrdw_label_key('source_labels.source_label') }}
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
