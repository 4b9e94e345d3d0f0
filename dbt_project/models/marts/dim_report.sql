-- One row per file found under the inbox in this run, whatever became of it (int_reports says how each
-- column is decided). The contract's columns come first, in the contract's order.
select
    cast(document_id as varchar)                as document_id,
    cast(agency_id as varchar)                  as agency_id,
    cast(report_year as integer)                as report_year,
    cast(template as varchar)                   as template,
    cast(source_file as varchar)                as source_file,
    cast(sha256 as varchar)                     as sha256,
    cast(parse_status as varchar)               as parse_status,
    cast(fact_count as integer)                 as fact_count,
    cast(violation_count as integer)            as violation_count,
    cast(reason as varchar)                     as reason,
    cast(table_figures as integer)              as table_figures,
    cast(placed_figures as integer)             as placed_figures,
    cast(figure_coverage as double)             as figure_coverage,
    cast(template_variant as varchar)           as template_variant,
    cast(source_format as varchar)              as source_format,
    cast(parser_version as varchar)             as parser_version,
    cast(parsed_at as timestamptz)              as parsed_at,
    cast(size_bytes as bigint)                  as size_bytes,
    cast(agency_name as varchar)                as agency_name,
    cast(extracted_fact_count as integer)       as extracted_fact_count,
    cast(warning_count as integer)              as warning_count,
    cast(finding_count as integer)              as finding_count,
    cast(duplicate_of_document_id as varchar)   as duplicate_of_document_id,
    cast(superseded_by_document_id as varchar)  as superseded_by_document_id,
    cast(detected_format as varchar)            as detected_format,
    cast(modified_at as timestamptz)            as modified_at,
    cast(scanned_at as timestamptz)             as scanned_at

from {{ ref('int_reports') }}
