{#- Actors with the victims nobody named attached (int_actor_clusters leaves each anonymous
    mention alone):
    - a report that names no victim at all (no name, not even a placeholder: an Uwazi record, a
      form without the victim's name) and has one victim is about the victim of its event when
      the event names exactly one person: it joins that person;
    - placeholders ("Unidentified", "Hassan [full name unavailable]") name one unknown person
      each: in one event, the placeholders that read the same (name_key) are that one person
      when no source has more than one of them (CPJ's files each list the same unidentified
      journalist once); "Hassan [...]" and "Ahmad [...]" are two people.
    Anything less certain stays alone: an event naming two people, a report with two nameless
    victims, a source with two placeholders in one event. -#}
with

clusters as (
    select * from {{ ref('int_actor_clusters') }}
),

mentions as (
    select * from {{ ref('int_victim_mentions') }}
    where victim_kind = 'person'
),

events as (
    select * from {{ ref('int_event_clusters') }}
),

placed as (
    select
        mentions.mention_id,
        mentions.report_id,
        mentions.source_name,
        mentions.is_anonymous,
        mentions.name_key,
        events.cluster_id as event_id,
        clusters.cluster_id as actor_id,
        coalesce(mentions.victim_name, mentions.victim_name_original) is null as is_nameless,
        count(*) over (partition by mentions.report_id) as victims_in_report
    from mentions
    inner join events on mentions.report_id = events.report_id
    inner join clusters on mentions.mention_id = clusters.mention_id
),

event_people as (
    {#- the people an event names -#}
    select
        event_id,
        min(actor_id) as actor_id,
        count(distinct actor_id) as people
    from placed
    where not is_anonymous
    group by event_id
),

nameless_attached as (
    select
        placed.mention_id,
        event_people.actor_id
    from placed
    inner join event_people on placed.event_id = event_people.event_id
    where placed.is_nameless and placed.victims_in_report = 1 and event_people.people = 1
),

placeholders as (
    select
        mention_id,
        event_id,
        name_key,
        count(*) over (partition by event_id, name_key, source_name) as in_source,
        min(mention_id) over (partition by event_id, name_key) as first_mention_id
    from placed
    where is_anonymous and not is_nameless
),

placeholder_events as (
    select
        event_id,
        name_key
    from placeholders
    group by event_id, name_key
    having max(in_source) = 1 and count(*) > 1
),

placeholders_attached as (
    select
        placeholders.mention_id,
        placeholders.first_mention_id as actor_id
    from placeholders
    inner join placeholder_events
        on placeholders.event_id = placeholder_events.event_id and placeholders.name_key = placeholder_events.name_key
),

attached as (
    select
        clusters.mention_id,
        coalesce(nameless_attached.actor_id, placeholders_attached.actor_id, clusters.cluster_id) as cluster_id,
        case
            when nameless_attached.actor_id is not null then 'nameless report'
            when placeholders_attached.actor_id is not null then 'placeholder'
        end as attached_as
    from clusters
    left join nameless_attached on clusters.mention_id = nameless_attached.mention_id
    left join placeholders_attached on clusters.mention_id = placeholders_attached.mention_id
)

select * from attached
