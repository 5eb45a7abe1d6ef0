{#- Report x perpetrator label as the source names it, with its type (the source's own labels
    first, then the perpetrator_type_crosswalk defaults), event and actor. A label that only names
    its type ("Non-state", "Негосударственный / Non-state", "Unknown": one of its ' / '-separated
    parts is the type's code or label) is that type's one actor, named by perpetrator_types;
    any other label ("Police", "Paramilitary Group") is an actor of its own. -#}
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

perpetrator_types as (
    select * from {{ ref('perpetrator_types') }}
),

source_labels as (
    select * from {{ ref('hrdw_source_labels') }}
    where label_kind = 'perpetrator'
),

labels as (
    -- distinct: a label a report repeats ("Police|Police") is one perpetrator of it
    select distinct
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
        event_ids.assigned_id as event_id
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
),

label_parts as (
    select distinct
        perpetrator_label,
        perpetrator_type,
        {{ hrdw_category_key(hrdw_split_to_rows('perpetrator_label', '/')) }} as part_key
    from typed
),

category_labels as (
    select distinct
        label_parts.perpetrator_label,
        label_parts.perpetrator_type,
        perpetrator_types.perpetrator_type_label
    from label_parts
    inner join perpetrator_types
        on
            label_parts.perpetrator_type = perpetrator_types.perpetrator_type
            and label_parts.part_key in (
                {{ hrdw_category_key('perpetrator_types.perpetrator_type') }},
                {{ hrdw_category_key('perpetrator_types.perpetrator_type_label') }}
            )
),

final as (
    select
        typed.*,
        category_labels.perpetrator_label is not null as is_category_label,
        coalesce(category_labels.perpetrator_type_label, typed.perpetrator_label) as actor_name,
        'ac_' || left(md5(
            case
                when category_labels.perpetrator_label is not null then 'perpetrator_type|' || typed.perpetrator_type
                else 'perpetrator|' || typed.label_key
            end
        ), 16) as actor_id
    from typed
    left join category_labels
        on
            typed.perpetrator_label = category_labels.perpetrator_label
            and typed.perpetrator_type = category_labels.perpetrator_type
)

select * from final
