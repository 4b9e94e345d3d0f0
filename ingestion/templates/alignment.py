"""Matching printed table rows to catalogue rows by their order, like a diff.

Rows are aligned monotonically with the catalogue's rows; a pair is accepted when the labels match
exactly after normalisation, closely (≥ 85), or reasonably (≥ 60) while the row sits exactly between
two anchored neighbours. A row that resembles another catalogue row better is accepted only by position
and reported; anything else stays unmatched. Used by every template parser.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from ingestion.catalogue.indicators import Indicator
from ingestion.templates.labels import Label

if TYPE_CHECKING:
    import numpy as np

_MIN_PAIR_SCORE = 55.0
_ACCEPT_SCORE = 85.0
_POSITION_SCORE = 60.0


@dataclass(frozen=True)
class Target:
    """One row of the catalogue's 2014 table: an indicator, or a section header without one."""

    index: int
    section: str
    label: Label
    indicator: Indicator | None


@dataclass(frozen=True)
class TableRow:
    label: Label
    unit: str
    value_raw: str
    extra: tuple[str, ...]
    section: str | None
    locator: str
    cumulative_raw: str | None = None  # the 历年累计 column, where the table has one
    # The figures cannot be placed in their columns (inferred cells with fewer figures than columns)
    ambiguous: bool = False
    glued: bool = False  # value_raw holds both columns' digits run together (templates.glued splits them)
    # Figures run together that split more than one way fitting the row: every such reading of `extra`, for the
    # table's arithmetic to choose from
    options: tuple[tuple[str, ...], ...] = ()

    @property
    def open_bracket(self) -> bool:
        raw = self.label.raw
        return raw.count("(") + raw.count("（") > raw.count(")") + raw.count("）")


@dataclass(frozen=True)
class Match:
    row: int
    target: Target
    method: str  # exact | fuzzy | position
    score: float
    rival: Target | None  # a catalogue row the label resembles more, when position decided


def score(row: TableRow, target: Target) -> float | None:
    value = fuzz.ratio(row.label.key, target.label.key)
    if row.section is not None and row.section != target.section:
        # A lost section header must not make the rest of the table unreadable: a penalty, not a ban.
        value -= 20
    if row.label.enumerator and target.label.enumerator:
        value += 5 if row.label.enumerator == target.label.enumerator else -40
    elif row.label.enumerator or target.label.enumerator:
        value -= 5
    return value


def score_matrix(rows: Sequence[TableRow], targets: Sequence[Target]) -> list[list[float]]:
    """`score(row, target)` for every pair, computed at once (rapidfuzz's cdist and numpy instead of one
    Python call per pair; the same arithmetic in the same order, so the same floats)."""
    if not rows or not targets:
        return [[] for _ in rows]
    return _score_array(rows, targets).tolist()


def _score_array(rows: Sequence[TableRow], targets: Sequence[Target]) -> np.ndarray:
    import numpy as np
    from rapidfuzz.process import cdist

    values = cdist([row.label.key for row in rows], [target.label.key for target in targets],
                   scorer=fuzz.ratio, dtype=np.float64)
    row_sections = np.array([row.section for row in rows], dtype=object)[:, None]
    target_sections = np.array([target.section for target in targets], dtype=object)[None, :]
    lost = (row_sections != None) & (row_sections != target_sections)  # noqa: E711  (elementwise)
    values = values - np.where(lost, 20.0, 0.0)
    row_enums = [row.label.enumerator or "" for row in rows]
    target_enums = [target.label.enumerator or "" for target in targets]
    row_has = np.array([bool(e) for e in row_enums])[:, None]
    target_has = np.array([bool(e) for e in target_enums])[None, :]
    same = np.array(row_enums, dtype=object)[:, None] == np.array(target_enums, dtype=object)[None, :]
    adjust = np.where(row_has & target_has, np.where(same, 5.0, -40.0), np.where(row_has | target_has, -5.0, 0.0))
    return values + adjust


