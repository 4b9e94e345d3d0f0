-- Every register row's province and prefecture equal what the GB/T 2260 table (gb2260_divisions, generated
-- from the cpca dataset) says for its division code. Empty register cells are filled from the table.
{{ config(meta={"dagster": {"ref": {"name": "agency_register"}}}) }}
select
    register.agency_id,
    register.division_code,
    register.province,
    divisions.province as division_province,
    register.prefecture,
    divisions.prefecture as division_prefecture

from {{ ref('agency_register') }} as register
inner join {{ ref('gb2260_divisions') }} as divisions
    on register.division_code = divisions.division_code
where (register.province is not null and register.province is distinct from divisions.province)
   or (register.prefecture is not null and register.prefecture is distinct from divisions.prefecture)
