{#- UN SDG indicator 16.10.1 (custodian: OHCHR): cases of killing, enforced disappearance,
    arbitrary detention and other harmful acts against journalists and associated media
    personnel, trade unionists and human rights defenders, per year, country, act, victim group,
    sex and perpetrator category. A case is one person suffering one act in one event; a person has
    one role, so one group (seed sdg_16_10_1_victim_groups): nobody is counted twice as both a
    defender and a journalist. Verified: the event is reported by at least
    var('hrdw_sdg_min_independent_sources') independent sources, the sources of one organisation
    (dim_source.organization) counting once; unverified cases are counted beside them.
    The mapping of our taxonomy to the indicator's acts: seed sdg_16_10_1_acts, docs/sdg-16-10-1.md. -#}
with

violations as (
    select * from {{ ref('fct_violation') }}
),

actors as (
    select * from {{ ref('dim_actor') }}
),

source_records as (
    select * from {{ ref('bridge_event_source_record') }}
),

sources as (
    select * from {{ ref('dim_source') }}
),

acts as (
    select * from {{ ref('sdg_16_10_1_acts') }}
),

victim_groups as (
    select * from {{ ref('sdg_16_10_1_victim_groups') }}
),

sex_aliases as (
    select * from {{ ref('sex_aliases') }}
),

event_corroboration as (
    select
        source_records.event_id,
        count(distinct coalesce(sources.organization, source_records.source_name)) as independent_sources
    from source_records
    left join sources on source_records.source_name = sources.source_name
    group by source_records.event_id
),

cases as (
    select distinct
        violations.event_id,
        violations.actor_id,
        acts.sdg_act,
        violations.country_code,
        victim_groups.sdg_victim_group,
        violations.perpetrator_type as perpetrator_category,
        extract(year from violations.event_date) as event_year,
        coalesce(sex_aliases.sex, 'unknown') as sex,
        event_corroboration.independent_sources
        >= {{ var('hrdw_sdg_min_independent_sources') }} as is_verified
    from violations
    inner join acts on violations.violation_type_code = acts.violation_type_code
    inner join actors on violations.actor_id = actors.actor_id
    inner join victim_groups on actors.actor_role_code = victim_groups.victim_role
    inner join event_corroboration on violations.event_id = event_corroboration.event_id
    left join sex_aliases on {{ hrdw_label_key('actors.gender') }} = sex_aliases.source_label
    where actors.actor_kind = 'person'
),

counted as (
    select
        event_year,
        country_code,
        sdg_act,
        sdg_victim_group,
        sex,
        perpetrator_category,
        count(*) filter (where is_verified) as verified_cases,
        count(*) filter (where not is_verified) as unverified_cases
    from cases
    group by event_year, country_code, sdg_act, sdg_victim_group, sex, perpetrator_category
),

final as (
    select
        {{ hrdw_surrogate_key([
            'event_year', 'country_code', 'sdg_act', 'sdg_victim_group', 'sex', 'perpetrator_category'
        ]) }} as sdg_cell_id,
        event_year,
        country_code,
        sdg_act,
        sdg_victim_group,
        sex,
        perpetrator_category,
        verified_cases,
        unverified_cases
    from counted
)

select * from final
