-- One row per extracted fact (indicator value) of a document, as the parser wrote it.
with

source as (

    select * from {{ source('landing', 'facts') }}

),

renamed as (

    select
        cast(sha256 as varchar)            as sha256,
        cast(indicator_code as varchar)    as indicator_code,
        cast(requester_type as varchar)    as requester_type,
        cast(value as double)              as value,
        cast(is_approximate as boolean)    as is_approximate,
        cast(unit as varchar)              as unit,
        cast(extraction_method as varchar) as extraction_method,
        cast(raw_label as varchar)         as raw_label,
        cast(raw_value as varchar)         as raw_value,
        cast(raw_unit as varchar)          as raw_unit,
        cast(locator as varchar)           as locator,
        cast(match_method as varchar)      as match_method,
        cast(match_score as double)        as match_score

    from source

)

select * from renamed
