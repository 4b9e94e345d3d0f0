"""The one document model every reader produces and every template parser reads.

A document is an ordered list of blocks: prose lines and table rows (cells), each with a locator a
person can follow back to the source ("line 56", "page 4, table 2, row 7"). Adding a format means
writing a reader; the parsers never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    ROW = "row"
    PROSE = "prose"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    cells: tuple[str, ...]  # prose: the one line of text
    locator: str
    table: int | None = None  # rows of the same table share a number, when the reader knows tables
    # Whether the cell boundaries were printed (HTML, Word, a ruled PDF table, pipe- or tab-separated text): an
    # empty cell then is a blank cell. False where a reader inferred the cells from positions or token order (a
    # PDF table without ruling lines, a table flattened into one line of text), so blank cells may be lost.
    exact: bool = True
    # The row's figures were printed without separators: its one figure cell holds every value column's digits
    # ('346085376' for 3460 | 85376), to be split where only one split fits.
    glued: bool = False
    # Read by OCR: how sure the recognition was of each cell (the lowest score of the boxes it was made of; None
    # for an empty cell), parallel to `cells`. None for text that was printed as text.
    confidence: tuple[float | None, ...] | None = None

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass
class Document:
    blocks: list[Block]
    source_format: str
    encoding: str | None = None
    pages: int | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "page 3: no text layer (scanned)"
    # Pages not read, or read less surely than printed text (OCR): (finding type, severity, message) for the
    # report's findings.
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    ocr_pages: int = 0  # pages read by OCR
    ocr_seconds: float = 0.0  # time spent on them (rendering, recognition, layout)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


class UnreadableDocument(Exception):
    """A file that cannot be read as a report; the message is the one-line reason."""
