-- One row per finding about a report in this run (rule violations, unmatched rows and other remarks, the
-- cross-year carry-over violations among them: int_report_findings), attached to the report's document_id (the
-- first path of its content).
with

findings as (

    select * from {{ ref('int_report_findings') }}

),

reports as (

    select * from {{ ref('int_reports') }}
    where path_rank = 1

),

-- The rule's name in words: an identity rule's description, or the finding's entry in the vocabulary seed.
labels as (

    select rule_id as rule, description_zh as label_zh, description_en as label_en
    from {{ ref('identity_rules') }}
    union all
    select code, label_zh, label_en
    from {{ ref('vocabulary') }}
    where domain = 'finding_rule'

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
    cast(reports.parse_status as varchar)   as parse_status,
    cast(labels.label_zh as varchar)        as rule_label_zh,
    cast(labels.label_en as varchar)        as rule_label_en

from findings
inner join reports on findings.sha256 = reports.sha256
left join labels on coalesce(findings.rule_id, findings.finding_type) = labels.rule
