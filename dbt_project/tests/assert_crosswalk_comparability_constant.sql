-- One comparability and one pair of notes per (series, template): the crosswalk rows of a summed series agree.
select series_code, template
from {{ ref('indicator_crosswalk') }}
group by series_code, template
having count(distinct comparability) > 1
    or count(distinct note_zh) > 1
    or count(distinct note_en) > 1
