-- Facts of primary documents only (see int_document_primacy), one row per
-- (agency_id, report_year, indicator_code, requester_type).
-- The parser lands one fact per (document, indicator, requester type), and the staged-facts gate (GX, blocking;
-- docs/quality.md) is that rule's one check: a repeated fact refuses publication. The tie-break below (a
-- reported value before NULL, table before narrative, better label match, then the earliest locator) is not a
-- second rule and never publishes anything: it only keeps this model's grain so that dbt build completes and the
-- gate, not a downstream grain test, is what names the defect.
with

facts as (

    select * from {{ ref('stg_landing__facts') }}

),

primary_documents as (

    select * from {{ ref('int_document_primacy') }}
    where is_primary

),

joined as (

    select
        primary_documents.agency_id,
        primary_documents.report_year,
        primary_documents.document_id,
        facts.*

    from facts
    inner join primary_documents on facts.sha256 = primary_documents.sha256

),

deduplicated as (

    select
        *,
        row_number() over (
            partition by sha256, indicator_code, requester_type
            order by
                (value is null) asc,
                (extraction_method = 'table') desc,
                match_score desc nulls last,
                locator asc nulls last,
                raw_label asc nulls last,
                raw_value asc nulls last
        ) as duplicate_rank

    from joined

)

select
    agency_id,
    report_year,
    indicator_code,
    requester_type,
    value,
    is_approximate,
    unit,
    extraction_method,
    document_id,
    sha256,
    raw_label,
    raw_value,
    raw_unit,
    locator,
    match_method,
    match_score

from deduplicated
where duplicate_rank = 1
