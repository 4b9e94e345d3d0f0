-- The indicator catalogue (reference seed) and the team's documented extensions, as one relation.
with

indicators as (

    select *, false as is_extension from {{ ref('indicators') }}

    union all by name

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
from indicators
