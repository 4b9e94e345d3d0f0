"""`gongkai refresh` over the seeds (plus files that cannot be read) into a temporary warehouse.

This runs the real command: the Dagster job, worker processes, dbt build, the GX gates and publishing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import SAMPLE
from tests.expected_seed_facts import EXPECTED

GONGKAI = Path(sys.executable).parent / "gongkai"
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


def refresh(inbox: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(SAMPLE, inbox / "seeds")
    (inbox / "broken").mkdir()
    (inbox / "broken" / "scan.pdf").write_bytes(b"")
    (inbox / "broken" / "old-format.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    shutil.copy(next(SAMPLE.glob("004_*")), inbox / "copy-of-mnr.txt")
    warehouse = tmp_path_factory.mktemp("warehouse")
    return inbox, warehouse, refresh(inbox, warehouse)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_refresh_completes_and_publishes_the_contract_marts(refreshed) -> None:
    _, warehouse, completed = refreshed
    assert completed.returncode == 0, completed.stderr[-3000:]
    for table, columns in CONTRACT_COLUMNS.items():
        got = [row[0] for row in _query(
            warehouse,
            f"select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{table}' order by ordinal_position",
        )]
        assert got[: len(columns)] == columns if table != "dim_agency" else set(columns) <= set(got)
    assert (warehouse / "reports" / "data_docs" / "index.html").exists()
    assert "2 hard rule violations" in completed.stderr


def test_every_inbox_file_has_a_report_row(refreshed) -> None:
    _, warehouse, _ = refreshed
    rows = {path: (status, reason) for path, status, reason in _query(
        warehouse, "select source_file, parse_status, reason from marts.dim_report"
    )}
    assert len(rows) == 8
    assert rows["broken/scan.pdf"] == ("quarantined", "empty file (0 bytes)")
    assert rows["broken/old-format.doc"][0] == "quarantined" and ".doc" in rows["broken/old-format.doc"][1]
    statuses = sorted(status for status, _ in rows.values())
    assert statuses.count("parsed") == 5 and statuses.count("duplicate") == 1
    quarantined = {p.name for p in (warehouse / "quarantine").rglob("*") if p.is_file()}
    assert quarantined == {"scan.pdf", "old-format.doc"}


def test_figure_counts_of_reports_copies_and_unreadable_files(refreshed) -> None:
    _, warehouse, _ = refreshed
    rows = {
        path: (document_id, status, duplicate_of, printed, placed, coverage)
        for path, document_id, status, duplicate_of, printed, placed, coverage in _query(
            warehouse,
            "select source_file, document_id, parse_status, duplicate_of_document_id, table_figures, "
            "placed_figures, figure_coverage from marts.dim_report",
        )
    }
    for path in ("broken/scan.pdf", "broken/old-format.doc"):  # nothing read: nothing printed or placed
        assert rows[path][3:] == (0, 0, None), path
    (copy,) = [row for row in rows.values() if row[1] == "duplicate"]
    (original,) = [row for row in rows.values() if row[0] == copy[2]]
    assert copy[3:] == (0, 0, None)  # the first path carries the content's counts, as for every count
    printed, placed, coverage = original[3:]
    assert printed > 0 and 0 < placed <= printed and coverage == pytest.approx(placed / printed, abs=1e-4)
    for path, (_, status, _, printed, placed, coverage) in rows.items():
        if status == "parsed":
            assert 0 <= placed <= printed and (coverage is None) == (printed == 0), path


def test_agencies_years_levels_and_provinces(refreshed) -> None:
    _, warehouse, _ = refreshed
    rows = set(_query(
        warehouse,
        """
        select a.agency_name, r.report_year, a.admin_level, a.province, r.template
        from marts.dim_report r join marts.dim_agency a using (agency_id)
        where r.parse_status = 'parsed'
        """,
    ))
    assert rows == {
        ("咸宁市国土资源局", 2017, "prefecture", "湖北省", "gb2014"),
        ("呼和浩特市国土资源局", 2017, "prefecture", "内蒙古自治区", "gb2014"),
        ("梅河口市国土资源局", 2017, "county", "吉林省", "narrative"),
        ("湖南省国土资源厅", 2017, "provincial", "湖南省", "narrative"),
        ("国土资源部", 2016, "national", None, "gb2014"),
    }


def test_published_facts_are_exactly_right(refreshed) -> None:
    _, warehouse, _ = refreshed
    names = {"000": "咸宁市国土资源局", "001": "呼和浩特市国土资源局", "004": "国土资源部"}
    right = total = 0
    for seed, (expected, approximate) in EXPECTED.items():
        got = {
            code: (value, approx, unit, method)
            for code, value, approx, unit, method in _query(
                warehouse,
                f"""
                select f.indicator_code, f.value, f.is_approximate, f.unit, f.extraction_method
                from marts.fact_disclosure f join marts.dim_agency a using (agency_id)
                where a.agency_name = '{names[seed]}' and f.requester_type = 'total'
                """,
            )
        }
        for code, value in expected.items():
            total += 1
            right += got.get(code, (None, None))[:2] == (value, code in approximate)
        assert {method for *_, method in got.values()} == {"table"}
    assert right == total
    violations = dict(_query(
        warehouse, "select a.agency_name, r.violation_count from marts.dim_report r join marts.dim_agency a "
        "using (agency_id) where r.parse_status = 'parsed'"
    ))
    assert violations["咸宁市国土资源局"] == 2 and violations["呼和浩特市国土资源局"] == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_pipeline_defect_blocks_publication_and_keeps_the_old_file(refreshed, tmp_path: Path) -> None:
    inbox, warehouse, _ = refreshed
    broken = tmp_path / "warehouse"
    shutil.copytree(warehouse, broken)
    before = _digest(broken / "serving.duckdb")
    # Simulate a parser bug: a landed document whose facts carry a negative count.
    facts_file = next(p for p in (broken / "landing").rglob("facts.parquet") if pq.read_metadata(p).num_rows > 50)
    table = pq.read_table(facts_file)
    values = table.column("value").to_pylist()
    values[0] = -5.0
    pq.write_table(table.set_column(table.schema.get_field_index("value"), "value", pa.array(values)), facts_file)
    completed = refresh(inbox, broken)
    assert completed.returncode != 0
    assert "publication refused" in completed.stderr
    assert "staged_facts_suite" in completed.stderr and "value" in completed.stderr
    assert _digest(broken / "serving.duckdb") == before
