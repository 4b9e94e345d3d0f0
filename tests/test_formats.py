"""The seeds re-published as agencies publish them read like their text originals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from corpusgen.render import to_docx, to_html, to_pdf, to_text
from ingestion.extract import read_report
from ingestion.readers import read_document
from ingestion.readers.text import read_text

RENDERERS: dict[str, tuple[Callable, str]] = {
    "ruled-pdf": (lambda d: to_pdf(d, ruled=True), "pdf"),
    "borderless-pdf": (lambda d: to_pdf(d, ruled=False), "pdf"),
    "word": (to_docx, "docx"),
    "gbk-web-page": (to_html, "html"),
    "gb18030-crlf-text": (to_text, "text"),
}


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("form", list(RENDERERS))
def test_every_format_reads_like_the_text_original(seed: str, form: str, seed_bytes: dict[str, bytes]) -> None:
    original = read_report(seed_bytes[seed])
    render, fmt = RENDERERS[form]
    data = render(read_text(seed_bytes[seed]))
    result = read_report(data)
    assert result.document.source_format == fmt
    expected = {(f.indicator_code, f.value, f.is_approximate) for f in original.facts}
    got = {(f.indicator_code, f.value, f.is_approximate) for f in result.facts}
    assert expected == got, f"missing {expected - got}, extra {got - expected}"
    identity = ("agency_name", "report_year", "template", "admin_level", "province")
    assert [getattr(result.document, k) for k in identity] == [getattr(original.document, k) for k in identity]


def test_pdf_table_running_over_pages_is_one_table_without_repeated_header(seed_bytes: dict[str, bytes]) -> None:
    document = read_document(to_pdf(read_text(seed_bytes["004"]), ruled=True), "pdf")
    rows = [b for b in document.blocks if b.kind == "row"]
    pages = {b.locator.split(",")[0] for b in rows}
    assert len(pages) >= 2, "the statistics table should span a page break in this rendering"
    assert len({b.table for b in rows}) == 1
    assert sum(1 for b in rows if "".join(b.cells).replace(" ", "").startswith("填报单位")) == 1


def test_word_merged_header_cell_counts_once(seed_bytes: dict[str, bytes]) -> None:
    document = read_document(to_docx(read_text(seed_bytes["004"]), merged_header=True), "docx")
    first_row = next(b for b in document.blocks if b.kind == "row")
    assert first_row.cells == ("政府信息公开情况统计表",)


def test_gbk_page_declared_gb2312_is_not_truncated(seed_bytes: dict[str, bytes]) -> None:
    # 镕 and 喆 are in GBK but not in GB2312: lxml alone would stop reading at the first of them
    text = read_text(seed_bytes["004"])
    page = to_html(text).replace(b"<p>", "<p>朱镕基 王喆 ".encode("gb18030"), 1)
    document = read_document(page, "html")
    assert "朱镕基 王喆" in document.text
    assert "首页 | 政务公开" not in document.text and "版权所有" not in document.text  # navigation, footer
    assert read_report(page).facts


def test_html_colspan_and_rowspan() -> None:
    page = """<html><head><meta charset="gbk"></head><body><table>
    <tr><td colspan="2">统计指标</td><td>单位</td></tr>
    <tr><td rowspan="2">依申请</td><td>收到申请数</td><td>12</td></tr>
    <tr><td>办结数</td><td>10</td></tr></table></body></html>""".encode("gb18030")
    rows = [b.cells for b in read_document(page, "html").blocks if b.kind == "row"]
    assert rows == [("统计指标", "单位"), ("依申请", "收到申请数", "12"), ("依申请", "办结数", "10")]
