with

sources as (
    select * from {{ ref('hrdw_sources') }}
),

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

record_counts as (
    select
        source_name,
        count(*) as record_count,
        max(loaded_at) as last_loaded_at,
        max(batch_id) as last_batch_id
    from reports
    group by source_name
),

final as (
    select
        sources.source_name,
        sources.kind,
        sources.entity,
        sources.reliability,
        sources.description,
        sources.attribution,
        sources.organization,
        record_counts.last_loaded_at,
        record_counts.last_batch_id,
        cast(sources.publish as boolean) as publish,
        coalesce(record_counts.record_count, 0) as record_count
    from sources
    left join record_counts on sources.source_name = record_counts.source_name
)

select * from final
