{#- The report's place, searchable: one English gazetteer name for a city the place_aliases
    gazetteer knows in the report's country ("Бишкек", "Frunze" and "Bishkek city" are all
    "Bishkek"), with its admin-1 region (place_centroids); the source's text when the gazetteer
    does not know the place; null for a placeholder ("an unknown place", "Unknown", "Неизвестно").
    The text as the source wrote it stays in city_original. -#}
with

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

place_aliases as (
    select * from {{ ref('place_aliases') }}
),

place_centroids as (
    select * from {{ ref('place_centroids') }}
),

gazetteer_names as (
    select
        country_code,
        {{ hrdw_clean_name('place_name') }} as place_key,
        min(canonical_place) as canonical_place
    from place_aliases
    group by country_code, {{ hrdw_clean_name('place_name') }}
),

keyed as (
    select
        report_id,
        country_code,
        city as city_original,
        case
            when not {{ hrdw_is_placeholder_place('city') }} then {{ hrdw_place_name_key('city') }}
        end as place_key
    from reports
),

placed as (
    select
        keyed.report_id,
        keyed.city_original,
        case
            when keyed.place_key is not null
                then coalesce(gazetteer_names.canonical_place, trim(keyed.city_original))
        end as city,
        place_centroids.admin1,
        gazetteer_names.canonical_place is not null as city_in_gazetteer
    from keyed
    left join gazetteer_names
        on keyed.country_code = gazetteer_names.country_code and keyed.place_key = gazetteer_names.place_key
    left join place_centroids
        on
            gazetteer_names.country_code = place_centroids.country_code
            and gazetteer_names.canonical_place = place_centroids.canonical_place
)

select * from placed
