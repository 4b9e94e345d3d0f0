"""Read PDFs in a fresh process, optionally as on a host without any font, and print what was read as JSON.

    python -m tests.fontless_probe [--hide-fonts] [--host-substitutes] OUT.json FILE...

`--hide-fonts` starts pdfium with an empty font directory in place of the system's (/usr/share/fonts and the
others pdfium scans itself: it does not ask fontconfig, so FONTCONFIG_FILE hides nothing from it). pdfium reads
the directories once, when it is initialised, so this must happen before pypdfium2 is imported: pypdfium2
initialises pdfium on import, and pdfium ignores a second initialisation, so the empty directory stays.
`--host-substitutes` turns off the reader's own substitute font (ingestion.readers.fonts), to show what the
host's fonts (or their absence) would do.
"""

from __future__ import annotations

import ctypes
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path


def hide_host_fonts() -> None:
    """Initialise pdfium with an empty directory as its only font path (before pypdfium2 is imported)."""
    assert "pypdfium2" not in sys.modules, "pdfium was already initialised with the system's fonts"
    import pypdfium2_raw as raw  # the bindings alone; importing pypdfium2 would initialise pdfium

    empty = tempfile.mkdtemp(prefix="no-fonts-")
    pointer = ctypes.POINTER(ctypes.c_char)
    paths = (pointer * 2)(ctypes.cast(ctypes.c_char_p(empty.encode()), pointer), None)
    config = raw.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=ctypes.cast(paths, ctypes.POINTER(pointer)), m_pIsolate=None, m_v8EmbedderSlot=0
    )
    raw.FPDF_InitLibraryWithConfig(config)
    hide_host_fonts.keep = paths  # type: ignore[attr-defined]


def read(paths: list[Path]) -> dict[str, dict]:
    from ingestion.document import UnreadableDocument
    from ingestion.extract import read_report

    out: dict[str, dict] = {}
    for path in paths:
        try:
            result = read_report(path.read_bytes())
        except UnreadableDocument as error:
            out[str(path)] = {"unreadable": str(error)}
            continue
        facts = [asdict(fact) for fact in result.facts]
        out[str(path)] = {
            "facts": sorted(facts, key=lambda f: (f["indicator_code"], f["requester_type"], str(f["locator"]))),
            "findings": sorted(f"{f.severity} {f.finding_type} {f.message_en}" for f in result.findings
                               if f.finding_type != "reading_note" or "OCR" not in f.message_en),
            "template": result.document.template,
        }
    return out


def main(argv: list[str]) -> None:
    hide = "--hide-fonts" in argv
    host = "--host-substitutes" in argv
    out, *files = [arg for arg in argv if not arg.startswith("--")]
    if hide:
        hide_host_fonts()
    if host:
        import ingestion.readers.fonts as fonts

        fonts.use_metric_fonts = lambda: None
    Path(out).write_text(json.dumps(read([Path(f) for f in files]), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
