with

countries as (
    select * from {{ ref('countries') }}
),

aliases as (
    select * from {{ ref('country_aliases') }}
),

alias_lists as (
    select
        country_code,
        string_agg(alias, ' | ' order by alias) as known_names
    from aliases
    group by country_code
),

final as (
    select
        countries.country_code,
        countries.iso3_code,
        countries.country_name,
        countries.official_name,
        cast(countries.is_historical as boolean) as is_historical,
        alias_lists.known_names
    from countries
    left join alias_lists on countries.country_code = alias_lists.country_code
)

select * from final
