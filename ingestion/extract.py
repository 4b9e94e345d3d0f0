"""Read one report: bytes in, a ParseResult (document record, facts, findings) out. No I/O beyond its input.

The rooms it composes, in the order data flows: a reader turns the bytes into the one document model
(readers), tables flattened into text are recovered as rows (templates.flattened), the agency and year are
identified (identity), the template readers place the tables' figures and the prose's on the catalogue
(templates), and the report's own arithmetic and impossible values become findings (rules).
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.catalogue.enums import ExtractionMethod, ParseStatus, Severity, regional_template
from ingestion.document import UnreadableDocument
from ingestion.identity.detect import identify
from ingestion.limits import ReadLimits
from ingestion.ocr_facts import mark_ocr, ocr_cells, withhold_uncertain, withhold_unverifiable
from ingestion.readers import read_document
from ingestion.readers.detect import detect_format
from ingestion.results import DocumentRecord, Finding, ParseResult
from ingestion.rules import check_rules, check_values
from ingestion.templates import read_figures
from ingestion.templates.flattened import recover_flattened_tables

_DISCLOSURE_WORDS = ("政府信息公开", "政务公开", "信息公开")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_report(data: bytes, detected_format: str | None = None, limits: ReadLimits | None = None) -> ParseResult:
    """Parse report bytes. Raises UnreadableDocument with a one-line reason when it cannot."""
    fmt = detected_format or detect_format(data[:8192], data)
    document = DocumentRecord(
        sha256=hashlib.sha256(data).hexdigest(),
        parser_version=PARSER_VERSION,
        parsed_at=_now(),
        size_bytes=len(data),
        source_format=fmt,
    )
    source = read_document(data, fmt, limits)
    text = source.text  # joined from every block: once
    _require_a_report(text)
    document.encoding, document.text_chars = source.encoding, len(text)
    blocks = recover_flattened_tables(source.blocks)
    result = ParseResult(document)
    result.findings += [Finding("reading_note", Severity.INFO, f"读取说明：{note}", f"Reading note: {note}")
                        for note in source.notes]
    result.findings += [Finding(kind, severity, f"读取问题：{problem}", f"Reading problem: {problem}")
                        for kind, severity, problem in source.problems]  # pages not read, and why
    result.findings += identify(blocks, document)

    reading = read_figures(blocks)
    document.template, document.template_variant, document.template_evidence = (
        reading.template, reading.variant, reading.evidence
    )
    if reading.template == "regional":  # a province's own form, named after the province
        document.template = regional_template(document.province)
    document.table_count = len({b.table for b in blocks if b.table is not None}) or reading.table_count
    facts = reading.facts
    recognised = ocr_cells(source.blocks, blocks) if source.ocr_pages else {}
    if recognised:  # figures read from page images: uncertain ones are reported, not published
        facts, ocr_findings = withhold_uncertain(facts, recognised, document.template)
        facts, unverifiable = withhold_unverifiable(facts, recognised, document.template)
        result.findings += ocr_findings + unverifiable
    result.facts, value_findings = check_values(facts)
    result.findings += reading.findings + value_findings + check_rules(result.facts, document.template)

    document.table_figures = reading.table_figures
    document.placed_figures = sum(
        1 for f in result.facts if f.extraction_method != ExtractionMethod.NARRATIVE and f.value is not None
    )
    if document.table_figures:
        document.figure_coverage = round(document.placed_figures / document.table_figures, 4)
    if recognised:  # facts read by OCR say so, with the recognition's confidence
        result.facts = mark_ocr(result.facts, recognised)
    if document.agency_name is None and document.report_year is None and not result.facts:
        raise UnreadableDocument("no report found: neither agency, year nor any figure could be read")
    return result


# A report small enough to read in a few milliseconds that still takes every step: a title, prose with a figure, a
# single-value table, a table flattened into a line and a signature.
_WARM_UP_REPORT = """平潭县司法局2014年政府信息公开工作年度报告
本局2014年度共收到政府信息公开申请3件。
统计指标|单位|统计数
一、主动公开情况|—|—
（一）主动公开政府信息数|条|10
指 标 名 称 单位 统计数 主动公开信息数 条 10
平潭县司法局 2015年1月20日
"""


def warm_up() -> None:
    """Build what the parser builds on its first report (the catalogue, the division index, some hundred compiled
    patterns: ≈ 0.2 s) in this process: worker processes forked after it start with them built."""
    with contextlib.suppress(UnreadableDocument):  # the tables are built all the same
        read_report(_WARM_UP_REPORT.encode())


def _require_a_report(text: str) -> None:
    """Raise UnreadableDocument when the text is not a disclosure report's: undecodable, or about something else."""
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 100):
        raise UnreadableDocument(f"text does not decode in any known encoding ({bad} bad characters)")
    if not any(word in text for word in _DISCLOSURE_WORDS):
        raise UnreadableDocument("no government-information-disclosure content found (not a disclosure report?)")


def quarantined_result(data_sha256: str, size: int, fmt: str, reason: str,
                       status: ParseStatus = ParseStatus.QUARANTINED) -> ParseResult:
    """The record kept for a file that could not be read: status, reason, nothing else (`status` UNPARSED: not read
    for a reason that may pass, a record not to be kept)."""
    document = DocumentRecord(
        sha256=data_sha256,
        parser_version=PARSER_VERSION,
        parsed_at=_now(),
        size_bytes=size,
        source_format=fmt,
        parse_status=status,
        reason=" ".join(reason.split())[:300],
    )
    return ParseResult(document)


def size_refusal(size: int, limits: ReadLimits) -> str | None:
    """Why a file of `size` bytes is not read, or None when it is."""
    if size > limits.max_file_bytes:
        return f"over the file-size limit: {size / 1024**2:.1f} MB > {limits.max_file_bytes // 1024**2} MB"
    return None


def parse_bytes(data: bytes, sha256: str, limits: ReadLimits | None = None) -> ParseResult:
    """Parse one file's bytes (whose content hash the caller knows); an unreadable one comes back quarantined with
    its reason, never raises (but MemoryError, which the worker pool reports)."""
    fmt = detect_format(data[:8192], data)
    try:
        return read_report(data, fmt, limits)
    except UnreadableDocument as error:
        return quarantined_result(sha256, len(data), fmt, str(error))
    except MemoryError:
        raise  # the worker pool reports it, and gives the file a second chance in a fresh worker
    except Exception as error:  # a parser bug must cost one document, not the run
        return quarantined_result(sha256, len(data), fmt, f"parser error: {type(error).__name__}: {error}")


def parse_file(path: Path, sha256: str, limits: ReadLimits | None = None) -> ParseResult:
    """Parse one file (whose content hash the caller knows); an unreadable one comes back quarantined with its
    reason, never raises."""
    limits = limits or ReadLimits()
    size = path.stat().st_size
    if (refusal := size_refusal(size, limits)) is not None:
        return quarantined_result(sha256, size, "unknown", refusal)
    return parse_bytes(path.read_bytes(), sha256, limits)
