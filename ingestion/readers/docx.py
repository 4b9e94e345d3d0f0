"""Word (.docx) reports: paragraphs and tables in body order, merged cells counted once."""

from __future__ import annotations

import io

from ingestion.document import Block, Document, UnreadableDocument
from ingestion.readers.cells import clean_cell


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
