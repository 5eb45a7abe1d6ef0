with

quarantine as (
    select * from {{ source('hrdw_ops', '_quarantine') }}
),

renamed as (
    select
        {{ hrdw_surrogate_key(['_source', '_batch_id', '_source_file', '_source_row']) }} as quarantine_id,
        _source as source_name,
        _batch_id as batch_id,
        _source_file as source_file,
        cast(_source_row as integer) as source_row,
        reason,
        raw_content,
        cast(_loaded_at as timestamp) as quarantined_at
    from quarantine
)

select * from renamed
