"""The agency register, the analytic marts, the Parquet export and the dbt docs step, as a BI user finds them in the
warehouse folder of the shared refresh (tests/conftest.py).

Its inbox holds, beside the seeds, seed 000 (咸宁市国土资源局 2017) as a 2018 report signed 咸宁市自然资源和规划局 —
the renamed agency must stay one agency — and seed 001 (呼和浩特市国土资源局) as 包头市国土资源局, an agency outside
the register that must still load with its level and province inferred and an `agency_inferred` finding.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from orchestration.dbt.executable import DBT_EXECUTABLE
from orchestration.dbt.project import warehouse_arguments
from tests.conftest import REPO, Published

pytestmark = pytest.mark.e2e

ANALYTIC_MARTS_YML = REPO / "dbt_project" / "models" / "marts" / "_marts__analytics.yml"


def _contract_columns() -> dict[str, list[str]]:
    models = yaml.safe_load(ANALYTIC_MARTS_YML.read_text(encoding="utf-8"))["models"]
    return {model["name"]: [column["name"] for column in model["columns"]] for model in models}


@pytest.fixture(scope="module")
def warehouse(published: Published) -> Path:
    return published.warehouse


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_seed_agencies_carry_level_province_and_division_code(warehouse):
    rows = {
        name: rest
        for name, *rest in _query(
            warehouse,
            "select agency_name, admin_level, province, prefecture, division_code, in_register from marts.dim_agency",
        )
    }
    assert rows["咸宁市国土资源局"] == ["prefecture", "湖北省", "咸宁市", "421200", True]
    assert rows["呼和浩特市国土资源局"] == ["prefecture", "内蒙古自治区", "呼和浩特市", "150100", True]
    assert rows["梅河口市国土资源局"] == ["county", "吉林省", "通化市", "220581", True]
    assert rows["湖南省国土资源厅"] == ["provincial", "湖南省", None, "430000", True]
    assert rows["国土资源部"] == ["national", None, None, None, True]


def test_renamed_agency_is_one_agency_across_years(warehouse):
    reports = _query(
        warehouse,
        "select agency_id, report_year, agency_name from marts.dim_report "
        "where agency_id = 'xianning_land_resources' and parse_status = 'parsed' order by report_year",
    )
    assert reports == [  # each report keeps the name it printed; the agency is one
        ("xianning_land_resources", 2017, "咸宁市国土资源局"),
        ("xianning_land_resources", 2018, "咸宁市自然资源和规划局"),
    ]
    (agency,) = _query(
        warehouse,
        "select agency_name, aliases, report_count, first_report_year, last_report_year "
        "from marts.dim_agency where agency_id = 'xianning_land_resources'",
    )
    assert agency[0] == "咸宁市国土资源局"
    assert "咸宁市自然资源和规划局" in agency[1].split("|")
    assert agency[2:] == (2, 2017, 2018)
    # mart_agency_year compares the two years of the one agency.
    ((has_previous, change, comparability),) = _query(
        warehouse,
        "select has_previous_year, applications_concluded_change, change_comparability "
        "from marts.mart_agency_year where agency_id = 'xianning_land_resources' and report_year = 2018",
    )
    assert (has_previous, change, comparability) == (True, 0.0, "exact")


def test_unregistered_agency_loads_inferred_with_a_finding(warehouse):
    ((agency_id, level, province, prefecture, code, in_register),) = _query(
        warehouse,
        "select agency_id, admin_level, province, prefecture, division_code, in_register "
        "from marts.dim_agency where agency_name = '包头市国土资源局'",
    )
    assert (level, province, prefecture, code, in_register) == ("prefecture", "内蒙古自治区", "包头市", "150200", False)
    assert agency_id.startswith("agy_")
    findings = _query(
        warehouse,
        f"select f.severity, f.message_en from marts.fct_report_findings f "
        f"where f.agency_id = '{agency_id}' and f.finding_type = 'agency_inferred'",
    )
    assert len(findings) == 1
    assert findings[0][0] == "info" and "150200" in findings[0][1]
    # Register agencies carry no such finding.
    assert _query(
        warehouse,
        "select count(*) from marts.fct_report_findings f join marts.dim_agency a using (agency_id) "
        "where f.finding_type = 'agency_inferred' and a.in_register",
    ) == [(0,)]


def test_analytic_marts_are_published_with_their_contract_columns(warehouse):
    for table, columns in _contract_columns().items():
        got = [row[0] for row in _query(
            warehouse,
            "select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{table}' order by ordinal_position",
        )]
        assert got == columns, table
        assert _query(warehouse, f"select count(*) from marts.{table}")[0][0] > 0, table


def test_gb2014_figures_come_through_the_crosswalk(warehouse):
    ((open_rate, not_held_share, open_comparability, concluded, carried_over, not_comparable),) = _query(
        warehouse,
        "select open_rate, not_held_share, open_rate_comparability, applications_concluded, carried_over, "
        "not_comparable_columns from marts.fct_application_outcomes "
        "where agency_id = 'mnr_national' and report_year = 2016 and requester_type = 'total'",
    )
    assert round(open_rate, 3) == 0.423  # (125 + 317) ÷ 1045
    assert round(not_held_share, 3) == 0.375  # 392 ÷ 1045
    assert (open_comparability, concluded, carried_over) == ("approximate", 1045.0, None)
    assert "carried_over" in not_comparable
    ((review, upheld, corrected, other, rate),) = _query(
        warehouse,
        "select review_total, review_upheld, review_corrected, review_other, review_correction_rate "
        "from marts.fct_review_litigation where agency_id = 'mnr_national' and report_year = 2016",
    )
    assert (review, upheld, corrected, other) == (84.0, 41.0, 18.0, 25.0)
    assert round(rate, 3) == 0.214  # 18 ÷ 84
    series = dict(_query(
        warehouse,
        "select series_code, comparability from marts.fct_disclosure_series "
        "where agency_id = 'mnr_national' and report_year = 2016",
    ))
    assert series["applications_new"] == "exact"
    assert series["applications_not_held"] == "approximate"
    assert series["applications_carried_over"] == "not_comparable"


def test_mart_agency_year_has_every_published_report(warehouse):
    published = _query(
        warehouse,
        "select document_id from marts.dim_report where parse_status = 'parsed' "
        "and agency_id is not null and report_year is not null order by 1",
    )
    assert _query(warehouse, "select document_id from marts.mart_agency_year order by 1") == published
    # and only those: a report held back for want of a year has no row (tests/quality/test_published_real_reports.py)
    parsed = _query(warehouse, "select count(*) from marts.dim_report where parse_status = 'parsed'")[0][0]
    assert 0 < len(published) < parsed


def test_parquet_export_matches_serving(warehouse):
    parquet = warehouse / "parquet"
    tables = [row[0] for row in _query(
        warehouse, "select table_name from information_schema.tables where table_schema = 'marts'"
    )]
    assert sorted(path.stem for path in parquet.glob("*.parquet")) == sorted(tables)
    for table in tables:
        assert pq.read_metadata(parquet / f"{table}.parquet").num_rows == _query(
            warehouse, f"select count(*) from marts.{table}"
        )[0][0], table
    # Nothing half-written left beside it.
    assert not list(warehouse.glob(".parquet*"))


def test_dbt_docs_static_page(copy_of_published: Published):
    warehouse = copy_of_published.warehouse  # dbt writes into the warehouse it documents
    completed = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "docs", f"WAREHOUSE={warehouse}"],
        capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    docs = warehouse / "reports" / "dbt_docs"
    page = (docs / "static_index.html").read_text(encoding="utf-8")
    for name in ("fct_application_outcomes", "mart_agency_year", "indicator_crosswalk", "outcomes_dashboard_metabase"):
        assert name in page
    # One self-contained file: no script, stylesheet or font fetched from the network.
    assert "<script src=\"http" not in page and "<link href=\"http" not in page
    assert (docs / "catalog.json").exists() and (docs / "manifest.json").exists()


def test_dbt_unit_tests_pass_and_refreshes_skip_them(copy_of_published: Published, tmp_path):
    """The models' unit tests (fixed inputs, e.g. 淮安市 2024 and 国土资源部 2016) run here, not in every refresh."""
    warehouse = copy_of_published.warehouse  # dbt writes into build.duckdb
    refresh_results = json.loads((warehouse / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))
    assert not [r for r in refresh_results["results"] if r["unique_id"].startswith("unit_test.")]
    completed = subprocess.run(
        [str(DBT_EXECUTABLE), "test", "--select", "test_type:unit",
         "--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
         "--target-path", str(tmp_path / "dbt_target"), *warehouse_arguments(warehouse)],
        capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    results = json.loads((tmp_path / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 10 and all(r["status"] == "pass" for r in unit_tests), [
        (r["unique_id"], r["status"]) for r in unit_tests
    ]


def test_not_null_is_a_constraint_of_the_built_marts_not_a_second_data_test(warehouse):
    """A mart column the contract declares not_null is NOT NULL in the tables dbt builds (DuckDB refuses the null,
    the build fails), so no data test repeats it: the rule has one home."""
    manifest = json.loads((warehouse / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
    declared = {
        (node["name"], column)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("contract", {}).get("enforced")
        for column, spec in node["columns"].items()
        if any(constraint["type"] == "not_null" for constraint in spec.get("constraints", []))
    }
    with duckdb.connect(str(warehouse / "build.duckdb"), read_only=True) as connection:
        built = set(connection.execute(
            "select table_name, unnest(constraint_column_names) from duckdb_constraints() "
            "where constraint_type = 'NOT NULL' and schema_name = 'marts'"
        ).fetchall())
    assert len(declared) > 20 and declared <= built
    repeated = [
        node["name"] for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") == "not_null"
        and (manifest["nodes"][node["attached_node"]]["name"], node["test_metadata"]["kwargs"]["column_name"])
        in declared
    ]
    assert repeated == []
