"""The quality report stays navigable for a warehouse of hundreds of reports (issue 16: at 307 files it was one
page 131,000 px tall with no navigation and rule ids without names).

A generated `serving.duckdb` (800 reports of 160 agencies, thousands of findings with the rules' real names from
the seeds) is read by `collect` and rendered; headless Chromium, with the network cut, opens the page and uses it:
a summary first, the rules in Chinese and English words, one findings table that filters and pages, one folded
section per agency, links that lead from a finding to its report.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from expectations.quality_report import collect, write_html
from ingestion.catalogue.seeds import read_seed
from tests.browser import offline_page
from tests.conftest import ARTIFACTS

REPORTS, AGENCIES = 800, 160
MAX_PAGE_HEIGHT = 12_000  # px at 1280 px wide (issue 16: 131,000 px at 307 files); sections, not every report


def _rule_labels() -> list[tuple[str, str, str, str]]:
    """(rule, severity, label_zh, label_en) from the seeds the real findings take their names from."""
    rules = [(row["rule_id"], row["severity"], row["description_zh"], row["description_en"])
             for row in read_seed("identity_rules.csv")][:12]
    rules += [(row["code"], "info", row["label_zh"], row["label_en"])
              for row in read_seed("vocabulary.csv") if row["domain"] == "finding_rule"][:6]
    return rules


def generate_warehouse(root: Path) -> Path:
    """A serving.duckdb with the marts the quality report reads, REPORTS reports of AGENCIES agencies."""
    root.mkdir(parents=True, exist_ok=True)
    serving = root / "serving.duckdb"
    rules = _rule_labels()
    with duckdb.connect(str(serving)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            f"create table marts.dim_agency as select 'agency_' || i as agency_id, "
            f"'第' || i || '号市人民政府办公室' as agency_name from range({AGENCIES}) t(i)"
        )
        connection.execute(
            f"""create table marts.dim_report as select
                lpad(cast(i as varchar), 16, '0') as document_id, 'agency_' || (i % {AGENCIES}) as agency_id,
                2015 + (i // {AGENCIES}) as report_year,
                case when i % 3 = 0 then 'gb2014' else 'gb2021' end as template,
                null as template_variant, 'inbox/' || i || '.pdf' as source_file,
                case when i % 97 = 5 then 'quarantined' else 'parsed' end as parse_status,
                case when i % 97 = 5 then 'empty file (0 bytes)' end as reason,
                case when i % 97 = 5 then 0 else 120 end as fact_count,
                130 as table_figures, 120 + (i % 11 = 0)::int * 5 as placed_figures,
                (120 + (i % 11 = 0)::int * 5) / 130.0 as figure_coverage
            from range({REPORTS}) t(i)"""
        )
        connection.execute(
            "create table rules (n integer, rule_id varchar, severity varchar, label_zh varchar, label_en varchar)"
        )
        connection.executemany("insert into rules values (?, ?, ?, ?, ?)",
                               [(n, *rule) for n, rule in enumerate(rules)])
        # every report but the quarantined ones gets 0 to 11 findings, of rules drawn by its number
        connection.execute(
            f"""create table marts.fct_report_findings as select
                r.document_id, rules.rule_id, case when rules.severity = 'info' then rules.rule_id
                else 'rule_violation' end as finding_type, rules.severity, 'app_new' as indicator_code,
                10.0 + k as expected, 9.0 + k as actual, 'row ' || k as locator,
                rules.label_zh || '（第 ' || k || ' 行）' as message_zh, rules.label_en || ' (row ' || k || ')'
                as message_en, null as raw_label, rules.label_zh as rule_label_zh, rules.label_en as rule_label_en
            from marts.dim_report r, range(12) f(k)
            join rules on rules.n = (cast(r.document_id as integer) * 7 + k * 5) % {len(rules)}
            where r.parse_status = 'parsed' and k < cast(r.document_id as integer) % 12"""
        )
        connection.execute(
            "create table marts.fact_disclosure as select document_id, 1.0 as value "
            "from marts.dim_report, range(3) where parse_status = 'parsed'"
        )
    return serving


@pytest.fixture(scope="module")
def large_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, float]:
    root = tmp_path_factory.mktemp("large") / "warehouse"
    serving = generate_warehouse(root)
    started = time.perf_counter()
    report = collect(serving, inbox="inbox", warehouse=root)
    path = write_html(report, root / "reports" / "quality_report.html")
    seconds = time.perf_counter() - started
    return path, len(report.all_findings), seconds


def test_the_large_report_is_one_file_written_in_seconds(large_report) -> None:
    path, findings, seconds = large_report
    assert findings > 3000
    assert seconds < 20, f"collecting and rendering {findings} findings took {seconds:.1f} s"
    text = path.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "@import" not in text and "url(" not in text
    assert text.count('<details class="agency"') == AGENCIES
    # rules are named in words, Chinese and English, with their ids beside
    assert "申请办结数应等于按时办结数与延期办结数之和" in text
    assert "Applications concluded must equal on-time plus extended" in text


@pytest.mark.e2e
def test_a_person_navigates_the_large_report_offline_in_chromium(large_report) -> None:
    path, findings, _ = large_report
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with offline_page() as (page, requests):
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < MAX_PAGE_HEIGHT, f"the page is {height} px tall"
        # the summary comes first, the navigation stays in view
        assert page.locator("section").first.get_attribute("id") == "summary"
        page.click("nav.toc >> text=All findings")
        assert page.evaluate("location.hash") == "#all-findings"
        assert page.locator("nav.toc").is_visible()

        table = page.locator("#findings-table")
        visible = table.locator("tbody tr:visible")
        assert visible.count() == 25
        status = page.locator("#findings-table-pager .page-status")
        assert status.inner_text().startswith(f"1–25 of {findings}")
        page.click("#findings-table-pager .page-next")
        assert status.inner_text().startswith(f"26–50 of {findings}")
        # filter by severity, then by any text (an agency); the rule filter offers the rules' names
        options = page.locator("#findings-table-pager select.filter-rule option").all_inner_texts()
        assert any(o.startswith("申请办结数应等于按时办结数与延期办结数之和 · Applications") for o in options)
        page.select_option("#findings-table-pager select.filter-severity", "hard")
        assert {row.get_attribute("data-severity") for row in visible.all()} == {"hard"}
        agency = "第17号市人民政府办公室"
        page.fill("#findings-table-pager input.filter-text", agency)
        rows = visible.all()
        assert rows and all(agency in row.inner_text() for row in rows)
        page.screenshot(path=str(ARTIFACTS / "quality_report_large_findings.png"))

        # a finding's report link opens its agency's folded section (turning the agency list's page)
        link = rows[0].locator("a")
        target = link.get_attribute("href")
        link.click()
        report = page.locator(target)
        assert report.is_visible()
        assert report.locator("xpath=ancestor::details[1]").get_attribute("open") is not None
        assert agency in report.locator("xpath=ancestor::details[1]/summary").inner_text()

        # one folded section per agency, twenty to a page
        agencies = page.locator("#agency-list > details.agency")
        assert agencies.count() == AGENCIES
        assert page.locator("#agency-list > details.agency:visible").count() == 20
        # the rules in words
        rules = page.locator("#rules-table").inner_text()
        assert "申请办结数应等于按时办结数与延期办结数之和" in rules
        assert "Applications concluded must equal on-time plus extended" in rules
        page.goto(path.as_uri(), wait_until="load")
        page.screenshot(path=str(ARTIFACTS / "quality_report_large.png"), full_page=True)
    assert errors == []
    assert requests.blocked == []
