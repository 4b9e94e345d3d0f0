"""Inbox → landing: scan, parse what is new in worker processes, write landing files, quarantine."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.inbox import InboxFile, scan_inbox
from ingestion.landing import is_landed, quarantine, write_inventory, write_landing, write_schema_files
from ingestion.parse import parse_file

# Address-space cap per worker: a decompression bomb or a runaway parse fails with MemoryError in its
# own process instead of taking the machine down.
WORKER_MEMORY_LIMIT_BYTES = 2 * 1024**3


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


def register_inbox(inbox: Path, warehouse: Path) -> ScanResult:
    """Scan the inbox and write the inventory of every file found."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder does not exist: {inbox}")
    scanned_at = datetime.now(UTC).isoformat(timespec="seconds")
    files = scan_inbox(inbox)
    write_inventory(warehouse, files, scanned_at)
    write_schema_files(warehouse)
    return ScanResult(files, scanned_at)


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_LIMIT_BYTES, WORKER_MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):  # not available on every platform
        pass


def parse_new_documents(
    files: list[InboxFile],
    warehouse: Path,
    workers: int | None = None,
    on_done: Callable[[InboxFile], None] | None = None,
) -> ParseSummary:
    """Parse each content hash not yet landed under this parser version, in parallel worker processes."""
    summary = ParseSummary()
    todo: dict[str, InboxFile] = {}
    for file in files:
        if file.sha256 in todo:
            summary.duplicates.append(file.path)
        elif is_landed(warehouse, file.sha256, PARSER_VERSION):
            summary.skipped.append(file.path)
        else:
            todo[file.sha256] = file
    if not todo:
        return summary
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    ordered = list(todo.values())
    with ProcessPoolExecutor(max_workers=workers, initializer=_limit_memory) as pool:
        futures = [(file, pool.submit(parse_file, file.absolute_path)) for file in ordered]
        for file, future in futures:
            try:
                result = future.result()
            except Exception as error:  # the worker died (memory, crash): this document only
                from ingestion.parse import quarantined_result

                result = quarantined_result(
                    file.sha256, file.size_bytes, file.detected_format, f"worker failed: {type(error).__name__}"
                )
            write_landing(warehouse, result)
            if result.document.parse_status == "quarantined":
                quarantine(warehouse, file)
                summary.quarantined[file.path] = result.document.reason or "unreadable"
            else:
                summary.parsed.append(file.path)
            if on_done is not None:
                on_done(file)
    return summary
