-- One row per (agency, report year, requester type, series): the reported figures read as series that run
-- across the templates, through the crosswalk seed (indicator_crosswalk). A series' value is the sum of its
-- indicators for the report's template (e.g. denied = the eight outcome_denied_* rows in gb2019/gb2021),
-- counting only reported figures; NULL when none of them is reported or the series is not comparable for
-- the template. Narrative reports carry gb2014 codes, so they are read through the gb2014 rows.
-- A row exists when the report has a figure for the series, and, for a series not comparable in the
-- template, when the report has a figure in the same measure group (so the NULL says "not comparable").
with

facts as (

    select * from {{ ref('int_facts_primary') }}

),

documents as (

    select sha256, template from {{ ref('stg_landing__documents') }}

),

crosswalk as (

    -- not-comparable rows name no indicator (an empty cell: NULL in the seed table, '' in unit-test fixtures)
    select * replace (nullif(trim(indicator_code), '') as indicator_code)
    from {{ ref('indicator_crosswalk') }}

),

series as (

    select * from {{ ref('disclosure_series') }}

),

series_templates as (

    select
        crosswalk.series_code,
        crosswalk.template                                   as crosswalk_template,
        series.measure_group,
        min(crosswalk.comparability)                         as comparability,
        min(crosswalk.note_zh)                               as note_zh,
        min(crosswalk.note_en)                               as note_en,
        cast(count(crosswalk.indicator_code) as integer)     as components_expected,
        string_agg(crosswalk.indicator_code, '+' order by crosswalk.indicator_code) as indicator_codes

    from crosswalk
    inner join series on crosswalk.series_code = series.series_code
    group by crosswalk.series_code, crosswalk.template, series.measure_group

),

templated_facts as (

    select
        facts.agency_id,
        facts.report_year,
        facts.requester_type,
        facts.indicator_code,
        facts.value,
        facts.is_approximate,
        facts.document_id,
        documents.template,
        case
            when documents.template in ('gb2019', 'gb2021') then documents.template
            else 'gb2014'
        end as crosswalk_template

    from facts
    inner join documents on facts.sha256 = documents.sha256

),

series_facts as (

    select
        templated_facts.*,
        crosswalk.series_code,
        series_templates.measure_group

    from templated_facts
    inner join crosswalk
        on templated_facts.crosswalk_template = crosswalk.template
        and templated_facts.indicator_code = crosswalk.indicator_code
    inner join series_templates
        on crosswalk.series_code = series_templates.series_code
        and crosswalk.template = series_templates.crosswalk_template

),

reported as (

    select
        agency_id,
        report_year,
        requester_type,
        series_code,
        min(document_id)                                    as document_id,
        min(template)                                       as template,
        min(crosswalk_template)                             as crosswalk_template,
        sum(value)                                          as value,
        coalesce(bool_or(is_approximate), false)            as is_approximate,
        cast(count(value) as integer)                       as components_reported

    from series_facts
    group by agency_id, report_year, requester_type, series_code

),

-- (agency, year, requester type, measure group) a report has figures for: where not-comparable series show.
measure_groups as (

    select distinct
        agency_id, report_year, requester_type, measure_group, document_id, template, crosswalk_template
    from series_facts

),

not_comparable as (

    select
        measure_groups.agency_id,
        measure_groups.report_year,
        measure_groups.requester_type,
        series_templates.series_code,
        measure_groups.document_id,
        measure_groups.template,
        measure_groups.crosswalk_template,
        cast(null as double)                                as value,
        false                                               as is_approximate,
        0                                                   as components_reported

    from measure_groups
    inner join series_templates
        on measure_groups.measure_group = series_templates.measure_group
        and measure_groups.crosswalk_template = series_templates.crosswalk_template
    where series_templates.comparability = 'not_comparable'

),

combined as (

    select * from reported
    union all by name
    select * from not_comparable

)

select
    combined.agency_id,
    combined.report_year,
    combined.requester_type,
    combined.series_code,
    series_templates.measure_group,
    combined.value,
    series_templates.comparability,
    combined.is_approximate,
    series_templates.components_expected,
    combined.components_reported,
    series_templates.indicator_codes,
    combined.template,
    combined.crosswalk_template,
    series_templates.note_zh,
    series_templates.note_en,
    combined.document_id

from combined
inner join series_templates
    on combined.series_code = series_templates.series_code
    and combined.crosswalk_template = series_templates.crosswalk_template
