-- Across years, same agency: every (agency, year, requester type) whose report and the previous year's both
-- print carried-over applications, and whether they agree (int_cross_year_checks decides).
select
    agency_id,
    report_year,
    requester_type,
    rule_id,
    carried_in,
    previous_carried_out,
    difference,
    check_status,
    document_id,
    previous_document_id

from {{ ref('int_cross_year_checks') }}
