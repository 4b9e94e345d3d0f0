"""Readers: one per format, each returning the same Document model."""

from __future__ import annotations

from ingestion.document import Document, UnreadableDocument
from ingestion.limits import ReadLimits

_NOT_READ = {
    "doc": "legacy Word .doc (or a password-protected Office file): save it as .docx or PDF",
    "zip": "zip archive: unpack it into the inbox",
    "image": "image file: OCR reads scanned reports as PDFs (an image file is not read): save the scan as a PDF",
    "unknown": "not a recognisable document format (binary content)",
    "empty": "empty file (0 bytes)",
}


def read_document(data: bytes, fmt: str, limits: ReadLimits | None = None) -> Document:
    """Read report bytes of a detected format; raises UnreadableDocument with a one-line reason."""
    limits = limits or ReadLimits()
    if len(data) > limits.max_file_bytes:
        raise UnreadableDocument(
            f"over the file-size limit: {len(data) / 1024**2:.1f} MB > {limits.max_file_bytes // 1024**2} MB"
        )
    if fmt == "text":
        from ingestion.readers.text import read_text

        document = read_text(data)
        if len(document.blocks) > limits.max_text_lines:
            lines = len(document.blocks)
            raise UnreadableDocument(f"text over the size limit: {lines} lines > {limits.max_text_lines}")
        return document
    if fmt == "pdf":
        from ingestion.readers.pdf import read_pdf

        return read_pdf(data, limits)
    if fmt == "docx":
        from ingestion.readers.docx import read_docx

        return read_docx(data)
    if fmt == "html":
        from ingestion.readers.html import read_html

        return read_html(data, limits.max_text_lines)
    raise UnreadableDocument(_NOT_READ.get(fmt, f"unsupported format: {fmt}"))
