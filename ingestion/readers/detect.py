"""What a file is, told from its first bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters but tab, newline, \v, \f and \r


def detect_format(head: bytes, source: Path | bytes | BinaryIO | None = None) -> str:
    """Name the format from the first bytes, never from the file name.

    `source` (the file, its bytes, or the file opened for reading) is only needed to look inside zip containers.
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
                sample = _sample(source)
                return "docx" if b"word/" in sample else "zip"
            if "word/document.xml" in names:
                return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: legacy Word (or Excel) binary
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    from ingestion.readers.decode import decode_bytes

    text, _ = decode_bytes(head[:8192], cut=True)
    lowered = text.lower().lstrip("\ufeff \t\n")
    if lowered.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in lowered[:4096] for tag in ("<html", "<body", "<table", "<meta ")
    ):
        return "html"
    control = len(_CONTROL.findall(text, 0, 4096))
    if control > max(8, len(text[:4096]) // 50):
        return "unknown"
    return "text"


def _sample(source: Path | bytes | BinaryIO) -> bytes:
    """The first 64 KB of a source."""
    if isinstance(source, bytes):
        return source[:65536]
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return handle.read(65536)
    source.seek(0)
    return source.read(65536)
