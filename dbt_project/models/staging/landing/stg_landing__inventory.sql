-- One row per entry found under the inbox in the current run (several paths may share one sha256). An entry the
-- scan did not read (a link out of the inbox, a pipe, a file it may not open) has no sha256 and says why in
-- entry_reason; a readable file's entry_reason notes an odd name or modification time. A path removed from the
-- inbox since an earlier scan stays as a history row with removed_at set (and no sha256).
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
        try_cast(cast(scanned_at as varchar) as timestamptz)   as scanned_at,
        cast(entry_reason as varchar)                          as entry_reason,
        -- a history row: the path is gone from the inbox since this scan (inventories before it: none)
        try_cast(cast(removed_at as varchar) as timestamptz)   as removed_at

    from source

)

select * from renamed
