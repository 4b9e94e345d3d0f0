-- The metric layer: one row per (agency, report year, requester type, metric), every template read onto the same
-- metrics, with the agency's name and where it sits, so that "applications received per agency per year" is one
-- query over this one table, whichever template each year's report used. Counts come from the series
-- (int_disclosure_series, through the crosswalk), rates from fct_application_outcomes and fct_review_litigation
-- (between 0 and 1; NULL and flagged where a report's parts exceed its total). Each row says how its figure compares with the 2021 form
-- (comparability) and whether the metric compares across the 2019 template change at all (break_comparability).
{%- set rates = [
    ('open_rate', 'outcomes', 'open_rate', 'open_rate_comparability', 'open_rate_flag'),
    ('not_held_share', 'outcomes', 'not_held_share', 'not_held_share_comparability', 'not_held_share_flag'),
    ('review_correction_rate', 'review_litigation', 'review_correction_rate',
        'review_correction_rate_comparability', None),
    ('litigation_correction_rate', 'review_litigation', 'litigation_correction_rate',
        'litigation_correction_rate_comparability', None),
] %}
with

series_values as (

    select * from {{ ref('int_disclosure_series') }}

),

outcomes as (

    select * from {{ ref('fct_application_outcomes') }}

),

review_litigation as (

    select *, 'total' as requester_type from {{ ref('fct_review_litigation') }}

),

series as (

    select series_code as metric_code, measure_group, label_zh, label_en, unit, sort_order, 'count' as metric_kind
    from {{ ref('disclosure_series') }}
    union all
    select metric_code, measure_group, label_zh, label_en, unit, sort_order, 'rate' as metric_kind
    from {{ ref('rate_metrics') }}

),

break_comparability as (

    select * from {{ ref('int_series_comparability') }}

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

reports as (

    select * from {{ ref('dim_report') }}

),

counts as (

    select
        agency_id,
        report_year,
        requester_type,
        series_code                 as metric_code,
        value,
        is_approximate,
        comparability,
        note_zh                     as comparability_note_zh,
        note_en                     as comparability_note_en,
        cast(null as varchar)       as rate_flag,
        template,
        document_id

    from series_values

),

rates as (

    {%- for metric, source, column, comparability, flag in rates %}
    select
        agency_id,
        report_year,
        requester_type,
        '{{ metric }}'              as metric_code,
        {{ column }}                as value,
        has_approximate_figures     as is_approximate,
        {{ comparability }}         as comparability,
        cast(null as varchar)       as comparability_note_zh,
        cast(null as varchar)       as comparability_note_en,
        {{ flag if flag else 'cast(null as varchar)' }} as rate_flag,
        template,
        document_id

    from {{ source }}
    where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

metrics as (

    select * from counts
    union all by name
    select * from rates

)

select
    cast(metrics.agency_id as varchar)                  as agency_id,
    cast(agencies.agency_name as varchar)               as agency_name,
    cast(agencies.admin_level as varchar)               as admin_level,
    cast(agencies.province as varchar)                  as province,
    cast(metrics.report_year as integer)                as report_year,
    cast(metrics.requester_type as varchar)             as requester_type,
    cast(metrics.metric_code as varchar)                as metric_code,
    cast(series.label_zh as varchar)                    as metric_label_zh,
    cast(series.label_en as varchar)                    as metric_label_en,
    cast(series.measure_group as varchar)               as measure_group,
    cast(series.metric_kind as varchar)                 as metric_kind,
    cast(series.unit as varchar)                        as unit,
    cast(metrics.value as double)                       as value,
    cast(coalesce(metrics.is_approximate, false) as boolean) as is_approximate,
    cast(metrics.comparability as varchar)              as comparability,
    cast(metrics.comparability_note_zh as varchar)      as comparability_note_zh,
    cast(metrics.comparability_note_en as varchar)      as comparability_note_en,
    cast(break_comparability.break_comparability as varchar) as break_comparability,
    cast(break_comparability.break_note_zh as varchar)  as break_note_zh,
    cast(break_comparability.break_note_en as varchar)  as break_note_en,
    cast(metrics.rate_flag as varchar)                  as rate_flag,
    cast(metrics.template as varchar)                   as template,
    cast(reports.violation_count as integer)            as report_hard_findings,
    cast(metrics.document_id as varchar)                as document_id,
    cast(reports.source_file as varchar)                as source_file,
    cast(series.sort_order as integer)                  as sort_order

from metrics
inner join series on metrics.metric_code = series.metric_code
inner join break_comparability on metrics.metric_code = break_comparability.metric_code
inner join agencies on metrics.agency_id = agencies.agency_id
inner join reports on metrics.document_id = reports.document_id
