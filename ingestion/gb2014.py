"""The 2014 national statistics table (政府信息公开情况统计表): rows → catalogue facts.

Row labels are matched by aligning the table's rows with the catalogue's row order (a monotone
alignment, like a diff): a label is accepted when it matches exactly, closely (≥ 85), or reasonably
(≥ 60) while sitting exactly between two anchored neighbours. Near-twin indicators (微信/微博,
同意/不同意, 专职/兼职) are kept apart by their enumerators and positions; whatever stays unmatched is
reported as a finding, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ingestion.alignment import TableRow, Target, accepted_matches
from ingestion.catalogue import Indicator, gb2014_section_headers, indicators
from ingestion.document import Block
from ingestion.model import Fact, Finding
from ingestion.normalise import parse_label
from ingestion.values import parse_value

KNOWN_UNITS = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "通", "项", "家", "份", "场", "是/否"}
_END_MARKERS = ("填报人", "填表人", "审核人", "备注", "注:", "注：", "说明:", "说明：")


@dataclass
class Gb2014Reading:
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    table_count: int = 0
    matched_rows: int = 0
    variant: str | None = None
    evidence: str = ""


@cache
def gb2014_targets() -> tuple[Target, ...]:
    """Catalogue rows of the 2014 table in printed order, section headers inserted where they stand."""
    headers = gb2014_section_headers()
    targets: list[Target] = []
    seen_sections: set[str] = set()
    for indicator in indicators().values():
        # rows of the printed table; Fujian's cumulative codes are a column, not rows
        if not indicator.template.startswith("gb2014") or indicator.template == "gb2014_fujian":
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


def _is_header_row(block: Block) -> bool:
    joined = "".join("".join(block.cells).split())
    return any(word in joined for word in ("统计指标", "指标名称")) and "单位" in joined


def find_tables(blocks: Sequence[Block]) -> list[list[Block]]:
    """Every 2014-style statistics table: from its column header row to the first prose or footer."""
    tables: list[list[Block]] = []
    current: list[Block] | None = None
    for block in blocks:
        if current is None:
            if block.kind == "row" and _is_header_row(block):
                current = [block]
            continue
        first = block.cells[0].strip() if block.cells else ""
        if block.kind == "prose" and first.startswith(("填报单位", "填表单位")):
            continue  # the form's heading repeated at the top of a page the table runs onto
        if block.kind == "prose" or first.startswith(_END_MARKERS):
            tables.append(current)
            current = None
            continue
        current.append(block)
    if current is not None:
        tables.append(current)
    return [table for table in tables if len(table) > 5]


def _split_cells(cells: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
    """(unit, value, extra cells) of one row; the label is cells[0].

    Empty cells are dropped first: readers leave them where a label spans columns or a unit is missing.
    """
    rest = [cell.strip() for cell in cells[1:] if cell.strip()]
    unit = ""
    if rest and (rest[0] in KNOWN_UNITS or (parse_value(rest[0]).kind == "text" and len(rest[0]) <= 4)):
        unit = rest.pop(0)
    value = rest.pop(0) if rest else ""
    return unit, value, tuple(rest)


def _is_label_part(cell: str) -> bool:
    return bool(cell) and cell not in KNOWN_UNITS and parse_value(cell).kind == "text"


def _cumulative_columns(header: Block) -> tuple[int, int] | None:
    """Positions of 本年度 and 历年累计 in a Fujian-style header, if it has both."""
    keys = ["".join(cell.split()) for cell in header.cells]
    if "本年度" in keys and "历年累计" in keys:
        return keys.index("本年度"), keys.index("历年累计")
    return None


def read_rows(table: Sequence[Block]) -> list[TableRow]:
    rows: list[TableRow] = []
    section: str | None = None
    cumulative = _cumulative_columns(table[0])
    for block in table[1:]:  # table[0] is the column header row
        if _is_header_row(block):
            continue  # the column header repeated where the table runs over a page break
        cells = [cell.strip() for cell in block.cells]
        while cells and not cells[0]:
            cells.pop(0)
        # A label broken over several cells (borderless PDF tables cut it at a column edge) is joined.
        parts: list[str] = []
        while cells and _is_label_part(cells[0]) and (not parts or len(cells) > 2):
            parts.append(cells.pop(0))
        if not parts or parts[0].startswith(("填报单位", "填表单位")):
            continue
        text = "".join(parts)
        if rows and rows[-1].open_bracket and not rows[-1].value_raw:
            # the previous row's label wrapped onto this row (an unclosed bracket): one row, not two
            previous = rows.pop()
            text = previous.label.raw + text
            section = previous.section
        label = parse_label(text)
        if not label.key:
            continue
        if label.section:
            section = label.section
        if cumulative and len(block.cells) <= len(table[0].cells):
            # Fujian: positions decide, because either figure may be blank (a reader may drop a trailing blank)
            current, total = cumulative
            padded = (*block.cells, *([""] * (len(table[0].cells) - len(block.cells))))
            unit, value, extra = padded[current - 1].strip(), padded[current], (padded[total],)
        else:
            unit, value, extra = _split_cells(("", *cells))
        rows.append(TableRow(label, unit.strip(), value, extra, section, block.locator))
    return rows


def _finding(kind: str, severity: str, zh: str, en: str, row: TableRow, **extra) -> Finding:
    return Finding(
        finding_type=kind,
        severity=severity,
        message_zh=zh,
        message_en=en,
        locator=row.locator,
        raw_label=row.label.raw.strip(),
        raw_value=row.value_raw.strip() or None,
        **extra,
    )


def _fact(row: TableRow, indicator: Indicator, method: str, score: float) -> tuple[Fact, list[Finding]]:
    findings: list[Finding] = []
    cell = parse_value(row.value_raw)
    value = cell.value if cell.kind == "number" else None
    if cell.kind == "boolean" and indicator.unit == "是/否":
        value = 1.0 if cell.boolean else 0.0  # 是 / 否 answers are stored as 1 / 0
    elif cell.kind in {"text", "boolean"}:
        findings.append(
            _finding(
                "unreadable_value", "soft",
                f"“{indicator.label_zh}”的数值无法识别：{row.value_raw.strip()}",
                f"Value of {indicator.code} is not a number: {row.value_raw.strip()!r}",
                row, indicator_code=indicator.code,
            )
        )
    unit = row.unit
    if value is not None and unit == "元" and indicator.unit == "万元":
        value = value / 10_000  # money is kept in 万元 as the catalogue says
    elif unit and unit not in {indicator.unit, "—", "-"}:
        findings.append(
            _finding(
                "unit_mismatch", "info",
                f"“{indicator.label_zh}”印有单位“{unit}”，目录单位为“{indicator.unit}”",
                f"{indicator.code} is printed in {unit!r}; the catalogue unit {indicator.unit!r} is kept",
                row, indicator_code=indicator.code,
            )
        )
    fact = Fact(
        indicator_code=indicator.code,
        value=value,
        is_approximate=cell.is_approximate,
        unit=indicator.unit,
        raw_label=row.label.raw.strip(),
        raw_value=row.value_raw.strip() or None,
        raw_unit=row.unit or None,
        locator=row.locator,
        match_method=method,
        match_score=round(score, 1),
    )
    return fact, findings


def read_table(rows: Sequence[TableRow], cumulative: bool = False) -> tuple[list[Fact], list[Finding], int]:
    """Facts and findings of one table; also the number of rows matched to the catalogue."""
    targets = gb2014_targets()
    facts: list[Fact] = []
    findings: list[Finding] = []
    matched: set[int] = set()
    for match in accepted_matches(rows, targets):
        row, target, method, score = rows[match.row], match.target, match.method, match.score
        matched.add(match.row)
        if match.rival is not None:
            rival = match.rival
            findings.append(
                _finding(
                    "label_by_position", "soft",
                    f"行标签与“{rival.label.raw}”相同或相近，按所在位置认定为“{target.label.raw}”",
                    f"Row label resembles {rival.indicator.code if rival.indicator else rival.label.raw!r}; "
                    f"its position makes it {target.indicator.code if target.indicator else 'a section header'}",
                    row, indicator_code=target.indicator.code if target.indicator else None,
                )
            )
        if target.indicator is None:
            cell = parse_value(row.value_raw)
            if cell.kind != "blank":
                findings.append(
                    _finding(
                        "header_value", "soft",
                        f"分节标题行“{row.label.raw.strip()}”印有数值{row.value_raw.strip()}（已保留为发现，未计入指标）",
                        f"Section header row carries a value ({row.value_raw.strip()}); kept as a finding, "
                        "not as a fact",
                        row, actual=cell.value,
                    )
                )
            continue
        fact, fact_findings = _fact(row, target.indicator, method, score)
        facts.append(fact)
        findings.extend(fact_findings)
        extension = indicators().get(f"{target.indicator.code}_cumulative")
        if cumulative and row.extra and extension is not None:
            # Fujian's 历年累计 column: kept as its own documented extension fact
            total_row = TableRow(row.label, row.unit, row.extra[0], (), row.section, row.locator)
            fact, fact_findings = _fact(total_row, extension, method, score)
            facts.append(fact)
            findings.extend(fact_findings)
    for i, row in enumerate(rows):
        if i in matched:
            continue
        findings.append(
            _finding(
                "unmatched_row", "info" if row.section in {"十", "十一"} else "soft",
                f"未能对应到指标目录的行：“{row.label.raw.strip()}”",
                "Row not matched to any catalogue indicator; its value is kept here only",
                row,
            )
        )
    return facts, findings, len(matched)


def _variant(tables: Sequence[Sequence[Block]], facts: Sequence[Fact], rows: Sequence[TableRow]) -> str | None:
    catalogue = indicators()
    if any(catalogue[f.indicator_code].template == "gb2014_hubei" for f in facts):
        return "hubei"
    if any(row.section in {"十", "十一"} for row in rows):
        return "inner_mongolia"
    if any("历年累计" in cell for table in tables for cell in table[0].cells):
        return "fujian"
    return None


def read_gb2014(blocks: Sequence[Block]) -> Gb2014Reading:
    """Read every 2014-style table in a document; a repeated table yields its facts once."""
    reading = Gb2014Reading()
    tables = find_tables(blocks)
    reading.table_count = len(tables)
    seen: dict[str, Fact] = {}
    all_rows: list[TableRow] = []
    for number, table in enumerate(tables, start=1):
        rows = read_rows(table)
        all_rows.extend(rows)
        facts, findings, matched = read_table(rows, cumulative=_cumulative_columns(table[0]) is not None)
        if number == 1:
            reading.matched_rows = matched
            reading.findings.extend(findings)
            for fact in facts:
                seen.setdefault(fact.indicator_code, fact)
                if seen[fact.indicator_code] is fact:
                    reading.facts.append(fact)
            continue
        conflicts = [f for f in facts if f.indicator_code in seen and seen[f.indicator_code].value != f.value]
        new = [f for f in facts if f.indicator_code not in seen]
        for fact in new:
            seen[fact.indicator_code] = fact
            reading.facts.append(fact)
        locator = table[0].locator
        if conflicts:
            for fact in conflicts:
                first = seen[fact.indicator_code]
                reading.findings.append(
                    Finding(
                        "repeated_table_conflict", "soft",
                        f"重复出现的统计表中“{fact.raw_label}”数值不同：{first.value} 与 {fact.value}（采用第一张表）",
                        f"A repeated table gives {fact.indicator_code} = {fact.value}, the first gave "
                        f"{first.value}; the first is kept",
                        indicator_code=fact.indicator_code, expected=first.value, actual=fact.value,
                        locator=fact.locator,
                    )
                )
        reading.findings.append(
            Finding(
                "repeated_table", "info",
                f"文档第{number}次出现统计表，相同数值只计一次",
                f"The statistics table appears again (table {number}); each fact is counted once",
                locator=locator,
            )
        )
    if tables:
        reading.variant = _variant(tables, reading.facts, all_rows)
        reading.evidence = (
            f"2014 statistics table header at {tables[0][0].locator}; "
            f"{reading.matched_rows} rows matched the catalogue"
        )
    return reading
