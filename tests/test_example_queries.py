"""The example queries of the README and docs/bi.md, run as a journalist would paste them, on the shared refresh
(tests/conftest.py), whose inbox has reports of every template: the national 2014, 2019 and 2021 forms, Fujian's
own form, an agency's own layout and prose-only reports.

"Applications received per agency per year" is one query over one table (marts.fct_metrics), whatever template
each year's report used: the README's query returns every template's reports.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, Published

pytestmark = pytest.mark.e2e

SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)


def _statements(page: Path) -> list[str]:
    statements = []
    for block in SQL_BLOCK.findall(page.read_text(encoding="utf-8")):
        text = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("--"))
        statements += [s.strip() for s in text.split(";") if s.strip()]
    return statements


def _run(published: Published, sql: str) -> list[dict]:
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def published_templates(published: Published) -> set[str]:
    """The templates of the reports whose facts were published."""
    return {row["template"] for row in _run(
        published, "select distinct template from marts.dim_report where parse_status = 'parsed' and fact_count > 0"
    )}


def test_the_readme_trend_query_returns_every_templates_reports(published: Published, published_templates) -> None:
    statements = _statements(REPO / "README.md")
    (trend,) = [s for s in statements if "'applications_new'" in s]
    rows = _run(published, trend)
    assert {"gb2014", "gb2019", "gb2021", "narrative", "other", "regional_fujian"} <= published_templates
    assert {row["template"] for row in rows} == published_templates
    # one row per agency and year, in order, with a figure from each report that printed one
    keys = [(row["agency_name"], row["report_year"]) for row in rows]
    assert keys == sorted(set(keys))
    assert all(row["applications_received"] is not None for row in rows)
    by_key = {key: row for key, row in zip(keys, rows, strict=True)}
    assert by_key[("国土资源部", 2016)]["applications_received"] == 1045
    assert by_key[("国土资源部", 2016)]["comparability"] == "exact"
    # the same figure as the report's own fact, for every row
    facts = {
        (row["agency_name"], row["report_year"]): row["value"]
        for row in _run(published, """
            select a.agency_name, f.report_year, sum(f.value) as value
            from marts.fact_disclosure f join marts.dim_agency a using (agency_id)
            where f.requester_type = 'total' and f.indicator_code in ('application_received', 'app_new')
            group by all""")
    }
    assert {key: row["applications_received"] for key, row in by_key.items()} == facts


def test_the_readme_names_the_metrics_that_do_not_compare_across_2019(published: Published) -> None:
    statements = _statements(REPO / "README.md")
    (breaks,) = [s for s in statements if "break_comparability <> 'exact'" in s]
    rows = {row["metric_code"]: row for row in _run(published, breaks)}
    assert rows["applications_carried_in"]["break_comparability"] == "not_comparable"
    assert rows["applications_concluded"]["break_comparability"] == "approximate"
    assert rows["open_rate"]["break_comparability"] == "approximate"  # it rests on applications_concluded
    assert "applications_new" not in rows and "applications_granted" not in rows
    assert all(row["break_note_en"] for row in rows.values())


@pytest.mark.parametrize("page", ["README.md", "docs/bi.md"])
def test_every_example_query_runs_and_returns_rows(published: Published, page: str) -> None:
    statements = _statements(REPO / page)
    assert statements
    for statement in statements:
        assert _run(published, statement), statement
