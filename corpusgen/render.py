"""Render a Document (prose lines and table rows) as PDF, Word, a web page or text, the way agencies do."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from functools import cache

from ingestion.document import Block, Document

Section = tuple[str, list]  # ("prose", [line]) or ("table", [cells, ...])


def sections(document: Document) -> Iterator[Section]:
    """Group consecutive row blocks into tables; single-cell rows outside a table stay prose."""
    pending: list[tuple[str, ...]] = []

    def flush() -> Iterator[Section]:
        nonlocal pending
        rows, pending = pending, []
        while rows and len(rows[0]) == 1:  # titles printed above the table
            yield "prose", [rows.pop(0)[0]]
        if rows:
            width = max(len(row) for row in rows)
            yield "table", [tuple(row) + ("",) * (width - len(row)) for row in rows]

    for block in document.blocks:
        if block.kind == "row":
            pending.append(block.cells)
            continue
        yield from flush()
        yield "prose", [block.text]
    yield from flush()


@cache
def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built into reportlab: no font files needed
    return "STSong-Light"


def to_pdf(document: Document, ruled: bool = True) -> bytes:
    """A PDF with the tables ruled (grid lines) or borderless; long tables run over page breaks with
    the header row repeated, as word processors print them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for kind, content in sections(document):
        if kind == "prose":
            story.append(Paragraph(html.escape(content[0].replace("\u2028", " ")), body))
            continue
        width = len(content[0])
        if width >= 10:  # the outcome × requester matrix: three label columns, seven narrow figures
            widths = [60, 70, 140] + [(500 - 270) / (width - 3)] * (width - 3)
        elif width >= 15:
            widths = [500 / width] * width
        else:
            label_width = 300 if width <= 4 else 200
            widths = [label_width] + [(480 - label_width) / max(1, width - 1)] * (width - 1)
        if width >= 15:
            widths = [500 / width] * width
        data = [[Paragraph(html.escape(c.replace("\u2028", " ")), cell) for c in row] for row in content]
        table = Table(data, colWidths=widths, repeatRows=1)
        style = [("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        table.setStyle(TableStyle(style))
        story.extend([Spacer(1, 6), table, Spacer(1, 6)])
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, topMargin=50, bottomMargin=50, title="report").build(story)
    return buffer.getvalue()


def to_docx(document: Document, merged_header: bool = True) -> bytes:
    """A Word file; with `merged_header` the table's title row is one cell merged across the columns."""
    from docx import Document as new_docx

    word = new_docx()
    for kind, content in sections(document):
        if kind == "prose":
            word.add_paragraph(content[0])
            continue
        rows = list(content)
        width = len(rows[0])
        offset = 1 if merged_header else 0
        table = word.add_table(rows=len(rows) + offset, cols=width)
        table.style = "Table Grid"
        if merged_header:
            merged = table.cell(0, 0).merge(table.cell(0, width - 1))
            merged.text = "政府信息公开情况统计表"
        cells = table._cells  # the layout grid, computed once: table.cell() recomputes it on every call
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cells[(r + offset) * width + c].text = text.replace("\u2028", "\n")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def to_html(document: Document, declared: str = "gb2312", encoding: str = "gb18030") -> bytes:
    """A government web page: GBK bytes declared as gb2312, with navigation, scripts and a footer."""
    parts = [
        "<!DOCTYPE html><html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">',
        "<title>政府信息公开年度报告</title><style>td{border:1px solid #999}</style>",
        "<script>var nav = '首页 | 政务公开 | 办事服务 123456';</script></head><body>",
        '<div class="nav">首页 | 政务公开 | 互动交流 | 2019年统计数据 999</div>',
        '<div class="article">',
    ]
    for kind, content in sections(document):
        if kind == "prose":
            parts.append(f"<p>{html.escape(content[0])}</p>")
            continue
        parts.append('<table cellspacing="0">')
        for row in content:
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    parts.append('</div><div class="footer">版权所有 联系电话 010-12345678 网站标识码 1234567890</div>')
    parts.append("</body></html>")
    return "\n".join(parts).encode(encoding, errors="replace")


def to_text(document: Document, encoding: str = "gb18030", newline: str = "\r\n") -> bytes:
    """A text extract in pipe-row layout."""
    lines = []
    for kind, content in sections(document):
        if kind == "prose":
            lines.append(content[0])
        else:
            lines.extend(" | ".join(row) + " |" for row in content)
    return newline.join(lines).encode(encoding, errors="replace")


def single_block_document(blocks: list[Block]) -> Document:
    return Document(blocks, "text")
