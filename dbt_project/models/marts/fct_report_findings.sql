-- One row per finding about a report in this run (rule violations, unmatched rows, other remarks),
-- attached to the report's document_id (the first path of its content). Cross-year carry-over violations
-- (fct_cross_year_checks, both years present) are findings about the later year's report.
with

findings as (

    select * from {{ ref('stg_landing__findings') }}

),

reports as (

    select * from {{ ref('int_reports') }}
    where path_rank = 1

),

cross_year as (

    select
        *,
        regexp_replace(cast(carried_in as varchar), '\.0$', '')           as carried_in_text,
        regexp_replace(cast(previous_carried_out as varchar), '\.0$', '') as previous_carried_out_text

    from {{ ref('fct_cross_year_checks') }}
    where check_status = 'violation'

)

select
    cast(reports.document_id as varchar)    as document_id,
    cast(findings.rule_id as varchar)       as rule_id,
    cast(findings.finding_type as varchar)  as finding_type,
    cast(findings.severity as varchar)      as severity,
    cast(findings.indicator_code as varchar) as indicator_code,
    cast(findings.expected as double)       as expected,
    cast(findings.actual as double)         as actual,
    cast(findings.locator as varchar)       as locator,
    cast(findings.message_zh as varchar)    as message_zh,
    cast(findings.message_en as varchar)    as message_en,
    cast(findings.raw_label as varchar)     as raw_label,
    cast(findings.raw_value as varchar)     as raw_value,
    cast(reports.agency_id as varchar)      as agency_id,
    cast(reports.report_year as integer)    as report_year,
    cast(reports.parse_status as varchar)   as parse_status

from findings
inner join reports on findings.sha256 = reports.sha256

union all

select
    cast(cross_year.document_id as varchar)  as document_id,
    cast(cross_year.rule_id as varchar)      as rule_id,
    cast('rule_violation' as varchar)        as finding_type,
    cast('hard' as varchar)                  as severity,
    cast('app_carried_in' as varchar)        as indicator_code,
    cast(cross_year.previous_carried_out as double) as expected,
    cast(cross_year.carried_in as double)    as actual,
    cast('requester_type=' || cross_year.requester_type as varchar) as locator,
    cast(
        '上年结转数（' || cross_year.requester_type || '）应等于上一年度报告的结转下年度数：'
        || 'app_carried_in = ' || cross_year.carried_in_text
        || '，上年报告 ' || cross_year.previous_document_id
        || ' 的 app_carried_out = ' || cross_year.previous_carried_out_text
        as varchar
    )                                        as message_zh,
    cast(
        'Applications carried over from last year (' || cross_year.requester_type || ') must equal the '
        || 'previous year''s carried over to next year: app_carried_in = ' || cross_year.carried_in_text
        || ', expected app_carried_out of ' || cross_year.previous_document_id || ' = '
        || cross_year.previous_carried_out_text
        as varchar
    )                                        as message_en,
    cast(null as varchar)                    as raw_label,
    cast(null as varchar)                    as raw_value,
    cast(cross_year.agency_id as varchar)    as agency_id,
    cast(cross_year.report_year as integer)  as report_year,
    cast(reports.parse_status as varchar)    as parse_status

from cross_year
inner join reports on cross_year.document_id = reports.document_id
