{#- One row per actor: victims (persons and organisations, matched across events with stable
    ids) and perpetrators as the sources name them ("Police"), a label naming only a category
    being that category's one actor (int_event_perpetrators). actor_role is read in one
    vocabulary (victim_roles, perpetrator_types); the source's own word is kept beside it. -#}
with

victim_mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

actor_ids as (
    select * from {{ ref('int_actor_id_registry') }}
),

event_ids as (
    select * from {{ ref('int_event_id_registry') }}
),

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

perpetrators as (
    select * from {{ ref('int_event_perpetrators') }}
),

victim_roles as (
    select * from {{ ref('victim_roles') }}
),

perpetrator_types as (
    select * from {{ ref('perpetrator_types') }}
),

victims as (
    select
        actor_ids.assigned_id as actor_id,
        min(reports.victim_kind) as actor_kind,
        coalesce(
            {{ hrdw_first_by('victim_mentions.victim_name', 'reports.source_reliability_rank, victim_mentions.mention_id') }},
            {{ hrdw_first_by('victim_mentions.victim_name_original', 'reports.source_reliability_rank, victim_mentions.mention_id') }},
            '(unnamed)'
        ) as display_name,
        string_agg(distinct victim_mentions.victim_name, ' | ' order by victim_mentions.victim_name) as name_variants,
        string_agg(distinct victim_mentions.victim_name_original, ' | ' order by victim_mentions.victim_name_original)
            as original_script_names,
        min(victim_mentions.name_key) as name_key,
        min(victim_mentions.skeleton_key) as skeleton_key,
        {{ hrdw_first_by('reports.victim_role', 'reports.source_reliability_rank, victim_mentions.mention_id') }}
            as actor_role_source_label,
        {{ hrdw_first_by('reports.victim_role_code', 'reports.source_reliability_rank, victim_mentions.mention_id') }}
            as actor_role_code,
        {{ hrdw_first_by('reports.victim_gender', 'reports.source_reliability_rank, victim_mentions.mention_id') }}
            as gender,
        string_agg(distinct reports.organization, ' | ' order by reports.organization) as organizations,
        string_agg(distinct reports.country_code, '|' order by reports.country_code) as country_codes,
        count(distinct event_ids.assigned_id) as event_count,
        count(*) as source_record_count,
        bool_or(victim_mentions.is_anonymous) as is_anonymous
    from victim_mentions
    inner join actor_ids on victim_mentions.mention_id = actor_ids.mention_id
    inner join reports on victim_mentions.report_id = reports.report_id
    inner join event_ids on victim_mentions.report_id = event_ids.report_id
    group by actor_ids.assigned_id
),

perpetrator_actors as (
    select
        actor_id,
        'perpetrator_group' as actor_kind,
        min(actor_name) as display_name,
        string_agg(distinct perpetrator_label, ' | ' order by perpetrator_label) as name_variants,
        cast(null as varchar) as original_script_names,
        min(label_key) as name_key,
        cast(null as varchar) as skeleton_key,
        min(perpetrator_label) as actor_role_source_label,
        min(perpetrator_type) as actor_role_code,
        cast(null as varchar) as gender,
        cast(null as varchar) as organizations,
        string_agg(distinct country_code, '|' order by country_code) as country_codes,
        count(distinct event_id) as event_count,
        count(*) as source_record_count,
        false as is_anonymous
    from perpetrators
    group by actor_id
),

actors as (
    select * from victims
    union all
    select * from perpetrator_actors
),

labelled as (
    select
        actors.*,
        coalesce(victim_roles.victim_role_label, perpetrator_types.perpetrator_type_label) as role_label
    from actors
    left join victim_roles
        on actors.actor_kind <> 'perpetrator_group' and actors.actor_role_code = victim_roles.victim_role
    left join perpetrator_types
        on actors.actor_kind = 'perpetrator_group' and actors.actor_role_code = perpetrator_types.perpetrator_type
),

final as (
    select
        actor_id,
        actor_kind,
        display_name,
        name_variants,
        original_script_names,
        name_key,
        skeleton_key,
        role_label as actor_role,
        actor_role_code,
        actor_role_source_label,
        gender,
        organizations,
        country_codes,
        event_count,
        source_record_count,
        is_anonymous
    from labelled
)

select * from final
