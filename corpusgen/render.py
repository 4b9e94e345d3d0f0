"""Render a Document (prose lines and table rows) as PDF, Word, a web page or text, the way agencies do."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from functools import cache

from corpusgen.shapes import MERGED_LEFT, MERGED_UP
from ingestion.document import Block, Document

Section = tuple[str, list]  # ("prose", [line]) or ("table", [cells, ...])
_MERGED = str.maketrans({MERGED_LEFT: "", MERGED_UP: ""})


def _plain(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Cells with the merged-cell markers printed as what they are on paper without merging: empty cells."""
    return tuple(cell.translate(_MERGED) for cell in cells)


def sections(document: Document, merged: bool = False) -> Iterator[Section]:
    """Group consecutive row blocks into tables; single-cell rows outside a table stay prose. With `merged`,
    cells covered by a merged cell keep their markers (shapes.MERGED_LEFT / MERGED_UP) for the renderer."""
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
            pending.append(block.cells if merged else _plain(block.cells))
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


def _spanned_rows(rows: list[tuple[str, ...]]) -> list[list[str]]:
    """Table rows as <td> elements, a cell merged over the markers to its right (colspan) and below (rowspan)."""
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        tds: list[str] = []
        for c, cell in enumerate(row):
            if cell in {MERGED_LEFT, MERGED_UP}:
                continue
            across = 1
            while c + across < len(row) and row[c + across] == MERGED_LEFT:
                across += 1
            down = 1
            while r + down < len(rows) and rows[r + down][c] == MERGED_UP:
                down += 1
            spans = (f' colspan="{across}"' if across > 1 else "") + (f' rowspan="{down}"' if down > 1 else "")
            # as pages pasted from Word print cells: each in a paragraph, labels with a trailing no-break space
            text = "" if not cell else f"<p>{html.escape(cell)}{'' if cell[-1].isdigit() else '&nbsp;'}</p>"
            tds.append(f"<td{spans}>{text}</td>")
        out.append(tds)
    return out


def to_html(document: Document, declared: str = "gb2312", encoding: str = "gb18030", merged: bool = False) -> bytes:
    """A government web page: GBK bytes declared as gb2312, with navigation, scripts and a footer. With
    `merged`, header and group cells the report marks as merged are printed with colspan / rowspan, as web
    pages pasted from Word print them; a blank cell is an empty <td></td>."""
    parts = [
        "<!DOCTYPE html><html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">',
        "<title>政府信息公开年度报告</title><style>td{border:1px solid #999}</style>",
        "<script>var nav = '首页 | 政务公开 | 办事服务 123456';</script></head><body>",
        '<div class="nav">首页 | 政务公开 | 互动交流 | 2019年统计数据 999</div>',
        '<div class="article">',
    ]
    for kind, content in sections(document, merged=merged):
        if kind == "prose":
            parts.append(f"<p>{html.escape(content[0])}</p>")
            continue
        parts.append('<table cellspacing="0" border="1">')
        for tds in _spanned_rows(content) if merged else [[f"<td>{html.escape(c)}</td>" for c in row]
                                                          for row in content]:
            parts.append("<tr>" + "".join(tds) + "</tr>")
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


_PAGE_FIELDS = ("标题", "发布时间", "文号", "发布机构", "栏目", "原文链接", "本地目录")


def to_page_text(document: Document, title: str, agency: str, published: str, glued: bool = False,
                 address: str = "", encoding: str = "utf-8") -> bytes:
    """A web page saved as text, the way page archives keep them: header fields, a separator, then the whole
    body on one line, table cells separated by single spaces (a blank cell vanishes); `glued` prints the cells
    and rows of a table with no separator at all ('主动公开信息数条18535395其中：1.网站公开条17135017…'), as many
    real pages come out. A table ends with a space before text that starts with a digit, so that the last
    figure does not run into it."""
    folder = f"zwgk/zfxxgknb/{published[:7].replace('-', '')}/{title}"
    values = (title, published, "", agency if agency else "", "政府信息公开年报", address, folder)
    head = [f"{name}: {value}" for name, value in zip(_PAGE_FIELDS, values, strict=True)]
    head += ["页面链接与图片详见 links.tsv(同目录)", "==================== 正文 ===================="]
    pieces: list[tuple[str, str]] = [("prose", f"当前位置： 首页 政务公开 信息公开年报 {title} 来源：{agency} 时间："
                                               f"{published} 分享 打印 关闭 相关链接：")]
    for kind, content in sections(document):
        if kind == "prose":
            pieces.append(("prose", content[0].replace("\n", " ")))
            continue
        joiner = "" if glued else " "
        pieces.append(("table", joiner.join(joiner.join(c for c in row if c.strip()) for row in content)))
    pieces.append(("prose", "附件下载"))
    body = ""
    previous = ""
    for kind, text in pieces:
        if not body:
            body = text
        elif glued and previous == "table" and (kind == "table" or not text[:1].isdigit()):
            body += text
        else:
            body += " " + text
        previous = kind
    return "\n".join([*head, body]).encode(encoding)


def single_block_document(blocks: list[Block]) -> Document:
    return Document(blocks, "text")
