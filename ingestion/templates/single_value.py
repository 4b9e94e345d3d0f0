"""Reports whose statistics are single-value tables: the national 2014 form, regional forms, own layouts.

Every table is found by its header (templates.tables). Its rows are matched to the catalogue two ways, by
their order against the national 2014 form (templates.gb2014) and by their labels (templates.regional); the
way that places more rows of the document's first table reads every table of the document. A table printed
twice yields each fact once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from ingestion.document import Block
from ingestion.results import Fact, Finding
from ingestion.templates import TemplateReading
from ingestion.templates.alignment import Match, TableRow
from ingestion.templates.gb2014 import REGIONAL_SECTIONS, national_matches, national_variant
from ingestion.templates.glued import resolve
from ingestion.templates.regional import alias_matches
from ingestion.templates.tables import Columns, find_tables, finding, read_rows, row_facts
from ingestion.templates.values import parse_value

# Fewer rows than this matched by order means the table is not the national form (it has about 70 rows).
_MIN_NATIONAL_ROWS = 10


def _by_order(rows: Sequence[TableRow]) -> list[Match]:
    return national_matches(rows)


def _by_label(rows: Sequence[TableRow]) -> list[Match]:
    return alias_matches(rows)[0]


def _has_figure(row: TableRow) -> bool:
    return any(parse_value(raw).kind != "blank" for raw in (row.value_raw, row.cumulative_raw or "", *row.extra))


def _figures(row: TableRow, columns: Columns) -> int:
    """Figures a row prints: its filled value cells (a row whose cells could not be placed printed one per
    value column it had a figure for, at least)."""
    if row.ambiguous:
        return max(columns.values, 1)
    cells = (row.value_raw, row.cumulative_raw or "", *row.extra)
    return sum(1 for raw in cells if parse_value(raw).kind in {"number", "boolean"})


def _table_facts(
    rows: Sequence[TableRow], matches: Sequence[Match], by_order: bool
) -> tuple[list[Fact], list[Finding]]:
    facts: list[Fact] = []
    findings: list[Finding] = []
    matched = {match.row for match in matches}
    for match in matches:
        row, target = rows[match.row], match.target
        if match.rival is not None:
            rival = match.rival
            findings.append(
                finding(
                    "label_by_position", "soft",
                    f"行标签与“{rival.label.raw}”相同或相近，按所在位置认定为“{target.label.raw}”",
                    f"Row label resembles {rival.indicator.code if rival.indicator else rival.label.raw!r}; "
                    f"its position makes it {target.indicator.code if target.indicator else 'a section header'}",
                    row, indicator_code=target.indicator.code if target.indicator else None,
                )
            )
        if target.indicator is None:  # a section header of the national form
            cell = parse_value(row.value_raw)
            if cell.kind != "blank":
                findings.append(
                    finding(
                        "header_value", "soft",
                        f"分节标题行“{row.label.raw.strip()}”印有数值{row.value_raw.strip()}（已保留为发现，未计入指标）",
                        f"Section header row carries a value ({row.value_raw.strip()}); kept as a finding, "
                        "not as a fact",
                        row, actual=cell.value,
                    )
                )
            continue
        row_fact_list, row_findings = row_facts(row, target.indicator, match.method, match.score)
        facts.extend(row_fact_list)
        findings.extend(row_findings)
    for i, row in enumerate(rows):
        if i in matched or (not by_order and not _has_figure(row)):
            continue  # a label-matched table's rows without figures are headings
        findings.append(
            finding(
                "unmatched_row", "info" if row.section in REGIONAL_SECTIONS else "soft",
                f"未能对应到指标目录的行：“{row.label.raw.strip()}”",
                "Row not matched to any catalogue indicator; its value is kept here only",
                row,
            )
        )
    return facts, findings


def _repeated(reading: TemplateReading, seen: dict[str, Fact], facts: list[Fact], number: int,
              header: Block) -> None:
    """Facts of a table after the first: new codes are kept; a repeated one is counted once, and a different
    figure for it is a finding."""
    for fact in facts:
        first = seen.get(fact.indicator_code)
        if first is None:
            seen[fact.indicator_code] = fact
            reading.facts.append(fact)
        elif first.value != fact.value:
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
            locator=header.locator,
        )
    )


def read_single_value(blocks: Sequence[Block], stated: Mapping[str, float] | None = None) -> TemplateReading:
    """Facts of every single-value statistics table in a document (an empty reading when it has none).

    `stated`: figures the report's prose states (indicator → value), which decide how digits printed without
    separators split where the table alone allows several splits."""
    reading = TemplateReading()
    tables: list[tuple[Columns, list[Block], list[TableRow]]] = [
        (columns, table, read_rows(columns, table)) for columns, table in find_tables(blocks)
    ]
    tables = [table for table in tables if table[2]]
    reading.table_count = len(tables)
    if not tables:
        return reading
    first_rows = tables[0][2]
    national = _by_order(first_rows)
    by_label, forms = alias_matches(first_rows)
    national_rows = sum(1 for m in national if m.target.indicator is not None)
    by_order = national_rows >= _MIN_NATIONAL_ROWS and national_rows >= len(by_label)
    matcher = _by_order if by_order else _by_label
    seen: dict[str, Fact] = {}
    all_rows: list[TableRow] = []
    counted: set[tuple[int, str, str, str | None]] = set()
    for number, (columns, table, rows) in enumerate(tables, start=1):
        all_rows.extend(rows)
        # the first table was matched both ways above already
        matches = (national if by_order else by_label) if number == 1 else matcher(rows)
        codes = {m.row: m.target.indicator.code for m in matches if m.target.indicator is not None}
        reading.printed_codes.update(codes.values())
        rows = resolve(rows, codes, stated or {})
        for position, row in enumerate(rows):
            signature = (position, row.label.key, row.value_raw, row.cumulative_raw)
            if signature not in counted:  # a repeated table's rows are printed figures once
                counted.add(signature)
                reading.table_figures += _figures(row, columns)
        facts, findings = _table_facts(rows, matches, by_order)
        if number == 1:
            reading.matched_rows = sum(1 for m in matches if m.target.indicator is not None)
            reading.findings.extend(findings)
            for fact in facts:
                if fact.indicator_code not in seen:
                    seen[fact.indicator_code] = fact
                    reading.facts.append(fact)
        else:
            _repeated(reading, seen, facts, number, table[0])
    if reading.matched_rows == 0:
        reading.template = None
        return reading
    cumulative = any(columns.cumulative is not None for columns, _, _ in tables)
    header = tables[0][1][0].locator
    if by_order:
        reading.template = "gb2014"
        reading.variant = national_variant({f.indicator_code for f in reading.facts}, all_rows, cumulative)
        reading.evidence = (
            f"2014 statistics table header at {header}; {reading.matched_rows} rows matched the catalogue"
        )
    else:
        reading.template = _form(forms)
        reading.evidence = (
            f"statistics table header at {header}; {reading.matched_rows} rows matched by label "
            f"({', '.join(f'{form} {count}' for form, count in forms.most_common())})"
        )
    return reading


def _form(forms: Counter[str]) -> str:
    """The template a label-matched table follows: a regional form where its rows are the region's labels, the
    national 2014 form where they are the catalogue's, else the agency's own layout."""
    ranked = forms.most_common()
    best = ranked[0][0]
    if best == "other" and forms["regional"] >= forms["other"]:
        return "regional"
    return best
