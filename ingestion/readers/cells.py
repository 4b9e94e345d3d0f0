"""Small helpers shared by the readers: cell text clean-up and the line-pattern table fallback."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingestion.document import Block

_WRAP = re.compile(r"\s*\n\s*")
_NUMBER_TOKEN = re.compile(r"^(?:[\d０-９][\d０-９,，.．]*(?:余|多)?万?|[—\-－/]|约\d+)$")
_UNIT_TOKEN = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "通", "项", "家", "份", "场"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。；！？,;]")


def clean_cell(text: str | None) -> str:
    """Cell text with wrapped lines joined: PDF and Word cells keep '\\n' where text wraps."""
    if text is None:
        return ""
    parts = [part for part in _WRAP.split(text.strip()) if part]
    joined = ""
    for part in parts:  # Chinese joins without a space, Latin words with one
        if joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return joined


def row_from_line(line: str, locator: str, table: int | None = None) -> Block | None:
    """A text line that looks like a statistics row ('label [unit] n n n') as a row block.

    The fallback for PDFs whose tables have no ruling lines or whose table extraction failed.
    """
    tokens = line.split()
    if len(tokens) < 2:
        return None
    numbers: list[str] = []
    while tokens and _NUMBER_TOKEN.match(tokens[-1]):
        numbers.insert(0, tokens.pop())
    if not numbers or not tokens:
        return None
    unit = tokens.pop() if tokens and tokens[-1] in _UNIT_TOKEN else None
    label = "".join(tokens)
    if not _CJK.search(label) or _SENTENCE.search(label):
        return None  # running text that happens to end in a number is prose, not a statistics row
    # label words stay separate cells: '（四）无法提供 1.本机关不掌握…' is a group and an item
    cells = (*tokens, unit, *numbers) if unit else (*tokens, *numbers)
    return Block("row", tuple(cells), locator, table)


_ENUMERATED = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}\s*[.、．]|其中)")


def label_cells(words: list[str]) -> list[str]:
    """Join label fragments a narrow column wrapped ('一、本年新' / '收政府信息') into one cell; a fragment
    that starts a new enumerated label ('1.本机关…', '（四）…') stays a cell of its own."""
    cells: list[str] = []
    for word in words:
        if cells and not _ENUMERATED.match(word):
            cells[-1] += word
        else:
            cells.append(word)
    return cells


def rows_from_lines(lines: list[str], locator_of: Callable[[int], str]) -> list[Block]:
    """Statistics rows from text lines, joining a label that wrapped over lines to its figures.

    The fallback for tables without ruling lines: pdfium gives one visual line per row, but a long
    label wraps onto lines of its own, before the figures or after them.
    """
    blocks: list[Block] = []
    pending: list[tuple[str, int]] = []  # label-only lines waiting for their figures

    def flush_as_prose() -> None:
        for text, number in pending:
            blocks.append(Block("prose", (text,), locator_of(number)))
        pending.clear()

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        figures = line.split()
        if all(_NUMBER_TOKEN.match(token) for token in figures):
            if pending:  # the figures of the label lines above
                label = label_cells([word for text, _ in pending for word in text.split()])
                blocks.append(Block("row", (*label, *figures), locator_of(pending[0][1])))
                pending.clear()
            continue
        row = row_from_line(line, locator_of(number))
        if row is not None:
            if pending and len(pending) <= 3 and not _SENTENCE.search("".join(t for t, _ in pending)):
                words = [w for t, _ in pending for w in t.split()]
                first_figure = next(i for i, c in enumerate(row.cells) if _NUMBER_TOKEN.match(c) or c in _UNIT_TOKEN)
                label = label_cells([*words, *row.cells[:first_figure]])
                row = Block("row", (*label, *row.cells[first_figure:]), row.locator)
                pending.clear()
            flush_as_prose()
            blocks.append(row)
            continue
        opens = line.count("（") + line.count("(")
        closes = line.count("）") + line.count(")")
        if closes > opens and blocks and blocks[-1].kind == "row" and not pending:
            # the rest of the previous row's label, printed under it
            previous = blocks.pop()
            cells = list(previous.cells)
            first_figure = next(i for i, c in enumerate(cells) if _NUMBER_TOKEN.match(c))
            cells[first_figure - 1] += line
            blocks.append(Block("row", tuple(cells), previous.locator))
            continue
        if len(line) <= 30 and not _SENTENCE.search(line):
            pending.append((line, number))
            if len(pending) > 4:
                blocks.append(Block("prose", (pending[0][0],), locator_of(pending[0][1])))
                pending.pop(0)
            continue
        flush_as_prose()
        blocks.append(Block("prose", (line,), locator_of(number)))
    flush_as_prose()
    return blocks
