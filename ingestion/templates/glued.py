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

from ingestion.templates.alignment import TableRow
from ingestion.templates.values import parse_value

_CHILD = re.compile(r"^(?:其中|\d{1,2}\s*[.、．]|\d{1,2}(?=[\u4e00-\u9fff]))")
_MAX_DIGITS = 18  # longer strings are not two figures of a report


_LIMIT = 64  # more readings than this: too ambiguous to be worth keeping
_FIGURE = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SIGNED_FIGURE = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")


def splits(
    groups: str | Sequence[str],
    parts: int = 2,
    signed: frozenset[int] = frozenset(),
    prune: Callable[[tuple[float, ...]], bool] | None = None,
) -> list[tuple[str, ...]]:
    """Every way to cut run-together figures into `parts` figures, in order (as printed, so no digit is lost to
    float formatting): no figure starts with 0 unless it is 0, a decimal point stays inside one figure, a minus
    sign only opens a figure of a `signed` column. Given several strings (the runs a reader saw with spaces
    between them), every space is a cut. `prune` rejects a reading as soon as its first figures (as numbers)
    break the table's arithmetic (None: no check until the end)."""
    runs = [groups] if isinstance(groups, str) else [g for g in groups if g]
    if not runs or not all(re.fullmatch(r"[\d.\-]+", run) for run in runs):
        return []
    text = "".join(runs)
    if len(text) > _MAX_DIGITS * parts:
        return []
    fixed: list[int] = []
    position = 0
    for run in runs[:-1]:
        position += len(run)
        fixed.append(position)
    found: list[tuple[str, ...]] = []

    def valid(piece: str, index: int) -> bool:
        return (_SIGNED_FIGURE if index in signed else _FIGURE).fullmatch(piece) is not None

    def search(start: int, pieces: tuple[str, ...]) -> None:
        if len(found) > _LIMIT:
            return
        index = len(pieces)
        wall = next((b for b in fixed if b > start), len(text))  # a space is a cut: no figure spans it
        if index == parts - 1:
            reading = (*pieces, text[start:])
            if wall == len(text) and valid(text[start:], index) and (prune is None or prune(numbers(reading))):
                found.append(reading)
            return
        for end in range(start + 1, wall + 1):
            if end == len(text):
                break  # figures must remain for the other columns
            piece = text[start:end]
            if not valid(piece, index):
                continue
            reading = (*pieces, piece)
            if prune is None or prune(numbers(reading)):
                search(end, reading)

    search(0, ())
    return found if len(found) <= _LIMIT else []


def total_splits(groups: Sequence[str], parts: int) -> list[tuple[str, ...]]:
    """The cuts of a row whose last figure is the total of the others (a matrix row: six requester columns and
    their 总计). The total is tried first, so the columns before it can be cut within its sum: a long run of
    digits that would cut thousands of ways without it cuts a few ways with it."""
    runs = [g for g in groups if g]
    if not runs or not all(run.isdigit() for run in runs):
        return []
    text = "".join(runs)
    found: list[tuple[str, ...]] = []
    last = len(runs[-1])
    for length in range(1, last + 1):
        total_text = runs[-1][last - length :]
        if not _FIGURE.fullmatch(total_text):
            continue
        total = float(total_text)
        head = [*runs[:-1], runs[-1][: last - length]]
        for cut in splits(head, parts - 1, prune=lambda reading, total=total: sum(reading) <= total):
            if abs(sum(numbers(cut)) - total) < 1e-9:
                found.append((*cut, total_text))
        if len(found) > _LIMIT:
            return []
    return found if len(text) >= parts else []


def numbers(reading: Sequence[str]) -> tuple[float, ...]:
    return tuple(float(piece) for piece in reading)


def split_cells(
    cells: Sequence[str],
    parts: int,
    signed: frozenset[int] = frozenset(),
    holds: Callable[[tuple[float, ...]], bool] | None = None,
    prune: Callable[[tuple[float, ...]], bool] | None = None,
) -> list[tuple[str, ...]]:
    """The readings of a row's figure cells whose figures ran together: every cut into `parts` figures for which
    the row's arithmetic `holds` (all of them if there is only one cut). A unit printed after the last figure
    ('05922079元') stays with it."""
    runs = [cell.strip() for cell in cells if cell.strip()]
    if not runs:
        return []
    unit = parse_value(runs[-1]).unit
    if unit:
        runs[-1] = runs[-1][: -len(unit)]
    candidates = splits(runs, parts, signed, prune)
    fitting = candidates if len(candidates) == 1 or holds is None else [c for c in candidates if holds(numbers(c))]
    return [(*cut[:-1], cut[-1] + (unit or "")) for cut in fitting]


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
    printed: dict[tuple[float, ...], tuple[str, ...]] = {}
    for i, row in enumerate(rows):
        if row.glued:
            cuts = splits(row.value_raw.strip(), 2, prune=lambda cut: len(cut) < 2 or cut[1] >= cut[0])
            printed.update((numbers(cut), cut) for cut in cuts)
            options[i] = [numbers(cut) for cut in cuts]
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
            year, total = printed[cuts[0]]
            out[i] = replace(rows[i], value_raw=year, cumulative_raw=total, glued=False)
        else:
            out[i] = replace(rows[i], ambiguous=True, glued=False)
    return out


def _within(child: tuple[float | None, ...], parent: tuple[float | None, ...]) -> bool:
    return all(c is None or p is None or c <= p for c, p in zip(child, parent, strict=False))


def _number(raw: str | None) -> float | None:
    cell = parse_value(raw)
    return cell.value if cell.kind == "number" else None
