"""Bounded everywhere: `gongkai extract` reads under a refresh worker's limits, and HTML nested deeper than
libxml2's default limit is read (huge_tree) or its loss reported, never silently truncated."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpusgen.render import to_html
from ingestion.document import UnreadableDocument
from ingestion.extract import read_report
from ingestion.landing.pipeline import extract_isolated
from ingestion.limits import ReadLimits
from ingestion.readers.text import read_text
from tests.conftest import seed_path

GONGKAI = Path(sys.executable).parent / "gongkai"


def _nested(depth: int, shallow: str = "") -> bytes:
    """Seed 000 as a web page whose content sits `depth` <div>s down (after `shallow`, at the top)."""
    page = to_html(read_text(seed_path("000").read_bytes()), declared="utf-8", encoding="utf-8").decode()
    start, end = page.index(">", page.index("<body")) + 1, page.index("</body>")
    return (page[:start] + shallow + "<div>" * depth + page[start:end] + "</div>" * depth + page[end:]).encode()


def _facts(data: bytes) -> list[tuple]:
    return sorted((f.indicator_code, f.requester_type, f.value) for f in read_report(data, "html").facts)


def test_a_page_nested_300_deep_reads_as_the_flat_one() -> None:
    flat = _facts(_nested(0))
    assert len(flat) > 60
    assert _facts(_nested(300)) == flat  # libxml2 without huge_tree kept none of them


def test_content_past_the_parsers_hard_limit_is_reported_not_lost_silently() -> None:
    with pytest.raises(UnreadableDocument, match="nested deeper than the HTML parser's limit"):
        read_report(_nested(3000), "html")
    result = read_report(_nested(3000, shallow="<p>咸宁市国土资源局2017年政府信息公开工作年度报告</p>"), "html")
    assert any(f.finding_type == "content_not_read" and "2048" in f.message_en for f in result.findings)


def _rowspan_bomb() -> bytes:
    head = "<html><body><p>政府信息公开工作年度报告</p><table>"
    rows = "".join("<tr>" + "<td rowspan='65000'>1</td>" * 20 + "</tr>" for _ in range(400))
    return (head + rows + "</table></body></html>").encode()


def test_extract_in_a_worker_reads_a_report_and_stops_a_bomb_at_its_time_limit() -> None:
    assert len(extract_isolated(_nested(0), ReadLimits()).facts) > 60
    started = time.monotonic()
    with pytest.raises(UnreadableDocument, match="timed out after 1 s"):
        extract_isolated(_rowspan_bomb(), ReadLimits(timeout_seconds=1))
    assert time.monotonic() - started < 15


@pytest.mark.e2e
def test_the_extract_command_ends_a_markup_bomb_within_its_limits(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html"
    bomb.write_bytes(_rowspan_bomb())
    started = time.monotonic()
    completed = subprocess.run([str(GONGKAI), "extract", str(bomb), "--timeout-seconds", "2"],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and "timed out after 2 s" in completed.stderr
    assert time.monotonic() - started < 60
