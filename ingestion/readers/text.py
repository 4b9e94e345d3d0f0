"""Text reports as blocks: prose lines and table rows (cells) with line locators.

Two table layouts occur in text extracts: one cell per tab-prefixed line with a blank line between
rows (seeds 000, 004), and one row per line with cells separated by '|' (seed 001).
"""

from __future__ import annotations

from ingestion.document import Block, Document
from ingestion.readers.decode import decode_bytes


def _pipe_cells(line: str) -> tuple[str, ...]:
    """Cells of a '|' row; a leading or trailing '|' closes the row, it adds no cell. An empty cell between two
    bars is a blank cell and stays."""
    stripped = line.strip()
    cells = [cell.strip() for cell in stripped.split("|")]
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|"):
        cells = cells[:-1]
    return tuple(cells) if any(cells) else ()


def text_blocks(text: str) -> list[Block]:
    """Split decoded text into blocks. Only '\\n' splits lines (U+2028 stays inside a cell)."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_line = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(Block("row", tuple(cell.strip() for cell in pending), f"line {pending_line}"))
            pending = []

    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("\t"):
            if not pending:
                pending_line = number
            pending.append(line[1:])
            continue
        flush()
        if not line.strip():
            continue
        if "|" in line:
            cells = _pipe_cells(line)
            if cells:
                blocks.append(Block("row", cells, f"line {number}"))
            continue
        blocks.append(Block("prose", (line.strip(),), f"line {number}"))
    flush()
    return blocks


def read_text(data: bytes) -> Document:
    text, encoding = decode_bytes(data)
    return Document(text_blocks(text), "text", encoding=encoding)
