-- One row per (agency, report year, indicator, requester type): the values of the primary parsed document.
with

facts as (

    select * from {{ ref('int_facts_primary') }}

),

indicators as (

    select * from {{ ref('stg_catalogue__indicators') }}

)

select
    cast(facts.agency_id as varchar)                            as agency_id,
    cast(facts.report_year as integer)                          as report_year,
    cast(facts.indicator_code as varchar)                       as indicator_code,
    cast(facts.requester_type as varchar)                       as requester_type,
    cast(facts.value as double)                                 as value,
    cast(coalesce(facts.is_approximate, false) as boolean)      as is_approximate,
    cast(coalesce(facts.unit, indicators.unit) as varchar)      as unit,
    cast(facts.extraction_method as varchar)                    as extraction_method,
    cast(facts.document_id as varchar)                          as document_id

from facts
left join indicators on facts.indicator_code = indicators.code
