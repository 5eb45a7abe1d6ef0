{#- Per source, the labels that mapped to nothing, with how many reports carry each: violation
    labels read as `unclassified`, perpetrator labels typed by neither a label nor the source's
    structure, countries not recognised, victim roles without a code. Each is mapped where it is
    read (int_report_violations, int_event_perpetrators, int_reports_conformed); this model only
    lists what is left. The run summary and the snapshot manifest show it per source; the fix is
    a line under `labels:` in the source's YAML. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

perpetrators as (
    select * from {{ ref('int_event_perpetrators') }}
),

unclassified_reports as (
    select
        reports.source_name,
        report_violations.report_id,
        report_violations.source_labels
    from report_violations
    inner join reports on report_violations.report_id = reports.report_id
    where report_violations.violation_type_code = 'unclassified' and report_violations.source_labels is not null
),

unmapped as (
    select
        source_name,
        'violation' as label_kind,
        {{ hrdw_split_to_rows('source_labels', ' | ') }} as source_label,
        report_id
    from unclassified_reports
    union all
    select
        source_name,
        'perpetrator' as label_kind,
        perpetrator_label as source_label,
        report_id
    from perpetrators
    where not label_is_mapped
    union all
    select
        source_name,
        'country' as label_kind,
        country_raw as source_label,
        report_id
    from reports
    where country_raw is not null and country_code is null
    union all
    select
        source_name,
        'victim_role' as label_kind,
        split_part(victim_role, '|', 1) as source_label,
        report_id
    from reports
    where victim_role is not null and victim_role_code is null
),

counted as (
    select
        source_name,
        label_kind,
        source_label,
        count(distinct report_id) as report_count
    from unmapped
    group by source_name, label_kind, source_label
)

select * from counted
