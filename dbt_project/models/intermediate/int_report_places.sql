{#- The report's place, searchable: one English gazetteer name for a city the place_aliases
    gazetteer knows in the report's country ("Бишкек", "Frunze" and "Bishkek city" are all
    "Bishkek"), with its admin-1 region (place_centroids); the source's text when the gazetteer
    does not know the place; null for a placeholder ("an unknown place", "Unknown", "Неизвестно").
    The text as the source wrote it stays in city_original. A report without a place of its own
    takes the first gazetteer city of its country named in its title or description ("detained
    in Bishkek", "в Бишкеке"), else the gazetteer city nearest its pin within
    var hrdw_pin_city_km; city_origin says which (field, text, pin). -#}
{%- set word = hrdw_text_name_word() -%}
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

unplaced as (
    select reports.*
    from reports
    inner join keyed on reports.report_id = keyed.report_id
    where keyed.place_key is null
),

unplaced_texts as (
    select
        report_id,
        country_code,
        1 as field_rank,
        title as body
    from unplaced
    where title is not null
    union all
    select
        report_id,
        country_code,
        2 as field_rank,
        description as body
    from unplaced
    where description is not null
),

capitalised_words as (
    select
        report_id,
        country_code,
        field_rank,
        body,
        {{ hrdw_regex_rows('body', '(' ~ word ~ ')', 1) }} as word_read
    from unplaced_texts
),

text_words as (
    {#- capitalised words in order; Russian case endings (Бишкеке, Оша) are tried without their
        last letter -#}
    select
        report_id,
        country_code,
        field_rank,
        word_read,
        strpos(body, word_read) as found_at
    from capitalised_words
),

text_places as (
    select
        text_words.report_id,
        {{ hrdw_first_by('gazetteer_names.canonical_place', 'text_words.field_rank, text_words.found_at') }}
            as canonical_place
    from text_words
    inner join gazetteer_names
        on
            text_words.country_code = gazetteer_names.country_code
            and gazetteer_names.place_key in (
                {{ hrdw_clean_name('text_words.word_read') }},
                regexp_replace({{ hrdw_clean_name('text_words.word_read') }}, '(e|a|u|om|ye|ya)$', '')
            )
    group by text_words.report_id
),

pin_distances as (
    select
        unplaced.report_id,
        place_centroids.canonical_place,
        {{ hrdw_distance_km(
            'unplaced.latitude', 'unplaced.longitude', 'place_centroids.latitude', 'place_centroids.longitude'
        ) }} as distance_km
    from unplaced
    inner join place_centroids on unplaced.country_code = place_centroids.country_code
    where unplaced.latitude is not null and unplaced.longitude is not null
),

pin_places as (
    select
        report_id,
        {{ hrdw_first_by('canonical_place', 'distance_km, canonical_place') }} as canonical_place
    from pin_distances
    where distance_km <= {{ var('hrdw_pin_city_km') }}
    group by report_id
),

placed as (
    select
        keyed.report_id,
        keyed.city_original,
        keyed.country_code,
        place_centroids.admin1,
        case
            when keyed.place_key is not null
                then coalesce(gazetteer_names.canonical_place, trim(keyed.city_original))
            else coalesce(text_places.canonical_place, pin_places.canonical_place)
        end as city,
        case
            when keyed.place_key is not null then 'field'
            when text_places.canonical_place is not null then 'text'
            when pin_places.canonical_place is not null then 'pin'
        end as city_origin,
        coalesce(gazetteer_names.canonical_place, text_places.canonical_place, pin_places.canonical_place) is not null
            as city_in_gazetteer
    from keyed
    left join gazetteer_names
        on keyed.country_code = gazetteer_names.country_code and keyed.place_key = gazetteer_names.place_key
    left join text_places on keyed.report_id = text_places.report_id
    left join pin_places on keyed.report_id = pin_places.report_id
    left join place_centroids
        on
            keyed.country_code = place_centroids.country_code
            and coalesce(gazetteer_names.canonical_place, text_places.canonical_place, pin_places.canonical_place)
            = place_centroids.canonical_place
),

final as (
    select
        report_id,
        city_original,
        city,
        city_origin,
        admin1,
        city_in_gazetteer
    from placed
)

select * from final
