-- Every indicator code named on the right-hand side of an identity rule exists in the catalogue.
{{ config(meta={'dagster': {'ref': {'name': 'dim_indicator'}}}) }}
with

rhs_codes as (

    select rules.rule_id, trim(rhs_code) as code
    from {{ ref('identity_rules') }} as rules, unnest(string_split(rules.rhs, '+')) as rhs_codes(rhs_code)
    where rules.rhs is not null and trim(rhs_code) <> ''

)

select rhs_codes.rule_id, rhs_codes.code
from rhs_codes
left join {{ ref('indicators') }} as indicators on rhs_codes.code = indicators.code
where indicators.code is null
