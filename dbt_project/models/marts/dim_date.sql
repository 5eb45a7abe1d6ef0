{#- One row per day from the earliest to the latest event date (whole years), for joins and
    calendars. An event's date is the first day of its period; see event_date_precision. -#}
with

events as (
    select * from {{ ref('dim_event') }}
),

bounds as (
    select
        coalesce(min(event_year), 2000) as first_year,
        coalesce(max(event_year), 2000) as last_year
    from events
),

days as (
    select cast(day_value as date) as date_day
    from bounds,
        {{ hrdw_date_series('make_date(cast(first_year as integer), 1, 1)', 'make_date(cast(last_year as integer), 12, 31)') }}
),

final as (
    select
        date_day,
        extract(year from date_day) as calendar_year,
        extract(quarter from date_day) as calendar_quarter,
        extract(month from date_day) as calendar_month,
        extract(day from date_day) as day_of_month,
        extract(isodow from date_day) as iso_day_of_week,
        left(cast(date_day as varchar), 7) as calendar_year_month
    from days
)

select * from final
