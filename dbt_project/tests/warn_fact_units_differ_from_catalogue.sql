-- Warning: a published value whose unit is not the catalogue unit of its indicator (the parser should convert,
-- e.g. 元 → 万元, and report a unit_mismatch finding otherwise).
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fact_disclosure'}}}) }}

select
    fact_disclosure.document_id,
    fact_disclosure.indicator_code,
    fact_disclosure.requester_type,
    fact_disclosure.unit,
    dim_indicator.unit as catalogue_unit
from {{ ref('fact_disclosure') }} as fact_disclosure
inner join {{ ref('dim_indicator') }} as dim_indicator on fact_disclosure.indicator_code = dim_indicator.code
where fact_disclosure.unit is distinct from dim_indicator.unit
