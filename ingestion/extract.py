"""Read one report: bytes in, a ParseResult (document record, facts, findings) out. No I/O beyond input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.catalogue.enums import province_codes
from ingestion.document import UnreadableDocument
from ingestion.identity.agencies import infer_agency
from ingestion.identity.detect import detect_identity
from ingestion.landing.inbox import sha256_of
from ingestion.limits import ReadLimits
from ingestion.readers import read_document
from ingestion.readers.detect import detect_format
from ingestion.results import DocumentRecord, Finding, ParseResult
from ingestion.rules import check_rules, check_values
from ingestion.templates.flattened import recover_flattened_tables
from ingestion.templates.modern import read_gb2021
from ingestion.templates.narrative import read_narrative, reconcile
from ingestion.templates.single_value import read_single_value

_MIN_MATCHED_ROWS = 2  # rows of a single-value table matched to the catalogue: fewer, and it is not a statistics table
_MIN_MODERN_ROWS = 5  # the 2019/2021 tables have about 30 rows
_DISCLOSURE_WORDS = ("政府信息公开", "政务公开", "信息公开")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_report(data: bytes, detected_format: str | None = None, limits: ReadLimits | None = None) -> ParseResult:
    """Parse report bytes. Raises UnreadableDocument with a one-line reason when it cannot."""
    import hashlib

    fmt = detected_format or detect_format(data[:8192], data)
    document = DocumentRecord(
        sha256=hashlib.sha256(data).hexdigest(),
        parser_version=PARSER_VERSION,
        parsed_at=_now(),
        size_bytes=len(data),
        source_format=fmt,
    )
    source = read_document(data, fmt, limits)
    document.encoding = source.encoding
    text = source.text
    document.text_chars = len(text)
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 100):
        raise UnreadableDocument(f"text does not decode in any known encoding ({bad} bad characters)")
    if not any(word in text for word in _DISCLOSURE_WORDS):
        raise UnreadableDocument("no government-information-disclosure content found (not a disclosure report?)")

    blocks = recover_flattened_tables(source.blocks)
    result = ParseResult(document)
    for note in source.notes:
        result.findings.append(Finding("reading_note", "info", f"读取说明：{note}", f"Reading note: {note}"))
    identity = detect_identity(blocks)
    document.agency_name, document.agency_name_evidence = identity.agency_name, identity.agency_evidence
    document.report_year, document.report_year_evidence = identity.report_year, identity.year_evidence

    narrative = read_narrative(blocks)
    reading = read_single_value(blocks, {f.indicator_code: f.value for f in narrative.facts if f.value is not None})
    document.table_count = len({b.table for b in blocks if b.table is not None}) or reading.table_count
    modern = read_gb2021(blocks)
    if modern.template and modern.matched_rows >= _MIN_MODERN_ROWS:
        document.template = modern.template
        document.template_evidence = f"{modern.evidence}; {modern.matched_rows} rows matched the catalogue"
        result.facts.extend(modern.facts)
        result.findings.extend(modern.findings)
        document.table_figures = modern.table_figures
        printed = modern.printed_codes
    elif reading.template is not None and reading.matched_rows >= _MIN_MATCHED_ROWS:
        document.template = reading.template
        document.template_variant = reading.variant
        document.template_evidence = reading.evidence
        result.facts.extend(reading.facts)
        result.findings.extend(reading.findings)
        document.table_figures = reading.table_figures
        printed = reading.printed_codes
    else:
        document.template = "narrative"
        document.template_evidence = "no statistics table found; figures only in prose"
    if document.template == "narrative":
        result.facts.extend(narrative.facts)
        result.findings.extend(narrative.findings)
        if narrative.facts:
            document.template_evidence += f"; {len(narrative.facts)} figures stated in the text"
    else:  # the table is the value of record; the prose adds only what the table does not print
        prose_facts, prose_findings = reconcile(narrative.facts, result.facts, printed, document.template)
        result.facts.extend(prose_facts)
        result.findings.extend(prose_findings)
    result.facts, value_findings = check_values(result.facts)
    result.findings.extend(value_findings)
    result.findings.extend(check_rules(result.facts, document.template))
    document.placed_figures = sum(1 for f in result.facts if f.extraction_method == "table" and f.value is not None)
    if document.table_figures:
        document.figure_coverage = round(document.placed_figures / document.table_figures, 4)

    if not identity.agency_name and identity.report_year is None and not result.facts:
        raise UnreadableDocument("no report found: neither agency, year nor any figure could be read")
    if identity.agency_name:
        agency = infer_agency(identity.agency_name)
        document.agency_id = agency.agency_id  # the name stays as printed; dim_agency carries the register's name
        document.admin_level = agency.admin_level
        document.province = agency.province
        document.prefecture = agency.prefecture
        document.division_code = agency.division_code
        document.agency_evidence = agency.evidence
        if not agency.in_register:
            result.findings.append(
                Finding(
                    "agency_inferred", "info",
                    f"机构“{agency.agency_name}”不在机构名录中，级别与省份由名称推断（{agency.evidence}）",
                    f"Agency not in the register; level and province inferred from its name ({agency.evidence})",
                )
            )
    else:
        result.findings.append(
            Finding("agency_missing", "soft", "未能识别报告机构", "The reporting agency could not be identified")
        )
    if document.template == "regional":  # a province's own form, named after the province
        code = province_codes().get(document.province or "")
        document.template = f"regional_{code}" if code else "regional"
    if identity.report_year is None:
        result.findings.append(
            Finding("year_missing", "soft", "未能识别报告年度", "The report year could not be identified")
        )
    return result


def quarantined_result(data_sha256: str, size: int, fmt: str, reason: str) -> ParseResult:
    """The record kept for a file that could not be read: status, reason, nothing else."""
    document = DocumentRecord(
        sha256=data_sha256,
        parser_version=PARSER_VERSION,
        parsed_at=_now(),
        size_bytes=size,
        source_format=fmt,
        parse_status="quarantined",
        reason=" ".join(reason.split())[:300],
    )
    return ParseResult(document)


def parse_file(path: Path, limits: ReadLimits | None = None) -> ParseResult:
    """Parse one file; an unreadable one comes back quarantined with its reason, never raises."""
    import hashlib

    limits = limits or ReadLimits()
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        return quarantined_result(
            sha256_of(path), size, "unknown",
            f"over the file-size limit: {size / 1024**2:.1f} MB > {limits.max_file_bytes // 1024**2} MB",
        )
    data = path.read_bytes()
    fmt = detect_format(data[:8192], data)
    try:
        return read_report(data, fmt, limits)
    except UnreadableDocument as error:
        return quarantined_result(hashlib.sha256(data).hexdigest(), len(data), fmt, str(error))
    except MemoryError:
        return quarantined_result(
            hashlib.sha256(data).hexdigest(), len(data), fmt,
            f"over the memory limit ({limits.memory_bytes // 1024**2} MB) while reading",
        )
    except Exception as error:  # a parser bug must cost one document, not the run
        return quarantined_result(
            hashlib.sha256(data).hexdigest(), len(data), fmt, f"parser error: {type(error).__name__}: {error}"
        )
