"""Single-value statistics tables, whatever their form: a row label, an optional unit and value columns.

The national 2014 form (统计指标 / 单位 / 统计数), Fujian's forms (指标名称 / 计量单位 / 年末统计, or 本年度 /
历年累计), an agency's own layout (指 标 名 称 / 单位 / 数量): each is found by its column header row, and the
header says what every column means (dbt_project/seeds/column_headers.csv). The template readers match the
rows' labels to the catalogue; this module gives them the rows and turns a matched row into facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from ingestion.catalogue.indicators import Indicator, column_headers, indicators
from ingestion.document import Block, BlockKind
from ingestion.printed import PRINTED_UNITS
from ingestion.results import Fact, Finding
from ingestion.templates.alignment import TableRow
from ingestion.templates.labels import parse_label
from ingestion.templates.values import parse_value, to_catalogue_unit

_END_MARKERS = ("填报人", "填表人", "审核人", "备注", "注:", "注：", "说明:", "说明：")
_FILLED_BY = ("填报单位", "填表单位")
_COLUMN_NUMBERS = frozenset("甲乙丙丁")


@dataclass(frozen=True)
class Columns:
    """Positions of a table's columns in its header row (None: the table has no such column)."""

    width: int
    unit: int | None
    this_year: int | None
    cumulative: int | None
    year_to_date: int | None = None  # the 2008 form's 本年累计: the year's figure where 本期实际 is blank
    code: int | None = None  # the 2008 form's row numbers (01, 02 …): no figure of the report

    @property
    def values(self) -> int:
        return sum(1 for column in (self.this_year, self.cumulative) if column is not None)

    @property
    def positional(self) -> bool:
        """Whether a row's cells must be read by position: either of two figure columns may be blank, or a code
        column stands between the unit and the figures."""
        return self.cumulative is not None or self.year_to_date is not None or self.code is not None


@cache
def _header_roles() -> tuple[tuple[re.Pattern, str], ...]:
    roles = []
    for column in column_headers():
        pattern = re.escape(column.header).replace(re.escape("{year}"), r"(?:19|20)\d\d")
        roles.append((re.compile(f"^{pattern}$"), column.role))
    return tuple(roles)


@lru_cache(maxsize=1 << 14)  # a pure function of the cell text, asked of every cell of every candidate row
def _role(cell: str) -> str | None:
    key = "".join(cell.split())
    return next((role for pattern, role in _header_roles() if pattern.match(key)), None)


def header_columns(block: Block) -> Columns | None:
    """The columns a header row names, or None when the row is not the header of a single-value table: a label
    column first, then a unit or figure columns ('统计指标 | 单位 | 统计数', '指标名称 计量单位 本年度 历年累计')."""
    if block.kind != BlockKind.ROW:
        return None
    roles = [_role(cell) if cell.strip() else "" for cell in block.cells]
    if None in roles or "label" not in roles:
        # a header whose words a reader cut apart ('统 计 指 标 单位 统计数'): read the words joined
        roles = _joined_roles("".join("".join(block.cells).split()))
        if roles is None:
            return None
    first = roles.index("label")
    rest = roles[first + 1 :]
    if not any(role in {"unit", "this_year", "cumulative"} for role in rest) or "label" in rest:
        return None

    def position(role: str) -> int | None:
        return next((i for i, r in enumerate(roles) if r == role), None)

    return Columns(len(roles), position("unit"), position("this_year"), position("cumulative"),
                   position("year_to_date"), position("code"))


@cache
def _joined_header() -> re.Pattern:
    groups = []
    for role in ("label", "unit", "code", "this_year", "cumulative"):
        words = sorted((c.header for c in column_headers() if c.role == role), key=len, reverse=True)
        alternatives = "|".join(re.escape(w).replace(re.escape("{year}"), r"(?:19|20)\d\d") for w in words)
        groups.append(f"(?P<{role}>{alternatives})")
    label, unit, code, this_year, cumulative = groups
    return re.compile(f"^{label}(?:{unit})?(?:{code})?(?:{this_year})?(?:{cumulative})?$")


def _joined_roles(text: str) -> list[str] | None:
    match = _joined_header().match(text)
    if match is None or not (match.group("unit") or match.group("this_year") or match.group("cumulative")):
        return None
    return [role for role in ("label", "unit", "code", "this_year", "cumulative") if match.group(role)]


