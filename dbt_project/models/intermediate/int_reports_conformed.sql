{#- One shape for every source: the union of all staging models (the list is generated from
    the source YAML files), with ISO country codes, a perpetrator type, a victim-role code, the
    source's reliability, how precise its coordinates are and the normalised keys used by
    matching. A label is read by its source's own labels first (YAML `labels:`, seed
    hrdw_source_labels), then by the shared defaults. -#}
with

staged_reports as (
    {% for model_name in hrdw_staging_models() %}
        select * from {{ ref(model_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

countries as (
    select * from {{ ref('countries') }}
),

sources as (
    select * from {{ ref('hrdw_sources') }}
),

perpetrator_crosswalk as (
    select * from {{ ref('perpetrator_type_crosswalk') }}
),

perpetrator_kinds as (
    select * from {{ ref('perpetrator_kinds') }}
),

source_labels as (
    select * from {{ ref('hrdw_source_labels') }}
),

victim_role_aliases as (
    select * from {{ ref('victim_role_aliases') }}
),

place_centroids as (
    select * from {{ ref('place_centroids') }}
),

country_lookup as (
    select
        alias_key,
        min(country_code) as country_code
    from (
        select
            {{ hrdw_label_key('alias') }} as alias_key,
            country_code
        from country_aliases
        union all
        select
            lower(country_code) as alias_key,
            country_code
        from countries
        union all
        select
            lower(iso3_code) as alias_key,
            country_code
        from countries
    ) as alias_keys
    group by alias_key
),

perpetrator_labels as (
    select
        report_id,
        source_name,
        perpetrator_vocabulary,
        {{ hrdw_split_to_rows('perpetrator_labels', '|') }} as perpetrator_label
    from staged_reports
    where perpetrator_labels is not null
),

typed_perpetrator_labels as (
    select
        perpetrator_labels.report_id,
        perpetrator_labels.perpetrator_label,
        coalesce(source_labels.code, perpetrator_crosswalk.perpetrator_type) as perpetrator_type
    from perpetrator_labels
    left join source_labels
        on
            perpetrator_labels.source_name = source_labels.source_name
            and source_labels.label_kind = 'perpetrator'
            and {{ hrdw_label_key('perpetrator_labels.perpetrator_label') }}
            = {{ hrdw_label_key('source_labels.source_label') }}
    left join perpetrator_crosswalk
        on
            perpetrator_labels.perpetrator_vocabulary = perpetrator_crosswalk.vocabulary
            and {{ hrdw_label_key('perpetrator_labels.perpetrator_label') }}
            = {{ hrdw_label_key('perpetrator_crosswalk.source_label') }}
),

perpetrator_types as (
    {#- the report's perpetrator type, and the specific perpetrators it names (police, security
        services...: matching tells attacks apart by them; "state" or "unknown" name none) -#}
    select
        perpetrator_labels.report_id,
        string_agg(distinct perpetrator_kinds.perpetrator_kind, '|' order by perpetrator_kinds.perpetrator_kind)
            as perpetrator_kinds,
        case
            when count(distinct nullif(perpetrator_labels.perpetrator_type, 'unknown')) > 1
                then 'state_and_non_state'
            else coalesce(
                max(nullif(perpetrator_labels.perpetrator_type, 'unknown')),
                max(perpetrator_labels.perpetrator_type)
            )
        end as perpetrator_type
    from typed_perpetrator_labels as perpetrator_labels
    left join perpetrator_kinds
        on {{ hrdw_label_key('perpetrator_labels.perpetrator_label') }} = perpetrator_kinds.source_label
    group by perpetrator_labels.report_id
),

conformed as (
    select
        staged_reports.*,
        perpetrator_types.perpetrator_kinds,
        coalesce(source_countries.code, country_lookup.country_code) as country_code,
        {#- a multi-valued role (an Uwazi multiselect: "Journalist|Human Rights Defender") by its first value -#}
        coalesce(source_roles.code, victim_role_aliases.victim_role) as victim_role_code,
        extract(year from staged_reports.event_date) as event_year,
        coalesce(staged_reports.perpetrator_type_hint, perpetrator_types.perpetrator_type, 'unknown')
            as perpetrator_type,
        coalesce(sources.reliability, 'low') as source_reliability,
        case sources.reliability when 'high' then 1 when 'medium' then 2 else 3 end as source_reliability_rank,
        case staged_reports.event_date_precision
            when 'day' then 1 when 'month' then 2 when 'year' then 3 else 4
        end as date_precision_rank,
        nullif(concat_ws(
            '; ',
            case
                when
                    staged_reports.country_raw is not null
                    and coalesce(source_countries.code, country_lookup.country_code) is null
                    then 'country not recognised: ' || staged_reports.country_raw
            end,
            case
                when staged_reports.event_date_issue is not null
                    then
                        'event date ' || staged_reports.event_date_issue
                        || coalesce(': ' || staged_reports.event_date_raw, '')
            end,
            case when staged_reports.victim_name is null then 'no victim name' end
        ), '') as data_quality_flags
    from staged_reports
    left join country_lookup
        on {{ hrdw_label_key('staged_reports.country_raw') }} = country_lookup.alias_key
    left join source_labels as source_countries
        on
            staged_reports.source_name = source_countries.source_name
            and source_countries.label_kind = 'country'
            and {{ hrdw_label_key('staged_reports.country_raw') }} = {{ hrdw_label_key('source_countries.source_label') }}
    left join source_labels as source_roles
        on
            staged_reports.source_name = source_roles.source_name
            and source_roles.label_kind = 'victim_role'
            and {{ hrdw_label_key("split_part(staged_reports.victim_role, '|', 1)") }}
            = {{ hrdw_label_key('source_roles.source_label') }}
    left join victim_role_aliases
        on
            {{ hrdw_label_key("split_part(staged_reports.victim_role, '|', 1)") }}
            = {{ hrdw_label_key('victim_role_aliases.source_label') }}
    left join perpetrator_types
        on staged_reports.report_id = perpetrator_types.report_id
    left join sources
        on staged_reports.source_name = sources.source_name
),

-- a city's centre written as the event's coordinates says "somewhere in that city", however many
-- decimals it carries: two such pins agree because both name the city, not the spot
at_place_centres as (
    select distinct conformed.report_id
    from conformed
    inner join place_centroids
        on
            abs(conformed.latitude - place_centroids.latitude) < 0.01
            and abs(conformed.longitude - place_centroids.longitude) < 0.01
    where
        {{ hrdw_distance_km(
            'conformed.latitude', 'conformed.longitude', 'place_centroids.latitude', 'place_centroids.longitude'
        ) }} <= 0.3
),

located as (
    select
        conformed.*,
        case
            when conformed.coordinate_decimals is null then null
            when at_place_centres.report_id is not null then 'place'
            when conformed.coordinate_decimals >= 3 then 'point'
            when conformed.coordinate_decimals = 2 then 'approximate'
            else 'area'
        end as coordinates_precision
    from conformed
    left join at_place_centres on conformed.report_id = at_place_centres.report_id
)

select * from located
