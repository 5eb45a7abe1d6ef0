{#- Report x perpetrator label as the source names it, with its type and event. -#}
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

labels as (
    select
        report_id,
        country_code,
        perpetrator_vocabulary,
        trim({{ hrdw_split_to_rows('perpetrator_labels', '|') }}) as perpetrator_label
    from reports
    where perpetrator_labels is not null
),

typed as (
    select
        labels.report_id,
        labels.country_code,
        labels.perpetrator_label,
        {{ hrdw_label_key('labels.perpetrator_label') }} as label_key,
        coalesce(crosswalk.perpetrator_type, 'unknown') as perpetrator_type,
        event_ids.assigned_id as event_id,
        'ac_' || left(md5('perpetrator|' || {{ hrdw_label_key('labels.perpetrator_label') }}), 16) as actor_id
    from labels
    inner join event_ids on labels.report_id = event_ids.report_id
    left join crosswalk
        on
            labels.perpetrator_vocabulary = crosswalk.vocabulary
            and {{ hrdw_label_key('labels.perpetrator_label') }} = {{ hrdw_label_key('crosswalk.source_label') }}
    where labels.perpetrator_label <> ''
)

select * from typed