def find_tables(blocks: Sequence[Block]) -> list[tuple[Columns, list[Block]]]:
    """Every single-value statistics table: its columns, and its rows from the header to the first prose or
    footer line."""
    tables: list[tuple[Columns, list[Block]]] = []
    current: list[Block] | None = None
    columns: Columns | None = None
    for block in blocks:
        found = header_columns(block)
        if found is not None and (current is None or not _same_header(block, current[0])):
            if current is not None and columns is not None:
                tables.append((columns, current))
            current, columns = [block], found
            continue
        if current is None:
            continue
        first = block.cells[0].strip() if block.cells else ""
        if block.kind == BlockKind.PROSE and (first.startswith(_FILLED_BY) or _is_form_title(first)):
            continue  # the form's heading repeated at the top of a page the table runs onto
        if block.kind == BlockKind.PROSE or first.startswith(_END_MARKERS):
            tables.append((columns, current))
            current = columns = None
            continue
        current.append(block)
    if current is not None and columns is not None:
        tables.append((columns, current))
    return [(columns, table) for columns, table in tables if len(table) > 1]


def _is_form_title(text: str) -> bool:
    """The title of a statistics form ('2017年度盟市政府信息公开情况统计表'), as printed above each of its pages."""
    return len(text) <= 40 and text.replace(" ", "").endswith(("统计表", "统计数据", "情况表"))


def _same_header(block: Block, header: Block) -> bool:
    return [c.strip() for c in block.cells] == [c.strip() for c in header.cells]


def _is_label_part(cell: str) -> bool:
    return bool(cell) and cell not in PRINTED_UNITS and parse_value(cell).kind == "text"


