-- Finding counts per landed document, from int_report_findings (the parser's findings, the cross-year
-- carry-over violations and the shares not published); hard findings are the report's violations of its own
-- arithmetic. unusable_value_count: printed figures that cannot be values of their indicator (not a number, a
-- fraction of a count, a negative count): the parser kept them as findings, not facts.
with

findings as (

    select * from {{ ref('int_report_findings') }}

)

select
    sha256,
    cast(count(*) filter (where severity = 'hard') as integer)            as violation_count,
    cast(count(*) filter (where severity = 'soft') as integer)            as warning_count,
    cast(count(*) filter (where severity = 'info') as integer)            as info_count,
    cast(count(*) filter (where finding_type = 'rule_violation') as integer) as rule_finding_count,
    cast(count(*) filter (
        where finding_type in ('unreadable_value', 'fractional_count', 'negative_value')
    ) as integer)                                                         as unusable_value_count,
    cast(count(*) as integer)                                             as finding_count

from findings
group by sha256
