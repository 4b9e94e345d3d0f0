"""One count of hard findings, wherever a person reads it.

The shared refresh (tests/conftest.py) holds a pair of generated reports of 湖北省教育厅 for 2022 and 2023 whose
carried-over applications disagree across the years: hard `cross_year_carry_over` findings on the 2023 report,
beside the parser's own hard findings on other reports. dim_report.violation_count once counted only the
parser's, so the closing line of `gongkai refresh` said fewer hard violations than the quality report.
"""

from __future__ import annotations

import re
import subprocess

import duckdb
import lxml.html
import pytest

from tests.conftest import CROSS_YEAR, GONGKAI, Published, refresh_env

pytestmark = pytest.mark.e2e


def _one(published: Published, sql: str):
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_cross_year_violations_are_hard_findings_counted_on_the_later_report(published: Published) -> None:
    rows = _one(
        published,
        "select r.source_file, r.violation_count, count(*) filter (where f.severity = 'hard'), "
        "count(*) filter (where f.rule_id = 'cross_year_carry_over') "
        "from marts.dim_report r join marts.fct_report_findings f using (document_id) "
        "where r.source_file in ('" + "', '".join(CROSS_YEAR.values()) + "') group by all order by 1",
    )
    later = {row[0]: row[1:] for row in rows}[CROSS_YEAR[2023]]
    violation_count, hard, cross_year = later
    assert cross_year >= 1
    assert violation_count == hard >= cross_year
    assert CROSS_YEAR[2022] not in {row[0] for row in rows if row[3]}  # the earlier report carries none


def test_every_place_that_shows_hard_findings_shows_the_same_number(published: Published) -> None:
    ((hard_findings, from_dim_report, from_mart, reports_in_mart),) = _one(
        published,
        "select (select count(*) from marts.fct_report_findings where severity = 'hard'), "
        "(select sum(violation_count) from marts.dim_report), "
        "(select sum(hard_finding_count) from marts.mart_agency_year), "
        "(select sum(violation_count) from marts.dim_report r join marts.mart_agency_year m using (document_id))",
    )
    cross_year = _one(
        published, "select count(*) from marts.fct_report_findings where rule_id = 'cross_year_carry_over'"
    )[0][0]
    assert hard_findings > cross_year > 0
    assert from_dim_report == hard_findings
    assert from_mart == reports_in_mart  # mart_agency_year: the reports it has rows for, the same counts
    # `gongkai refresh`'s closing table and its last line
    closing = published.completed.stderr
    assert re.search(rf"hard rule violations in reports\s*│\s*{hard_findings}\s*│", closing), closing[-3000:]
    assert f"; {hard_findings} hard rule violations." in closing
    # `gongkai status`
    status = subprocess.run(
        [str(GONGKAI), "status", "--warehouse", str(published.warehouse)],
        capture_output=True, text=True, timeout=120, env=refresh_env(),
    )
    assert status.returncode == 0, status.stderr
    assert re.search(rf"│\s*hard\s*│\s*{hard_findings}\s*│", status.stdout), status.stdout
    # the quality report's summary card
    page = lxml.html.fromstring(published.report.read_bytes())
    cards = {
        card.findtext("div[@class='l']"): card.findtext("div[@class='n']")
        for card in page.xpath("//section[@id='summary']//div[contains(@class, 'card')]")
    }
    assert cards["hard rule violations · 硬性规则违反"] == str(hard_findings)


def test_no_published_rate_lies_outside_zero_and_one(published: Published) -> None:
    """Every share the marts publish (columns named …_rate or …_share, and fct_metrics' rates) is in [0, 1] or
    NULL; a share left NULL because its report's parts exceed the total has the finding that names the figures."""
    columns = _one(
        published,
        "select table_name, column_name from information_schema.columns where table_schema = 'marts' "
        "and data_type = 'DOUBLE' and (column_name like '%\\_rate' escape '\\' "
        "or column_name like '%\\_share' escape '\\')",
    )
    assert {("fct_application_outcomes", "open_rate"), ("mart_agency_year", "not_held_share")} <= set(columns)
    for table, column in columns:
        ((outside, published_values),) = _one(
            published, f'select count(*) filter (where "{column}" not between 0 and 1), count("{column}") '
            f"from marts.{table}",
        )
        assert outside == 0, (table, column)
        assert published_values > 0, (table, column)
    assert _one(
        published, "select count(*) from marts.fct_metrics where metric_kind = 'rate' and value not between 0 and 1"
    ) == [(0,)]
    unexplained = _one(
        published,
        "select o.document_id, o.requester_type from marts.fct_application_outcomes o "
        "where o.open_rate_flag = 'parts_exceed_total' and not exists (select 1 from marts.fct_report_findings f "
        "where f.document_id = o.document_id and f.rule_id = 'open_rate_parts_exceed_total' "
        "and f.locator = 'requester_type=' || o.requester_type)",
    )
    assert unexplained == []