def align(
    rows: Sequence[TableRow], targets: Sequence[Target], scores: list[list[float]] | None = None
) -> list[tuple[int, int, float]]:
    """Best monotone assignment of rows to targets: (row index, target index, score) pairs."""
    if scores is None:
        scores = score_matrix(rows, targets)
    counted = [[j for j, pair in enumerate(row, 1) if pair is not None and pair >= _MIN_PAIR_SCORE] for row in scores]
    return _align(scores, counted, len(targets))


def _align(scores: list[list[float]], counted: list[list[int]], m: int) -> list[tuple[int, int, float]]:
    """`align` given, for each row, the (1-based) columns of its pairs that count."""
    n = len(scores)
    best = [[0.0] * (m + 1)]
    for i in range(1, n + 1):
        above, row_scores, columns = best[i - 1], scores[i - 1], counted[i - 1]
        # Each row of `best` never decreases along j. So a row is the row above up to its first pair that counts;
        # after its last one it carries that value until the row above reaches it (a binary search), and is the
        # row above again from there. Only the few columns between are computed: the same values as the full
        # loop, compared and added in the same order (comparisons instead of max(): max keeps the first of equals).
        current = above.copy()
        best.append(current)
        if not columns:
            continue
        last = columns[-1]
        for j in range(columns[0], last + 1):
            value = above[j]
            if current[j - 1] > value:
                value = current[j - 1]
            pair = row_scores[j - 1]
            if pair is not None and pair >= _MIN_PAIR_SCORE and above[j - 1] + pair - 50 > value:
                value = above[j - 1] + pair - 50
            current[j] = value
        carried = current[last]
        caught_up = bisect_left(above, carried, last + 1)
        current[last + 1:caught_up] = [carried] * (caught_up - last - 1)
    return trace_back(scores, best)


def trace_back(scores: list[list[float]], best: list[list[float]]) -> list[tuple[int, int, float]]:
    """The pairs of the best assignment, read back from its filled table `best` ((rows + 1) × (targets + 1))."""
    pairs: list[tuple[int, int, float]] = []
    i, j = len(best) - 1, len(best[0]) - 1
    while i > 0 and j > 0:
        pair = scores[i - 1][j - 1]
        if pair is not None and pair >= _MIN_PAIR_SCORE and best[i][j] == best[i - 1][j - 1] + pair - 50:
            pairs.append((i - 1, j - 1, pair))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def accepted_matches(rows: Sequence[TableRow], targets: Sequence[Target]) -> list[Match]:
    """The aligned pairs that pass the acceptance rules, in row order."""
    if rows and targets:
        import numpy as np

        array = _score_array(rows, targets)
        scores = array.tolist()
        counted: list[list[int]] = [[] for _ in rows]
        at_rows, at_columns = np.nonzero(array >= _MIN_PAIR_SCORE)  # row by row, columns ascending
        for i, j in zip(at_rows.tolist(), at_columns.tolist(), strict=True):
            counted[i].append(j + 1)
        pairs = _align(scores, counted, len(targets))
    else:
        scores, pairs = [[] for _ in rows], []
    best_of_row = [max(row_scores, default=-math.inf) for row_scores in scores]
    matches: list[Match] = []
    for k, (i, j, value) in enumerate(pairs):
        row, target = rows[i], targets[j]
        previous = pairs[k - 1] if k > 0 else None
        following = pairs[k + 1] if k + 1 < len(pairs) else None
        between_anchors = (previous is not None or following is not None) and (
            (previous is None or previous[1] == j - 1) and (following is None or following[1] == j + 1)
        )
        rivals = [
            (s, t) for t, s in zip(targets, scores[i], strict=True)
            if t.index != j and s is not None and s >= value + 5
        ] if best_of_row[i] >= value + 5 else []  # most rows have no rival: the row's best score says so
        if row.label.key == target.label.key and not rivals:
            method = "exact"
        elif value >= _ACCEPT_SCORE and not rivals:
            method = "fuzzy"
        elif value >= _POSITION_SCORE and between_anchors:
            method = "position"
        else:
            continue
        rival = max(rivals, key=lambda pair: pair[0])[1] if rivals else None
        matches.append(Match(i, target, method, value, rival))
    return matches
