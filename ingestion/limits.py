"""Limits that keep one hostile or broken file from costing more than itself. All are settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 200 * 1024**2  # larger files are quarantined unread
    max_pages: int = 500  # a disclosure report has 3–30 pages
    timeout_seconds: float = 120.0  # per document, enforced by killing its worker process
    memory_bytes: int = 2 * 1024**3  # address-space cap per worker (RLIMIT_AS)
    max_text_lines: int = 100_000  # text/HTML documents longer than this are not reports

