"""`gongkai refresh` over the shared inbox (tests/conftest.py): the seeds, their variants, the real reports and files
that cannot be read, as the contract describes the published warehouse.

This is the real command: the Dagster job, worker processes, dbt build, the GX gates and publishing. A pipeline
defect that blocks publication is in tests/quality/test_quality_gates.py.
"""

from __future__ import annotations

import hashlib
import json
import re

import duckdb
import pytest

from tests.conftest import COPY_OF_MNR, EMPTY_PDF, LEGACY_DOC, Published, seed_path, seed_source
from tests.expected_seed_facts import EXPECTED

pytestmark = pytest.mark.e2e

CONTRACT_COLUMNS = {
    "fact_disclosure": [
        "agency_id", "report_year", "indicator_code", "requester_type", "value", "is_approximate", "unit",
        "extraction_method", "document_id",
    ],
    "dim_agency": ["agency_id", "agency_name", "admin_level", "province"],
    "dim_report": [
        "document_id", "agency_id", "report_year", "template", "source_file", "sha256", "parse_status",
        "fact_count", "violation_count", "reason", "table_figures", "placed_figures", "figure_coverage",
    ],
    "dim_indicator": ["code", "template", "label_zh", "label_en", "unit", "parent_code", "rules"],
}
SEEDS = ("000", "001", "002", "003", "004")


def _sha(prefix: str) -> str:
    return hashlib.sha256(seed_path(prefix).read_bytes()).hexdigest()


def _query(published: Published, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def test_refresh_completes_and_publishes_the_contract_marts(published: Published) -> None:
    for table, columns in CONTRACT_COLUMNS.items():
        got = [row[0] for row in _query(
            published,
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [table],
        )]
        assert got[: len(columns)] == columns if table != "dim_agency" else set(columns) <= set(got)
    assert (published.warehouse / "reports" / "data_docs" / "index.html").exists()
    ((hard,),) = _query(published, "select count(*) from marts.fct_report_findings where severity = 'hard'")
    assert hard >= 2 and f"{hard} hard rule violations" in published.completed.stderr


def test_dbt_ran_in_the_process_started_ahead_of_its_step(published: Published) -> None:
    """The refresh started dbt while it loaded the pipeline (orchestration.dbt.ahead), and the dbt step handed its
    build over to that process: every line of dbt's own log comes from it."""
    refresh_log = (published.warehouse / "logs" / "last_refresh.log").read_text(encoding="utf-8")
    (ahead,) = re.findall(r"dbt started ahead of its step: process (\d+)", refresh_log)
    dbt_log = (published.warehouse / "dbt_target" / "dbt.log").read_text(encoding="utf-8").splitlines()
    assert "Running with dbt" in json.loads(dbt_log[0])["info"]["msg"]
    assert {json.loads(line)["info"]["pid"] for line in dbt_log} == {int(ahead)}


def test_every_inbox_file_has_a_report_row(published: Published) -> None:
    rows = {path: (status, reason) for path, status, reason in _query(
        published, "select source_file, parse_status, reason from marts.dim_report"
    )}
    on_disk = {p.relative_to(published.inbox).as_posix() for p in published.inbox.rglob("*") if p.is_file()}
    assert set(rows) == on_disk
    assert rows[EMPTY_PDF] == ("quarantined", "empty file (0 bytes)")
    assert rows[LEGACY_DOC][0] == "quarantined" and ".doc" in rows[LEGACY_DOC][1]
    assert sorted([rows[seed_source("004")][0], rows[COPY_OF_MNR][0]]) == ["duplicate", "parsed"]
    assert {path for path, (status, _) in rows.items() if status == "quarantined"} == {EMPTY_PDF, LEGACY_DOC}
    assert {path for path, (status, _) in rows.items() if status == "duplicate"} <= {seed_source("004"), COPY_OF_MNR}
    quarantined = {p.name for p in (published.warehouse / "quarantine").rglob("*") if p.is_file()}
    assert quarantined == {"scan.pdf", "old-format.doc"}


def test_figure_counts_of_reports_copies_and_unreadable_files(published: Published) -> None:
    rows = {
        path: (document_id, status, duplicate_of, printed, placed, coverage)
        for path, document_id, status, duplicate_of, printed, placed, coverage in _query(
            published,
            "select source_file, document_id, parse_status, duplicate_of_document_id, table_figures, "
            "placed_figures, figure_coverage from marts.dim_report",
        )
    }
    for path in (EMPTY_PDF, LEGACY_DOC):  # nothing read: nothing printed or placed
        assert rows[path][3:] == (0, 0, None), path
    (copy,) = [row for row in rows.values() if row[1] == "duplicate"]
    (original,) = [row for row in rows.values() if row[0] == copy[2]]
    assert copy[3:] == (0, 0, None)  # the first path carries the content's counts, as for every count
    printed, placed, coverage = original[3:]
    assert printed > 0 and 0 < placed <= printed and coverage == pytest.approx(placed / printed, abs=1e-4)
    for path, (_, status, _, printed, placed, coverage) in rows.items():
        if status == "parsed":
            assert 0 <= placed <= printed and (coverage is None) == (printed == 0), path


def test_agencies_years_levels_and_provinces(published: Published) -> None:
    rows = set(_query(
        published,
        """
        select a.agency_name, r.report_year, a.admin_level, a.province, r.template
        from marts.dim_report r join marts.dim_agency a using (agency_id)
        where r.parse_status = 'parsed' and r.sha256 in (?, ?, ?, ?, ?)
        """,
        [_sha(seed) for seed in SEEDS],
    ))
    assert rows == {
        ("咸宁市国土资源局", 2017, "prefecture", "湖北省", "gb2014"),
        ("呼和浩特市国土资源局", 2017, "prefecture", "内蒙古自治区", "gb2014"),
        ("梅河口市国土资源局", 2017, "county", "吉林省", "narrative"),
        ("湖南省国土资源厅", 2017, "provincial", "湖南省", "narrative"),
        ("国土资源部", 2016, "national", None, "gb2014"),
    }


def test_published_facts_are_exactly_right(published: Published) -> None:
    right = total = 0
    for seed, (expected, approximate) in EXPECTED.items():
        got = {
            code: (value, approx, unit, method)
            for code, value, approx, unit, method in _query(
                published,
                """
                select f.indicator_code, f.value, f.is_approximate, f.unit, f.extraction_method
                from marts.fact_disclosure f join marts.dim_report r using (document_id)
                where r.sha256 = ? and f.requester_type = 'total'
                """,
                [_sha(seed)],
            )
        }
        for code, value in expected.items():
            total += 1
            right += got.get(code, (None, None))[:2] == (value, code in approximate)
        assert {method for *_, method in got.values()} == {"table"}
    assert right == total > 0
    violations = dict(_query(
        published, "select sha256, violation_count from marts.dim_report where parse_status = 'parsed'"
    ))
    assert violations[_sha("000")] == 2 and violations[_sha("001")] == 0
