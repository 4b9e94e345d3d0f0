-- Across years, same agency (DOMAIN.md hard rule): applications carried over from last year in a report
-- should equal the applications carried over to next year in the previous year's report, per requester type.
-- A violation is a hard finding on the later report (int_report_findings); fct_cross_year_checks publishes
-- every pair.
with

facts as (

    select * from {{ ref('int_facts_primary') }}
    where indicator_code in ('app_carried_in', 'app_carried_out')

),

carried_in as (

    select * from facts where indicator_code = 'app_carried_in'

),

carried_out as (

    select * from facts where indicator_code = 'app_carried_out'

)

select
    cast(carried_in.agency_id as varchar)                       as agency_id,
    cast(carried_in.report_year as integer)                     as report_year,
    cast(carried_in.requester_type as varchar)                  as requester_type,
    cast('cross_year_carry_over' as varchar)                    as rule_id,
    cast(carried_in.value as double)                            as carried_in,
    cast(carried_out.value as double)                           as previous_carried_out,
    cast(carried_in.value - carried_out.value as double)        as difference,
    cast(
        case
            when carried_in.value is null or carried_out.value is null then 'not_comparable'
            when carried_in.value = carried_out.value then 'consistent'
            else 'violation'
        end as varchar
    )                                                           as check_status,
    cast(carried_in.document_id as varchar)                     as document_id,
    cast(carried_in.sha256 as varchar)                          as sha256,
    cast(carried_out.document_id as varchar)                    as previous_document_id

from carried_in
inner join carried_out
    on carried_in.agency_id = carried_out.agency_id
    and carried_in.requester_type = carried_out.requester_type
    and carried_out.report_year = carried_in.report_year - 1
