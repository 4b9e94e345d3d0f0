"""The quality report people read after every refresh: one self-contained HTML file, plus a Markdown summary.

Everything is read back from what the run published (``serving.duckdb``) and the landing inventory, plus the
outcomes of this run's quality gates when the caller has them (the Dagster asset passes the asset-check
evaluations recorded in the instance). Nothing here imports Dagster or Great Expectations.

The HTML opens offline and scales to thousands of reports: inline CSS, inline SVG charts drawn here and one inline
script (filters and pages for the long tables, `templates/paged_tables.js`), nothing fetched from anywhere. A
summary comes first, then the gates, the rules (named in Chinese and English words), one table of every finding
that can be filtered and paged, and a folded section per agency. Without scripts every row is simply shown. All
text from reports (agency names, labels, messages) goes through Jinja2 autoescaping; the SVG builders escape
their own text with ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import jinja2
from markupsafe import Markup

from ingestion.catalogue.enums import ParseStatus, Severity, report_templates
from ingestion.catalogue.seeds import read_seed
from ingestion.landing.store import inventory_path, read_parquet_file

__all__ = [
    "COVERAGE_GAP_FINDINGS",
    "DBT_TEST",
    "GX_GATE",
    "CheckOutcome",
    "QualityReport",
    "collect",
    "render_html",
    "render_markdown",
    "write_html",
]

SEVERITIES = tuple(Severity)
SEVERITY_COLOURS = {Severity.HARD: "#c0392b", Severity.SOFT: "#e69f00", Severity.INFO: "#7f8c9a"}
#: Display order: files read first, then the ones not read.
STATUS_ORDER = (ParseStatus.PARSED, ParseStatus.SUPERSEDED, ParseStatus.DUPLICATE, ParseStatus.QUARANTINED,
                ParseStatus.UNPARSED, ParseStatus.REJECTED)
STATUS_COLOURS = {
    ParseStatus.PARSED: "#2e7d32",
    ParseStatus.SUPERSEDED: "#6a8caf",
    ParseStatus.DUPLICATE: "#9e9e9e",
    ParseStatus.QUARANTINED: "#c0392b",
    ParseStatus.UNPARSED: "#8e44ad",
    ParseStatus.REJECTED: "#5d4037",
}
NOT_READ = (ParseStatus.QUARANTINED, ParseStatus.UNPARSED, ParseStatus.REJECTED)
TEMPLATE_ORDER = tuple(t.template for t in report_templates())
#: Finding types that explain why a printed table figure did not become a fact (figure_coverage below 100 %).
COVERAGE_GAP_FINDINGS = ("unmatched_row", "row_not_trusted", "unmatched_cell", "header_value", "unreadable_value",
                         "negative_value", "fractional_count")
#: Bars beyond this many rules are summed into one "other rules" bar.
MAX_RULE_BARS = 24
DATA_DOCS_HREF = "data_docs/index.html"  # relative to reports/quality_report.html


# --------------------------------------------------------------------------------------- data


GX_GATE = "Great Expectations"
DBT_TEST = "dbt test"


@dataclass(frozen=True)
class CheckOutcome:
    """One quality gate's result in this run (a GX suite or a dbt data test, as a Dagster asset check)."""

    name: str
    asset: str
    passed: bool
    severity: str = "ERROR"  # ERROR or WARN
    blocking: bool = False
    detail: str | None = None
    kind: str = DBT_TEST  # GX_GATE or DBT_TEST: the caller knows which system the check belongs to
    label: str | None = None  # what the check checks, in words (the check spec's description)

    @property
    def words(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str  # rule_id, or the finding type when the finding is not a rule violation
    finding_type: str
    indicator_code: str | None
    expected: float | None
    actual: float | None
    locator: str | None
    message_zh: str | None
    message_en: str | None
    raw_label: str | None
    label_zh: str | None = None  # the rule in words (fct_report_findings.rule_label_zh / _en)
    label_en: str | None = None


@dataclass
class ReportEntry:
    """One file under the inbox (a row of dim_report) and its findings."""

    document_id: str
    source_file: str
    parse_status: str
    reason: str | None
    agency_name: str | None
    report_year: int | None
    template: str | None
    template_variant: str | None
    fact_count: int
    findings: list[Finding] = field(default_factory=list)
    table_figures: int | None = None  # numbers printed in the statistics tables
    placed_figures: int | None = None  # of those, the ones that became facts
    figure_coverage: float | None = None  # placed ÷ printed; None without a table

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def below_full_coverage(self) -> bool:
        return self.figure_coverage is not None and self.figure_coverage < 1

    @property
    def gap_findings(self) -> list[Finding]:
        """The findings that explain printed figures not placed (rows and cells not matched or not trusted, values
        on header rows, unreadable values)."""
        return [f for f in self.findings if f.finding_type in COVERAGE_GAP_FINDINGS]

    @property
    def gap_summary(self) -> dict[str, int]:
        counts = Counter(f.finding_type for f in self.gap_findings)
        return {kind: counts[kind] for kind in COVERAGE_GAP_FINDINGS if counts[kind]}

    @property
    def hard(self) -> int:
        return self.count(Severity.HARD)

    @property
    def soft(self) -> int:
        return self.count("soft")

    @property
    def info(self) -> int:
        return self.count("info")

    @property
    def title(self) -> str:
        agency = self.agency_name or "机构未识别 agency not identified"
        year = str(self.report_year) if self.report_year is not None else "年度未识别 year unknown"
        return f"{agency} · {year}"

    @property
    def template_label(self) -> str:
        if not self.template:
            return "—"
        return f"{self.template} ({self.template_variant})" if self.template_variant else self.template

    @property
    def agency(self) -> str:
        return self.agency_name or "机构未识别 agency not identified"


@dataclass
class AgencySection:
    """One agency's reports with findings, and how many of its reports have none."""

    name: str
    reports: list[ReportEntry]
    clean: int

    @property
    def anchor(self) -> str:
        return "agency-" + hashlib.sha1(self.name.encode()).hexdigest()[:10]

    def count(self, severity: str) -> int:
        return sum(r.count(severity) for r in self.reports)


@dataclass(frozen=True)
class RuleSummary:
    """One rule (or finding type) with its name in words and how often it was found."""

    rule: str
    label_zh: str | None
    label_en: str | None
    counts: dict[str, int]
    reports: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class QualityReport:
    generated_at: dt.datetime
    inbox: str
    warehouse: str
    reports: list[ReportEntry]
    facts: int
    facts_not_reported: int
    reports_with_facts: int
    inventory_files: int | None
    scanned_at: dt.datetime | None
    cross_year: dict[str, int]
    checks: list[CheckOutcome]
    run_id: str | None = None
    run_started_at: dt.datetime | None = None
    data_docs_href: str | None = DATA_DOCS_HREF

    # ----- derived views used by both renderings

    @property
    def files(self) -> int:
        return len(self.reports)

    @property
    def status_counts(self) -> dict[str, int]:
        counts = Counter(r.parse_status for r in self.reports)
        ordered = {s: counts[s] for s in STATUS_ORDER if counts.get(s)}
        ordered.update({s: n for s, n in sorted(counts.items()) if s not in ordered})
        return ordered

    @property
    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for r in self.reports for f in r.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    @property
    def quarantined(self) -> list[ReportEntry]:
        return [r for r in self.reports if r.parse_status in NOT_READ]

    @property
    def with_findings(self) -> list[ReportEntry]:
        """Reports with findings, most serious first."""
        flagged = [r for r in self.reports if r.findings]
        return sorted(flagged, key=lambda r: (-r.hard, -r.soft, -r.info, r.agency_name or "", r.report_year or 0))

    @property
    def below_full_coverage(self) -> list[ReportEntry]:
        """Reports whose tables print figures that did not all become facts, lowest coverage first."""
        return sorted(
            (r for r in self.reports if r.below_full_coverage),
            key=lambda r: (r.figure_coverage, r.agency_name or "", r.report_year or 0, r.source_file),
        )

    @property
    def figure_totals(self) -> tuple[int, int]:
        """(printed, placed) table figures over every report read (duplicate copies carry 0)."""
        return (
            sum(r.table_figures or 0 for r in self.reports),
            sum(r.placed_figures or 0 for r in self.reports),
        )

    @property
    def clean(self) -> list[ReportEntry]:
        return [r for r in self.reports if r.parse_status == ParseStatus.PARSED and not r.findings]

    @property
    def agencies(self) -> list[AgencySection]:
        """Agencies whose reports have findings, most serious first; each report most serious first."""
        flagged: dict[str, list[ReportEntry]] = defaultdict(list)
        clean: Counter = Counter()
        for entry in self.with_findings:
            flagged[entry.agency].append(entry)
        for entry in self.clean:
            clean[entry.agency] += 1
        sections = [AgencySection(name, reports, clean[name]) for name, reports in flagged.items()]
        return sorted(sections, key=lambda a: (-a.count("hard"), -a.count("soft"), -a.count("info"), a.name))

    @property
    def all_findings(self) -> list[tuple[ReportEntry, Finding]]:
        """Every finding with its report, hard first, then by agency and year."""
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        pairs = [(entry, finding) for entry in self.reports for finding in entry.findings]
        return sorted(pairs, key=lambda p: (rank.get(p[1].severity, 9), p[0].agency, p[0].report_year or 0,
                                            p[1].rule, p[1].locator or ""))

    @property
    def rules(self) -> list[RuleSummary]:
        """Every rule found, with its name in words, most frequent first."""
        labels: dict[str, tuple[str | None, str | None]] = {}
        reports: dict[str, set[str]] = defaultdict(set)
        for entry in self.reports:
            for finding in entry.findings:
                if finding.label_zh or finding.label_en or finding.rule not in labels:
                    labels[finding.rule] = (finding.label_zh, finding.label_en)
                reports[finding.rule].add(entry.document_id)
        return [
            RuleSummary(rule, *labels[rule], counts, len(reports[rule])) for rule, counts in self.rule_counts
        ]

    @property
    def rule_counts(self) -> list[tuple[str, dict[str, int]]]:
        """(rule, {severity: count}) sorted by total count, largest first."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for report in self.reports:
            for finding in report.findings:
                counts[finding.rule][finding.severity] += 1
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted(
            ((rule, dict(c)) for rule, c in counts.items()),
            key=lambda item: (-sum(item[1].values()), min(rank.get(s, 9) for s in item[1]), item[0]),
        )

    @property
    def coverage(self) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
        """Parsed reports by (year, template): row labels, column labels, counts."""
        cells: Counter = Counter()
        for r in self.reports:
            if r.parse_status != ParseStatus.PARSED:
                continue
            year = str(r.report_year) if r.report_year is not None else "?"
            cells[(year, r.template or "?")] += 1
        years = sorted({y for y, _ in cells}, key=lambda y: (y == "?", y))
        present = {t for _, t in cells}
        templates = [t for t in TEMPLATE_ORDER if t in present] + sorted(present - set(TEMPLATE_ORDER))
        return years, templates, dict(cells)

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]

    @property
    def gx_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.kind == GX_GATE]

    @property
    def dbt_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.kind == DBT_TEST]


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
        [table],
    ).fetchall()
    return {row[0] for row in rows}


def _select(connection: duckdb.DuckDBPyConnection, table: str, wanted: Sequence[str], order: str) -> list[dict]:
    """Rows of ``marts.<table>`` as dicts; a column the table lacks reads as NULL (marts grow over time)."""
    have = _columns(connection, table)
    if not have:
        return []
    expressions = ", ".join(f'"{c}"' if c in have else f'null as "{c}"' for c in wanted)
    cursor = connection.execute(f"select {expressions} from marts.{table} order by {order}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def collect(
    serving_database: Path,
    *,
    inbox: Path | str,
    warehouse: Path,
    checks: Iterable[CheckOutcome] = (),
    run_id: str | None = None,
    run_started_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> QualityReport:
    """Read the published marts (and the landing inventory) into a `QualityReport`."""
    with duckdb.connect(str(serving_database), read_only=True) as connection:
        report_rows = _select(
            connection,
            "dim_report",
            [
                "document_id", "source_file", "parse_status", "reason", "agency_id", "agency_name",
                "report_year", "template", "template_variant", "fact_count", "table_figures", "placed_figures",
                "figure_coverage",
            ],
            "source_file",
        )
        agency_names = {
            row["agency_id"]: row["agency_name"]
            for row in _select(connection, "dim_agency", ["agency_id", "agency_name"], "agency_id")
        }
        finding_rows = _select(
            connection,
            "fct_report_findings",
            [
                "document_id", "rule_id", "finding_type", "severity", "indicator_code", "expected", "actual",
                "locator", "message_zh", "message_en", "raw_label", "rule_label_zh", "rule_label_en",
            ],
            "document_id, severity, rule_id nulls last, locator",
        )
        facts, not_reported, documents = connection.execute(
            "select count(*), count(*) filter (where value is null), count(distinct document_id) "
            "from marts.fact_disclosure"
        ).fetchone()
        cross_year: dict[str, int] = {}
        if _columns(connection, "fct_cross_year_checks"):
            cross_year = dict(
                connection.execute(
                    "select check_status, count(*) from marts.fct_cross_year_checks group by 1 order by 1"
                ).fetchall()
            )

    entries: dict[str, ReportEntry] = {}
    for row in report_rows:
        entries[row["document_id"]] = ReportEntry(
            document_id=row["document_id"],
            source_file=row["source_file"],
            parse_status=row["parse_status"] or "unknown",
            reason=row["reason"],
            agency_name=agency_names.get(row["agency_id"]) or row["agency_name"],
            report_year=row["report_year"],
            template=row["template"],
            template_variant=row["template_variant"],
            fact_count=int(row["fact_count"] or 0),
            table_figures=None if row["table_figures"] is None else int(row["table_figures"]),
            placed_figures=None if row["placed_figures"] is None else int(row["placed_figures"]),
            figure_coverage=_float(row["figure_coverage"]),
        )
    for row in finding_rows:
        entry = entries.get(row["document_id"])
        if entry is None:  # dbt's relationships test keeps findings joined to dim_report; never drop one silently
            entry = entries[row["document_id"]] = ReportEntry(
                row["document_id"], f"(document {row['document_id']})", "unknown", None, None, None, None, None, 0
            )
        entry.findings.append(
            Finding(
                severity=row["severity"] or "info",
                rule=row["rule_id"] or row["finding_type"] or "finding",
                finding_type=row["finding_type"] or "",
                indicator_code=row["indicator_code"],
                expected=_float(row["expected"]),
                actual=_float(row["actual"]),
                locator=row["locator"],
                message_zh=row["message_zh"],
                message_en=row["message_en"],
                raw_label=row["raw_label"],
                label_zh=row["rule_label_zh"],
                label_en=row["rule_label_en"],
            )
        )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    for entry in entries.values():
        entry.findings.sort(key=lambda f: (rank.get(f.severity, 9), f.rule, f.locator or ""))

    inventory_files, scanned_at = _inventory(inventory_path(warehouse))
    return QualityReport(
        generated_at=now or dt.datetime.now(dt.UTC),
        inbox=str(inbox),
        warehouse=str(warehouse),
        reports=list(entries.values()),
        facts=int(facts),
        facts_not_reported=int(not_reported),
        reports_with_facts=int(documents),
        inventory_files=inventory_files,
        scanned_at=scanned_at,
        cross_year=cross_year,
        checks=sorted(checks, key=lambda c: (c.kind != GX_GATE, c.passed, c.asset, c.name)),
        run_id=run_id,
        run_started_at=run_started_at,
        data_docs_href=DATA_DOCS_HREF if (warehouse / "reports" / DATA_DOCS_HREF).exists() else None,
    )


def _inventory(path: Path) -> tuple[int | None, dt.datetime | None]:
    if not path.exists():
        return None, None
    table = read_parquet_file(path)  # pyarrow, not read_parquet('…'): a path may hold ' or glob characters ([)
    count = table.num_rows
    scanned = table["scanned_at"].to_pylist() if "scanned_at" in table.column_names else []
    scanned_at = max((value for value in scanned if value is not None), default=None)
    if scanned_at is not None and not isinstance(scanned_at, dt.datetime):
        try:
            scanned_at = dt.datetime.fromisoformat(str(scanned_at))
        except ValueError:
            scanned_at = None
    return int(count), scanned_at


# --------------------------------------------------------------------------------------- formatting


def number(value: float | int | None) -> str:
    """A figure as a person writes it: whole numbers without decimals, blanks as an em dash."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def percent(share: float | None) -> str:
    """A share (0–1) as a percentage with one decimal, not rounded up to 100 % when below it."""
    if share is None:
        return "—"
    shown = math.floor(share * 1000) / 10 if share < 1 else 100.0
    return f"{shown:.1f} %"


def when(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# --------------------------------------------------------------------------------------- SVG charts


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def svg_status_bar(status_counts: Mapping[str, int], width: int = 720) -> Markup:
    """Files by parse status as one stacked horizontal bar with a legend."""
    total = sum(status_counts.values())
    bar_y, bar_h, legend_y = 8, 28, 58
    height = legend_y + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-status" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Files by parse status">',
        "<title>Files by parse status · 文件处理状态</title>",
    ]
    x = 0.0
    if total == 0:
        parts.append(f'<rect x="0" y="{bar_y}" width="{width}" height="{bar_h}" fill="#eee"/>')
    for status, count in status_counts.items():
        w = width * count / total if total else 0
        colour = STATUS_COLOURS.get(status, "#555")
        parts.append(
            f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{_e(status)}: {count}</title></rect>"
        )
        if w > 28:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{bar_y + bar_h / 2 + 4}" text-anchor="middle" fill="#fff" '
                f'font-size="12">{count}</text>'
            )
        x += w
    lx = 0.0
    for status, count in status_counts.items():
        colour = STATUS_COLOURS.get(status, "#555")
        label = f"{status} {count}"
        parts.append(f'<rect x="{lx:.1f}" y="{legend_y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16:.1f}" y="{legend_y + 10}" font-size="12">{_e(label)}</text>')
        lx += 16 + _text_width(label, 12) + 18
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, size: float, width: float) -> str:
    """`text` cut (with …) to fit `width` pixels at font `size`."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def svg_rule_bars(
    rule_counts: Sequence[tuple[str, Mapping[str, int]]], width: int = 720,
    labels: Mapping[str, str] | None = None,
) -> Markup:
    """Findings by rule: one horizontal bar per rule, stacked by severity, named in words (`labels`: rule → its
    name; the rule id stays in the tooltip)."""
    labels = labels or {}
    rows = list(rule_counts)
    if len(rows) > MAX_RULE_BARS:
        rest: Counter = Counter()
        for _, counts in rows[MAX_RULE_BARS - 1 :]:
            rest.update(counts)
        rows = [*rows[: MAX_RULE_BARS - 1], (f"{len(rule_counts) - MAX_RULE_BARS + 1} other rules", dict(rest))]
    names = {rule: labels.get(rule) or rule for rule, _ in rows}
    label_w = min(300, max([_text_width(name, 12) for name in names.values()] + [80]) + 12)
    bar_h, gap, top = 18, 6, 6
    legend_h = 26
    height = top + len(rows) * (bar_h + gap) + legend_h + 4
    longest = max([sum(c.values()) for _, c in rows] + [1])
    plot_w = width - label_w - 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-rules" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Findings by rule">',
        "<title>Findings by rule · 各规则的发现数</title>",
    ]
    for i, (rule, counts) in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{y + bar_h - 5}" text-anchor="end" font-size="12">'
            f"<title>{_e(names[rule])} ({_e(rule)})</title>{_e(_short(names[rule], 12, label_w - 14))}</text>"
        )
        x = float(label_w)
        for severity in SEVERITIES:
            n = counts.get(severity, 0)
            if not n:
                continue
            w = max(plot_w * n / longest, 2.0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{SEVERITY_COLOURS[severity]}">'
                f"<title>{_e(names[rule])} ({_e(rule)}) — {severity}: {n}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 5}" font-size="12">{sum(counts.values())}</text>')
    ly = top + len(rows) * (bar_h + gap) + 8
    lx = float(label_w)
    for severity in SEVERITIES:
        parts.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{SEVERITY_COLOURS[severity]}"/>')
        parts.append(f'<text x="{lx + 16:.1f}" y="{ly + 10}" font-size="12">{severity}</text>')
        lx += 16 + _text_width(severity, 12) + 18
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_coverage(years: Sequence[str], templates: Sequence[str], cells: Mapping[tuple[str, str], int]) -> Markup:
    """Parsed reports by report year (rows) and template (columns) as a heatmap."""
    cell_w, cell_h, left, top = 96, 30, 70, 26
    width = left + max(len(templates), 1) * cell_w + 8
    height = top + max(len(years), 1) * cell_h + 8
    most = max([*cells.values(), 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-coverage" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Parsed reports by year and template">',
        "<title>Parsed reports by year and template · 按年度和模板统计的已解析报告</title>",
    ]
    for j, template in enumerate(templates):
        parts.append(
            f'<text x="{left + j * cell_w + cell_w / 2:.0f}" y="{top - 9}" text-anchor="middle" '
            f'font-size="12" class="mono">{_e(template)}</text>'
        )
    for i, year in enumerate(years):
        y = top + i * cell_h
        parts.append(
            f'<text x="{left - 10}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end" font-size="12">{_e(year)}</text>'
        )
        for j, template in enumerate(templates):
            n = cells.get((year, template), 0)
            x = left + j * cell_w
            if n:
                share = n / most
                fill = f"rgba(46,125,50,{0.18 + 0.82 * share:.2f})"
                ink = "#fff" if share > 0.5 else "#123"
            else:
                fill, ink = "#f3f4f6", "#9aa"
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" rx="3" fill="{fill}">'
                f"<title>{_e(year)} · {_e(template)}: {n}</title></rect>"
            )
            parts.append(
                f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="middle" '
                f'font-size="12" fill="{ink}">{n}</text>'
            )
    if not years:
        parts.append(f'<text x="{left}" y="{top + 18}" font-size="12">no parsed reports</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# --------------------------------------------------------------------------------------- HTML

TEMPLATES_DIR = Path(__file__).parent / "templates"
#: The page's one script, inlined: filter boxes and pages for every `table.paged` (plain JavaScript, no library).
PAGED_TABLES_JS = (TEMPLATES_DIR / "paged_tables.js").read_text(encoding="utf-8")

#: Each parse status's Chinese name, as the vocabulary seed gives it.
STATUS_ZH = {row["code"]: row["label_zh"] for row in read_seed("vocabulary.csv") if row["domain"] == "parse_status"}

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined
)
_ENV.globals.update(number=number, percent=percent, when=when, STATUS_ZH=STATUS_ZH)


def _page(report: QualityReport) -> jinja2.environment.TemplateStream:
    """The page as a stream of pieces: at thousands of reports it runs to tens of megabytes, which are written as
    they are rendered, not held whole (with the pieces they are joined from) in the refresh's process."""
    years, templates, cells = report.coverage

    findings_template = _ENV.get_template("findings_table.html.j2")

    def finding_table(findings: Sequence[Finding]) -> Markup:
        return Markup(findings_template.render(findings=findings))

    return _ENV.get_template("quality_report.html.j2").stream(
        r=report,
        status_svg=svg_status_bar(report.status_counts),
        rules_svg=svg_rule_bars(report.rule_counts, labels={s.rule: s.label_zh or s.label_en or s.rule
                                                            for s in report.rules}),
        coverage_svg=svg_coverage(years, templates, cells),
        finding_table=finding_table,
        script=Markup(PAGED_TABLES_JS),
    )


