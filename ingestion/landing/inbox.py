"""Find every file a user dropped into the inbox and say what it is, from its content."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from ingestion.readers.detect import detect_format

INVENTORY_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("size_bytes", pa.int64()),
        ("detected_format", pa.string()),
        ("modified_at", pa.string()),
        ("scanned_at", pa.string()),
        ("modified_ns", pa.int64()),  # st_mtime_ns: with the size, tells the next scan the file is unchanged
    ]
)

# Files the operating system or editors leave behind; everything else is registered.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}  # system clutter, not reports (the sensor skips them too)


@dataclass(frozen=True)
class InboxFile:
    path: str  # relative to the inbox, POSIX separators
    absolute_path: Path
    sha256: str
    size_bytes: int
    detected_format: str
    modified_at: str
    modified_ns: int = 0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_inbox(inbox: Path, known: Mapping[str, InboxFile] | None = None) -> list[InboxFile]:
    """Register every file under `inbox` (recursively), sorted by path so runs are repeatable.

    `known` (the previous scan, by path) saves reading files again: a file with the same size and modification
    time (to the nanosecond) keeps its hash and format, as rsync and make decide; any other file is hashed.
    """
    known = known or {}
    files: list[InboxFile] = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        if path.name not in IGNORED_NAMES:
            relative = path.relative_to(inbox).as_posix()
            files.append(inbox_file(path, relative, known.get(relative)))
    return files


def inbox_file(path: Path, relative: str, previous: InboxFile | None = None) -> InboxFile:
    """One file's record: its hash and format from its content, unless `previous` (the last scan's record of the
    same path) has the same size and modification time to the nanosecond, as rsync and make decide."""
    stat = path.stat()
    modified_at = datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds")
    if previous and previous.modified_ns and (previous.size_bytes, previous.modified_ns) == (
        stat.st_size, stat.st_mtime_ns
    ):
        sha256, detected_format = previous.sha256, previous.detected_format
    else:
        with path.open("rb") as handle:
            head = handle.read(8192)
        sha256, detected_format = sha256_of(path), detect_format(head, path)
    return InboxFile(relative, path, sha256, stat.st_size, detected_format, modified_at, stat.st_mtime_ns)


def inventory_table(files: list[InboxFile], scanned_at: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "path": f.path,
                "sha256": f.sha256,
                "size_bytes": f.size_bytes,
                "detected_format": f.detected_format,
                "modified_at": f.modified_at,
                "scanned_at": scanned_at,
                "modified_ns": f.modified_ns,
            }
            for f in files
        ],
        schema=INVENTORY_SCHEMA,
    )
