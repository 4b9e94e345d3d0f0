"""Find every file a user dropped into the inbox and say what it is, from its content."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

INVENTORY_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("size_bytes", pa.int64()),
        ("detected_format", pa.string()),
        ("modified_at", pa.string()),
        ("scanned_at", pa.string()),
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_format(head: bytes, source: Path | bytes | None = None) -> str:
    """Name the format from the first bytes, never from the file name.

    `source` (the file or its bytes) is only needed to look inside zip containers.
    """
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if source is not None:
            try:
                container = io.BytesIO(source) if isinstance(source, bytes) else source
                names = zipfile.ZipFile(container).namelist()
            except zipfile.BadZipFile:
                # A damaged zip still names its members in plain bytes: a truncated .docx stays a .docx.
                sample = source[:65536] if isinstance(source, bytes) else source.open("rb").read(65536)
                return "docx" if b"word/" in sample else "zip"
            if "word/document.xml" in names:
                return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: legacy Word (or Excel) binary
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    from ingestion.decode import decode_bytes

    text, _ = decode_bytes(head[:8192])
    lowered = text.lower().lstrip("\ufeff \t\n")
    if lowered.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in lowered[:4096] for tag in ("<html", "<body", "<table", "<meta ")
    ):
        return "html"
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f\u000b")
    if control > max(8, len(text[:4096]) // 50):
        return "unknown"
    return "text"


def scan_inbox(inbox: Path) -> list[InboxFile]:
    """Register every file under `inbox` (recursively), sorted by path so runs are repeatable."""
    files: list[InboxFile] = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        if path.name in IGNORED_NAMES:
            continue
        stat = path.stat()
        with path.open("rb") as handle:
            head = handle.read(8192)
        files.append(
            InboxFile(
                path=path.relative_to(inbox).as_posix(),
                absolute_path=path,
                sha256=sha256_of(path),
                size_bytes=stat.st_size,
                detected_format=detect_format(head, path),
                modified_at=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
            )
        )
    return files


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
            }
            for f in files
        ],
        schema=INVENTORY_SCHEMA,
    )
