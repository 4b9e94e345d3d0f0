"""The 2019 trial and 2021 national formats (gb2019, gb2021): three statistics tables.

二  blocks of 第二十条 items: a '信息内容' header row names the columns, each row an item.
三  outcome rows × seven requester columns; group labels are merged cells carried down, and a label
    cut by a page break ('（四）无' / '法提供') is joined again.
四  one row of fifteen cells: reconsideration, direct lawsuits, lawsuits after reconsideration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import product

from ingestion.catalogue.enums import REQUESTER_COLUMNS
from ingestion.catalogue.indicators import indicators, label_aliases
from ingestion.document import Block, BlockKind
from ingestion.printed import GROUP_START, ITEM_START, TOP_START
from ingestion.results import Fact, Finding
from ingestion.rules import check_rules
from ingestion.templates import TemplateReading
from ingestion.templates.alignment import TableRow, Target, accepted_matches
from ingestion.templates.glued import split_cells, total_splits
from ingestion.templates.labels import parse_label
from ingestion.templates.values import parse_value, to_catalogue_unit

# Printed cell order of table 四 (DOMAIN.md): three blocks of 维持/纠正/其他/尚未审结/总计.
TABLE4_CODES = tuple(
    f"{block}_{outcome}"
    for block in ("review", "litigation_direct", "litigation_after_review")
    for outcome in ("upheld", "corrected", "other", "pending", "total")
)
_GB2021_MARKERS = ("本年制发件数", "本年废止件数", "现行有效件数")
_GB2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "政府集中采购")
_MATRIX_MARKERS = ("本年新收政府信息公开申请数量", "申请人情况", "本年度办理结果")


class _Figures:
    """Figures printed in the three tables, each row counted once however often it is printed."""

    def __init__(self) -> None:
        self.total = 0
        self._seen: set[tuple[str, ...]] = set()

    def count(self, row: Sequence[str], figures: int) -> None:
        if tuple(row) not in self._seen:
            self._seen.add(tuple(row))
            self.total += figures


def _joined(blocks: Sequence[Block]) -> str:
    return "".join("".join(block.text.split()) for block in blocks)


def detect_template(blocks: Sequence[Block]) -> tuple[str | None, str]:
    text = _joined(blocks)
    has_matrix = any(marker in text for marker in _MATRIX_MARKERS)
    found_2021 = [m for m in _GB2021_MARKERS if m in text]
    found_2019 = [m for m in _GB2019_MARKERS if m in text]
    if found_2021 and (has_matrix or len(found_2021) >= 2):
        return "gb2021", "table 二 columns " + "/".join(found_2021)
    if found_2019 and (has_matrix or len(found_2019) >= 2):
        return "gb2019", "table 二 columns " + "/".join(found_2019)
    if has_matrix:
        split_other = "申请人无正当理由逾期不补正" in text
        return ("gb2021" if split_other else "gb2019"), "outcome × requester matrix" + (
            " with （六）其他处理 split into 1/2/3" if split_other else " with a single （六）其他处理 row"
        )
    return None, ""


def _is_value(cell: str) -> bool:
    return parse_value(cell).kind in {"number", "blank"}


def _number(cell: str) -> tuple[float | None, bool]:
    value = parse_value(cell)
    return (value.value, value.is_approximate) if value.kind == "number" else (None, False)


# ---- table 二 -----------------------------------------------------------------------------------


@cache
def _table2_index(template: str) -> dict[str, str]:
    """Normalised 'row label + column header' → code, from the catalogue and its label aliases."""
    index: dict[str, str] = {}
    for indicator in indicators().values():
        if indicator.section == "二" and indicator.template in {"gb2019", "gb2021"}:
            index[parse_label(indicator.label_zh).key] = indicator.code
    for alias in label_aliases():
        if alias.template in {"gb2019", "gb2021"}:
            index.setdefault(parse_label(alias.label_zh).key, alias.code)
    if template == "gb2019":  # a 2019 row must not land on a 2021-only code of the same words, or back
        index = {k: c for k, c in index.items() if indicators()[c].template != "gb2021" or c in _SHARED_2019}
    return index


_SHARED_2019 = {"licensing_decisions", "penalty_decisions", "coercion_decisions"}


@cache
def item_column_names() -> tuple[str, ...]:
    """Table 二's column headers ('本年制发件数', '处理决定数量', …): the column half of its catalogue labels
    and aliases, longest first."""
    labels = [i.label_zh for i in indicators().values() if i.section == "二" and i.template in {"gb2019", "gb2021"}]
    labels += [alias.label_zh for alias in label_aliases() if alias.template in {"gb2019", "gb2021"}]
    names = {label.split(maxsplit=1)[1].replace(" ", "") for label in labels if " " in label}
    return tuple(sorted(names, key=len, reverse=True))


def split_headers(text: str) -> list[str]:
    """Column headers run together ('本年制发件数本年废止件数现行有效件数', as a reader joins header cells
    wrapped over lines) split at the known column names; text that starts none ('（单位：万元）') stays
    with the header before it."""
    headers: list[str] = []
    i = 0
    while i < len(text):
        name = next((n for n in item_column_names() if text.startswith(n, i)), None)
        if name is not None:
            headers.append(name)
            i += len(name)
            continue
        if headers:
            headers[-1] += text[i]
        else:
            headers.append(text[i])
        i += 1
    return headers


def _read_table2(blocks: Sequence[Block], template: str, reading: TemplateReading, figures: _Figures) -> None:
    index = _table2_index(template)
    catalogue = indicators()
    seen: list[list[str]] = []  # every header row so far, the latest last
    for block in blocks:
        if block.kind != "row":
            continue
        cells = [cell.strip() for cell in block.cells]
        first = "".join(cells[0].split()) if cells else ""
        if first == "信息内容":
            headers = [cell for cell in cells[1:] if cell]
            if len(headers) == 1:
                headers = split_headers("".join(headers[0].split()))
            seen.append(headers)
            continue
        if any(marker in first for marker in _MATRIX_MARKERS):
            seen.clear()
        if not seen or not first:
            continue
        # The latest header that names this row's columns: a table 二 running over a page break repeats its
        # first header there, above rows of a later block (行政事业性收费 under 本年制发件数).
        headers = next(
            (h for h in reversed(seen) if any(parse_label(first + name).key in index for name in h)), seen[-1]
        )
        values = cells[1 : 1 + len(headers)]
        if block.glued and len(values) < len(headers):
            signed = frozenset(i for i, header in enumerate(headers) if "增" in header and "减" in header)
            readings = split_cells(values, len(headers), signed)
            if len(readings) == 1:
                values = list(readings[0])
            elif all(re.fullmatch(r"[\d.\-]+", v) for v in values if v):
                figures.count(("二", first, *values), len(headers))
                reading.findings.append(_untrusted(first, values, block.locator, "二"))
                continue
        if not values or not all(_is_value(v) for v in values) or not any(v for v in values):
            continue
        figures.count(("二", first, *values), _figures(values) if len(values) >= len(headers) else len(headers))
        if not block.exact and len(values) < len(headers):
            # inferred cells with fewer figures than columns: a blank cell was lost, the columns cannot be told
            reading.findings.append(_untrusted(first, values, block.locator, "二"))
            continue
        for header, raw in zip(headers, values, strict=False):
            code = index.get(parse_label(first + header).key)
            if code is None:
                if parse_value(raw).kind == "number":
                    reading.findings.append(
                        Finding("unmatched_cell", "soft", f"表二中“{first} {header}”没有对应的指标：{raw}",
                                f"Cell of table 二 ({first} / {header}) matches no catalogue indicator: {raw}",
                                locator=block.locator, raw_label=f"{first} {header}", raw_value=raw)
                    )
                continue
            cell = parse_value(raw)
            value = cell.value if cell.kind == "number" else None
            unit = catalogue[code].unit
            # money printed in 元: in its cell ('251000元') or in its column header ('本年收费金额（元）')
            printed = cell.unit or ("元" if "元" in header and "万元" not in header else None)
            reading.facts.append(
                Fact(code, to_catalogue_unit(value, printed, unit), cell.is_approximate, unit,
                     raw_label=f"{first} {header}", raw_value=raw or None, locator=block.locator,
                     match_method="exact", match_score=100.0)
            )
            reading.matched_rows += 1


# ---- table 三 -----------------------------------------------------------------------------------


@cache
def _table3_targets() -> tuple[Target, ...]:
    """Table 三's rows in printed order. Both ways of printing （六）其他处理 are targets: as one row (the 2019
    form, and some 2021-layout tables) and split into its items 1–3 (the 2021 form); the labels tell them apart."""
    wanted = [ind for ind in indicators().values() if ind.section == "三" and ind.template in {"gb2019", "gb2021"}]
    return tuple(Target(i, "三", parse_label(ind.label_zh), ind) for i, ind in enumerate(wanted))


def _columns_add_up(values: tuple[str, ...]) -> bool:
    numbers = [parse_value(v).value for v in values]
    if any(n is None for n in numbers):
        return False
    return abs(sum(numbers[:-1]) - numbers[-1]) < 1e-6


def _untrusted(label: str, values: Sequence[str], locator: str, table: str = "三") -> Finding:
    return Finding(
        "row_not_trusted", "soft",
        f"表{table}中“{label}”一行的数字无法对应到各列（单元格边界未印出，空白单元格丢失或列位置不确定），未读取",
        f"Row of table {table} whose figures cannot be placed in its columns (cell boundaries not printed: blank "
        "cells lost or columns shifted); its figures were not read",
        locator=locator, raw_label=label, raw_value=" ".join(v for v in values if v))


def _matrix_blocks(blocks: Sequence[Block]) -> Iterator[Block]:
    """The row blocks of table 三: from the row with a short cell naming the matrix (a layout table's one cell
    holding the whole article names it too, and is no row of the matrix) to 四、结转下年度继续办理."""
    inside = False
    for block in blocks:
        if block.kind != BlockKind.ROW:
            continue
        joined = "".join(block.text.split())
        if any(marker in cell and len(cell) < 60 for cell in map("".join, map(str.split, block.cells))
               for marker in _MATRIX_MARKERS):
            inside = True
        if not inside:
            continue
        if "行政复议" in joined and "结转" not in joined:
            return
        yield block
        if "结转下年度" in joined:
            return


@dataclass(frozen=True)
class _MatrixCells:
    labels: list[str]
    values: tuple[str, ...] | None  # the seven requester columns; None: figures that cannot be placed
    trusted: bool  # the columns are certain (printed cell boundaries, or one way to cut glued figures)
    options: tuple[tuple[str, ...], ...] = ()  # other readings of glued figures, for the table to decide
    figures: int = 0  # figures the row prints


def _matrix_cells(block: Block) -> _MatrixCells | None:
    """A matrix row's label cells and its seven values, or None for a row without figures."""
    cells = [cell.strip() for cell in block.cells]
    trusted, options = block.exact, ()
    if block.glued:
        cells, trusted, options = _glued_matrix_row(cells)
        if not trusted:  # figures run together that cut no single way: the label counts, the figures do not
            return _MatrixCells([c for c in cells if not c.isdigit()], None, False, figures=7)
    numbers = sum(1 for c in cells[-7:] if parse_value(c).kind == "number")
    text = [c for c in cells if parse_value(c).kind == "text"]
    if len(cells) >= 8 and all(_is_value(c) for c in cells[-7:]) and (numbers >= 4 or (block.exact and numbers)):
        # seven value cells (a printed blank cell is a blank); a label among them means a cell went missing
        values = tuple(cells[-7:])
        return _MatrixCells(cells[:-7], values, trusted, options, _figures(values))
    if block.exact and len(cells) >= 2 and parse_value(cells[-1]).kind == "number" and numbers == 1:
        return _MatrixCells(cells[:-1], ("",) * 6 + (cells[-1],), trusted, figures=1)  # only the total printed
    all_numbers = sum(1 for c in cells if parse_value(c).kind == "number")
    if (not block.exact and numbers == 1) or all_numbers >= 2:
        # figures that fill neither the seven columns nor the total alone (blank cells lost where boundaries
        # were not printed): the row's label still counts, its figures cannot be placed
        return _MatrixCells(text, None, False, figures=all_numbers)
    return None


