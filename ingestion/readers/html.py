"""Web-page reports as government sites serve them.

Sites declare charset=gb2312 and serve GBK: lxml would silently truncate at the first character
outside GB2312, so bytes are decoded in Python (GB18030, a superset) before lxml sees them.

The page's title is the first prose block (locator "page title"): many pages print the report's title only
in the head, and the title is the first evidence of who published the report and for which year.
"""

from __future__ import annotations

import re

from ingestion.document import Block, Document, UnreadableDocument
from ingestion.readers.cells import clean_cell
from ingestion.readers.decode import decode_bytes

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_NOISE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "button", "select")
_NOISE_HINTS = re.compile(r"(^|[\s_-])(nav|menu|footer|foot|header|breadcrumb|sidebar|share|copyright)", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "dd", "dt"}
_TABLE_MARK = "\ue000TABLE{}\ue000"
# Government sites append the column and the site to <title>: "报告标题_政府信息公开年报_平潭综合实验区党工委管委会".
_TITLE_SEPARATOR = re.compile(r"_| - |\||｜")


def _decode(data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii", "ignore").lower() if declared else ""
    if name in _GB_FAMILY:
        return data.decode("gb18030", errors="replace"), "gb18030"
    if name in {"utf-8", "utf8"}:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return decode_bytes(data)


def _grid(table) -> list[tuple[str, ...]]:
    """Rows of a <table> with rowspan carried down; a colspan cell counts once."""
    rows: list[tuple[str, ...]] = []
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for tr in table.iter("tr"):
        if tr.getparent() is not None and tr.getparent().tag not in {"table", "tbody", "thead", "tfoot"}:
            continue
        cells: list[str] = []
        column = 0
        for td in tr:
            if td.tag not in {"td", "th"}:
                continue
            while column in carried:
                text, remaining = carried[column]
                cells.append(text)
                carried = {k: v for k, v in carried.items() if k != column} if remaining <= 1 else {
                    **carried, column: (text, remaining - 1)
                }
                column += 1
            text = clean_cell(td.text_content())
            span = int(td.get("colspan", "1") or 1) if str(td.get("colspan", "1")).isdigit() else 1
            down = int(td.get("rowspan", "1") or 1) if str(td.get("rowspan", "1")).isdigit() else 1
            cells.append(text)
            if down > 1:
                for offset in range(span):
                    carried[column + offset] = (text if offset == 0 else "", down - 1)
            column += max(1, min(span, 50))
        while column in carried:  # carried cells at the end of the row
            text, remaining = carried[column]
            cells.append(text)
            carried = {k: v for k, v in carried.items() if k != column} if remaining <= 1 else {
                **carried, column: (text, remaining - 1)
            }
            column += 1
        if any(cells):
            rows.append(tuple(cells))
    return rows


def page_title(root) -> str:
    """The article's title: <meta name="ArticleTitle"> (the CMS's own field), else <title> cut at the first
    separator; '' when the page has neither."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").strip().lower() == "articletitle":
            title = " ".join((meta.get("content") or "").split())
            if title:
                return title
    title = root.find(".//title")
    text = " ".join(title.text_content().split()) if title is not None else ""
    return _TITLE_SEPARATOR.split(text, maxsplit=1)[0].strip()


_TOO_DEEP = "web page nested deeper than the HTML parser's limit (2048 elements): the content past it was not read"


def _too_deep(parser) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def read_html(data: bytes, max_lines: int = 100_000) -> Document:
    from lxml import etree
    from lxml import html as lxml_html

    text, encoding = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    # huge_tree: libxml2 otherwise drops, without an error, everything nested deeper than 256 elements (CMS pages
    # wrap content in hundreds of <div>s); past its hard limit (2048) what is lost is reported, not hidden.
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        if _too_deep(parser):
            raise UnreadableDocument(_TOO_DEEP) from None
        raise UnreadableDocument(f"web page could not be parsed: {error}"[:200]) from None
    problems = [("content_not_read", "soft", _TOO_DEEP)] if _too_deep(parser) else []
    title = page_title(root)
    for element in list(root.iter(*_NOISE_TAGS)):
        element.drop_tree()
    for element in root.xpath("//*[@class or @id]"):  # only these can hint (a Python object per element is dear)
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        if hint.strip() and _NOISE_HINTS.search(hint) and element.tag not in {"table", "td", "tr"}:
            element.drop_tree()
    tables: list[list[tuple[str, ...]]] = []
    for table in list(root.iter("table")):
        if any(ancestor.tag == "table" for ancestor in table.iterancestors()):
            continue  # nested tables are read as part of their outer table's cells
        tables.append(_grid(table))
        marker = lxml_html.Element("p")
        marker.text = _TABLE_MARK.format(len(tables) - 1)
        marker.tail = table.tail
        table.getparent().replace(table, marker)
    for element in root.iter(*_BLOCK_TAGS):  # elements only: comments have no tag name to match
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    body = root.find("body")
    content = (body if body is not None else root).text_content()
    lines = content.split("\n")
    if len(lines) > max_lines:
        raise UnreadableDocument(f"web page over the size limit: {len(lines)} lines > {max_lines}")
    blocks: list[Block] = []
    for number, line in enumerate(lines, start=1):
        line = line.strip().replace("\u00a0", " ")
        if not line:
            continue
        match = re.fullmatch(r"\ue000TABLE(\d+)\ue000", line)
        if match:
            index = int(match.group(1))
            for r, row in enumerate(tables[index], start=1):
                blocks.append(Block("row", row, f"table {index + 1}, row {r}", index + 1))
            continue
        blocks.append(Block("prose", (line,), f"line {number}"))
    if not blocks:
        raise UnreadableDocument(_TOO_DEEP if problems else "web page has no text")
    if title and blocks[0].text != title:
        blocks.insert(0, Block("prose", (title,), "page title"))
    return Document(blocks, "html", encoding=encoding, problems=problems)
