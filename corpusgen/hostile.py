"""Broken and hostile files of the kinds that end up in an inbox, each with the reason we expect."""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF with a correct cross-reference table around the given objects (1-based)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _page_with_stream(stream: bytes, filters: bytes = b"") -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        f"<< /Length {len(stream)} {filters.decode()} >>\nstream\n".encode() + stream + b"\nendstream",
    ])


def inflating_pdf(megabytes: int = 400) -> bytes:
    """A PDF of a few kilobytes whose content stream inflates to `megabytes` MB (double Flate)."""
    inner = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    once = b"".join(inner.compress(chunk) for _ in range(megabytes)) + inner.flush()
    twice = zlib.compress(once, 9)
    return _page_with_stream(twice, b"/Filter [/FlateDecode /FlateDecode]")


def many_lines_pdf(lines: int = 300_000) -> bytes:
    """One page drawing `lines` ruling lines under the heading 统计指标, so it is triaged as a table
    page and pdfplumber has to interpret every line (EXTRACTION.md: 25 s and 945 MB)."""
    ops = b"".join(b"%d %d m %d %d l S\n" % (i % 500, i % 800, (i % 500) + 5, (i % 800) + 1) for i in range(lines))
    heading = "政府信息公开统计指标".encode("utf-16-be").hex().encode()
    text = b"BT /F1 12 Tf 72 800 Td <" + heading + b"> Tj ET\n"
    stream = zlib.compress(text + ops)
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
        b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> >>] >>"
    )
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream",
        font,
    ])


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    encryption = pdfencrypt.StandardEncryption("user-secret", "owner-secret", canPrint=0)
    pdf = canvas.Canvas(buffer, encrypt=encryption)
    pdf.drawString(72, 720, "confidential")
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page that is one image and no text, as a scanner makes it."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (400, 560), "white")
    for x in range(40, 360):
        image.putpixel((x, 100), (0, 0, 0))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(image), 20, 20, width=555, height=800)
    pdf.save()
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 3]


def hostile_files(good_pdf: bytes, good_docx: bytes) -> dict[str, tuple[bytes, str]]:
    """name → (bytes, words the quarantine reason must contain; '|' separates acceptable alternatives,
    as a bomb may hit the time or memory limit first on a busy machine)."""
    random = os.urandom(64 * 1024)
    legacy_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096)
    files: dict[str, tuple[bytes, str]] = {
        "encrypted.pdf": (encrypted_pdf(), "password"),
        "truncated.pdf": (truncated(good_pdf), "PDF"),
        "random.pdf": (random, "not a recognisable document format"),
        "random.txt": (os.urandom(32 * 1024), "not a recognisable document format"),
        "empty.pdf": (b"", "empty file"),
        "empty.docx": (b"", "empty file"),
        "bomb.pdf": (inflating_pdf(), "PDF has no readable text|timed out|memory|crashed"),
        "lines.pdf": (many_lines_pdf(), "timed out|no report found"),
        "scanned.pdf": (scanned_pdf(), "scanned"),
        "legacy.doc": (legacy_doc, ".doc"),
        "truncated.docx": (truncated(good_docx), "Word"),
        "photo.png": (b"\x89PNG\r\n\x1a\n" + os.urandom(2048), "image"),
        "archive.zip": (_zip_without_docx(), "zip archive"),
        "huge-lines.txt": (("政府信息公开 第一行\n" * 150_000).encode(), "over the size limit"),
        "not-a-report.txt": ("会议通知：下午三点开会。".encode(), "no government-information-disclosure content"),
    }
    return files


def _zip_without_docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


Maker = Callable[[], bytes]
