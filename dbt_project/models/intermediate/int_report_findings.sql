-- Every finding about a landed document, keyed by its sha256: the parser's (stg_landing__findings) and the
-- cross-year carry-over violations, which are hard findings on the later year's report. The one list every
-- count of findings is taken from: dim_report's violation, warning and finding counts (int_rule_violations),
-- fct_report_findings, mart_agency_year and the quality report agree because they all read it.
with

findings as (

    select * from {{ ref('stg_landing__findings') }}

),

cross_year as (

    select
        *,
        regexp_replace(cast(carried_in as varchar), '\.0$', '')           as carried_in_text,
        regexp_replace(cast(previous_carried_out as varchar), '\.0$', '') as previous_carried_out_text

    from {{ ref('int_cross_year_checks') }}
    where check_status = 'violation'

)

select
    cast(sha256 as varchar)                 as sha256,
    cast(rule_id as varchar)                as rule_id,
    cast(finding_type as varchar)           as finding_type,
    cast(severity as varchar)               as severity,
    cast(indicator_code as varchar)         as indicator_code,
    cast(expected as double)                as expected,
    cast(actual as double)                  as actual,
    cast(locator as varchar)                as locator,
    cast(message_zh as varchar)             as message_zh,
    cast(message_en as varchar)             as message_en,
    cast(raw_label as varchar)              as raw_label,
    cast(raw_value as varchar)              as raw_value

from findings

union all

select
    cast(sha256 as varchar)                  as sha256,
    cast(rule_id as varchar)                 as rule_id,
    cast('rule_violation' as varchar)        as finding_type,
    cast('hard' as varchar)                  as severity,
    cast('app_carried_in' as varchar)        as indicator_code,
    cast(previous_carried_out as double)     as expected,
    cast(carried_in as double)               as actual,
    cast('requester_type=' || requester_type as varchar) as locator,
    cast(
        '上年结转数（' || requester_type || '）应等于上一年度报告的结转下年度数：'
        || 'app_carried_in = ' || carried_in_text
        || '，上年报告 ' || previous_document_id
        || ' 的 app_carried_out = ' || previous_carried_out_text
        as varchar
    )                                        as message_zh,
    cast(
        'Applications carried over from last year (' || requester_type || ') must equal the '
        || 'previous year''s carried over to next year: app_carried_in = ' || carried_in_text
        || ', expected app_carried_out of ' || previous_document_id || ' = '
        || previous_carried_out_text
        as varchar
    )                                        as message_en,
    cast(null as varchar)                    as raw_label,
    cast(null as varchar)                    as raw_value

from cross_year
