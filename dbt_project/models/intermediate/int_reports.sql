-- One row per entry found under the inbox in this run, so nothing a user dropped in disappears.
--   document_id: first 16 hex characters of the sha256 for the first path (sorted) of each content hash;
--                further paths with the same content get '<16 chars>-dup<n>' (n = the path's rank, 2, 3, …);
--                an entry that was not read (no sha256) gets 'entry-' and 16 hex characters of its path's hash.
--   parse_status: parsed | quarantined (from the parser), duplicate (same content as an earlier path),
--                 superseded (another document of the same agency and year supplies the facts),
--                 unparsed (no landing result for this parser version), rejected (an entry the inbox scan did
--                 not read: a link out of the inbox or to nothing, a pipe, a socket, a file it may not open),
--                 removed (a path an earlier scan found and this one did not: its facts are gone with it; the
--                 row stays as history until a file appears at that path again).
--   reason: the status's reason (for a parsed report, how many printed figures could not be values), then the
--           scan's remark on the entry's name or time (a name that is not UTF-8); NULL when there is nothing to say.
--   fact_count: facts this row contributes to fact_disclosure; violation_count: hard findings of the document.
--   table_figures / placed_figures / figure_coverage: numbers printed in the document's statistics tables, those
--                that became facts, and their ratio, as the parser counted them (published or not: a superseded
--                or year-less report keeps its own). 0 / 0 / NULL for quarantined and unparsed files (nothing
--                read) and for duplicates, like every count: the first path represents the content. NULL counts
--                only for a document landed by a parser build that did not count figures yet (warned in
--                staging; bumping PARSER_VERSION re-reads it).
--   A parsed report without a report year (or agency) stays `parsed` with its findings and counts, but its
--   facts stay out of fact_disclosure, whose grain needs both; `reason` says so (see int_document_primacy).
with

inventory as (

    select * from {{ ref('stg_landing__inventory') }}

),

documents as (

    select * from {{ ref('stg_landing__documents') }}

),

primacy as (

    select * from {{ ref('int_document_primacy') }}

),

violations as (

    select * from {{ ref('int_rule_violations') }}

),

paths as (

    select
        *,
        -- an entry without content is its own: only files with the same bytes are duplicates
        row_number() over (partition by coalesce(sha256, source_file) order by source_file) as path_rank,
        first_value(source_file) over (partition by coalesce(sha256, source_file) order by source_file)
            as first_source_file

    from inventory

),

joined as (

    select
        paths.source_file,
        paths.sha256,
        paths.path_rank,
        paths.first_source_file,
        paths.size_bytes,
        paths.detected_format,
        paths.modified_at,
        paths.scanned_at,
        paths.entry_reason,
        paths.removed_at is not null                  as is_removed,
        paths.sha256 is null                          as is_rejected,
        documents.sha256 is not null                  as has_landing,
        documents.parser_version,
        documents.parsed_at,
        documents.source_format,
        documents.parse_status                        as parser_status,
        documents.parse_reason,
        documents.template,
        documents.template_variant,
        documents.agency_id,
        documents.agency_name,
        documents.admin_level,
        documents.province,
        documents.prefecture,
        documents.division_code,
        documents.report_year,
        documents.table_figures                       as document_table_figures,
        documents.placed_figures                      as document_placed_figures,
        documents.figure_coverage                     as document_figure_coverage,
        coalesce(primacy.is_publishable, false)       as is_publishable,
        coalesce(primacy.is_primary, false)           as is_primary,
        primacy.primary_document_id,
        coalesce(primacy.fact_count, 0)               as extracted_fact_count,
        coalesce(violations.violation_count, 0)       as document_violation_count,
        coalesce(violations.warning_count, 0)         as document_warning_count,
        coalesce(violations.finding_count, 0)         as document_finding_count,
        coalesce(violations.unusable_value_count, 0)  as unusable_value_count

    from paths
    left join documents on paths.sha256 = documents.sha256
    left join primacy on paths.sha256 = primacy.sha256
    left join violations on paths.sha256 = violations.sha256

),

classified as (

    select
        *,
        case
            when is_removed then 'removed'
            when is_rejected then 'rejected'
            when path_rank > 1 then 'duplicate'
            when not has_landing then 'unparsed'
            when is_publishable and not is_primary then 'superseded'
            else parser_status
        end as parse_status

    from joined

)

select
    case
        when is_removed then 'removed-' || left(sha256(source_file), 16)
        when is_rejected then 'entry-' || left(sha256(source_file), 16)
        when path_rank = 1 then left(sha256, 16)
        else left(sha256, 16) || '-dup' || cast(path_rank as varchar)
    end                                                  as document_id,
    source_file,
    sha256,
    cast(path_rank as integer)                           as path_rank,
    case when path_rank > 1 then left(sha256, 16) end    as duplicate_of_document_id,
    case when parse_status = 'superseded' then primary_document_id end as superseded_by_document_id,
    parse_status,
    nullif(concat_ws('; ', case
        when parse_status in ('rejected', 'removed') then null  -- entry_reason, below, says why
        when parse_status = 'duplicate'
            then 'same content as ' || first_source_file
        when parse_status = 'unparsed'
            then 'no parse result for parser version {{ var("parser_version") }}'
        when parse_status = 'superseded'
            then 'superseded by ' || primary_document_id
                || ' (same agency_id ' || agency_id || ' and report_year ' || cast(report_year as varchar)
                || '; the primary document has more facts or the smaller sha256)'
        when parse_status = 'parsed' and not is_publishable
            then concat_ws('; ',
                parse_reason,
                case
                    when agency_id is null and report_year is null then 'agency and report year not identified'
                    when agency_id is null then 'agency not identified'
                    else 'report year not identified'
                end || ': facts not published in fact_disclosure, whose rows need an agency and a year'
            )
        when parse_status = 'parsed' and unusable_value_count > 0
            then concat_ws('; ', parse_reason, cast(unusable_value_count as varchar)
                || ' printed figure(s) not used: not a number, a fraction of a count or negative'
                || ' (see fct_report_findings)')
        else parse_reason
    end, entry_reason), '')                              as reason,
    agency_id,
    agency_name,
    admin_level,
    province,
    prefecture,
    division_code,
    report_year,
    template,
    template_variant,
    coalesce(source_format, detected_format)             as source_format,
    detected_format,
    parser_version,
    parsed_at,
    size_bytes,
    modified_at,
    scanned_at,
    cast(case when parse_status = 'parsed' and is_primary then extracted_fact_count else 0 end as integer)
                                                         as fact_count,
    cast(case when path_rank = 1 then extracted_fact_count else 0 end as integer)
                                                         as extracted_fact_count,
    cast(case when path_rank = 1 then document_violation_count else 0 end as integer)
                                                         as violation_count,
    cast(case when path_rank = 1 then document_warning_count else 0 end as integer)
                                                         as warning_count,
    cast(case when path_rank = 1 then document_finding_count else 0 end as integer)
                                                         as finding_count,
    cast(case when path_rank = 1 and has_landing then document_table_figures else 0 end as integer)
                                                         as table_figures,
    cast(case when path_rank = 1 and has_landing then document_placed_figures else 0 end as integer)
                                                         as placed_figures,
    cast(case when path_rank = 1 then document_figure_coverage end as double)
                                                         as figure_coverage

from classified
