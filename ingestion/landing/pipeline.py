"""Inbox → landing: scan, parse what is new in worker processes, write landing files, quarantine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.catalogue.enums import ParseStatus
from ingestion.extract import parse_file, quarantined_result
from ingestion.landing.inbox import InboxFile, scan_inbox
from ingestion.landing.pool import PoolLimits, run_isolated
from ingestion.landing.store import (
    is_landed,
    previous_inventory,
    quarantine,
    write_inventory,
    write_landing,
    write_schema_files,
)
from ingestion.limits import ReadLimits
from ingestion.results import ParseResult


@dataclass
class ScanResult:
    files: list[InboxFile]
    scanned_at: str


@dataclass
class ParseSummary:
    parsed: list[str] = field(default_factory=list)  # inbox paths parsed in this run
    quarantined: dict[str, str] = field(default_factory=dict)  # inbox path → reason
    skipped: list[str] = field(default_factory=list)  # already landed under this parser version
    duplicates: list[str] = field(default_factory=list)  # same content as another inbox file


@dataclass(frozen=True)
class _ReadJob:
    path: Path
    sha256: str
    limits: ReadLimits


def _read(job: _ReadJob) -> ParseResult:
    return parse_file(job.path, job.sha256, job.limits)


def _preload_readers() -> None:
    """Import the readers and native libraries once in the parent, so every forked worker starts with them
    loaded (and never has to map a shared library under its memory cap)."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from ingestion import limits as read_limits
    from ingestion.landing.pool import request_more_time
    from ingestion.readers import docx, html, pdf, text  # noqa: F401
    from ingestion.readers.fonts import use_metric_fonts
    from ingestion.templates.labels import normalise_text

    normalise_text("預熱")  # loads opencc's native library and its dictionary
    use_metric_fonts()  # pdfium never sees the host's fonts, in the parent and every worker
    read_limits.request_time = request_more_time  # OCR asks its worker's parent for time per page


def read_isolated(
    files: Sequence[InboxFile], limits: ReadLimits, workers: int | None = None
) -> Iterator[tuple[InboxFile, ParseResult]]:
    """Read each file in a worker process under the limits; a file whose worker failed (crashed, timed out, ran
    out of memory) comes back quarantined with the reason. Never raises for a bad file."""
    by_key = {file.path: file for file in files}
    jobs = [(file.path, _ReadJob(file.absolute_path, file.sha256, limits)) for file in files]
    extra = limits.ocr_pages * limits.ocr_seconds_per_page  # what OCR of a scanned report may ask for
    pool_limits = PoolLimits(limits.timeout_seconds, limits.memory_bytes, extra)
    for outcome in run_isolated(jobs, _read, pool_limits, workers, preload=_preload_readers):
        file = by_key[outcome.key]
        if outcome.value is not None:
            yield file, outcome.value
        else:
            yield file, quarantined_result(file.sha256, file.size_bytes, file.detected_format, outcome.reason or "")


def register_inbox(inbox: Path, warehouse: Path) -> ScanResult:
    """Scan the inbox and write the inventory of every file found."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder does not exist: {inbox}")
    scanned_at = datetime.now(UTC).isoformat(timespec="seconds")
    files = scan_inbox(inbox, {f.path: f for f in previous_inventory(warehouse, inbox)})
    write_inventory(warehouse, files, scanned_at)
    write_schema_files(warehouse)
    return ScanResult(files, scanned_at)


def parse_new_documents(
    files: list[InboxFile],
    warehouse: Path,
    workers: int | None = None,
    on_done: Callable[[InboxFile], None] | None = None,
    limits: ReadLimits | None = None,
) -> ParseSummary:
    """Parse each content hash not yet landed under this parser version, in isolated worker processes."""
    limits = limits or ReadLimits()
    summary = ParseSummary()
    todo: dict[str, InboxFile] = {}
    for file in files:
        if file.sha256 in todo:
            summary.duplicates.append(file.path)
        elif is_landed(warehouse, file.sha256, PARSER_VERSION):
            summary.skipped.append(file.path)
        else:
            todo[file.sha256] = file
    for file, result in read_isolated(list(todo.values()), limits, workers):
        write_landing(warehouse, result)
        if result.document.parse_status == ParseStatus.QUARANTINED:
            quarantine(warehouse, file)
            summary.quarantined[file.path] = result.document.reason or "unreadable"
        else:
            summary.parsed.append(file.path)
        if on_done is not None:
            on_done(file)
    return summary
