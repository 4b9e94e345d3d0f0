-- One row per (agency, report year, requester type, series): applications, outcomes, reconsiderations and
-- lawsuits as series that run from the 2014 template to today, with how comparable each figure is.
with

series_values as (

    select * from {{ ref('int_disclosure_series') }}

),

series as (

    select * from {{ ref('disclosure_series') }}

)

select
    cast(series_values.agency_id as varchar)            as agency_id,
    cast(series_values.report_year as integer)          as report_year,
    cast(series_values.requester_type as varchar)       as requester_type,
    cast(series_values.series_code as varchar)          as series_code,
    cast(series_values.value as double)                 as value,
    cast(series_values.comparability as varchar)        as comparability,
    cast(series_values.is_approximate as boolean)       as is_approximate,
    cast(series.unit as varchar)                        as unit,
    cast(series.label_zh as varchar)                    as series_label_zh,
    cast(series.label_en as varchar)                    as series_label_en,
    cast(series.measure_group as varchar)               as measure_group,
    cast(series.sort_order as integer)                  as sort_order,
    cast(series_values.template as varchar)             as template,
    cast(series_values.indicator_codes as varchar)      as indicator_codes,
    cast(series_values.components_expected as integer)  as components_expected,
    cast(series_values.components_reported as integer)  as components_reported,
    cast(series_values.note_zh as varchar)              as comparability_note_zh,
    cast(series_values.note_en as varchar)              as comparability_note_en,
    cast(series_values.document_id as varchar)          as document_id

from series_values
inner join series on series_values.series_code = series.series_code
