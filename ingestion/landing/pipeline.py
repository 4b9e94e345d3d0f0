"""Inbox → landing: scan, parse what is new in worker processes, write landing files, quarantine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.landing.inbox import InboxFile, scan_inbox
from ingestion.landing.pool import read_isolated
from ingestion.landing.store import (
    is_landed,
    previous_inventory,
    quarantine,
    write_inventory,
    write_landing,
    write_schema_files,
)
from ingestion.limits import ReadLimits


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
    tasks = [(f.sha256, f.absolute_path, f.sha256, f.size_bytes, f.detected_format) for f in todo.values()]
    for sha256, result in read_isolated(tasks, limits, workers):
        file = todo[sha256]
        write_landing(warehouse, result)
        if result.document.parse_status == "quarantined":
            quarantine(warehouse, file)
            summary.quarantined[file.path] = result.document.reason or "unreadable"
        else:
            summary.parsed.append(file.path)
        if on_done is not None:
            on_done(file)
    return summary
