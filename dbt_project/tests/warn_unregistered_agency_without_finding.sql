-- Warning: a parsed report of an agency outside the register should carry the parser's `agency_inferred`
-- finding (level, province and division inferred from the name), so users can see which agencies are guesses.
-- A report landed before its agency left the register has none: re-parse (bump PARSER_VERSION) to refresh.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_report_findings'}}}) }}

select
    dim_report.document_id,
    dim_report.agency_id,
    dim_report.agency_name
from {{ ref('dim_report') }} as dim_report
inner join {{ ref('dim_agency') }} as dim_agency on dim_report.agency_id = dim_agency.agency_id
where dim_report.parse_status in ('parsed', 'superseded')
  and not dim_agency.in_register
  and not exists (
      select 1
      from {{ ref('fct_report_findings') }} as findings
      where findings.document_id = dim_report.document_id
        and findings.finding_type = 'agency_inferred'
  )
