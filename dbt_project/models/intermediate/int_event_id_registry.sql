{{ config(materialized='incremental', unique_key='report_id', full_refresh=false) }}
{#- Which event id each report carries, kept across runs (never rebuilt from scratch, so ids stay
    stable): see macro hrdw_stable_cluster_ids. -#}
{{ hrdw_stable_cluster_ids(ref('int_event_clusters'), 'report_id', 'ev_') }}
