"""The fonts pdfium sees: one small font of the project's own, never the host's.

A PDF that does not embed a font (real agency PDFs often leave SimSun / STSong unembedded; the corpus generator's
STSong-Light never is) is drawn and measured by pdfium with a substitute from the host. Text positions come from
the PDF's own width arrays, but pdfium's text page also uses each glyph's box (to join characters into lines, to
drop a character drawn twice, to place spaces), and those boxes come from the substitute. Measured here: a
borderless 2021 table read 200 of 200 facts with Debian's WenQuanYi Zen Hei installed, and 19 of 200 on a host
without a Chinese font (pdfium lost 19 characters and joined lines), with no sign that anything was lost.

So pdfium gets a system-font interface (FPDF_SetSystemFontInfo) that answers every request with
`metric_box.ttf`: 1.2 KB, every CJK ideograph, CJK punctuation and full-width form a full-em box, every other
printable character a half-em box, spaces empty, ascent 880 and descent 120 per 1000 (the standard CJK metrics).
Glyph boxes then depend only on the PDF and this file: the same text on every host, with or without fonts, and no
fonts a production host must install. Embedded fonts are unaffected (pdfium never asks for a substitute).

The font is built by `build_metric_font()` (fontTools, a development dependency); a test checks that the
committed file is what the builder makes. pdfium renders unembedded text with these boxes too: pages are rendered
only for OCR, and only pages without a usable text layer are.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

FONT_FILE = Path(__file__).with_name("metric_box.ttf")
FACE_NAME = b"GongkaiMetricBox"

# Full-width (one em) blocks: Hangul Jamo, enclosed alphanumerics (①), CJK radicals to Yi, compatibility forms,
# full-width forms. Everything else printable is half an em.
_WIDE = (
    (0x1100, 0x11FF), (0x2460, 0x24FF), (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x33FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
)
_ASCENT, _DESCENT = 880, -120

_lock = threading.Lock()
_installed: list[object] = []  # the interface struct and its callbacks, kept alive for the process


def _glyph_of(codepoint: int) -> str | None:
    if codepoint in (0x20, 0xA0):
        return "space"
    if codepoint == 0x3000:
        return "ideospace"
    if any(low <= codepoint <= high for low, high in _WIDE):
        return "wide"
    if 0x21 <= codepoint <= 0xD7FF or 0xFB00 <= codepoint <= 0xFFFD:
        return "narrow"
    return None


def build_metric_font() -> bytes:
    """The bytes of metric_box.ttf (needs fontTools, a development dependency)."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    def box(width: int):
        pen = TTGlyphPen(None)
        pen.moveTo((0, _DESCENT))
        pen.lineTo((0, _ASCENT))
        pen.lineTo((width, _ASCENT))
        pen.lineTo((width, _DESCENT))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "space", "ideospace", "narrow", "wide"])
    cmap = {cp: glyph for cp in range(0x20, 0x10000) if (glyph := _glyph_of(cp))}
    builder.setupCharacterMap({cp: glyph for cp, glyph in cmap.items() if cp < 0x80})
    # One many-to-one subtable (format 13) maps the whole BMP onto four glyphs in a few hundred bytes.
    full = CmapSubtable.newSubtable(13)
    full.platformID, full.platEncID, full.language, full.cmap = 3, 10, 0, cmap
    builder.font["cmap"].tables.append(full)
    builder.setupGlyf({
        ".notdef": box(1000), "space": TTGlyphPen(None).glyph(), "ideospace": TTGlyphPen(None).glyph(),
        "narrow": box(500), "wide": box(1000),
    })
    builder.setupHorizontalMetrics(
        {".notdef": (1000, 0), "space": (500, 0), "ideospace": (1000, 0), "narrow": (500, 0), "wide": (1000, 0)}
    )
    builder.setupHorizontalHeader(ascent=_ASCENT, descent=_DESCENT)
    builder.setupNameTable({"familyName": FACE_NAME.decode(), "styleName": "Regular"})
    builder.setupOS2(
        sTypoAscender=_ASCENT, sTypoDescender=_DESCENT, usWinAscent=_ASCENT, usWinDescent=-_DESCENT,
        # code pages: Latin 1, Japanese, Simplified Chinese, Korean, Traditional Chinese
        ulCodePageRange1=(1 << 0) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20),
        ulUnicodeRange1=1, ulUnicodeRange2=(1 << (48 - 32)) | (1 << (59 - 32)),
    )
    builder.setupPost()
    builder.updateHead(created=0, modified=0)  # reproducible bytes
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def use_metric_fonts() -> None:
    """Make pdfium substitute every unembedded font with metric_box.ttf, in this process (idempotent).

    Call before the first document is opened: pdfium keeps the substitutes of documents already loaded.
    """
    if _installed:
        return
    with _lock:
        if _installed:
            return
        import pypdfium2.raw as pdfium_c

        data = FONT_FILE.read_bytes()
        charsets: dict[int, int] = {}  # handle → the charset asked for

        def release(this):
            return None

        def enum_fonts(this, mapper):
            for charset in (0, 1, 128, 129, 134, 136):  # ANSI, default, Shift-JIS, Hangul, GB2312, Big5
                pdfium_c.FPDF_AddInstalledFont(mapper, FACE_NAME, charset)

        def map_font(this, weight, italic, charset, pitch_family, face, exact):
            charsets[charset + 1] = charset
            return charset + 1  # a handle is any non-null value

        def get_font(this, face):
            charsets.setdefault(2, 1)
            return 2

        def get_font_data(this, handle, table, buffer, size):
            if table != 0:  # single tables are not asked for a plain TrueType file; 0 = the whole file
                return 0
            if buffer and size >= len(data):
                ctypes.memmove(buffer, data, len(data))
            return len(data)

        def get_face_name(this, handle, buffer, size):
            name = FACE_NAME + b"\0"
            if buffer and size >= len(name):
                ctypes.memmove(buffer, name, len(name))
            return len(name)

        def get_font_charset(this, handle):
            return charsets.get(handle or 0, 1)

        def delete_font(this, handle):
            return None

        info = pdfium_c.FPDF_SYSFONTINFO()
        info.version = 1
        types = dict(type(info)._fields_)
        callbacks = {
            "Release": release, "EnumFonts": enum_fonts, "MapFont": map_font, "GetFont": get_font,
            "GetFontData": get_font_data, "GetFaceName": get_face_name, "GetFontCharset": get_font_charset,
            "DeleteFont": delete_font,
        }
        for name, function in callbacks.items():
            callback = types[name](function)
            setattr(info, name, callback)
            _installed.append(callback)
        _installed.append(info)
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))
