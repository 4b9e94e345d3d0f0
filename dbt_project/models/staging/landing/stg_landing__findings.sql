-- One row per finding (rule violation, unmatched row, other remark) about a document.
with

source as (

    select * from {{ source('landing', 'findings') }}

),

renamed as (

    select
        cast(sha256 as varchar)         as sha256,
        cast(finding_type as varchar)   as finding_type,
        cast(severity as varchar)       as severity,
        cast(rule_id as varchar)        as rule_id,
        cast(indicator_code as varchar) as indicator_code,
        cast(expected as double)        as expected,
        cast(actual as double)          as actual,
        cast(locator as varchar)        as locator,
        cast(raw_label as varchar)      as raw_label,
        cast(raw_value as varchar)      as raw_value,
        cast(message_zh as varchar)     as message_zh,
        cast(message_en as varchar)     as message_en

    from source

)

select * from renamed
