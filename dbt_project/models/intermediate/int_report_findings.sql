-- Every finding about a landed document, keyed by its sha256: the parser's (stg_landing__findings), the
-- cross-year carry-over violations, which are hard findings on the later year's report, and the shares not
-- published because the report's parts exceed its total (int_application_rates; soft: the 2014 table's answers
-- overlap its total by design, and the 2019/2021 arithmetic already has its hard identity rules). The one list every
-- count of findings is taken from: dim_report's violation, warning and finding counts (int_rule_violations),
-- fct_report_findings, mart_agency_year and the quality report agree because they all read it.
with

findings as (

    select * from {{ ref('stg_landing__findings') }}

),

-- A requester type's name in words, for the messages (the codes stay in locator).
requester_types as (

    select * from {{ ref('requester_types') }}

),

cross_year as (

    select
        checks.*,
        regexp_replace(cast(checks.carried_in as varchar), '\.0$', '')           as carried_in_text,
        regexp_replace(cast(checks.previous_carried_out as varchar), '\.0$', '') as previous_carried_out_text,
        coalesce(requester_types.label_zh, checks.requester_type)                as requester_zh,
        coalesce(requester_types.label_en, checks.requester_type)                as requester_en

    from {{ ref('int_cross_year_checks') }} as checks
    left join requester_types on checks.requester_type = requester_types.code
    where checks.check_status = 'violation'

),

-- One row per share not published, with its parts and total as printed.
rates as (

    select
        sha256, requester_type, 'open_rate_parts_exceed_total' as rule_id,
        '公开率' as metric_zh, 'open rate' as metric_en,
        concluded, granted_or_partly as parts,
        '予以公开与部分公开之和' as parts_zh, 'granted and partially granted' as parts_en
    from {{ ref('int_application_rates') }}
    where open_rate_flag = 'parts_exceed_total'

    union all

    select
        sha256, requester_type, 'not_held_share_parts_exceed_total',
        '“本机关不掌握”占比', 'share not held',
        concluded, not_held,
        '本机关不掌握数', 'not held'
    from {{ ref('int_application_rates') }}
    where not_held_share_flag = 'parts_exceed_total'

),

rates_text as (

    select
        rates.*,
        regexp_replace(cast(rates.concluded as varchar), '\.0$', '')   as concluded_text,
        regexp_replace(cast(rates.parts as varchar), '\.0$', '')       as parts_text,
        coalesce(requester_types.label_zh, rates.requester_type)       as requester_zh,
        coalesce(requester_types.label_en, rates.requester_type)       as requester_en

    from rates
    left join requester_types on rates.requester_type = requester_types.code

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
        '（' || requester_zh || '）上年结转数 ' || carried_in_text
        || ' 不等于上一年度报告（' || previous_document_id || '）的结转下年度数 '
        || previous_carried_out_text
        as varchar
    )                                        as message_zh,
    cast(
        '(' || requester_en || ') applications carried over from last year, ' || carried_in_text
        || ', differ from those the previous year''s report (' || previous_document_id
        || ') carried over to next year, ' || previous_carried_out_text
        as varchar
    )                                        as message_en,
    cast(null as varchar)                    as raw_label,
    cast(null as varchar)                    as raw_value

from cross_year

union all

select
    cast(sha256 as varchar)                  as sha256,
    cast(rule_id as varchar)                 as rule_id,
    cast('rule_violation' as varchar)        as finding_type,
    cast('soft' as varchar)                  as severity,
    cast(null as varchar)                    as indicator_code,
    cast(concluded as double)                as expected,
    cast(parts as double)                    as actual,
    cast('requester_type=' || requester_type as varchar) as locator,
    cast(
        '（' || requester_zh || '）' || parts_zh || ' ' || parts_text || ' 大于办结数 ' || concluded_text
        || '：' || metric_zh || '超过 100%，不予发布（为空）'
        as varchar
    )                                        as message_zh,
    cast(
        '(' || requester_en || ') applications ' || parts_en || ', ' || parts_text
        || ', exceed applications concluded, ' || concluded_text || ': the ' || metric_en
        || ' would be above 100 %, so it is not published (NULL)'
        as varchar
    )                                        as message_en,
    cast(null as varchar)                    as raw_label,
    cast(null as varchar)                    as raw_value

from rates_text
where sha256 is not null
