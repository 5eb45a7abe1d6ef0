{#- The reports that name nobody: every victim mention of the report is anonymous (an Uwazi
    record, a form without a name; a report without mentions is not one of them). `mentions`
    has the columns of int_victim_mentions. Such a report is evidence of an attack, never a
    bridge between two (int_event_links, int_event_clusters). Returns a select of report_id. -#}
{% macro hrdw_reports_naming_nobody(mentions) -%}
    select report_id
    from {{ mentions }}
    group by report_id
    having bool_and(coalesce(is_anonymous, false))
{%- endmacro %}
