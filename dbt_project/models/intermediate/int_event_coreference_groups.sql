{#- Co-reference groups: reports joined transitively by the links of int_event_links that say
    "the same victim" (a score at least the event threshold (hrdw_match_threshold('mention'))), the same source
    incident, or a reviewer's must_link. These groups are certain enough to weigh the context
    links (different victims, same attack) between them: int_event_context_links,
    int_event_links_supported. -#}
with

reports as (
    select report_id as node_id from {{ ref('int_reports_conformed') }}
),

coreference_links as (
    select
        node_a,
        node_b
    from {{ ref('int_event_links') }}
    where is_coreference_link
),

coreference_groups as (
    {{ hrdw_connected_components('reports', 'coreference_links') }}
),

report_groups as (
    select
        node_id as report_id,
        component_id as group_id
    from coreference_groups
)

select * from report_groups
