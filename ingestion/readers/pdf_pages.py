"""A PDF page's pdfium handles for the reader's one pass over the pages.

pypdfium2 gives every page and text page it opens a finalizer, weak references and a place in its object tracker,
so that they are closed whatever happens: ≈ 0.05 ms a page, 4% of reading one. The reader opens and closes each page
in one place, so here both are loaded through the raw API and closed in a `finally`, pages before their document;
pypdfium2's page and text page classes still give their methods (text, size, rotation, objects), through
subclasses that register nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def page_handles(pdf, index: int) -> Iterator[tuple]:
    """The page `index` of an open pypdfium2 document and its text page, as pypdfium2 objects, closed on leaving
    (pypdfium2's messages when one cannot be loaded)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    page_class, textpage_class = _unregistered_classes()
    raw_page = pdfium_c.FPDF_LoadPage(pdf, index)
    if not raw_page:
        raise pypdfium2.PdfiumError("Failed to load page.")
    try:
        raw_textpage = pdfium_c.FPDFText_LoadPage(raw_page)
        if not raw_textpage:
            raise pypdfium2.PdfiumError("Failed to load text page.")
        try:
            page = page_class(raw_page, pdf)
            yield page, textpage_class(raw_textpage, page)
        finally:
            pdfium_c.FPDFText_ClosePage(raw_textpage)
    finally:
        pdfium_c.FPDF_ClosePage(raw_page)


@cache
def _unregistered_classes() -> tuple[type, type]:
    import pypdfium2

    class Page(pypdfium2.PdfPage):
        def __init__(self, raw, pdf) -> None:  # no finalizer: page_handles closes it (the document has no forms)
            self.raw, self.pdf, self.formenv = raw, pdf, None

    class TextPage(pypdfium2.PdfTextPage):
        def __init__(self, raw, page) -> None:  # no finalizer: page_handles closes it
            self.raw, self.page = raw, page

    return Page, TextPage
