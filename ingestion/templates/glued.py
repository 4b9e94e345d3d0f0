"""Figures printed without separators, split where only one split fits.

A table flattened without separators prints a row's 本年度 and 历年累计 figures as one digit string:
'主动公开文件数条346085376' is 3460 | 85376. Many cuts are possible; the table itself rules most out:

- a figure never starts with 0 unless it is 0 ('07' is 0 | 7, never 07);
- the cumulative figure is at least this year's;
- a '其中' row is at most the row it belongs to, in both columns (the printed structure says which row that is);
- where the report's prose states this year's figure of the row's indicator, the split must give it.

A row with one split left is read; a row with several is reported and not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from itertools import combinations
from math import comb

from ingestion.templates.alignment import TableRow
from ingestion.values import parse_value

_CHILD = re.compile(r"^(?:其中|\d{1,2}\s*[.、．]|\d{1,2}(?=[\u4e00-\u9fff]))")
_MAX_DIGITS = 18  # longer strings are not two figures of a report


_MAX_CUTS = 20_000  # more ways to cut than this: too ambiguous to be worth trying


def splits(digits: str | Sequence[str], parts: int = 2) -> list[tuple[float, ...]]:
    """Every cut of the digits into `parts` figures without a leading zero, in order. Given several strings
    (the digit runs a reader saw with spaces between them), every boundary between them is a cut."""
    groups = [digits] if isinstance(digits, str) else list(digits)
    if not groups or not all(g.isdigit() for g in groups):
        return []
    text = "".join(groups)
    fixed: set[int] = set()
    position = 0
    for group in groups[:-1]:
        position += len(group)
        fixed.add(position)
    free = [i for i in range(1, len(text)) if i not in fixed]
    needed = parts - 1 - len(fixed)
    if needed < 0 or len(text) < parts or len(text) > _MAX_DIGITS * parts or len(free) < needed:
        return []
    if comb(len(free), needed) > _MAX_CUTS:
        return []
    found = []
    for chosen in combinations(free, needed):
        cuts = sorted((*fixed, *chosen))
        pieces = [text[a:b] for a, b in zip((0, *cuts), (*cuts, len(text)), strict=True)]
        if all(piece == "0" or not piece.startswith("0") for piece in pieces):
            found.append(tuple(float(piece) for piece in pieces))
    return found


def _parents(rows: Sequence[TableRow]) -> dict[int, int]:
    """Row → the row it is a part of, from the printed structure: a '其中' row belongs to the row above it; a
    further numbered item belongs to the same row as the item before it."""
    parents: dict[int, int] = {}
    for i, row in enumerate(rows):
        raw = row.label.raw.strip()
        if raw.startswith("其中") and i > 0:
            parents[i] = i - 1
        elif _CHILD.match(raw) and i - 1 in parents:
            parents[i] = parents[i - 1]
    return parents


def resolve(rows: Sequence[TableRow], codes: Mapping[int, str], stated: Mapping[str, float]) -> list[TableRow]:
    """The rows with every glued figure split where one split fits (`value_raw` this year, `cumulative_raw`
    all years); a row that stays ambiguous comes back `ambiguous`."""
    options: dict[int, list[tuple[float, ...]]] = {}
    for i, row in enumerate(rows):
        if row.glued:
            options[i] = [cut for cut in splits(row.value_raw.strip()) if cut[1] >= cut[0]]
    if not options:
        return list(rows)
    known = {i: [(_number(row.value_raw), _number(row.cumulative_raw))] for i, row in enumerate(rows)
             if i not in options and _number(row.value_raw) is not None}

    def choices(i: int) -> list[tuple[float | None, ...]] | None:
        return options.get(i) or known.get(i)

    for i, cuts in options.items():  # the prose's figure for this year, where it states one
        code = codes.get(i)
        if code in stated and len(cuts) > 1:
            matching = [cut for cut in cuts if cut[0] == stated[code]]
            options[i] = matching or cuts
    parents = _parents(rows)
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            child_cuts, parent_cuts = choices(child), choices(parent)
            if not child_cuts or not parent_cuts:
                continue
            if child in options:
                kept = [c for c in options[child] if any(_within(c, p) for p in parent_cuts)]
                if kept and len(kept) < len(options[child]):
                    options[child], changed = kept, True
            if parent in options:
                kept = [p for p in options[parent] if any(_within(c, p) for c in child_cuts)]
                if kept and len(kept) < len(options[parent]):
                    options[parent], changed = kept, True
    out = list(rows)
    for i, cuts in options.items():
        if len(cuts) == 1:
            year, total = cuts[0]
            out[i] = replace(rows[i], value_raw=f"{year:g}", cumulative_raw=f"{total:g}", glued=False)
        else:
            out[i] = replace(rows[i], ambiguous=True, glued=False)
    return out


def _within(child: tuple[float | None, ...], parent: tuple[float | None, ...]) -> bool:
    return all(c is None or p is None or c <= p for c, p in zip(child, parent, strict=False))


def _number(raw: str | None) -> float | None:
    cell = parse_value(raw)
    return cell.value if cell.kind == "number" else None


def split_row(
    groups: Sequence[str], parts: int, holds: Callable[[tuple[float, ...]], bool] | None = None
) -> tuple[float, ...] | None:
    """The one way to cut a row's run-together digits into `parts` figures, or None. Where several cuts are
    possible, the one cut for which the table's own arithmetic `holds` is taken, if there is exactly one."""
    candidates = splits(groups, parts)
    if len(candidates) == 1:
        return candidates[0]
    if holds is not None:
        fitting = [cut for cut in candidates if holds(cut)]
        if len(fitting) == 1:
            return fitting[0]
    return None


def digit_groups(cells: Sequence[str]) -> list[str] | None:
    """The digit runs of a glued row's figure cells, or None when a cell is not digits."""
    groups = [cell.strip() for cell in cells if cell.strip()]
    return groups if groups and all(group.isdigit() for group in groups) else None