def _matrix_label(parts: list[str], group: str | None) -> tuple[str, str | None]:
    """(the row's label, the group label carried to the rows below): a section ('四、…'), a group ('（四）无法
    提供', carried down as merged cells are) and its item ('1.本机关…'); a group cut by a page break ('（四）无' +
    '法提供') is joined again."""
    top = next((p for p in parts if TOP_START.match(p)), None)
    group_part = next((p for p in parts if GROUP_START.match(p)), None)
    item = next((p for p in parts if ITEM_START.match(p)), None)
    orphans = [p for p in parts if p not in (top, group_part, item)]
    if top:
        return top, None
    if group_part:
        group = group_part
    elif orphans and group:
        group = group + orphans[0]
    label = f"{group or ''} {item}".strip() if item else group_part or (orphans[0] if orphans else "")
    return label, group


def _matrix_rows(
    blocks: Sequence[Block], skipped: list[Finding], counter: Callable[[Sequence[str], int], None]
) -> list[TableRow]:
    rows: list[TableRow] = []
    group: str | None = None
    for block in _matrix_blocks(blocks):
        row = _matrix_cells(block)
        if row is None:
            continue
        parts = [p for p in ("".join(c.split()) for c in row.labels) if p and not p.startswith("三、")]
        if not parts:
            continue
        counter(("三", *parts, *(row.values or block.cells)), row.figures)
        label, group = _matrix_label(parts, group)
        if label and (row.values is None or (not row.trusted and not _columns_add_up(row.values))):
            # Columns whose boundaries were not printed are a guess; figures that do not add up across the row
            # are more likely shifted than misprinted, and a wrong number is worse than a missing one.
            skipped.append(_untrusted(label, row.values or block.cells, block.locator))
        elif label:
            rows.append(TableRow(parse_label(label), "", "", row.values, "三", block.locator, options=row.options))
    return rows


