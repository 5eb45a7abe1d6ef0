with

violation_types as (
    select * from {{ ref('violation_types') }}
),

crosswalk as (
    select * from {{ ref('violation_type_crosswalk') }}
),

source_labels as (
    select
        violation_type_code,
        string_agg(vocabulary || ': ' || source_label, ' | ' order by vocabulary, source_label) as mapped_source_labels
    from crosswalk
    group by violation_type_code
),

final as (
    select
        violation_types.violation_type_code,
        violation_types.violation_type_label,
        violation_types.category,
        violation_types.huridocs_act_code,
        violation_types.huridocs_act_label,
        violation_types.description,
        source_labels.mapped_source_labels
    from violation_types
    left join source_labels on violation_types.violation_type_code = source_labels.violation_type_code
)

select * from final
