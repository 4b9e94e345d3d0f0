-- The indicator catalogue and its documented extensions, with the identity rules that mention each indicator.
with

indicators as (

    select * from {{ ref('stg_catalogue__indicators') }}

),

indicator_rules as (

    select * from {{ ref('int_indicator_rules') }}

)

select
    cast(indicators.code as varchar)                        as code,
    cast(indicators.template as varchar)                    as template,
    cast(indicators.label_zh as varchar)                    as label_zh,
    cast(indicators.label_en as varchar)                    as label_en,
    cast(indicators.unit as varchar)                        as unit,
    cast(indicators.parent_code as varchar)                 as parent_code,
    cast(indicator_rules.rules as varchar)                  as rules,
    cast(indicators.section as varchar)                     as section,
    cast(indicators.note as varchar)                        as note,
    cast(coalesce(indicator_rules.rule_count, 0) as integer) as rule_count,
    cast(indicators.is_extension as boolean)                 as is_extension

from indicators
left join indicator_rules on indicators.code = indicator_rules.code
