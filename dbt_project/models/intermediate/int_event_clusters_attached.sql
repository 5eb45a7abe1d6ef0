{#- Events with month-dated clusters attached: a cluster of int_event_clusters_guarded dated
    only to a month (no day anywhere in it) joins a multi-victim event (at least var
    hrdw_attach_min_victims named victims) when that event is the only one with a day in the
    same month, country, place (or no place on either side) and category of violation: a CPJ
    row "imprisoned, June 2016" naming one of the people arrested at a mass detention that
    other sources date to the day. Ambiguous cases stay apart, and so do clusters a reviewer's
    cannot_link separates; every attachment is listed in review_queue. -#}
with

mentions as (
    select * from {{ ref('int_victim_mentions') }}
),

decisions as (
    select * from {{ ref('int_review_decisions') }}
    where decision_scope = 'event'
),

guarded_clusters as (
    select * from {{ ref('int_event_clusters_guarded') }}
),

cluster_mentions as (
    select
        guarded_clusters.cluster_id,
        mentions.report_id,
        mentions.skeleton_key,
        mentions.is_anonymous,
        mentions.country_code,
        mentions.event_date,
        mentions.event_date_precision,
        mentions.violation_categories,
        nullif(mentions.city_key, '') as city_key
    from mentions
    inner join guarded_clusters on mentions.report_id = guarded_clusters.report_id
),

cluster_profiles as (
    select
        cluster_id,
        min(country_code) as country_code,
        count(distinct country_code) as countries,
        count(distinct case when not is_anonymous then skeleton_key end) as named_victims,
        max(case when event_date_precision = 'day' then 1 else 0 end) = 1 as has_day_date
    from cluster_mentions
    group by cluster_id
),

cluster_months as (
    select distinct
        cluster_id,
        date_trunc('month', event_date) as event_month
    from cluster_mentions
    where event_date_precision in ('day', 'month')
),

cluster_cities as (
    select distinct
        cluster_id,
        city_key
    from cluster_mentions
    where city_key is not null
),

cluster_categories as (
    select distinct
        cluster_id,
        violation_category
    from (
        select
            cluster_id,
            {{ hrdw_split_to_rows('violation_categories', '|') }} as violation_category
        from cluster_mentions
        where violation_categories is not null
    ) as split_categories
),

month_only_clusters as (
    select cluster_profiles.*
    from cluster_profiles
    where
        not cluster_profiles.has_day_date
        and cluster_profiles.countries = 1
        -- a cluster that names nobody joins only on the same day (unnamed_links)
        and cluster_profiles.named_victims > 0
        and exists (
            select 1
            from cluster_months
            where cluster_months.cluster_id = cluster_profiles.cluster_id
        )
),

multi_victim_events as (
    select cluster_profiles.*
    from cluster_profiles
    where
        cluster_profiles.has_day_date
        and cluster_profiles.countries = 1
        and cluster_profiles.named_victims >= {{ var('hrdw_attach_min_victims') }}
),

month_candidates as (
    {#- equi-joins only, from the few month-only clusters to the few multi-victim events that
        share a month with them (a correlated exists over all clusters does not scale) -#}
    select distinct
        month_only.cluster_id,
        multi_victim.cluster_id as target_cluster_id
    from month_only_clusters as month_only
    inner join cluster_months as month_only_months on month_only.cluster_id = month_only_months.cluster_id
    inner join cluster_months as event_months on month_only_months.event_month = event_months.event_month
    inner join multi_victim_events as multi_victim
        on
            event_months.cluster_id = multi_victim.cluster_id
            and month_only.country_code = multi_victim.country_code
),

category_candidates as (
    {{ hrdw_candidates_sharing('month_candidates', 'cluster_categories', 'violation_category') }}
),

attach_candidates as (
    {#- the place agrees when both name one, or either names none -#}
    {{ hrdw_candidates_agreeing('category_candidates', 'cluster_cities', 'city_key') }}
),

vetoed_candidates as (
    {#- a reviewer's cannot_link between any two of their reports keeps the clusters apart -#}
    select distinct
        attach_candidates.cluster_id,
        attach_candidates.target_cluster_id
    from attach_candidates
    inner join guarded_clusters as left_reports on attach_candidates.cluster_id = left_reports.cluster_id
    inner join guarded_clusters as right_reports on attach_candidates.target_cluster_id = right_reports.cluster_id
    inner join decisions
        on
            least(left_reports.report_id, right_reports.report_id) = decisions.left_report_id
            and greatest(left_reports.report_id, right_reports.report_id) = decisions.right_report_id
    where decisions.decision = 'cannot_link'
),

attachments as (
    {#- only an unambiguous target: a month-only cluster compatible with two events joins neither -#}
    select
        attach_candidates.cluster_id,
        min(attach_candidates.target_cluster_id) as target_cluster_id
    from attach_candidates
    left join vetoed_candidates
        on
            attach_candidates.cluster_id = vetoed_candidates.cluster_id
            and attach_candidates.target_cluster_id = vetoed_candidates.target_cluster_id
    where vetoed_candidates.cluster_id is null
    group by attach_candidates.cluster_id
    having count(*) = 1
),

attached_clusters as (
    select
        guarded_clusters.report_id,
        guarded_clusters.was_guarded,
        guarded_clusters.had_context_link_set_aside,
        coalesce(attachments.target_cluster_id, guarded_clusters.cluster_id) as cluster_id,
        attachments.target_cluster_id is not null as was_attached_by_month
    from guarded_clusters
    left join attachments on guarded_clusters.cluster_id = attachments.cluster_id
)

select * from attached_clusters
