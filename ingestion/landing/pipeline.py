"""Inbox → landing: scan, parse what is new in worker processes, write landing files, quarantine."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.catalogue.enums import ParseStatus
from ingestion.document import UnreadableDocument
from ingestion.extract import parse_bytes, quarantined_result, read_report, size_refusal, warm_up
from ingestion.landing.inbox import InboxFile, check_boundary, open_inbox_file, scan_inbox
from ingestion.landing.pool import PoolLimits, Transient, run_isolated
from ingestion.landing.store import (
    is_landed,
    note_deferred,
    previous_inventory,
    quarantine,
    sweep_staging_area,
    write_inventory,
    write_landing,
    write_schema_files,
)
from ingestion.limits import ReadLimits
from ingestion.readers.detect import detect_format
from ingestion.results import PackedResult, ParseResult, pack_result, unpack_result

#: A scan that finds fewer than this share of the files the last scan found is refused (an unmounted share, a
#: wrong folder) unless the caller allows the shrink: publishing it would wipe the marts.
SHRINK_REFUSED_BELOW = 0.5


class InboxShrunkError(ValueError):
    """The inbox holds far fewer files than the warehouse was built from; the message is one line."""


@dataclass
class ScanResult:
    files: list[InboxFile]
    scanned_at: str
    removed: list[InboxFile] = field(default_factory=list)  # paths gone since earlier scans (history rows)


def check_shrink(found: int, before: int) -> None:
    """Raise InboxShrunkError when `found` entries are far fewer than the `before` of the last scan."""
    if before and (found == 0 or found < before * SHRINK_REFUSED_BELOW):
        raise InboxShrunkError(
            f"the inbox holds {found} entries, the warehouse was built from {before}: refusing to publish "
            "(an unmounted share or a wrong folder?); run with --allow-shrink if the files were removed on purpose"
        )


def removals(previous: Sequence[InboxFile], files: Sequence[InboxFile], scanned_at: str) -> list[InboxFile]:
    """History rows for paths the last scans had and this one has not: removing a file removes its facts, and the
    removal stays visible (dim_report status `removed`) until a file appears at that path again."""
    present = {f.path for f in files}
    gone = []
    for old in previous:
        if old.path in present:
            continue
        if old.removed_at is not None:
            gone.append(old)
            continue
        seen = f"sha256 {old.sha256[:16]}" if old.sha256 else "not read"
        gone.append(InboxFile(old.path, old.absolute_path, None, old.size_bytes, old.detected_format,
                              old.modified_at, old.modified_ns,
                              f"removed from the inbox (last scan had it, {seen}): its facts are no longer published",
                              old.raw_path, removed_at=scanned_at))
    return gone


@dataclass
class ParseSummary:
    parsed: list[str] = field(default_factory=list)  # inbox paths parsed in this run
    quarantined: dict[str, str] = field(default_factory=dict)  # inbox path → reason
    skipped: list[str] = field(default_factory=list)  # already landed under this parser version
    duplicates: list[str] = field(default_factory=list)  # same content as another inbox file
    deferred: dict[str, str] = field(default_factory=dict)  # inbox path → a fault that may pass; read next run


@dataclass(frozen=True)
class _ReadJob:
    path: Path
    sha256: str
    limits: ReadLimits
    inbox: Path | None = None
    land_in: Path | None = None  # a warehouse: the worker writes the result's landing files there
    brief: bool = False  # read in milliseconds: not a PDF, whose pages may take OCR


def _read(job: _ReadJob) -> ParseResult:
    """Read one file, landing the result when the job says where. Landing in the worker keeps the parent small:
    building and writing Parquet for thousands of results left the parent ~100 MB larger (its allocators keep
    what they freed) for the rest of a refresh, dbt and publication included. Only the record goes back."""
    result = _read_file(job)
    if job.land_in is None:
        return result
    write_landing(job.land_in, result)
    return ParseResult(result.document)


def _read_file(job: _ReadJob) -> ParseResult:
    """Read one file as the scan saw it. A file gone, unopenable or changed since the scan raises Transient: the
    fault is the moment's, not the content's, and nothing is recorded under the scanned hash."""
    try:
        with open_inbox_file(job.path, job.inbox) as handle:
            size = os.fstat(handle.fileno()).st_size
            if (refusal := size_refusal(size, job.limits)) is not None:
                return quarantined_result(job.sha256, size, "unknown", refusal)
            data = handle.read()
    except FileNotFoundError:
        raise Transient("file vanished between the scan and the read: read again by the next refresh") from None
    except OSError as error:
        raise Transient(f"file could not be opened for reading ({error.strerror or error}): "
                        "read again by the next refresh") from None
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise Transient("file changed between the scan and the read: read again by the next refresh")
    return parse_bytes(data, job.sha256, job.limits)


def _brief(job: _ReadJob) -> bool:
    return job.brief


def _read_packed(job: _ReadJob) -> PackedResult:
    """`_read` in a worker: its result as tuples, the cheaper to pickle there and to unpickle in the parent."""
    return pack_result(_read(job))


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
    warm_up()  # else every worker would build the parser's tables for itself


def _pool_limits(limits: ReadLimits) -> PoolLimits:
    extra = limits.ocr_pages * limits.ocr_seconds_per_page  # what OCR of a scanned report may ask for
    return PoolLimits(limits.timeout_seconds, limits.memory_bytes, extra)


def _extract(job: tuple[bytes, ReadLimits]) -> ParseResult | str:
    data, limits = job
    try:
        return read_report(data, detect_format(data[:8192], data), limits)
    except UnreadableDocument as error:
        return str(error)
    except MemoryError:
        raise  # the pool reports it
    except Exception as error:  # a parser bug: one line
        return f"parser error: {type(error).__name__}: {error}"


def extract_isolated(data: bytes, limits: ReadLimits) -> ParseResult:
    """Read one report's bytes as a refresh's worker does: in a worker process under the same memory and time
    limits (`gongkai extract` on a markup bomb ends with a reason, not gigabytes). Raises UnreadableDocument with
    the one-line reason when it cannot be read, ran out of memory or time, or its worker crashed."""
    if (refusal := size_refusal(len(data), limits)) is not None:
        raise UnreadableDocument(refusal)
    [outcome] = list(run_isolated([("file", (data, limits))], _extract, _pool_limits(limits), 1,
                                  preload=_preload_readers))
    if isinstance(outcome.value, ParseResult):
        return outcome.value
    raise UnreadableDocument(outcome.value if isinstance(outcome.value, str) else outcome.reason or "not read")


def read_isolated(
    files: Sequence[InboxFile],
    limits: ReadLimits,
    workers: int | None = None,
    inbox: Path | None = None,
    land_in: Path | None = None,
) -> Iterator[tuple[InboxFile, ParseResult]]:
    """Read each file in a worker process under the limits; a file whose worker failed (crashed, timed out, ran
    out of memory) comes back quarantined with the reason, one whose fault may pass (killed from outside,
    changed or gone since the scan) after its retries as `unparsed`, a result not to be kept. Never raises for a
    bad file. With `land_in` (a warehouse), every result but an `unparsed` one is landed there (by its worker,
    or here for a worker that failed) and comes back as its document record only."""
    by_key = {file.path: file for file in files}
    jobs = [
        (file.path, _ReadJob(file.absolute_path, file.sha256, limits, inbox, land_in, file.detected_format != "pdf"))
        for file in files
    ]
    for outcome in run_isolated(jobs, _read_packed, _pool_limits(limits), workers, preload=_preload_readers,
                                brief=_brief):
        file = by_key[outcome.key]
        if outcome.value is not None:
            yield file, unpack_result(outcome.value)
            continue
        status = ParseStatus.QUARANTINED if outcome.final else ParseStatus.UNPARSED
        result = quarantined_result(file.sha256, file.size_bytes, file.detected_format, outcome.reason or "", status)
        if land_in is not None and status == ParseStatus.QUARANTINED:
            write_landing(land_in, result)
        yield file, result


def register_inbox(inbox: Path, warehouse: Path, allow_shrink: bool = False) -> ScanResult:
    """Scan the inbox and write the inventory of every entry found, and of the paths removed since. Raises
    InboxBoundaryError when the inbox and the warehouse contain one another, InboxShrunkError (writing nothing)
    when the inbox holds far fewer entries than the last scan and `allow_shrink` is not given."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder does not exist: {inbox}")
    check_boundary(inbox, warehouse)
    sweep_staging_area(warehouse)  # what a killed run was writing
    scanned_at = datetime.now(UTC).isoformat(timespec="seconds")
    previous = previous_inventory(warehouse, inbox)
    files = scan_inbox(inbox, {f.path: f for f in previous if f.removed_at is None})
    if not allow_shrink:
        check_shrink(len(files), sum(1 for f in previous if f.removed_at is None))
    removed = removals(previous, files, scanned_at)
    write_inventory(warehouse, files + removed, scanned_at)
    write_schema_files(warehouse)
    return ScanResult(files, scanned_at, removed)


