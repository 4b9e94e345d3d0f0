-- The indicator catalogue (reference seed) and the team's documented extensions, as one relation.
with

catalogue as (

    select *, false as is_extension from {{ ref('indicators') }}

),

extensions as (

    select *, true as is_extension from {{ ref('indicator_extensions') }}

)

select
    cast(code as varchar)           as code,
    cast(template as varchar)       as template,
    cast(section as varchar)        as section,
    cast(label_zh as varchar)       as label_zh,
    cast(label_en as varchar)       as label_en,
    cast(unit as varchar)           as unit,
    cast(parent_code as varchar)    as parent_code,
    cast(note as varchar)           as note,
    cast(is_extension as boolean)   as is_extension
from catalogue

union all

select
    cast(code as varchar),
    cast(template as varchar),
    cast(section as varchar),
    cast(label_zh as varchar),
    cast(label_en as varchar),
    cast(unit as varchar),
    cast(parent_code as varchar),
    cast(note as varchar),
    cast(is_extension as boolean)
from extensions
