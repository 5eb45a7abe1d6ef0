{#- Who was involved in each event, and how: victims and perpetrators. -#}
with

mentions as (
    select * from {{ ref('int_mentions') }}
),

perpetrators as (
    select * from {{ ref('int_event_perpetrators') }}
),

involvements as (
    select
        event_id,
        actor_id,
        'victim' as involvement,
        count(distinct report_id) as report_count
    from mentions
    group by event_id, actor_id
    union all
    select
        event_id,
        actor_id,
        'perpetrator' as involvement,
        count(distinct report_id) as report_count
    from perpetrators
    group by event_id, actor_id
),

final as (
    select
        {{ hrdw_surrogate_key(['event_id', 'actor_id', 'involvement']) }} as event_actor_id,
        event_id,
        actor_id,
        involvement,
        report_count
    from involvements
)

select * from final
