"""The shared refresh (tests/conftest.py), whose inbox holds the real reports of ../shared/corpus/real: how much
of what each report prints reaches the marts (dim_report's figure counts), and a report whose year cannot be read.

Coverage 1.0 is not promised for real reports: what is checked is that the counts are there and consistent, and
that every gap is explained by a finding a user can read.
"""

from __future__ import annotations

import duckdb
import lxml.html
import pytest

from expectations.quality_report import COVERAGE_GAP_FINDINGS, collect, render_markdown
from tests.conftest import EMPTY_PDF, REAL, UNDATED, Published

pytestmark = pytest.mark.e2e

REAL_FILES = sorted(p.name for p in REAL.iterdir() if p.suffix in {".pdf", ".txt"})


def _rows(published: Published, sql: str) -> list[dict]:
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def reports(published: Published) -> dict[str, dict]:
    return {row["source_file"]: row for row in _rows(published, "select * from marts.dim_report")}


def test_dim_report_carries_the_figure_counts_with_their_contract_types(published: Published) -> None:
    columns = {
        row["column_name"]: row["data_type"]
        for row in _rows(
            published,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'dim_report'",
        )
    }
    assert {name: columns.get(name) for name in ("table_figures", "placed_figures", "figure_coverage")} == {
        "table_figures": "INTEGER", "placed_figures": "INTEGER", "figure_coverage": "DOUBLE",
    }


def test_every_real_report_is_published_with_its_figure_counts(reports: dict[str, dict]) -> None:
    assert len(REAL_FILES) >= 7
    for name in REAL_FILES:
        row = reports[f"real/{name}"]
        assert row["parse_status"] == "parsed", (name, row["reason"])
        assert row["agency_id"] and row["report_year"] and row["fact_count"] > 0, name
        printed, placed, coverage = row["table_figures"], row["placed_figures"], row["figure_coverage"]
        assert printed is not None and placed is not None, name
        assert 0 <= placed <= printed, name
        if row["template"] == "narrative":  # no statistics table: nothing printed in one, no ratio
            assert (printed, placed, coverage) == (0, 0, None), name
        else:
            assert printed > 0, name
            assert 0 <= coverage <= 1 and coverage == pytest.approx(placed / printed, abs=1e-4), name
    templates = {reports[f"real/{name}"]["template"] for name in REAL_FILES}
    assert {"regional_fujian", "other", "gb2019", "gb2021"} <= templates


def test_every_report_row_is_in_range_and_files_not_read_carry_nothing(reports: dict[str, dict]) -> None:
    for name, row in reports.items():
        printed, placed, coverage = row["table_figures"], row["placed_figures"], row["figure_coverage"]
        assert 0 <= placed <= printed, name
        assert (coverage is None) == (printed == 0), name
        assert coverage is None or 0 <= coverage <= 1, name
    quarantined = reports[EMPTY_PDF]
    assert quarantined["parse_status"] == "quarantined"
    assert (quarantined["table_figures"], quarantined["placed_figures"], quarantined["figure_coverage"]) == (0, 0, None)


def test_a_report_below_full_coverage_is_explained_by_a_finding(published: Published, reports) -> None:
    below = {name: row for name, row in reports.items() if row["figure_coverage"] is not None
             and row["figure_coverage"] < 1}
    assert below, "expected at least one report whose tables print figures not placed (平潭县司法局 2013)"
    explained = {
        row["document_id"]: row["n"]
        for row in _rows(
            published,
            "select document_id, count(*) as n from marts.fct_report_findings "
            f"where finding_type in {tuple(COVERAGE_GAP_FINDINGS)!r} group by document_id",
        )
    }
    for name, row in below.items():
        assert explained.get(row["document_id"], 0) > 0, f"{name}: coverage {row['figure_coverage']} unexplained"


def test_a_report_without_a_readable_year_reaches_dim_report_but_not_the_facts(published: Published, reports) -> None:
    row = reports[UNDATED]
    assert row["parse_status"] == "parsed"
    assert row["report_year"] is None and row["agency_id"] is not None
    assert "report year not identified" in row["reason"] and "not published" in row["reason"]
    assert row["fact_count"] == 0 and row["extracted_fact_count"] > 0
    assert row["table_figures"] > 0 and row["placed_figures"] > 0 and 0 < row["figure_coverage"] < 1
    document = row["document_id"]
    findings = {r["finding_type"] for r in _rows(
        published, f"select finding_type from marts.fct_report_findings where document_id = '{document}'"
    )}
    assert "year_missing" in findings and findings & set(COVERAGE_GAP_FINDINGS)
    held_back = _rows(published, f"""
        select
            (select count(*) from marts.fact_disclosure where document_id = '{document}') as facts,
            (select count(*) from marts.mart_agency_year where document_id = '{document}') as agency_years,
            (select count(*) from marts.dim_agency where agency_id = '{row["agency_id"]}') as agencies
    """)[0]
    assert held_back == {"facts": 0, "agency_years": 0, "agencies": 1}


def test_the_quality_report_lists_every_report_below_full_coverage(published: Published, reports) -> None:
    page = lxml.html.fromstring(published.report.read_text(encoding="utf-8"))
    below = [row for row in reports.values() if row["figure_coverage"] is not None and row["figure_coverage"] < 1]
    table = page.get_element_by_id("coverage-gaps")
    listed = {tr.get("id").removeprefix("coverage-"): tr for tr in table.xpath("./tbody/tr")}
    assert set(listed) == {row["document_id"] for row in below}
    for row in below:
        cells = [" ".join(td.text_content().split()) for td in listed[row["document_id"]].xpath("./td")]
        agency, year, template, printed, placed, coverage, explained_by = cells
        assert agency not in ("", "—") and template.startswith(row["template"])
        assert year == (str(row["report_year"]) if row["report_year"] else "—")
        assert (printed, placed) == (f"{row['table_figures']:,}", f"{row['placed_figures']:,}")
        assert coverage.endswith("%") and float(coverage.rstrip(" %")) < 100
        assert any(kind in explained_by for kind in COVERAGE_GAP_FINDINGS), explained_by
    undated = listed[reports[UNDATED]["document_id"]]
    assert "unmatched_row" in undated.text_content() and "平潭县司法局" in undated.text_content()

    markdown = render_markdown(collect(published.serving, inbox=published.inbox, warehouse=published.warehouse))
    assert "Reports below 100 % figure coverage" in markdown
    lines = [line for line in markdown.splitlines() if line.startswith("| 平潭县司法局 | — | other |")]
    assert lines and "unmatched_row" in lines[0], markdown
