-- One row per metric of the metric layer (a disclosure_series count or a rate_metrics rate): whether its figures
-- compare across the 2019 template change, read from the crosswalk seed. A series is `exact` when every template's
-- rows are, `not_comparable` when a template has no counterpart, `approximate` otherwise; the pre-2019 (gb2014)
-- rows' notes say why. A rate is as comparable as its least comparable component series.
with

crosswalk as (

    select * replace (nullif(trim(indicator_code), '') as indicator_code)
    from {{ ref('indicator_crosswalk') }}

),

rates as (

    select * from {{ ref('rate_metrics') }}

),

series as (

    select
        series_code                                                   as metric_code,
        case
            when bool_or(comparability = 'not_comparable') then 'not_comparable'
            when bool_or(comparability = 'approximate') then 'approximate'
            else 'exact'
        end                                                           as break_comparability,
        min(note_zh) filter (where template = 'gb2014')               as break_note_zh,
        min(note_en) filter (where template = 'gb2014')               as break_note_en

    from crosswalk
    group by series_code

),

rate_components as (

    select rates.metric_code, rates.components, series.break_comparability
    from rates
    cross join unnest(string_split(rates.components, '+')) as component(series_code)
    inner join series on series.metric_code = component.series_code

),

rate_break as (

    select
        metric_code,
        case
            when bool_or(break_comparability = 'not_comparable') then 'not_comparable'
            when bool_or(break_comparability = 'approximate') then 'approximate'
            else 'exact'
        end                                                           as break_comparability,
        '由 ' || replace(min(components), '+', '、') || ' 计算，可比程度取其中最低者'  as break_note_zh,
        'Computed from ' || replace(min(components), '+', ', ')
            || ': as comparable as the least comparable of them'      as break_note_en

    from rate_components
    group by metric_code

)

select * from series
union all
select * from rate_break
