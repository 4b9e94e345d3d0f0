-- For each indicator code, the identity rules that mention it (as lhs or among the '+'-joined rhs codes).
with

rules as (

    select * from {{ ref('identity_rules') }}

),

mentions as (

    select trim(lhs_code) as code, rule_id
    from rules, unnest(string_split(rules.lhs, '+')) as lhs_codes(lhs_code)
    where rules.lhs is not null and trim(lhs_code) not in ('', '*')

    union

    select trim(rhs_code) as code, rule_id
    from rules, unnest(string_split(rules.rhs, '+')) as rhs_codes(rhs_code)
    where rules.rhs is not null and trim(rhs_code) <> ''

)

select
    code,
    string_agg(rule_id, ', ' order by rule_id) as rules,
    cast(count(*) as integer)                   as rule_count

from mentions
group by code
