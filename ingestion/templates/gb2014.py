"""The 2014 national statistics table (政府信息公开情况统计表): rows matched to the catalogue by their order.

Row labels are matched by aligning the table's rows with the catalogue's row order (a monotone
alignment, like a diff): a label is accepted when it matches exactly, closely (≥ 85), or reasonably
(≥ 60) while sitting exactly between two anchored neighbours. Near-twin indicators (微信/微博,
同意/不同意, 专职/兼职) are kept apart by their enumerators and positions; whatever stays unmatched is
reported as a finding, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ingestion.catalogue.indicators import gb2014_section_headers, indicators
from ingestion.templates.alignment import Match, TableRow, Target, accepted_matches
from ingestion.templates.labels import parse_label

# Regional sections after 九 whose rows are extension codes or free-text answers (Inner Mongolia 十, 十一)
REGIONAL_SECTIONS = frozenset({"十", "十一"})


@cache
def gb2014_targets() -> tuple[Target, ...]:
    """Catalogue rows of the 2014 table in printed order, section headers inserted where they stand."""
    headers = gb2014_section_headers()
    targets: list[Target] = []
    seen_sections: set[str] = set()
    for indicator in indicators().values():
        if not indicator.template.startswith("gb2014"):  # the national form and its Hubei / Inner Mongolia rows
            continue
        if indicator.section not in seen_sections:
            seen_sections.add(indicator.section)
            if indicator.section in headers:
                targets.append(Target(len(targets), indicator.section, parse_label(headers[indicator.section]), None))
        targets.append(Target(len(targets), indicator.section, parse_label(indicator.label_zh), indicator))
    for section, label in headers.items():  # regional sections after 九 (Inner Mongolia 十, 十一)
        if section not in seen_sections:
            targets.append(Target(len(targets), section, parse_label(label), None))
    return tuple(targets)


def national_matches(rows: Sequence[TableRow]) -> list[Match]:
    """The rows of a table matched to the national form by alignment."""
    return accepted_matches(rows, gb2014_targets())


def national_variant(codes: set[str], rows: Sequence[TableRow], cumulative: bool) -> str | None:
    """Which regional layout of the national form: Hubei's extra rows, Inner Mongolia's sections 十 and 十一,
    or Fujian's 历年累计 column."""
    catalogue = indicators()
    if any(catalogue[code].template == "gb2014_hubei" for code in codes):
        return "hubei"
    if any(row.section in REGIONAL_SECTIONS for row in rows):
        return "inner_mongolia"
    if cumulative:
        return "fujian"
    return None
