-- One row per document the parser saw (parsed or quarantined), for the current parser version.
with

source as (

    select * from {{ source('landing', 'documents') }}

),

renamed as (

    select
        cast(sha256 as varchar)                        as sha256,
        cast(parser_version as varchar)                as parser_version,
        try_cast(cast(parsed_at as varchar) as timestamptz) as parsed_at,
        cast(size_bytes as bigint)                     as size_bytes,
        cast(source_format as varchar)                 as source_format,
        cast(encoding as varchar)                      as encoding,
        cast(parse_status as varchar)                  as parse_status,
        cast(reason as varchar)                        as parse_reason,
        cast(template as varchar)                      as template,
        cast(template_variant as varchar)              as template_variant,
        cast(template_evidence as varchar)             as template_evidence,
        cast(agency_name as varchar)                   as agency_name,
        cast(agency_name_evidence as varchar)          as agency_name_evidence,
        cast(agency_id as varchar)                     as agency_id,
        cast(admin_level as varchar)                   as admin_level,
        cast(province as varchar)                      as province,
        cast(prefecture as varchar)                    as prefecture,
        cast(division_code as varchar)                 as division_code,
        cast(agency_evidence as varchar)               as agency_evidence,
        cast(report_year as integer)                   as report_year,
        cast(report_year_evidence as varchar)          as report_year_evidence,
        cast(table_count as integer)                   as table_count,
        cast(text_chars as bigint)                     as text_chars,
        cast(table_figures as integer)                 as table_figures,
        cast(placed_figures as integer)                as placed_figures,
        cast(figure_coverage as double)                as figure_coverage

    from source

)

select * from renamed