def _figures(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if parse_value(cell).kind == "number")


def _row_adds_up(values: tuple[float, ...]) -> bool:
    return abs(sum(values[:-1]) - values[-1]) < 1e-6


def _blocks_add_up(values: tuple[float, ...]) -> bool:
    """Table 四's three blocks (维持 + 纠正 + 其他 + 尚未审结 = 总计), as far as `values` reaches."""
    return all(abs(sum(values[i : i + 4]) - values[i + 4]) < 1e-6 for i in range(0, len(values) - 4, 5))


def _glued_matrix_row(cells: list[str]) -> tuple[list[str], bool, tuple[tuple[str, ...], ...]]:
    """(cells, trusted, other readings) of a matrix row whose figures ran together. One way to cut them into
    seven figures (or one way whose six columns add up to the total) is a certain reading; several that add up
    are kept as options for the whole table's arithmetic to decide; none leaves the row as it was (reported)."""
    figures = 0
    while figures < len(cells) and re.fullmatch(r"[\d.]+", cells[len(cells) - 1 - figures]):
        figures += 1
    labels = cells[: len(cells) - figures]
    readings = split_cells(cells[len(cells) - figures :], 7, holds=_row_adds_up) if figures else []
    if not readings and figures:  # too many cuts to list: the row's total narrows them
        readings = total_splits([c.strip() for c in cells[len(cells) - figures :]], 7)
    if not readings:
        return cells, False, ()
    return [*labels, *readings[0]], True, tuple(readings) if len(readings) > 1 else ()


