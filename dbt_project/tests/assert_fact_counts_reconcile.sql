-- dim_report.fact_count is the number of fact_disclosure rows carrying that document_id.
{{ config(meta={'dagster': {'ref': {'name': 'dim_report'}}}) }}
with

published as (

    select document_id, count(*) as n_facts
    from {{ ref('fact_disclosure') }}
    group by document_id

)

select
    dim_report.document_id,
    dim_report.fact_count,
    coalesce(published.n_facts, 0) as published_facts
from {{ ref('dim_report') }} as dim_report
left join published on dim_report.document_id = published.document_id
where dim_report.fact_count <> coalesce(published.n_facts, 0)
