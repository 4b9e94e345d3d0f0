-- Every indicator code named on either side of an identity rule exists in the catalogue ('*' = every row).
{{ config(meta={'dagster': {'ref': {'name': 'dim_indicator'}}}) }}
with

rule_codes as (

    select rules.rule_id, trim(rhs_code) as code
    from {{ ref('identity_rules') }} as rules, unnest(string_split(rules.rhs, '+')) as rhs_codes(rhs_code)
    where rules.rhs is not null and trim(rhs_code) <> ''

    union all

    select rules.rule_id, trim(lhs_code) as code
    from {{ ref('identity_rules') }} as rules, unnest(string_split(rules.lhs, '+')) as lhs_codes(lhs_code)
    where trim(lhs_code) not in ('', '*')

)

select rule_codes.rule_id, rule_codes.code
from rule_codes
left join {{ ref('stg_catalogue__indicators') }} as indicators on rule_codes.code = indicators.code
where indicators.code is null
