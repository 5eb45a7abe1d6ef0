{#- A title for an event that no source titled, from what its sources say:
    "<violations>: <victims>, <place>, <country> (<date to its precision>)", e.g.
    "Killing: Ernis Nazalov, Kara-Suu, Kyrgyzstan (2003-09-15)". Up to three victims are named,
    more are counted; a part no source gave is left out. -#}
{% macro hrdw_built_event_title(violation_labels, victim_names, victim_count, city, country_name, event_date, precision) -%}
    concat_ws(
        ' ',
        concat_ws(
            ': ',
            {{ violation_labels }},
            nullif(concat_ws(
                ', ',
                case
                    when {{ victim_count }} > 3 then cast({{ victim_count }} as varchar) || ' victims'
                    else nullif(replace({{ victim_names }}, ' | ', ', '), '')
                end,
                {{ city }},
                {{ country_name }}
            ), '')
        ),
        case {{ precision }}
            when 'day' then '(' || left(cast({{ event_date }} as varchar), 10) || ')'
            when 'month' then '(' || left(cast({{ event_date }} as varchar), 7) || ')'
            when 'year' then '(' || left(cast({{ event_date }} as varchar), 4) || ')'
        end
    )
{%- endmacro %}