def parse_new_documents(
    files: list[InboxFile],
    warehouse: Path,
    inbox: Path | None = None,
    workers: int | None = None,
    on_done: Callable[[InboxFile], None] | None = None,
    limits: ReadLimits | None = None,
) -> ParseSummary:
    """Parse each content hash not yet landed under this parser version, in isolated worker processes."""
    limits = limits or ReadLimits()
    summary = ParseSummary()
    todo: dict[str, InboxFile] = {}
    for file in files:
        if not file.readable:
            continue  # registered unread by the scan, with its reason
        if file.sha256 in todo:
            summary.duplicates.append(file.path)
        elif is_landed(warehouse, file.sha256, PARSER_VERSION):
            summary.skipped.append(file.path)
        else:
            todo[file.sha256] = file
    for file, result in read_isolated(list(todo.values()), limits, workers, inbox, land_in=warehouse):
        if result.document.parse_status == ParseStatus.UNPARSED:  # a passing fault: nothing landed, nothing kept
            summary.deferred[file.path] = result.document.reason or "not read"
            if on_done is not None:
                on_done(file)
            continue
        if result.document.parse_status == ParseStatus.QUARANTINED:
            quarantine(warehouse, file, inbox, limits.max_file_bytes)
            summary.quarantined[file.path] = result.document.reason or "unreadable"
        else:
            summary.parsed.append(file.path)
        if on_done is not None:
            on_done(file)
    if summary.deferred:
        note_deferred(warehouse, summary.deferred)
    return summary
