-- One row per (agency, report year): administrative reconsiderations (行政复议) and lawsuits (行政诉讼) about
-- the agency's disclosure decisions, with their outcomes and correction rates. gb2019/gb2021 lawsuits are
-- direct lawsuits plus lawsuits after reconsideration; gb2014 figures come through the crosswalk (the 2014
-- table has no "pending" category, so its totals and "other" are only approximately comparable).
-- Correction rate = corrected ÷ (upheld + corrected + other): the share of concluded cases that went
-- against the agency.
{%- set measures = [
    'review_total', 'review_upheld', 'review_corrected', 'review_other', 'review_pending',
    'litigation_total', 'litigation_upheld', 'litigation_corrected', 'litigation_other', 'litigation_pending',
    'litigation_direct_total', 'litigation_after_review_total',
] %}
with

series_values as (

    select * from {{ ref('int_disclosure_series') }}
    where measure_group in ('review', 'litigation')
      and requester_type = 'total'

),

pivoted as (

    select
        agency_id,
        report_year,
        min(template)                                   as template,
        min(document_id)                                as document_id,
        {%- for series in measures %}
        max(value) filter (where series_code = '{{ series }}')          as {{ series }},
        max(comparability) filter (where series_code = '{{ series }}')  as {{ series }}_comparability,
        {%- endfor %}
        concat_ws(', '
            {%- for series in measures %},
            case when bool_or(series_code = '{{ series }}' and comparability = 'approximate') then '{{ series }}' end
            {%- endfor %}
        )                                               as approximate_list,
        concat_ws(', '
            {%- for series in measures %},
            case when bool_or(series_code = '{{ series }}' and comparability = 'not_comparable') then '{{ series }}' end
            {%- endfor %}
        )                                               as not_comparable_list,
        coalesce(bool_or(is_approximate), false)        as has_approximate_figures

    from series_values
    group by agency_id, report_year

),

concluded as (

    select
        *,
        {%- for kind in ['review', 'litigation'] %}
        case
            when {{ kind }}_upheld is null and {{ kind }}_corrected is null and {{ kind }}_other is null then null
            else coalesce({{ kind }}_upheld, 0) + coalesce({{ kind }}_corrected, 0) + coalesce({{ kind }}_other, 0)
        end                                             as {{ kind }}_concluded{{ ',' if not loop.last }}
        {%- endfor %}

    from pivoted

)

select
    cast(agency_id as varchar)                          as agency_id,
    cast(report_year as integer)                        as report_year,
    {%- for kind in ['review', 'litigation'] %}
    {%- for outcome in ['total', 'upheld', 'corrected', 'other', 'pending'] %}
    cast({{ kind }}_{{ outcome }} as double)            as {{ kind }}_{{ outcome }},
    {%- endfor %}
    cast({{ kind }}_concluded as double)                as {{ kind }}_concluded,
    cast({{ kind }}_corrected / nullif({{ kind }}_concluded, 0) as double) as {{ kind }}_correction_rate,
    cast(
        case
            when {{ kind }}_corrected / nullif({{ kind }}_concluded, 0) is null then null
            when 'approximate' in (
                {{ kind }}_upheld_comparability, {{ kind }}_corrected_comparability, {{ kind }}_other_comparability
            ) then 'approximate'
            else 'exact'
        end as varchar
    )                                                   as {{ kind }}_correction_rate_comparability,
    {%- endfor %}
    cast(litigation_direct_total as double)             as litigation_direct_total,
    cast(litigation_after_review_total as double)       as litigation_after_review_total,
    cast(nullif(approximate_list, '') as varchar)       as approximate_columns,
    cast(nullif(not_comparable_list, '') as varchar)    as not_comparable_columns,
    cast(has_approximate_figures as boolean)            as has_approximate_figures,
    cast(template as varchar)                           as template,
    cast(document_id as varchar)                        as document_id

from concluded
