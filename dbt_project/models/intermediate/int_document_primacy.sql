-- One row per landed document whose file is in the current inbox inventory.
-- Documents that are parsed and name both an agency and a report year compete for their (agency_id, report_year):
-- the primary one (most distinct facts, then lexically smallest sha256) supplies fact_disclosure, the others are
-- superseded. This keeps fact_disclosure's grain (agency, year, indicator, requester type) unique.
-- A parsed document without an agency or a report year is not publishable: it competes with no one and supplies
-- no facts, because a fact row needs both. It is not dropped: int_reports keeps it (status parsed, a reason
-- saying what is missing, its findings including the parser's year_missing / agency_missing, its figure counts).
with

documents as (

    select * from {{ ref('stg_landing__documents') }}

),

inventory_hashes as (

    select distinct sha256 from {{ ref('stg_landing__inventory') }}

),

distinct_facts as (

    select distinct sha256, indicator_code, requester_type
    from {{ ref('stg_landing__facts') }}

),

fact_counts as (

    select sha256, count(*) as fact_count
    from distinct_facts
    group by sha256

),

landed as (

    select
        documents.sha256,
        documents.parse_status,
        documents.agency_id,
        documents.report_year,
        coalesce(fact_counts.fact_count, 0) as fact_count,
        (
            documents.parse_status = 'parsed'
            and documents.agency_id is not null
            and documents.report_year is not null
        ) as is_publishable

    from documents
    inner join inventory_hashes on documents.sha256 = inventory_hashes.sha256
    left join fact_counts on documents.sha256 = fact_counts.sha256

),

ranked as (

    select
        *,
        case when is_publishable then
            row_number() over (
                partition by is_publishable, agency_id, report_year
                order by fact_count desc, sha256 asc
            )
        end as primacy_rank,
        case when is_publishable then
            first_value(sha256) over (
                partition by is_publishable, agency_id, report_year
                order by fact_count desc, sha256 asc
            )
        end as primary_sha256,
        case when is_publishable then
            count(*) over (partition by is_publishable, agency_id, report_year)
        end as competing_document_count

    from landed

)

select
    sha256,
    left(sha256, 16)                               as document_id,
    parse_status,
    agency_id,
    report_year,
    cast(fact_count as integer)                    as fact_count,
    is_publishable,
    coalesce(primacy_rank = 1, false)              as is_primary,
    primary_sha256,
    left(primary_sha256, 16)                       as primary_document_id,
    cast(competing_document_count as integer)      as competing_document_count

from ranked
