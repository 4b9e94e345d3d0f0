-- Every template a report can be read as: the seed's templates, a province's own form once per province.
with

templates as (

    select * from {{ ref('report_templates') }}

),

provinces as (

    select * from {{ ref('provinces') }}

)

select
    cast(templates.template as varchar)  as template,
    cast(templates.family as varchar)    as family,
    cast(templates.sort_order as integer) as sort_order,
    cast(templates.label_zh as varchar)  as label_zh,
    cast(templates.label_en as varchar)  as label_en
from templates
where templates.template != 'regional'

union all

select
    'regional_' || provinces.code                      as template,
    regional.family                                    as family,
    regional.sort_order                                as sort_order,
    provinces.province || '自定统计表'                   as label_zh,
    provinces.name_en || '''s own statistics form'     as label_en
from provinces
cross join (select * from templates where template = 'regional') as regional
