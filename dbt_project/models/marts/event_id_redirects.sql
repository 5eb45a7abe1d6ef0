{{ config(materialized='incremental', unique_key='retired_event_id', full_refresh=false) }}
{#- When events merge, the ids that stop being used are kept here, pointing at the id their
    reports carry now, so an analyst holding an old id can always find the event. -#}
{{ hrdw_id_redirects(
    ref('int_event_id_registry'), ref('int_reports_conformed'), 'report_id', 'retired_event_id', 'current_event_id'
) }}
