-- One row per file found under the inbox in the current run (several paths may share one sha256).
with

source as (

    select * from {{ source('landing', 'inventory') }}

),

renamed as (

    select
        cast(path as varchar)                                  as source_file,
        cast(sha256 as varchar)                                as sha256,
        cast(size_bytes as bigint)                             as size_bytes,
        cast(detected_format as varchar)                       as detected_format,
        try_cast(cast(modified_at as varchar) as timestamptz)  as modified_at,
        try_cast(cast(scanned_at as varchar) as timestamptz)   as scanned_at

    from source

)

select * from renamed
