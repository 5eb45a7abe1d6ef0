{#- No event in the marts is dated before 1900 or after the night being built. Staging leaves such
    a date null (macro hrdw_date_in_range, reason "out of range"), so this fails only if a date
    reaches the marts another way: a misread date must stop the build, not be published. -#}
select
    event_id,
    event_date
from {{ ref('dim_event') }}
where event_date is not null and not {{ hrdw_date_in_range('event_date') }}
