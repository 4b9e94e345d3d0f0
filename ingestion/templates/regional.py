"""Regional forms and agencies' own layouts: rows matched to the catalogue by their labels, not their order.

Fujian's forms (主动公开信息数, 受理依申请公开信息总数, 电子邮件申请数 …) and an agency's own table (办结, 同意提供,
政府信息公开查询点数 …) print rows in orders and sets of their own, so a row is matched by its label alone: the
catalogue's labels of the single-value forms and the aliases kept as data (dbt_project/seeds/
indicator_label_aliases.csv), compared after normalisation (enumerators, 其中, notes in brackets and
punctuation dropped). An exact key matches; otherwise a close one (≥ 90) that no other indicator comes near.
Generic labels (其他, 合计) never match on their own: they are reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from ingestion.catalogue.indicators import Indicator, indicators, label_aliases
from ingestion.templates.alignment import Match, TableRow, Target
from ingestion.templates.labels import parse_label

_ACCEPT = 90.0
_MARGIN = 8.0  # a close label must beat every other indicator's label by this much
_GENERIC = frozenset({"其他", "合计", "小计", "总计", "总数", "其中", "数量", "其它"})
_LEADING = re.compile(r"^(?:其中)?\d{0,2}")

# Templates a row's label can come from, for naming the form a table follows.
SINGLE_VALUE_TEMPLATES = ("gb2014", "regional", "other")


def label_key(raw: str) -> str:
    """A printed label as a comparable key, without the 其中 and item number that nest it: '其中：1．当面申请数',
    '4. 网上申请数' and '1同意公开答复数' are keys of their own labels."""
    return _LEADING.sub("", parse_label(raw).key, count=1)


@dataclass(frozen=True)
class _Entry:
    indicator: Indicator
    template: str  # the form the label is printed in: gb2014 | regional (a province's form) | other


@cache
def _index() -> dict[str, _Entry]:
    """Label key → indicator, from the catalogue's single-value labels and the aliases."""
    catalogue = indicators()
    index: dict[str, _Entry] = {}
    for alias in label_aliases():
        if alias.template in SINGLE_VALUE_TEMPLATES:
            index.setdefault(label_key(alias.label_zh), _Entry(catalogue[alias.code], alias.template))
    for indicator in catalogue.values():
        if indicator.code.endswith("_cumulative") or indicator.template in {"gb2019", "gb2021"}:
            continue  # cumulative codes are a column, not rows; the 2019/2021 tables are read elsewhere
        template = "gb2014" if indicator.template.startswith("gb2014") else indicator.template
        index.setdefault(label_key(indicator.label_zh), _Entry(indicator, template))
    return {key: entry for key, entry in index.items() if key and key not in _GENERIC}


@cache
def _keys() -> tuple[str, ...]:
    return tuple(_index())


def _lookup(key: str) -> tuple[_Entry, str, float] | None:
    """(entry, method, score) for a label key, or None."""
    index = _index()
    if key in index:
        return index[key], "exact", 100.0
    if not key or key in _GENERIC or len(key) < 3:
        return None
    best: dict[str, tuple[float, str]] = {}
    for candidate, score, _ in process.extract(key, _keys(), scorer=fuzz.ratio, limit=8):
        code = index[candidate].indicator.code
        if code not in best or score > best[code][0]:
            best[code] = (score, candidate)
    ranked = sorted(best.values(), reverse=True)
    if not ranked or ranked[0][0] < _ACCEPT:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _MARGIN:
        return None
    return index[ranked[0][1]], "fuzzy", ranked[0][0]


def alias_matches(rows: Sequence[TableRow]) -> tuple[list[Match], Counter[str]]:
    """Rows matched by label, each indicator at most once (the first row that names it), and how many matches
    each form's labels gave."""
    matches: list[Match] = []
    forms: Counter[str] = Counter()
    taken: set[str] = set()
    for i, row in enumerate(rows):
        found = _lookup(label_key(row.label.raw))
        if found is None:
            continue
        entry, method, score = found
        if entry.indicator.code in taken:
            continue
        taken.add(entry.indicator.code)
        target = Target(-1, entry.indicator.section, parse_label(entry.indicator.label_zh), entry.indicator)
        matches.append(Match(i, target, method, score, None))
        forms[entry.template] += 1
    return matches, forms