def render_html(report: QualityReport) -> str:
    return "".join(_page(report))


def write_html(report: QualityReport, path: Path) -> Path:
    """Write the page through a temporary file and a rename: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    page = _page(report)
    page.enable_buffering(size=1000)  # pieces are written a thousand at a time
    with temporary.open("w", encoding="utf-8") as handle:
        page.dump(handle)
    os.replace(temporary, path)
    return path


# --------------------------------------------------------------------------------------- Markdown


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: QualityReport, *, html_path: Path | None = None) -> str:
    """The run summary as Markdown (Dagster asset metadata): counts, failed gates, findings per report."""
    severities = report.severity_counts
    statuses = ", ".join(f"{status} {n}" for status, n in report.status_counts.items()) or "none"
    lines = [
        f"**{report.files} files** under `{_md(report.inbox)}`: {statuses}.",
        f"**{report.facts:,} facts** published from {report.reports_with_facts} reports; "
        f"findings: **{severities['hard']} hard**, {severities['soft']} soft, {severities['info']} info.",
    ]
    printed, placed = report.figure_totals
    if printed:
        lines.append(
            f"**{placed:,} of {printed:,} table figures** placed ({percent(placed / printed)}); "
            f"{len(report.below_full_coverage)} reports below 100 %."
        )
    if report.checks:
        failed = report.failed_checks
        lines.append(
            f"Quality gates: {len(report.checks) - len(failed)}/{len(report.checks)} passed"
            + ("." if not failed else "; not passed: " + ", ".join(
                f"{_md(c.words)} on `{c.asset}` ({'warning' if c.severity == 'WARN' else 'failed'})" for c in failed
            ) + ".")
        )
    if report.with_findings:
        lines += [
            "",
            "| agency | year | template | hard | soft | info | rules |",
            "|---|---|---|--:|--:|--:|---|",
        ]
        for e in report.with_findings:
            rules = sorted({f"{f.label_zh} ({f.rule})" if f.label_zh else f.rule
                            for f in e.findings if f.severity != "info"})
            lines.append(
                f"| {_md(e.agency_name or '—')} | {e.report_year or '—'} | {_md(e.template_label)} | {e.hard} | "
                f"{e.soft} | {e.info} | {_md(', '.join(rules))} |"
            )
    if report.below_full_coverage:
        lines += [
            "",
            "Reports below 100 % figure coverage (printed table figures that did not become facts):",
            "",
            "| agency | year | template | printed | placed | coverage | explained by |",
            "|---|---|---|--:|--:|--:|---|",
        ]
        for e in report.below_full_coverage:
            explained = ", ".join(f"{kind} {n}" for kind, n in e.gap_summary.items()) or "no finding"
            lines.append(
                f"| {_md(e.agency_name or '—')} | {e.report_year or '—'} | {_md(e.template_label)} | "
                f"{e.table_figures} | {e.placed_figures} | {percent(e.figure_coverage)} | {_md(explained)} |"
            )
    if report.quarantined:
        lines += ["", "Quarantined:"]
        lines += [f"- `{_md(e.source_file)}`: {_md(e.reason or '—')}" for e in report.quarantined]
    if html_path is not None:
        lines += ["", f"Full report: `{html_path}`"]
    return "\n".join(lines)
