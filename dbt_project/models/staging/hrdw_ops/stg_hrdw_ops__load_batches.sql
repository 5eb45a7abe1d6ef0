with

batches as (
    select * from {{ source('hrdw_ops', '_load_batches') }}
),

renamed as (
    select
        _source as source_name,
        _batch_id as batch_id,
        batch_night,
        rows_loaded,
        rows_quarantined,
        _source || ':' || _batch_id as load_batch_id,
        -- UTC without a zone, as every other load time of the warehouse
        loaded_at at time zone 'UTC' as loaded_at
    from batches
)

select * from renamed
