{{ config(materialized='incremental', unique_key='mention_id', full_refresh=false) }}
{#- Which actor id each victim mention carries, kept across runs: see macro hrdw_stable_cluster_ids. -#}
{{ hrdw_stable_cluster_ids(ref('int_actor_clusters_attached'), 'mention_id', 'ac_') }}
