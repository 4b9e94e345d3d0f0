"""Tables without ruling lines, read from a PDF page's text lines: rows from lines, wrapped labels joined."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingestion.document import Block
from ingestion.printed import ENUMERATED_START, GROUP_START, ITEM_START, PRINTED_UNITS, TOP_START

_NUMBER_TOKEN = re.compile(r"^(?:[\d０-９][\d０-９,，.．]*(?:余|多)?万?|[—\-－/]|约\d+)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。；！？,;]")


def row_from_line(line: str, locator: str, table: int | None = None) -> Block | None:
    """A text line that looks like a statistics row ('label [unit] n n n') as a row block.

    The fallback for PDFs whose tables have no ruling lines or whose table extraction failed.
    """
    tokens = line.split()
    if len(tokens) < 2:
        return None
    if len(tokens) >= 3 and tokens[-2] == "是/否" and tokens[-1] in {"是", "否"}:
        return Block("row", ("".join(tokens[:-2]), *tokens[-2:]), locator, table)  # a yes/no row (Inner Mongolia)
    numbers: list[str] = []
    while tokens and _NUMBER_TOKEN.match(tokens[-1]):
        numbers.insert(0, tokens.pop())
    if not numbers or not tokens:
        return None
    unit = tokens.pop() if tokens and tokens[-1] in PRINTED_UNITS else None
    label = "".join(tokens)
    if not _CJK.search(label) or _SENTENCE.search(label):
        return None  # running text that happens to end in a number is prose, not a statistics row
    # label words stay separate cells: '（四）无法提供 1.本机关不掌握…' is a group and an item
    cells = (*tokens, unit, *numbers) if unit else (*tokens, *numbers)
    return Block("row", tuple(cells), locator, table)


_COLUMN_HEADER_WORDS = ("统计指标", "指标名称")  # the 2014 form's column header row
_HEADER_START = "信息内容"  # table 二's column headers follow it, wrapped in narrow cells
_NOT_HEADER = re.compile(rf"^第[二十]+条|{TOP_START.pattern}")


def label_cells(words: list[str]) -> list[str]:
    """Join label fragments a narrow column wrapped ('一、本年新' / '收政府信息') into one cell; a fragment
    that starts a new enumerated label ('1.本机关…', '（四）…') stays a cell of its own."""
    cells: list[str] = []
    for word in words:
        if cells and not ENUMERATED_START.match(word):
            cells[-1] += word
        else:
            cells.append(word)
    return cells


def _first_figure(cells: tuple[str, ...], units: bool = False) -> int | None:
    """Index of the first figure (or unit, with `units`) in a row's cells."""
    return next((i for i, c in enumerate(cells) if _NUMBER_TOKEN.match(c) or (units and c in PRINTED_UNITS)), None)


def _label_start(pending: list[str], row_label: str | None) -> int | None:
    """Where the label of a row begins among the label-only lines above it (None: they are not its label).

    Figures on a line of their own take the lines from the last section or group start ('（六）其他处' /
    '理' / '1.申请人…' / '开申请'), else from the last enumerated item, else the last few fragments.
    A row with a label of its own takes the lines above only when it continues them ('5.要求…出具' /
    '已获取信息 1 0 2') or is the first item of a wrapped group ('（五）不予处' / '理' / '1.信访…').
    Header stacks ('统计指标 单位 统计数', '申请' / '人情' / '况') are never part of a label.
    """
    groups = [i for i, text in enumerate(pending) if TOP_START.match(text) or GROUP_START.match(text)]
    items = [i for i, text in enumerate(pending) if ENUMERATED_START.match(text)]
    if row_label is None:
        if groups:
            return groups[-1]
        if items:
            return items[-1]
        return max(0, len(pending) - 3)
    if not ENUMERATED_START.match(row_label):
        return items[-1] if items else None
    if ITEM_START.match(row_label) and groups and groups[-1] < len(pending) - 1:
        return groups[-1]
    return None


def _label_only_line(text: str, locator: str, in_table: bool) -> Block:
    """A line without figures: a table's column header, or inside a table an enumerated label without a
    value ('一、主动公开情况', '（二）通过不同渠道…情况 条', '制发规范性文件总数 件'), stays a row, like a
    text-layout row with empty cells; anything else (a heading of the report) is prose."""
    words = text.split()
    if any(word in "".join(words) for word in _COLUMN_HEADER_WORDS):  # '统 计 指 标 单位 统计数'
        return Block("row", tuple(words), locator)
    if not in_table:
        return Block("prose", (text,), locator)
    if len(words) > 1 and words[-1] in PRINTED_UNITS:
        return Block("row", ("".join(words[:-1]), words[-1]), locator)
    if ENUMERATED_START.match(text):
        return Block("row", ("".join(words),), locator)
    return Block("prose", (text,), locator)


