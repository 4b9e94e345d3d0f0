"""The quality report a refresh writes: what it says about each seed, that it is self-contained, and what a person
sees when opening it in a browser (headless Debian Chromium, no downloaded browser, no network)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from pathlib import Path

import duckdb
import lxml.html
import pytest

from expectations.quality_report import (
    CheckOutcome,
    Finding,
    QualityReport,
    ReportEntry,
    collect,
    render_html,
    render_markdown,
    write_html,
)
from tests.browser import offline_page
from tests.conftest import ARTIFACTS, EMPTY_PDF, Published, seed_path

XIANNING, HOHHOT, MNR = "咸宁市国土资源局", "呼和浩特市国土资源局", "国土资源部"


def _document_ids(published: Published) -> dict[str, str]:
    """The published document of each table seed, by its agency's name (seed 004 is also in the inbox as a copy:
    whichever path came first carries the content)."""
    seeds = {XIANNING: "000", HOHHOT: "001", MNR: "004"}
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        return {
            name: connection.execute(
                "select document_id from marts.dim_report where parse_status = 'parsed' and sha256 = ?",
                [hashlib.sha256(seed_path(seed).read_bytes()).hexdigest()],
            ).fetchone()[0]
            for name, seed in seeds.items()
        }


def _by_class(element: lxml.html.HtmlElement, tag: str, css_class: str) -> list[lxml.html.HtmlElement]:
    return element.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {css_class} ")]')


def _article(page: lxml.html.HtmlElement, document_id: str) -> lxml.html.HtmlElement:
    found = page.get_element_by_id(f"report-{document_id}", None)
    assert found is not None, f"no findings section for document {document_id}"
    return found


def _findings(article: lxml.html.HtmlElement) -> list[dict[str, str]]:
    rows = []
    for row in _by_class(article, "tr", "finding"):
        cells = [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        severity, rule_in_words, indicator, expected, actual, message, where = cells
        rows.append({"severity": severity, "rule": row.get("data-rule"), "rule_in_words": rule_in_words,
                     "indicator": indicator, "expected": expected, "actual": actual, "message": message,
                     "where": where})
    return rows


@pytest.fixture(scope="module")
def page(published: Published) -> lxml.html.HtmlElement:
    assert published.report.exists(), "the refresh wrote no quality report"
    return lxml.html.fromstring(published.report.read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_the_report_names_the_reports_that_fail_their_own_arithmetic(published: Published, page) -> None:
    ids = _document_ids(published)
    xianning = _article(page, ids[XIANNING])
    assert XIANNING in xianning.xpath(".//h3")[0].text_content()
    hard = [f for f in _findings(xianning) if f["severity"] == "hard"]
    assert len(hard) >= 2
    by_rule = {f["rule"]: f for f in hard}
    assert (by_rule["gb2014_staff_split"]["expected"], by_rule["gb2014_staff_split"]["actual"]) == ("3", "2")
    # the rule in words, Chinese and English, beside its id
    assert by_rule["gb2014_staff_split"]["rule_in_words"].startswith("从事政府信息公开工作人员数应等于")
    assert "Disclosure staff must equal full-time plus part-time" in by_rule["gb2014_staff_split"]["rule_in_words"]
    received = by_rule["gb2014_received_by_channel"]
    assert (received["expected"], received["actual"]) == ("6", "0")
    assert "收到申请数应等于" in received["message"] and "Applications received must equal" in received["message"]
    assert "2 hard" in xianning.text_content()

    # seed 001 violates none of the identity rules (it may have remarks, e.g. rows it could not place)
    article = page.get_element_by_id(f"report-{ids[HOHHOT]}", None)
    hohhot = _findings(article) if article is not None else []
    assert not [f for f in hohhot if f["severity"] == "hard" or f["rule"].startswith("gb2014_")]
    if article is None:
        assert HOHHOT in page.get_element_by_id("clean-reports").text_content()

    # seed 004: the soft warning that answered (1045) differs from the sum of its answer types (1073)
    mnr = _findings(_article(page, ids[MNR]))
    answered = next(f for f in mnr if f["rule"] == "gb2014_answered_by_type")
    assert (answered["severity"], answered["expected"], answered["actual"]) == ("soft", "1,073", "1,045")
    assert not [f for f in mnr if f["severity"] == "hard"]

    # most serious first: agencies by their hard findings, each agency's reports likewise
    hard_by_agency = [len(_by_class(agency, "tr", "hard")) for agency in _by_class(page, "details", "agency")]
    assert hard_by_agency == sorted(hard_by_agency, reverse=True) and hard_by_agency[0] > 0
    xianning_section = xianning.getparent()
    assert xianning_section.tag == "details" and XIANNING in xianning_section.xpath("./summary")[0].text_content()


@pytest.mark.e2e
def test_the_report_lists_documents_quarantine_reasons_gates_and_links(published: Published, page) -> None:
    quarantined = page.get_element_by_id("quarantined").text_content()
    assert EMPTY_PDF in quarantined and "empty file (0 bytes)" in quarantined
    documents = page.get_element_by_id("all-documents")
    files = [path for path in published.inbox.rglob("*") if path.is_file()]
    assert len(documents.xpath("./tbody/tr")) == len(files) >= 6
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        facts = connection.execute("select count(*) from marts.fact_disclosure").fetchone()[0]
        hard = connection.execute(
            "select count(*) from marts.fct_report_findings where severity = 'hard'"
        ).fetchone()[0]
        parsed = connection.execute(
            "select r.document_id, count(f.document_id) from marts.dim_report r "
            "left join marts.fct_report_findings f using (document_id) where r.parse_status = 'parsed' group by 1"
        ).fetchall()
    # every parsed report is either shown with its findings or listed among the reports without findings
    clean = page.get_element_by_id("clean-reports", None)
    clean_rows = len(clean.xpath(".//tbody/tr")) if clean is not None else 0
    with_findings = [document_id for document_id, count in parsed if count]
    assert all(page.get_element_by_id(f"report-{d}", None) is not None for d in with_findings)
    assert clean_rows == len(parsed) - len(with_findings)
    summary = " ".join(page.get_element_by_id("summary").text_content().split())
    assert re.search(rf"\b{facts:,}\s*facts published", summary), summary
    assert hard >= 2 and re.search(rf"\b{hard}\s*hard rule violations", summary), summary
    gates = {row.get("data-check"): (row.xpath("./td")[2].text_content(), row.xpath("./td")[4].text_content())
             for row in _by_class(page.get_element_by_id("gates"), "tr", "check")}
    words = {row.get("data-check"): row.xpath("./td")[0].text_content()
             for row in _by_class(page.get_element_by_id("gates"), "tr", "check")}
    assert words["marts_suite"].startswith("GX marts gate: every inbox file has exactly one row in dim_report")
    suites = {gates[name] for name in ("documents_suite", "staged_facts_suite", "marts_suite")}
    assert suites == {("Great Expectations", "passed")}
    link = page.get_element_by_id("data-docs-link")
    assert link.get("href") == "data_docs/index.html"
    assert (published.report.parent / link.get("href")).exists()


@pytest.mark.e2e
def test_the_report_is_self_contained(published: Published) -> None:
    text = published.report.read_text(encoding="utf-8")
    # one inline script (filters and pages), nothing loaded from anywhere
    assert text.lower().count("<script") == 1 and "<script>" in text and "<script src" not in text.lower()
    assert "<link" not in text.lower() and "@import" not in text
    assert "url(" not in text
    # the only absolute URL is the SVG namespace, which is a name, not a request
    urls = set(re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", text))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls
    assert len(text.encode()) < 512 * 1024


@pytest.mark.e2e
def test_markdown_summary_matches_the_page(published: Published) -> None:
    started = time.perf_counter()
    report = collect(published.serving, inbox=published.inbox, warehouse=published.warehouse)
    html = render_html(report)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"collecting and rendering took {elapsed:.1f} s"
    assert XIANNING in html
    markdown = render_markdown(report, html_path=published.report)
    assert f"| {XIANNING} | 2017 | gb2014 (hubei) | 2 |" in markdown
    assert "gb2014_staff_split" in markdown and "gb2014_answered_by_type" in markdown
    assert "`broken/scan.pdf`: empty file (0 bytes)" in markdown
    assert str(published.report) in markdown


def test_text_from_reports_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    entry = ReportEntry(
        document_id="abc", source_file=f"{hostile}.txt", parse_status="parsed", reason=None,
        agency_name=hostile, report_year=2017, template="gb2014", template_variant=None, fact_count=1,
        findings=[Finding("hard", hostile, "rule_violation", "x", 1.0, 2.0, None, hostile, hostile, None)],
    )
    report = QualityReport(
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), inbox=hostile, warehouse="/w", reports=[entry],
        facts=1, facts_not_reported=0, reports_with_facts=1, inventory_files=1, scanned_at=None, cross_year={},
        checks=[CheckOutcome("marts_suite", "marts/fact_disclosure", False, blocking=True, detail=hostile)],
        data_docs_href=None,
    )
    html = render_html(report)
    assert hostile not in html
    assert "&lt;script&gt;" in html
    assert 'id="data-docs-link"' not in html  # no Data Docs built: no dead link


@pytest.mark.e2e
def test_the_written_page_is_the_rendered_page(published: Published, tmp_path: Path) -> None:
    """write_html streams the page to disk piece by piece (memory at thousands of reports): byte for byte what
    render_html returns, and a reader never sees a half-written file."""
    report = collect(published.serving, inbox=published.inbox, warehouse=published.warehouse,
                     now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    path = write_html(report, tmp_path / "reports" / "quality_report.html")
    assert path.read_text(encoding="utf-8") == render_html(report)
    assert len(render_html(report)) > 100_000 and XIANNING in render_html(report)
    assert [p.name for p in path.parent.iterdir()] == ["quality_report.html"]


@pytest.mark.e2e
def test_a_person_opening_the_report_in_chromium_sees_it_offline(published: Published) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with offline_page() as (page, requests):
        page.goto(published.report.as_uri(), wait_until="load")
        assert "quality report" in page.title()
        body = page.inner_text("body")
        for text in (
            "Run summary", XIANNING, MNR, HOHHOT, "gb2014_staff_split", "gb2014_received_by_channel",
            "gb2014_answered_by_type", "broken/scan.pdf", "empty file (0 bytes)", "Findings by rule",
            "Disclosure staff must equal full-time plus part-time",
        ):
            assert text in body, f"{text!r} is not visible"
        for chart in ("#chart-status", "#chart-rules", "#chart-coverage"):
            locator = page.locator(chart)
            assert locator.is_visible(), chart
            box = locator.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 40, (chart, box)
        # the bars are drawn: one bar per rule, with a width
        bars = page.locator("#chart-rules rect").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        assert len(bars) >= 5 and all(width > 0 for width in bars)
        assert page.locator("#data-docs-link").get_attribute("href") == "data_docs/index.html"
        page.screenshot(path=str(ARTIFACTS / "quality_report.png"), full_page=True)
    assert not requests.blocked, f"the report asked for non-file URLs: {requests.blocked}"
    assert requests.requested == [published.report.as_uri()]
    assert (ARTIFACTS / "quality_report.png").stat().st_size > 10_000


def test_the_asset_sits_after_publication_in_the_publish_group() -> None:
    import dagster as dg

    from orchestration.definitions import defs as load_definitions

    defs = load_definitions()
    graph = defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey("quality_report"))
    assert dg.AssetKey("serving_database") in node.parent_keys
    assert node.group_name == "publish"
    assert dg.AssetKey("quality_report") in defs.resolve_job_def("refresh").asset_layer.selected_asset_keys
