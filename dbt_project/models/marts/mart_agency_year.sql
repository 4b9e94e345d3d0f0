-- One wide row per (agency, report year) with a published report: who the agency is, which template the
-- report used, the headline figures (all requesters), how many findings the report drew, and the change
-- against the same agency's report of the year before. Built for BI tools: no joins needed.
-- A report without agency or year (in dim_report as parsed, its facts unpublished) has no (agency, year) to sit
-- on. The single-value forms (gb2014, regional_<province>, other, and narrative prose) count as the 2014 generation.
with

reports as (

    select * from {{ ref('dim_report') }}
    where parse_status = 'parsed'
      and agency_id is not null
      and report_year is not null

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

outcomes as (

    select * from {{ ref('fct_application_outcomes') }}
    where requester_type = 'total'

),

review_litigation as (

    select * from {{ ref('fct_review_litigation') }}

),

finding_counts as (

    select
        document_id,
        count(*) filter (where severity = 'hard')   as hard_finding_count,
        count(*) filter (where severity = 'soft')   as soft_finding_count,
        count(*) filter (where severity = 'info')   as info_finding_count

    from {{ ref('fct_report_findings') }}
    group by document_id

),

agency_years as (

    select
        reports.agency_id,
        reports.report_year,
        reports.document_id,
        reports.template,
        case when reports.template in ('gb2019', 'gb2021') then 'gb2019+' else 'gb2014' end as template_generation,
        reports.fact_count,
        reports.table_figures,
        reports.placed_figures,
        reports.figure_coverage,
        outcomes.applications_new,
        outcomes.applications_concluded,
        outcomes.granted,
        outcomes.partially_granted,
        outcomes.denied,
        outcomes.not_held,
        outcomes.carried_over,
        outcomes.open_rate,
        outcomes.open_rate_flag,
        outcomes.not_held_share,
        review_litigation.review_total,
        review_litigation.review_correction_rate,
        review_litigation.litigation_total,
        review_litigation.litigation_correction_rate,
        (
            outcomes.approximate_columns is not null
            or review_litigation.approximate_columns is not null
        )                                                           as has_approximately_comparable_figures,
        coalesce(finding_counts.hard_finding_count, 0)              as hard_finding_count,
        coalesce(finding_counts.soft_finding_count, 0)              as soft_finding_count,
        coalesce(finding_counts.info_finding_count, 0)              as info_finding_count

    from reports
    left join outcomes
        on reports.agency_id = outcomes.agency_id and reports.report_year = outcomes.report_year
    left join review_litigation
        on reports.agency_id = review_litigation.agency_id
        and reports.report_year = review_litigation.report_year
    left join finding_counts on reports.document_id = finding_counts.document_id

)

select
    cast(current_year.agency_id as varchar)                    as agency_id,
    cast(current_year.report_year as integer)                  as report_year,
    cast(agencies.agency_name as varchar)                      as agency_name,
    cast(agencies.admin_level as varchar)                      as admin_level,
    cast(agencies.province as varchar)                         as province,
    cast(agencies.prefecture as varchar)                       as prefecture,
    cast(agencies.division_code as varchar)                    as division_code,
    cast(agencies.sector as varchar)                           as sector,
    cast(current_year.template as varchar)                     as template,
    cast(current_year.document_id as varchar)                  as document_id,
    cast(current_year.fact_count as integer)                   as fact_count,
    cast(current_year.table_figures as integer)                as table_figures,
    cast(current_year.placed_figures as integer)               as placed_figures,
    cast(current_year.figure_coverage as double)               as figure_coverage,
    cast(current_year.applications_new as double)              as applications_new,
    cast(current_year.applications_concluded as double)        as applications_concluded,
    cast(current_year.granted as double)                       as granted,
    cast(current_year.partially_granted as double)             as partially_granted,
    cast(current_year.denied as double)                        as denied,
    cast(current_year.not_held as double)                      as not_held,
    cast(current_year.carried_over as double)                  as carried_over,
    cast(current_year.open_rate as double)                     as open_rate,
    cast(current_year.open_rate_flag as varchar)               as open_rate_flag,
    cast(current_year.not_held_share as double)                as not_held_share,
    cast(current_year.review_total as double)                  as review_total,
    cast(current_year.review_correction_rate as double)        as review_correction_rate,
    cast(current_year.litigation_total as double)              as litigation_total,
    cast(current_year.litigation_correction_rate as double)    as litigation_correction_rate,
    cast(current_year.has_approximately_comparable_figures as boolean)
                                                               as has_approximately_comparable_figures,
    cast(current_year.hard_finding_count as integer)           as hard_finding_count,
    cast(current_year.soft_finding_count as integer)           as soft_finding_count,
    cast(current_year.info_finding_count as integer)           as info_finding_count,
    cast(previous_year.report_year is not null as boolean)     as has_previous_year,
    cast(previous_year.template as varchar)                    as previous_template,
    cast(current_year.applications_new - previous_year.applications_new as double)
                                                               as applications_new_change,
    cast(
        (current_year.applications_new - previous_year.applications_new)
        / nullif(previous_year.applications_new, 0) as double
    )                                                          as applications_new_change_pct,
    cast(current_year.applications_concluded - previous_year.applications_concluded as double)
                                                               as applications_concluded_change,
    cast(current_year.open_rate - previous_year.open_rate as double)
                                                               as open_rate_change,
    cast(current_year.review_total - previous_year.review_total as double)
                                                               as review_total_change,
    cast(current_year.litigation_total - previous_year.litigation_total as double)
                                                               as litigation_total_change,
    cast(
        case
            when previous_year.report_year is null then null
            when current_year.template_generation <> previous_year.template_generation then 'approximate'
            else 'exact'
        end as varchar
    )                                                          as change_comparability

from agency_years as current_year
left join agency_years as previous_year
    on current_year.agency_id = previous_year.agency_id
    and previous_year.report_year = current_year.report_year - 1
left join agencies on current_year.agency_id = agencies.agency_id
