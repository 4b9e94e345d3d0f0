"""Text reports as an ordered list of blocks: prose lines and table rows (cells) with line locators.

Two table layouts occur in text extracts: one cell per tab-prefixed line with a blank line between
rows (seeds 000, 004), and one row per line with cells separated by '|' (seed 001).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "row" | "prose"
    cells: tuple[str, ...]  # for prose: the one line
    line: int  # 1-based line number where the block starts

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def _pipe_cells(line: str) -> tuple[str, ...]:
    cells = [cell.strip() for cell in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def text_blocks(text: str) -> list[Block]:
    """Split decoded text into blocks. Only '\\n' splits lines (U+2028 stays inside a cell)."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_line = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(Block("row", tuple(cell.strip() for cell in pending), pending_line))
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
                blocks.append(Block("row", cells, number))
            continue
        blocks.append(Block("prose", (line.strip(),), number))
    flush()
    return blocks
