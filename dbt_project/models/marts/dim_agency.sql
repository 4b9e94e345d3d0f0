-- One row per agency named by a report in the warehouse. Province, prefecture and division name follow from
-- the GB/T 2260 division code (seed gb2260_divisions, generated from the cpca dataset).
select
    cast(agency_id as varchar)          as agency_id,
    cast(agency_name as varchar)        as agency_name,
    cast(admin_level as varchar)        as admin_level,
    cast(province as varchar)           as province,
    cast(prefecture as varchar)         as prefecture,
    cast(division_code as varchar)      as division_code,
    cast(sector as varchar)             as sector,
    cast(name_en as varchar)            as name_en,
    cast(aliases as varchar)            as aliases,
    cast(in_register as boolean)        as in_register,
    cast(report_count as integer)       as report_count,
    cast(first_report_year as integer)  as first_report_year,
    cast(last_report_year as integer)   as last_report_year,
    cast(division_name as varchar)      as division_name

from {{ ref('int_agencies') }}
