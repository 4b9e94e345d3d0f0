-- The application shares the marts publish (open_rate, not_held_share), with their parts and total, one row per
-- (agency, report year, requester type). The one home of the rule "a share lies in [0, 1]": a report whose
-- parts exceed its total (the 2014 table's answers overlap its 申请办结数, or its own arithmetic fails) gets
-- the flag `parts_exceed_total` (vocabulary seed, domain rate_flag), the marts publish NULL instead of a share
-- the report never printed, and int_report_findings turns the flag into a finding naming the figures.
with

series as (

    select * from {{ ref('int_disclosure_series') }}
    where series_code in (
        'applications_concluded', 'applications_granted', 'applications_partially_granted', 'applications_not_held'
    )

),

reports as (

    select document_id, sha256 from {{ ref('int_document_primacy') }}

),

pivoted as (

    select
        agency_id,
        report_year,
        requester_type,
        min(document_id)                                                                    as document_id,
        max(value) filter (where series_code = 'applications_concluded')                    as concluded,
        max(value) filter (where series_code = 'applications_granted')                      as granted,
        max(value) filter (where series_code = 'applications_partially_granted')            as partially_granted,
        max(value) filter (where series_code = 'applications_not_held')                     as not_held

    from series
    group by agency_id, report_year, requester_type

),

ratios as (

    select
        *,
        case
            when granted is not null or partially_granted is not null
                then coalesce(granted, 0) + coalesce(partially_granted, 0)
        end                                                 as granted_or_partly

    from pivoted

)

select
    cast(ratios.agency_id as varchar)                                   as agency_id,
    cast(ratios.report_year as integer)                                 as report_year,
    cast(ratios.requester_type as varchar)                              as requester_type,
    cast(ratios.document_id as varchar)                                 as document_id,
    cast(reports.sha256 as varchar)                                     as sha256,
    cast(ratios.concluded as double)                                    as concluded,
    cast(ratios.granted_or_partly as double)                            as granted_or_partly,
    cast(ratios.not_held as double)                                     as not_held,
    cast(ratios.granted_or_partly / nullif(ratios.concluded, 0) as double) as open_ratio,
    cast(ratios.not_held / nullif(ratios.concluded, 0) as double)       as not_held_ratio,
    cast(
        case when ratios.granted_or_partly / nullif(ratios.concluded, 0) > 1 then 'parts_exceed_total' end
        as varchar
    )                                                                   as open_rate_flag,
    cast(
        case when ratios.not_held / nullif(ratios.concluded, 0) > 1 then 'parts_exceed_total' end as varchar
    )                                                                   as not_held_share_flag

from ratios
left join reports on ratios.document_id = reports.document_id
