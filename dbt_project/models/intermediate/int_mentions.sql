{#- The mention grain, report x victim x act, with the event and actor each belongs to. One
    source's "one event, three victims" and another's three single-victim events meet here: the
    three single-victim reports join the event of the multi-victim report through matching. -#}
with

victim_mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

report_violations as (
    select * from {{ ref('int_report_violations') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

actor_ids as (
    select * from {{ ref('int_actor_id_registry') }}
),

mentions as (
    select
        victim_mentions.mention_id,
        victim_mentions.report_id,
        victim_mentions.source_name,
        victim_mentions.source_record_id,
        victim_mentions.victim_position,
        victim_mentions.victim_name,
        victim_mentions.victim_name_original,
        victim_mentions.is_anonymous,
        report_violations.violation_type_code,
        report_violations.source_labels,
        event_ids.assigned_id as event_id,
        actor_ids.assigned_id as actor_id,
        victim_mentions.mention_id || '#' || report_violations.violation_type_code as act_mention_id
    from victim_mentions
    inner join report_violations on victim_mentions.report_id = report_violations.report_id
    inner join event_ids on victim_mentions.report_id = event_ids.report_id
    inner join actor_ids on victim_mentions.mention_id = actor_ids.mention_id
)

select * from mentions
