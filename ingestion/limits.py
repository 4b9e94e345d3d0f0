"""Limits that keep one hostile or broken file from costing more than itself. All are settings."""

from __future__ import annotations

from dataclasses import dataclass


def request_time(seconds: float) -> None:
    """Ask for `seconds` on top of the document's time limit (OCR pages). In a worker process of the landing pool
    it is ingestion.landing.pool.request_more_time (a message to the parent); a no-op when the document is read
    in place."""


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 200 * 1024**2  # larger files are quarantined unread
    max_pages: int = 500  # a disclosure report has 3–30 pages
    timeout_seconds: float = 120.0  # per document, enforced by killing its worker process
    memory_bytes: int = 2 * 1024**3  # address-space cap per worker (RLIMIT_AS)
    max_text_lines: int = 100_000  # text/HTML documents longer than this are not reports
    # OCR of pages without a usable text layer (each page costs seconds): pages per document, the resolution a
    # page is rendered at and the largest page image (A4 at 200 dpi is 3.9 megapixels), and the largest embedded
    # image that is decoded at all (a 600 dpi A3 scan is 70 megapixels; a larger one is a bomb, not a page).
    ocr_pages: int = 40
    ocr_seconds_per_page: float = 30.0  # time a document's worker is granted beyond timeout_seconds per OCR page
    ocr_dpi: int = 200
    max_page_pixels: int = 6_000_000
    max_image_pixels: int = 120_000_000
