"""What a careful reader can take from a rendering, computed from the generator's own values.

Most renderings keep every cell (web pages, Word, ruled PDFs, pipe text): their truth is the report's truth.
A web page flattened into one line of text keeps the figures but not the cell boundaries:

- spaced (`主动公开信息数 条 360 805`): a blank cell vanishes, so a row with some blank cells cannot be placed;
- glued (`主动公开信息数条18535395`): a row's figures run together, and a reader can place them only where the
  digits cut one way: no figure starts with 0 unless it is 0, a sign only in a change column (本年增/减), a
  decimal point only in an amount, a unit only at the end of its cell, and the row's own arithmetic holds
  (the 历年累计 figure is at least this year's; a row total is the sum of its columns; table 四's block totals).

A row a reader cannot place is left out of the truth and recorded as ambiguous with the values it printed: a
parser that reads it anyway (from the prose, from a parent row) must read it right, but is not required to.
This is the generator's own reasoning about its own values; it never runs the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from corpusgen.shapes import RowFigures

Key = tuple[str, str]
_UNITS = ("万元", "元", "笔", "项", "件", "条", "次", "个")
_NUMBER = re.compile(r"(-?)(0|[1-9]\d*)(\.\d+)?")
_MAX_STEPS = 200_000  # more ways to try than this: a reader could not settle the row either

# Renderings that flatten a page into one line of text, spaced or glued (corpusgen.render.to_page_text).
FLATTENED = {"page-text": False, "page-glued": True}


@dataclass
class ReadingTruth:
    """The facts a careful reader can take from one rendering, and the printed facts they cannot place."""

    facts: dict[Key, float | None] = field(default_factory=dict)
    ambiguous: dict[Key, float | None] = field(default_factory=dict)


def _piece(text: str, signed: bool, fractional: bool) -> tuple[bool, float | None]:
    """(valid, value as printed) of one cell's text."""
    if text in {"-", "—", "/"}:
        return True, None  # a blank marker
    core = text
    for unit in _UNITS:
        if core.endswith(unit) and len(core) > len(unit):
            core = core[: -len(unit)]
            break
    match = _NUMBER.fullmatch(core)
    if match is None or (match.group(1) and not signed) or (match.group(3) and not fractional):
        return False, None
    if match.group(1) and match.group(2) == "0" and not match.group(3):
        return False, None  # '-0' is not printed
    return True, float(core)


def _holds(rule: str, values: list[float | None]) -> bool:
    if any(v is None for v in values):
        return True  # a blank cannot be checked
    if rule == "cumulative" and len(values) == 2:
        return values[1] >= values[0]
    if rule == "total":
        return abs(values[-1] - sum(values[:-1])) < 1e-9
    if rule == "table4":
        return all(abs(values[i + 4] - sum(values[i : i + 4])) < 1e-9 for i in range(0, len(values) - 4, 5))
    return True


def _cut_strings(text: str, row: RowFigures) -> Iterator[tuple[str, ...]]:
    """Every way to cut `text` into the row's cells that a careful reader would accept."""
    parts = len(row.cells)
    steps = 0

    def walk(start: int, index: int, pieces: list[str], values: list[float | None]) -> Iterator[tuple[str, ...]]:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS:
            raise OverflowError
        if index == parts:
            if start == len(text) and _holds(row.rule, values):
                yield tuple(pieces)
            return
        remaining = parts - index - 1
        for end in range(start + 1, len(text) - remaining + 1):
            piece = text[start:end]
            ok, value = _piece(piece, row.signed[index], row.fractional[index])
            if not ok:
                continue
            if row.rule == "table4" and index % 5 == 4 and not _holds("table4", [*values[-4:], value]):
                continue
            yield from walk(end, index + 1, [*pieces, piece], [*values, value])

    yield from walk(0, 0, [], [])


def cuts(text: str, row: RowFigures, limit: int = 2) -> list[tuple[float | None, ...]]:
    """Up to `limit` readings (values as printed) of a glued row's text; `limit` + 1 readings mean 'more'."""
    found: list[tuple[float | None, ...]] = []
    try:
        for pieces in _cut_strings(text, row):
            found.append(tuple(_piece(p, s, f)[1] for p, s, f in zip(pieces, row.signed, row.fractional,
                                                                     strict=True)))
            if len(found) > limit:
                break
    except OverflowError:
        found.append((None,) * len(row.cells))  # too many ways: not one reading
    return found


def _unique_cut(text: str, row: RowFigures) -> tuple[str, ...] | None:
    found: list[tuple[str, ...]] = []
    try:
        for pieces in _cut_strings(text, row):
            found.append(pieces)
            if len(found) > 1:
                return None
    except OverflowError:
        return None
    return found[0] if found else None


def reading_truth(truth: dict[Key, float | None], rows: list[RowFigures], cells_of, form: str) -> ReadingTruth:
    """The truth of one rendering `form` of a report: `truth` its facts, `rows` its RowFigures, `cells_of(i)`
    the cells of its block i."""
    reading = ReadingTruth(dict(truth))
    if form not in FLATTENED:
        return reading
    glued = FLATTENED[form]
    for row in rows:
        printed = [cells_of(row.block)[i] for i in row.cells]
        keys = [key for key in row.keys if key is not None]
        filled = [p for p in printed if p.strip()]
        if not filled:
            continue  # nothing printed: the facts are blank (NULL) whatever the rendering
        placeable = len(filled) == len(printed)
        if placeable and glued and len(printed) > 1:
            placeable = _unique_cut("".join(printed), row) == tuple(printed)
        if not placeable:
            for key in keys:
                reading.ambiguous[key] = reading.facts.pop(key, None)
    return reading
