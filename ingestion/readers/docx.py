"""Word (.docx) reports: paragraphs and tables in body order, merged cells counted once.

A plain .docx is read straight from its word/document.xml with lxml, the way python-docx reads it (the
same parser options, paragraph, run and cell text, merged cells) at a tenth of the cost: python-docx
loads every part of the package and runs an XPath query per run. Anything unusual (another main part,
an odd merge) goes to python-docx itself, errors and all.
"""

from __future__ import annotations

import io

from ingestion.document import Block, Document, UnreadableDocument
from ingestion.readers.cells import clean_cell

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _HYPERLINK, _TBL, _TR, _TC = (f"{_W}{tag}" for tag in ("p", "r", "hyperlink", "tbl", "tr", "tc"))
_T, _TAB, _PTAB, _BR, _CR, _NO_BREAK_HYPHEN = (
    f"{_W}{tag}" for tag in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen")
)
_TC_PR, _GRID_SPAN, _V_MERGE, _VAL = (f"{_W}{tag}" for tag in ("tcPr", "gridSpan", "vMerge", "val"))
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


class _Unusual(Exception):
    """Something the fast reader does not handle: python-docx reads the file instead."""


def _run_text(run) -> str:
    parts = []
    for element in run:
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _BR:
            kind = element.get(f"{_W}type")
            if kind is None or kind == "textWrapping":
                parts.append("\n")
            elif kind not in ("page", "column"):
                raise _Unusual(kind)
    return "".join(parts)


def _paragraph_text(paragraph) -> str:
    parts = []
    for child in paragraph:
        if child.tag == _R:
            parts.append(_run_text(child))
        elif child.tag == _HYPERLINK:
            parts.extend(_run_text(run) for run in child if run.tag == _R)
    return "".join(parts)


def _property(element, container: str, name: str) -> str | None:
    """`./w:<container>/w:<name>/@w:val`; '' when the element is there without a value, None when absent."""
    container, name = f"{_W}{container}", f"{_W}{name}"  # children scanned: cheaper than find()
    for properties in element:
        if properties.tag == container:
            for found in properties:
                if found.tag == name:
                    return found.get(f"{_W}val", "")
            return None
    return None


def _number(value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit():
        raise _Unusual(value)
    return int(value)


def _fast_row_cells(rows: list, index: int) -> tuple[str, ...]:
    """python-docx's `row.cells` (a spanned cell once per grid column, a vertically merged one as the
    cell above) with consecutive repeats of one cell dropped, as `_row_cells` does."""

    def grid_before(tr) -> int:
        return _number(_property(tr, "trPr", "gridBefore"), 0)

    properties: dict = {}

    def cell_properties(tc) -> tuple[int, bool]:
        """(grid span, continues a vertical merge), read once per cell."""
        key = id(tc)
        if key not in properties:
            span = merge = None
            for tc_pr in tc:
                if tc_pr.tag == _TC_PR:
                    for item in tc_pr:
                        if item.tag == _GRID_SPAN:
                            span = item.get(_VAL, "")
                        elif item.tag == _V_MERGE:
                            merge = item.get(_VAL, "")
                    break
            if merge not in (None, "", "continue", "restart"):
                raise _Unusual(merge)
            properties[key] = (_number(span, 1), merge in ("", "continue"), tc)  # tc kept: ids stay unique
        return properties[key][:2]

    def span(tc) -> int:
        return cell_properties(tc)[0]

    def cells_of(tc, row: int, offset: int):
        if cell_properties(tc)[1]:
            if row == 0:
                raise _Unusual("vertical merge in the first row")
            above = rows[row - 1]
            remaining = offset - grid_before(above)
            for candidate in (c for c in above if c.tag == _TC):
                if remaining < 0:
                    break
                if remaining == 0:
                    yield from cells_of(candidate, row - 1, offset)
                    return
                remaining -= span(candidate)
            raise _Unusual("no cell above")
        for _ in range(span(tc)):
            yield tc

    tr = rows[index]
    texts: list[str] = []
    previous = None
    offset = grid_before(tr)
    for tc in (c for c in tr if c.tag == _TC):
        columns, continues = cell_properties(tc)
        # A cell of its own (nearly all): its text once, however many grid columns it spans.
        cells = cells_of(tc, index, offset) if continues else (tc,) if columns else ()
        for cell in cells:
            if previous is not None and cell is previous:
                continue
            previous = cell
            texts.append(clean_cell("\n".join(_paragraph_text(p) for p in cell if p.tag == _P)))
        offset += columns
    return tuple(texts)


def _fast_blocks(data: bytes) -> list[Block] | None:
    """The blocks of a plain .docx, or None to let python-docx read it."""
    import zipfile

    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's options
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            relationships = etree.fromstring(package.read("_rels/.rels"), parser)
            targets = [r.get("Target") for r in relationships if r.get("Type") == _OFFICE_DOCUMENT]
            if len(targets) != 1 or not targets[0]:
                return None
            part = targets[0].removeprefix("/")
            types = etree.fromstring(package.read("[Content_Types].xml"), parser)
            overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
            if overrides.get(f"/{part}") != _MAIN_TYPE:
                return None
            root = etree.fromstring(package.read(part), parser)
        body = root.find(f"{_W}body")
        if body is None:
            return None
        blocks: list[Block] = []
        paragraph_number = table_number = 0
        for item in body:
            if item.tag == _P:
                paragraph_number += 1
                text = _paragraph_text(item).strip()
                if text:
                    for line in text.split("\n"):
                        if line.strip():
                            blocks.append(Block("prose", (line.strip(),), f"paragraph {paragraph_number}"))
            elif item.tag == _TBL:
                table_number += 1
                rows = [tr for tr in item if tr.tag == _TR]
                for r in range(len(rows)):
                    cells = _fast_row_cells(rows, r)
                    if any(cells):
                        blocks.append(Block("row", cells, f"table {table_number}, row {r + 1}", table_number))
        return blocks
    except Exception:  # damage, a bomb, anything odd: python-docx decides, with its own errors
        return None


def _row_cells(row) -> tuple[str, ...]:
    """Cell texts of one row; a horizontally merged cell appears once (python-docx repeats it)."""
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        if previous is not None and cell._tc is previous:  # the same merged cell again
            continue
        previous = cell._tc
        cells.append(clean_cell(cell.text))
    return tuple(cells)


def read_docx(data: bytes) -> Document:
    fast = _fast_blocks(data)
    if fast:
        return Document(fast, "docx")
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(io.BytesIO(data))
    except PackageNotFoundError:
        raise UnreadableDocument("not a readable Word document (truncated, or not a .docx package)") from None
    except Exception as error:  # zip or XML damage
        raise UnreadableDocument(f"corrupt Word document: {type(error).__name__}: {error}"[:200]) from None
    blocks: list[Block] = []
    paragraph_number = table_number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_number += 1
            text = item.text.strip()
            if text:
                for line in text.split("\n"):
                    if line.strip():
                        blocks.append(Block("prose", (line.strip(),), f"paragraph {paragraph_number}"))
        elif isinstance(item, Table):
            table_number += 1
            for r, row in enumerate(item.rows, start=1):
                cells = _row_cells(row)
                if any(cells):
                    blocks.append(Block("row", cells, f"table {table_number}, row {r}", table_number))
    if not blocks:
        raise UnreadableDocument("Word document has no text")
    return Document(blocks, "docx")
