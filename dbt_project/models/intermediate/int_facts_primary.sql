-- Facts of primary documents only (see int_document_primacy), one row per
-- (agency_id, report_year, indicator_code, requester_type). If a document carries the same indicator and
-- requester type twice (e.g. a repeated table), one row is kept: a reported value before NULL, table before
-- narrative, better label match, then the earliest locator. stg_landing__facts warns when that happens.
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
