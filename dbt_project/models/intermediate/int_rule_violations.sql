-- Finding counts per landed document, from int_report_findings (the parser's findings and the cross-year
-- carry-over violations); hard findings are the report's violations of its own arithmetic.
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
    cast(count(*) as integer)                                             as finding_count

from findings
group by sha256