def _split_cells(cells: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    """(unit, value, extra cells) of one row's cells after its label, where positions cannot be trusted.

    Empty cells are dropped first: readers leave them where a label spans columns or a unit is missing.
    """
    rest = [cell.strip() for cell in cells if cell.strip()]
    unit = ""
    if rest and (rest[0] in PRINTED_UNITS or (parse_value(rest[0]).kind == "text" and len(rest[0]) <= 4)):
        unit = rest.pop(0)
    value = rest.pop(0) if rest else ""
    return unit, value, tuple(rest)


def read_rows(columns: Columns, table: Sequence[Block]) -> list[TableRow]:
    """The table's rows below its header: label (wrapped parts joined), unit, this year's figure, cumulative."""
    rows: list[TableRow] = []
    section: str | None = None
    header = table[0]
    for block in table[1:]:
        if _same_header(block, header) or header_columns(block) is not None:
            continue  # the column header repeated where the table runs over a page break
        cells = [cell.strip() for cell in block.cells]
        while cells and not cells[0]:
            cells.pop(0)
        # A label broken over several cells (a group and its item, or a borderless PDF cut at a column edge).
        parts: list[str] = []
        while cells and _is_label_part(cells[0]) and (not parts or len(cells) > 2):
            parts.append(cells.pop(0))
        if not parts or parts[0].startswith(_FILLED_BY):
            continue
        text = "".join(parts)
        if rows and rows[-1].open_bracket and not rows[-1].value_raw:
            # the previous row's label wrapped onto this row (an unclosed bracket): one row, not two
            previous = rows.pop()
            text = previous.label.raw + text
            section = previous.section
        label = parse_label(text)
        if not label.key or label.key in _COLUMN_NUMBERS:
            continue  # no label, or the form's row that numbers its columns (甲 乙 丙 1 2)
        if label.section:
            section = label.section
        unit, value, cumulative, extra, ambiguous = _values(columns, block, cells)
        glued = block.glued and columns.values == 2 and cumulative is None and value.strip().isdigit()
        rows.append(TableRow(label, unit, value, extra, section, block.locator, cumulative, ambiguous and not glued,
                             glued))
    return rows


def _values(
    columns: Columns, block: Block, after_label: list[str]
) -> tuple[str, str, str | None, tuple[str, ...], bool]:
    """(unit, this year's figure, cumulative figure, other cells, ambiguous) of one row.

    Where the cells are exact and the row has the header's cells (or more, from a label split over cells),
    positions counted from the right decide: either figure may be blank. Otherwise the first non-empty cells
    are the unit and the figure, as the row prints them.
    """
    cells = list(block.cells)
    right = len(cells) - columns.width  # a longer row's extra cells are label parts, on the left
    if block.exact and columns.positional and right >= 0:
        def cell(position: int | None) -> str:
            return cells[position + right].strip() if position is not None and position + right >= 0 else ""

        value, cumulative = cell(columns.this_year), cell(columns.cumulative)
        if not value and columns.year_to_date is not None:
            value = cell(columns.year_to_date)
        if not _is_label_part(value) and not _is_label_part(cumulative):
            return cell(columns.unit), value, cumulative if columns.cumulative is not None else None, (), False
    if columns.code is not None:  # the row numbers of the 2008 form ('01') are no figures
        after_label = [c for c in after_label if not re.fullmatch(r"0\d|\d\d", c.strip())]
    unit, value, extra = _split_cells(after_label)
    cumulative = None
    if columns.cumulative is not None:
        cumulative, extra = (extra[0], extra[1:]) if extra else (None, extra)
        if not block.exact and value and cumulative is None:
            # inferred cells: one figure where the header names two, and no telling which column lost its blank
            return unit, value, None, extra, True
    elif columns.year_to_date is not None and extra:
        extra = extra[1:]  # the year so far repeats this year's figure
    return unit, value, cumulative, extra, False


def finding(kind: str, severity: str, zh: str, en: str, row: TableRow, **extra) -> Finding:
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


def make_fact(
    row: TableRow, indicator: Indicator, method: str, score: float, raw: str | None = None
) -> tuple[Fact, list[Finding]]:
    """The fact a matched row gives for `indicator` (from `raw`, else the row's figure), and what was odd."""
    findings: list[Finding] = []
    raw = row.value_raw if raw is None else raw
    cell = parse_value(raw)
    value = cell.value if cell.kind == "number" else None
    if cell.kind == "boolean" and indicator.unit == "是/否":
        value = 1.0 if cell.boolean else 0.0  # 是 / 否 answers are stored as 1 / 0
    elif cell.kind in {"text", "boolean"}:
        findings.append(
            finding(
                "unreadable_value", "soft",
                f"“{indicator.label_zh}”的数值无法识别：{raw.strip()}",
                f"Value of {indicator.code} is not a number: {raw.strip()!r}",
                row, indicator_code=indicator.code,
            )
        )
    unit = cell.unit or row.unit
    value = to_catalogue_unit(value, unit, indicator.unit)
    if unit and unit not in {indicator.unit, "—", "-"} and not (unit == "元" and indicator.unit == "万元"):
        findings.append(
            finding(
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
        raw_value=raw.strip() or None,
        raw_unit=unit or None,
        locator=row.locator,
        match_method=method,
        match_score=round(score, 1),
    )
    return fact, findings


def row_facts(row: TableRow, indicator: Indicator, method: str, score: float) -> tuple[list[Fact], list[Finding]]:
    """Facts of a matched row: this year's figure on the code, the cumulative column on `<code>_cumulative`."""
    if row.ambiguous:
        return [], [untrusted(row)]
    fact, findings = make_fact(row, indicator, method, score)
    facts = [fact]
    if row.cumulative_raw is not None:
        extension = indicators().get(f"{indicator.code}_cumulative")
        if extension is not None:
            cumulative, more = make_fact(row, extension, method, score, row.cumulative_raw)
            facts.append(cumulative)
            findings.extend(f for f in more if f.finding_type != "unit_mismatch")  # said once, for the row
        elif parse_value(row.cumulative_raw).kind != "blank":
            findings.append(
                finding("unmatched_cell", "info",
                        f"“{row.label.raw.strip()}”的历年累计数 {row.cumulative_raw} 没有对应的扩展指标",
                        f"The cumulative figure {row.cumulative_raw} of {indicator.code} has no extension code",
                        row, indicator_code=indicator.code)
            )
    return facts, findings


def untrusted(row: TableRow) -> Finding:
    return finding(
        "row_not_trusted", "soft",
        f"“{row.label.raw.strip()}”一行的数字少于列数（空白单元格已丢失），无法确定各数字所在的列，未读取",
        "Row with fewer figures than the table has columns (blank cells were lost): which column each figure "
        "belongs to cannot be told, so none was read",
        row,
    )
