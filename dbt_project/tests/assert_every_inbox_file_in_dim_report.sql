-- Contract: every file found under the inbox has exactly one row in dim_report (nothing disappears silently).
-- Returns the inventory paths that are missing from dim_report or appear more than once.
{{ config(meta={'dagster': {'ref': {'name': 'dim_report'}}}) }}
with

inventory as (

    select source_file from {{ ref('stg_landing__inventory') }}

),

reports as (

    select source_file, count(*) as n_rows
    from {{ ref('dim_report') }}
    group by source_file

)

select inventory.source_file, coalesce(reports.n_rows, 0) as n_rows
from inventory
left join reports on inventory.source_file = reports.source_file
where coalesce(reports.n_rows, 0) <> 1