def _unglued(cells: list[str], parts: int, prune) -> list[str]:
    """A glued row's trailing figure cells cut into `parts` figures where one cut fits (else as they were)."""
    figures = 0
    while figures < len(cells) and re.fullmatch(r"[\d.]+", cells[len(cells) - 1 - figures]):
        figures += 1
    readings = split_cells(cells[len(cells) - figures :], parts, prune=prune) if figures else []
    if len(readings) != 1:
        return cells
    return [*cells[: len(cells) - figures], *readings[0]]


def _row_facts(row: TableRow, match, values: Sequence[str]) -> list[Fact]:
    indicator = match.target.indicator
    facts = []
    for requester, raw in zip(REQUESTER_COLUMNS, values, strict=True):
        value, approximate = _number(raw)
        facts.append(
            Fact(indicator.code, value, approximate, indicator.unit, requester_type=requester,
                 raw_label=row.label.raw, raw_value=raw or None, locator=row.locator,
                 match_method=match.method, match_score=round(match.score, 1))
        )
    return facts


_MAX_COMBINATIONS = 256


def _choose_readings(
    rows: Sequence[TableRow], matches: Sequence, template: str, reading: TemplateReading
) -> dict[int, tuple[str, ...]]:
    """Rows whose run-together figures split several ways: the one combination of readings for which the
    matrix's own arithmetic (the identity rules) holds best. Rows it cannot decide are reported and left out."""
    open_rows = [m for m in matches if m.target.indicator is not None and rows[m.row].options]
    if not open_rows:
        return {}
    settled = [f for m in matches if m.target.indicator is not None and not rows[m.row].options
               for f in _row_facts(rows[m.row], m, rows[m.row].extra)]
    combinations = list(product(*(rows[m.row].options for m in open_rows)))
    scored = []
    if len(combinations) <= _MAX_COMBINATIONS:
        for combination in combinations:
            facts = settled + [f for m, values in zip(open_rows, combination, strict=True)
                               for f in _row_facts(rows[m.row], m, values)]
            hard = sum(1 for f in check_rules(facts, template) if f.severity == "hard")
            scored.append((hard, combination))
    best = min((hard for hard, _ in scored), default=None)
    winners = [combination for hard, combination in scored if hard == best]
    if len(winners) == 1:
        return {m.row: values for m, values in zip(open_rows, winners[0], strict=True)}
    for m in open_rows:
        row = rows[m.row]
        reading.findings.append(_untrusted(row.label.raw, [" / ".join(o) for o in row.options], row.locator))
    return {m.row: () for m in open_rows}


