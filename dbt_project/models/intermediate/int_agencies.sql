-- One row per agency_id named by a parsed (or superseded) document in this run, enriched from the register.
-- Canonical attributes come from the curated register when it knows the agency; otherwise from the documents:
-- the name most documents use (ties: the latest report year, then the smallest name), and for every other
-- attribute the value of the latest document that states it. Aliases = register aliases + every other name
-- seen in documents. Province, prefecture and division name come from the GB/T 2260 division table (seed
-- gb2260_divisions, generated from the cpca dataset) for the agency's division code; the register's and the
-- documents' spellings are only a fallback for codes the table does not know.
with

reports as (

    select * from {{ ref('int_reports') }}
    where path_rank = 1
      and parse_status in ('parsed', 'superseded')
      and agency_id is not null

),

register as (

    select * from {{ ref('agency_register') }}

),

divisions as (

    select * from {{ ref('gb2260_divisions') }}

),

name_counts as (

    select
        agency_id,
        agency_name,
        count(*) as document_count,
        max(report_year) as latest_report_year

    from reports
    where agency_name is not null
    group by agency_id, agency_name

),

document_names as (

    select
        agency_id,
        agency_name,
        row_number() over (
            partition by agency_id
            order by document_count desc, latest_report_year desc nulls last, agency_name asc
        ) as name_rank

    from name_counts

),

document_attributes as (

    select
        agency_id,
        arg_max(admin_level, (coalesce(report_year, 0), parsed_at, sha256))   as admin_level,
        arg_max(province, (coalesce(report_year, 0), parsed_at, sha256))      as province,
        arg_max(prefecture, (coalesce(report_year, 0), parsed_at, sha256))    as prefecture,
        arg_max(division_code, (coalesce(report_year, 0), parsed_at, sha256)) as division_code,
        list_distinct(list(agency_name) filter (where agency_name is not null)) as names_seen,
        cast(count(*) as integer)                                             as report_count,
        min(report_year)                                                      as first_report_year,
        max(report_year)                                                      as last_report_year

    from reports
    group by agency_id

),

combined as (

    select
        document_attributes.agency_id,
        coalesce(register.agency_name, document_names.agency_name, document_attributes.agency_id)
            as agency_name,
        coalesce(register.admin_level, document_attributes.admin_level, 'other') as admin_level,
        coalesce(register.province, document_attributes.province)               as stated_province,
        coalesce(register.prefecture, document_attributes.prefecture)           as stated_prefecture,
        coalesce(register.division_code, document_attributes.division_code)     as division_code,
        register.sector,
        register.name_en,
        list_concat(
            coalesce(string_split(nullif(register.aliases, ''), '|'), []),
            document_attributes.names_seen
        ) as candidate_aliases,
        register.agency_id is not null as in_register,
        document_attributes.report_count,
        document_attributes.first_report_year,
        document_attributes.last_report_year

    from document_attributes
    left join document_names
        on document_attributes.agency_id = document_names.agency_id
        and document_names.name_rank = 1
    left join register
        on document_attributes.agency_id = register.agency_id

)

select
    combined.agency_id,
    combined.agency_name,
    combined.admin_level,
    case when divisions.division_code is not null then divisions.province else combined.stated_province end
        as province,
    case when divisions.division_code is not null then divisions.prefecture else combined.stated_prefecture end
        as prefecture,
    combined.division_code,
    divisions.division_name,
    sector,
    name_en,
    nullif(
        array_to_string(
            list_sort(list_distinct(list_filter(
                list_transform(candidate_aliases, lambda x: trim(x)),
                lambda x: x <> '' and x <> agency_name
            ))),
            '|'
        ),
        ''
    ) as aliases,
    in_register,
    report_count,
    first_report_year,
    last_report_year

from combined
left join divisions on combined.division_code = divisions.division_code
