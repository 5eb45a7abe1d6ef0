{#- A report that names one perpetrator label and has a perpetrator type (from the crosswalk or
    from the source's structure, such as Uwazi's state / non-state properties) gives that label
    its type: the perpetrator actor of an Uwazi "Police" is a state actor, not "unknown". -#}
with

perpetrators as (
    select * from {{ ref('int_event_perpetrators') }}
),

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

label_counts as (
    select
        report_id,
        count(*) as report_label_count
    from perpetrators
    group by report_id
)

select
    perpetrators.report_id,
    perpetrators.perpetrator_label,
    perpetrators.perpetrator_type,
    reports.perpetrator_type as report_perpetrator_type
from perpetrators
inner join label_counts on perpetrators.report_id = label_counts.report_id
inner join reports on perpetrators.report_id = reports.report_id
where
    label_counts.report_label_count = 1
    and reports.perpetrator_type in ('state', 'non_state')
    and perpetrators.perpetrator_type <> reports.perpetrator_type
