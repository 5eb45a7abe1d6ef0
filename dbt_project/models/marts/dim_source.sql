with

sources as (
    select * from {{ ref('hrdw_sources') }}
),

reports as (
    select * from {{ ref('int_reports_conformed') }}
),

load_batches as (
    select * from {{ ref('stg_hrdw_ops__load_batches') }}
),

record_counts as (
    select
        source_name,
        count(*) as record_count
    from reports
    group by source_name
),

-- each source's newest good batch: a failed ingest logs none, so this is the last one that loaded
ranked_batches as (
    select
        load_batches.*,
        row_number() over (partition by load_batches.source_name order by load_batches.batch_id desc) as recency
    from load_batches
),

last_batches as (
    select
        source_name,
        batch_id as last_batch_id,
        batch_night as last_batch_night,
        loaded_at as last_loaded_at,
        rows_loaded as last_batch_rows_loaded,
        rows_quarantined as last_batch_rows_quarantined
    from ranked_batches
    where recency = 1
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
        last_batches.last_loaded_at,
        last_batches.last_batch_id,
        cast(sources.publish as boolean) as publish,
        coalesce(record_counts.record_count, 0) as record_count,
        last_batches.last_batch_night,
        last_batches.last_batch_rows_loaded,
        last_batches.last_batch_rows_quarantined,
        -- stale: no good batch of the night being built (nor a later one), whatever the wall clock says
        coalesce(last_batches.last_batch_night < {{ hrdw_run_date() }}, true) as is_stale
    from sources
    left join record_counts on sources.source_name = record_counts.source_name
    left join last_batches on sources.source_name = last_batches.source_name
)

select * from final