def rows_from_lines(lines: list[str], locator_of: Callable[[int], str]) -> list[Block]:
    """Statistics rows from the text lines of a table without ruling lines, joining what wrapped.

    pdfium gives one visual line per row, but a long label wraps onto lines of its own, before the figures
    or after them. Table 二's wrapped column headers ('信息内容 本年制发件' / '数' / '本年废止件' / '数') come
    back as one header row whose text the template parser splits into known column names.
    """
    blocks: list[Block] = []
    pending: list[tuple[str, int]] = []  # label-only lines waiting for their figures
    header: list[str] | None = None  # table 二 header text so far, and the line it started on
    header_line = 0
    figures_line = previous_line = -1  # the last line that gave a row its figures; the last non-blank line
    in_table = False  # a row has come before on this page: label-only lines are rows of its table

    def emit(block: Block) -> None:
        nonlocal in_table
        in_table = in_table or block.kind == "row"
        blocks.append(block)

    def flush_header() -> None:
        nonlocal header
        if header is not None:
            emit(Block("row", (_HEADER_START, "".join("".join(header).split())), locator_of(header_line)))
            header = None

    def flush_pending(upto: int | None = None) -> None:
        end = len(pending) if upto is None else upto
        for text, number in pending[:end]:
            emit(_label_only_line(text, locator_of(number), in_table))
        del pending[:end]

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        tokens = line.split()
        # figures alone on a line, or with their unit ('次 159') under a label that wrapped above them
        only_figures = all(_NUMBER_TOKEN.match(token) for token in tokens) or (
            len(tokens) >= 2 and tokens[0] in PRINTED_UNITS and bool(pending)
            and all(_NUMBER_TOKEN.match(token) for token in tokens[1:])
        )
        row = None if only_figures else row_from_line(line, locator_of(number))
        if header is not None:
            if (
                not only_figures and row is None and len(line) <= 30 and not _SENTENCE.search(line)
                and not _NOT_HEADER.match(line) and not line.startswith(_HEADER_START)
            ):
                header.append(line)
                continue
            flush_header()
        if line.startswith(_HEADER_START) and not only_figures and row is None:
            flush_pending()
            header, header_line = [line.removeprefix(_HEADER_START)], number
            continue
        if only_figures:
            if pending:  # the figures of the label lines above
                flush_pending(_label_start([text for text, _ in pending], None))
                label = label_cells([word for text, _ in pending for word in text.split()])
                locator = locator_of(pending[0][1])
                pending.clear()
                emit(Block("row", (*label, *tokens), locator))
                figures_line = number
            elif figures_line == previous_line and blocks and blocks[-1].kind == "row":
                # one row of figures that pdfium broke over lines (cells at slightly different heights)
                blocks[-1] = Block("row", (*blocks[-1].cells, *tokens), blocks[-1].locator)
                figures_line = number
            else:
                emit(Block("prose", (line,), locator_of(number)))  # kept, not dropped
            previous_line = number
            continue
        previous_line = number
        if row is not None:
            first = _first_figure(row.cells, units=True)
            start = _label_start([text for text, _ in pending], "".join(row.cells[:first]))
            if start is not None:
                flush_pending(start)
                label = label_cells([*(w for t, _ in pending for w in t.split()), *row.cells[:first]])
                row = Block("row", (*label, *row.cells[first:]), locator_of(pending[0][1]))
                pending.clear()
            flush_pending()
            emit(row)
            continue
        previous = _first_figure(blocks[-1].cells) if blocks and blocks[-1].kind == "row" else None
        if line.count("）") + line.count(")") > line.count("（") + line.count("(") and previous and not pending:
            # the rest of the previous row's label, printed under it
            cells = list(blocks[-1].cells)
            cells[previous - 1] += line
            blocks[-1] = Block("row", tuple(cells), blocks[-1].locator)
            continue
        if (len(line) <= 30 or (len(line) <= 40 and ENUMERATED_START.match(line))) and not _SENTENCE.search(line):
            pending.append((line, number))
            if len(pending) > 8:
                flush_pending(1)
            continue
        flush_pending()
        emit(Block("prose", (line,), locator_of(number)))
    flush_header()
    flush_pending()
    return blocks
