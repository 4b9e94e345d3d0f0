-- One row per (agency, report year, requester type): applications received and how they were concluded,
-- with the open rate and the "not held" share. gb2019/gb2021 figures are exact; gb2014 figures come through
-- the crosswalk where comparable (NULL where not), and approximate_columns names those only approximately
-- comparable. Rates come from int_application_rates: NULL when nothing was concluded, and NULL with the flag
-- `parts_exceed_total` when a report's parts exceed its total (the report then has a finding naming the figures).
{%- set measures = [
    ('applications_new', 'applications_new'),
    ('applications_carried_in', 'applications_carried_in'),
    ('applications_concluded', 'applications_concluded'),
    ('applications_granted', 'granted'),
    ('applications_partially_granted', 'partially_granted'),
    ('applications_denied', 'denied'),
    ('applications_unavailable', 'unavailable'),
    ('applications_not_held', 'not_held'),
    ('applications_not_processed', 'not_processed'),
    ('applications_other_processing', 'other_processing'),
    ('applications_carried_over', 'carried_over'),
] %}
with

series_values as (

    select * from {{ ref('int_disclosure_series') }}
    where measure_group = 'applications'

),

pivoted as (

    select
        agency_id,
        report_year,
        requester_type,
        min(template)                                   as template,
        min(document_id)                                as document_id,
        {%- for series, column in measures %}
        max(value) filter (where series_code = '{{ series }}')   as {{ column }},
        max(comparability) filter (where series_code = '{{ series }}') as {{ column }}_comparability,
        {%- endfor %}
        concat_ws(', '
            {%- for series, column in measures %},
            case when bool_or(series_code = '{{ series }}' and comparability = 'approximate') then '{{ column }}' end
            {%- endfor %}
        )                                               as approximate_list,
        concat_ws(', '
            {%- for series, column in measures %},
            case when bool_or(series_code = '{{ series }}' and comparability = 'not_comparable') then '{{ column }}' end
            {%- endfor %}
        )                                               as not_comparable_list,
        coalesce(bool_or(is_approximate), false)        as has_approximate_figures

    from series_values
    group by agency_id, report_year, requester_type

),

rates as (

    select * from {{ ref('int_application_rates') }}

),

rated as (

    select
        pivoted.*,
        case when rates.open_rate_flag is null then rates.open_ratio end            as open_rate,
        rates.open_rate_flag,
        case when rates.not_held_share_flag is null then rates.not_held_ratio end   as not_held_share,
        rates.not_held_share_flag

    from pivoted
    left join rates
        on pivoted.agency_id = rates.agency_id
        and pivoted.report_year = rates.report_year
        and pivoted.requester_type = rates.requester_type

)

select
    cast(agency_id as varchar)                  as agency_id,
    cast(report_year as integer)                as report_year,
    cast(requester_type as varchar)             as requester_type,
    cast(applications_new as double)            as applications_new,
    cast(applications_carried_in as double)     as applications_carried_in,
    cast(applications_concluded as double)      as applications_concluded,
    cast(granted as double)                     as granted,
    cast(partially_granted as double)           as partially_granted,
    cast(denied as double)                      as denied,
    cast(unavailable as double)                 as unavailable,
    cast(not_held as double)                    as not_held,
    cast(not_processed as double)               as not_processed,
    cast(other_processing as double)            as other_processing,
    cast(carried_over as double)                as carried_over,
    cast(open_rate as double)                   as open_rate,
    cast(not_held_share as double)              as not_held_share,
    cast(open_rate_flag as varchar)             as open_rate_flag,
    cast(not_held_share_flag as varchar)        as not_held_share_flag,
    cast(
        case
            when open_rate is null then null
            when 'approximate' in (
                granted_comparability, partially_granted_comparability, applications_concluded_comparability
            ) then 'approximate'
            else 'exact'
        end as varchar
    )                                           as open_rate_comparability,
    cast(
        case
            when not_held_share is null then null
            when 'approximate' in (not_held_comparability, applications_concluded_comparability) then 'approximate'
            else 'exact'
        end as varchar
    )                                           as not_held_share_comparability,
    cast(nullif(approximate_list, '') as varchar)    as approximate_columns,
    cast(nullif(not_comparable_list, '') as varchar) as not_comparable_columns,
    cast(has_approximate_figures as boolean)    as has_approximate_figures,
    cast(template as varchar)                   as template,
    cast(document_id as varchar)                as document_id

from rated
