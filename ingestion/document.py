"""The one document model every reader produces and every template parser reads.

A document is an ordered list of blocks: prose lines and table rows (cells), each with a locator a
person can follow back to the source ("line 56", "page 4, table 2, row 7"). Adding a format means
writing a reader; the parsers never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    kind: str  # "row" | "prose"
    cells: tuple[str, ...]  # prose: the one line of text
    locator: str
    table: int | None = None  # rows of the same table share a number, when the reader knows tables

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

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


class UnreadableDocument(Exception):
    """A file that cannot be read as a report; the message is the one-line reason."""