def _read_table3(blocks: Sequence[Block], template: str, reading: TemplateReading, figures: _Figures) -> None:
    skipped: list[Finding] = []
    rows = _matrix_rows(blocks, skipped, figures.count)
    reading.findings.extend(skipped)
    if not rows:
        return
    matches = accepted_matches(rows, _table3_targets())
    chosen = _choose_readings(rows, matches, template, reading)
    matched: set[int] = set()
    for match in matches:
        row = rows[match.row]
        if match.target.indicator is None:
            continue
        matched.add(match.row)
        values = chosen.get(match.row, row.extra)
        if values:
            reading.facts.extend(_row_facts(row, match, values))
    reading.matched_rows += len(matched)
    for i, row in enumerate(rows):
        if i not in matched:
            reading.findings.append(
                Finding("unmatched_row", "soft", f"未能对应到指标目录的行：“{row.label.raw}”",
                        "Row of table 三 not matched to any catalogue indicator; its values are kept here only",
                        locator=row.locator, raw_label=row.label.raw, raw_value=" ".join(row.extra))
            )


# ---- table 四 -----------------------------------------------------------------------------------


def _read_table4(blocks: Sequence[Block], reading: TemplateReading, figures: _Figures) -> None:
    catalogue = indicators()
    seen_header = False
    for block in blocks:
        text = "".join(block.text.split())
        if "行政复议" in text and ("行政诉讼" in text or "结果维持" in text) and (
            block.kind == BlockKind.ROW or len(text) < 80  # a heading or the header row, not a paragraph
        ):
            seen_header = True
            if not any(re.search(r"\d", c) for c in block.cells):
                continue  # the header row itself
        if not seen_header:
            continue
        cells = [c.strip() for c in block.cells]
        if block.kind == "prose":
            cells = text and block.text.split()
        elif block.glued:
            cells = _unglued(cells, 15, _blocks_add_up)
        if block.glued and len(cells) < 15:
            figures.count(("四", *cells), 15)
            reading.findings.append(_untrusted("四、行政复议、行政诉讼", cells, block.locator, "四"))
            return
        if len(cells) >= 15:
            tail = cells[-15:]
            numbers = sum(parse_value(c).kind == "number" for c in tail)
            if all(_is_value(c) for c in tail) and (numbers >= 10 or (block.exact and numbers >= 1)):
                figures.count(("四", *tail), numbers)
                for code, raw in zip(TABLE4_CODES, tail, strict=True):
                    value, approximate = _number(raw)
                    reading.facts.append(
                        Fact(code, value, approximate, catalogue[code].unit, raw_label="四、行政复议、行政诉讼",
                             raw_value=raw or None, locator=block.locator, match_method="position",
                             match_score=100.0)
                    )
                reading.matched_rows += 1
                return


def read_modern(blocks: Sequence[Block]) -> TemplateReading:
    """Facts of a 2019- or 2021-format report (empty reading when the document is neither)."""
    reading = TemplateReading()
    template, evidence = detect_template(blocks)
    if template is None:
        return reading
    reading.template, reading.evidence = template, evidence
    reading.printed_codes = {*_table2_index(template).values(), *(t.indicator.code for t in _table3_targets()),
                             *TABLE4_CODES}
    figures = _Figures()
    _read_table2(blocks, template, reading, figures)
    _read_table3(blocks, template, reading, figures)
    _read_table4(blocks, reading, figures)
    reading.table_figures = figures.total
    # A table printed twice (or a row repeated) must not double a fact: keep the first reading.
    seen: set[tuple[str, str]] = set()
    unique = []
    for fact in reading.facts:
        key = (fact.indicator_code, fact.requester_type)
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    reading.facts = unique
    return reading
