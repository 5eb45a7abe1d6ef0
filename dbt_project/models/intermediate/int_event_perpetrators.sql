{#- Report x perpetrator label as the source names it, with its type (the source's own labels
    first, then the perpetrator_type_crosswalk defaults) and event. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

crosswalk as (
    select * from {{ ref('perpetrator_type_crosswalk') }}
),

source_labels as (
    select * from {{ ref('hrdw_source_labels') }}
    where label_kind = 'perpetrator'
),

labels as (
    select
        report_id,
        source_name,
        country_code,
        perpetrator_vocabulary,
        perpetrator_type as report_perpetrator_type,
        perpetrator_type_hint,
        trim({{ hrdw_split_to_rows('perpetrator_labels', '|') }}) as perpetrator_label
    from reports
    where perpetrator_labels is not null
),

counted_labels as (
    select
        labels.*,
        count(*) over (partition by labels.report_id) as report_label_count
    from labels
    where labels.perpetrator_label <> ''
),

typed as (
    select
        labels.report_id,
        labels.source_name,
        labels.country_code,
        labels.perpetrator_label,
        {{ hrdw_label_key('labels.perpetrator_label') }} as label_key,
        -- a label the crosswalk does not know takes its report's type when it is the report's
        -- only label (Uwazi types a label by the property it sits in, not by a crosswalk row)
        coalesce(
            source_labels.code,
            crosswalk.perpetrator_type,
            case when labels.report_label_count = 1 then labels.report_perpetrator_type end,
            'unknown'
        ) as perpetrator_type,
        -- mapped: by a label (the source's own, or the defaults) or by the source's structure
        coalesce(source_labels.code, crosswalk.perpetrator_type, labels.perpetrator_type_hint) is not null
            as label_is_mapped,
        event_ids.assigned_id as event_id,
        'ac_' || left(md5('perpetrator|' || {{ hrdw_label_key('labels.perpetrator_label') }}), 16) as actor_id
    from counted_labels as labels
    inner join event_ids on labels.report_id = event_ids.report_id
    left join source_labels
        on
            labels.source_name = source_labels.source_name
            and {{ hrdw_label_key('labels.perpetrator_label') }} = {{ hrdw_label_key('source_labels.source_label') }}
    left join crosswalk
        on
            labels.perpetrator_vocabulary = crosswalk.vocabulary
            and {{ hrdw_label_key('labels.perpetrator_label') }} = {{ hrdw_label_key('crosswalk.source_label') }}
)

select * from typed
