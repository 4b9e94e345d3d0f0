"""Data-quality suites (expectations.suites) run through GX (expectations.runner) on real frames.

Frames are built in DuckDB and fetched with ``.df()``, as the pipeline does. GX is imported once per
session (it takes seconds); failure cases skip Data Docs to stay fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.runner import SuiteResult, run_suite
from expectations.suites import load_catalogue

SEED = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "indicators.csv"


def _sha(i: int) -> str:
    return hashlib.sha256(f"doc-{i}".encode()).hexdigest()


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    return load_catalogue(SEED)  # the real catalogue: a moved or missing seed fails here, not silently


def _codes(catalogue: dict[str, str]) -> tuple[str, str, str]:
    """A 件 code, a 条 code and a 万元 code from the catalogue."""

    def first(unit: str) -> str:
        return next(code for code, u in catalogue.items() if u == unit)

    return first("件"), first("条"), first("万元")


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.fixture(scope="module")
def documents(con) -> pd.DataFrame:
    rows = []
    for i in range(40):
        status = "parsed" if i < 30 else ("quarantined", "duplicate", "superseded")[i % 3]
        parsed = status == "parsed"
        rows.append(
            (
                f"corpus/{i:03d}.pdf",
                _sha(i),
                1000 + i,
                "pdf",
                status,
                "no table found" if status == "quarantined" else None,
                ("gb2014", "gb2019", "gb2021", "narrative")[i % 4] if parsed else None,
                (2015 + i % 10) if parsed and i != 7 else None,  # one parsed report without a year
                f"机关{i % 5}" if parsed else None,
            )
        )
    con.execute(
        "create or replace table documents(path varchar, sha256 varchar, size_bytes bigint, "
        "detected_format varchar, parse_status varchar, reason varchar, template varchar, "
        "report_year integer, agency_name varchar)"
    )
    con.executemany("insert into documents values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return con.sql("select * from documents order by path").df()


@pytest.fixture(scope="module")
def staged_facts(con, catalogue) -> pd.DataFrame:
    jian, tiao, wanyuan = _codes(catalogue)
    rows = []
    for i in range(30):
        for requester in ("total", "natural_person", "commercial_enterprise"):
            rows.append((_sha(i), jian, requester, float(i), False, "件", "table"))
        rows.append((_sha(i), tiao, "total", 100.0 + i, i % 2 == 0, "条", "narrative"))
        rows.append((_sha(i), wanyuan, "total", 1.25, False, "万元", "table"))  # money may be fractional
    rows.append((_sha(1), jian, "other_org", None, True, "件", "narrative"))  # null value allowed
    con.execute(
        "create or replace table staged_facts(sha256 varchar, indicator_code varchar, "
        "requester_type varchar, value double, is_approximate boolean, unit varchar, "
        "extraction_method varchar)"
    )
    con.executemany("insert into staged_facts values (?, ?, ?, ?, ?, ?, ?)", rows)
    return con.sql("select * from staged_facts").df()


@pytest.fixture(scope="module")
def marts(con, catalogue) -> dict[str, pd.DataFrame]:
    jian, tiao, _ = _codes(catalogue)
    con.execute(
        "create or replace table dim_agency as select 'A' || i as agency_id, '机关' || i as agency_name "
        "from range(5) t(i)"
    )
    con.execute(
        "create or replace table dim_indicator as select code as indicator_code, unit from "
        f"(values ('{jian}', '件'), ('{tiao}', '条')) t(code, unit)"
    )
    con.execute(
        "create or replace table dim_report as select 'D' || i as document_id, 'A' || (i % 5) as agency_id, "
        "2015 + i // 5 as report_year, 'parsed' as parse_status from range(20) t(i)"
    )
    con.execute(
        "create or replace table fact_disclosure as "
        "select r.document_id, r.agency_id, r.report_year, c.indicator_code, q.requester_type, "
        "(row_number() over ())::double as value "
        "from dim_report r cross join dim_indicator c "
        "cross join (values ('total'), ('natural_person')) q(requester_type)"
    )
    return {
        t: con.sql(f"select * from {t}").df()
        for t in ("fact_disclosure", "dim_report", "dim_agency", "dim_indicator")
    }


def _assert_fails(result: SuiteResult, *needles: str) -> str:
    assert not result.success, "expected the suite to fail"
    hits = [line for line in result.failed if all(n in line for n in needles)]
    assert hits, f"no failure line with {needles}; got {result.failed}"
    return hits[0]


# --------------------------------------------------------------------------------------- clean data


def test_clean_layers_pass_and_build_docs(tmp_path, documents, staged_facts, marts, catalogue):
    docs = tmp_path / "data_docs"
    r1 = run_suite("documents", {"documents": documents}, docs_dir=docs)
    r2 = run_suite("staged_facts", {"staged_facts": staged_facts}, docs_dir=docs, catalogue=catalogue)
    r3 = run_suite("marts", marts, docs_dir=docs)
    for r in (r1, r2, r3):
        assert r.success, r.failed
        assert r.failed == []
        assert r.evaluated > 0
        assert r.data_docs_index == docs / "index.html"
    assert (r1.layer, r2.layer, r3.layer) == ("documents", "staged_facts", "marts")
    index = (docs / "index.html").read_text(encoding="utf-8")
    # The index built after the last run still lists every layer's latest validation.
    for suite in ("documents.documents", "staged_facts.staged_facts", "marts.fact_disclosure"):
        assert suite in index
    # Re-running a layer replaces its previous result rather than piling up history.
    run_suite("documents", {"documents": documents}, docs_dir=docs)
    stored = list((docs / ".gx_store" / "validations" / "documents").rglob("*.json"))
    assert len(stored) == 1


# --------------------------------------------------------------------------------------- failures


def test_duplicate_fact_row_fails_grain(marts):
    fact = marts["fact_disclosure"]
    frames = {**marts, "fact_disclosure": pd.concat([fact, fact.iloc[[0]]], ignore_index=True)}
    result = run_suite("marts", frames, docs_dir=None)
    line = _assert_fails(
        result,
        "fact_disclosure:",
        "expect_compound_columns_to_be_unique(agency_id, report_year, indicator_code, requester_type)",
    )
    assert "2 unexpected rows" in line
    assert len(result.failed) == 1


def test_orphan_fact_fails_referential_integrity(marts):
    fact = marts["fact_disclosure"].copy()
    fact.loc[0, "document_id"] = "D-missing"
    result = run_suite("marts", {**marts, "fact_disclosure": fact}, docs_dir=None)
    line = _assert_fails(result, "fact_disclosure:", "document_id_in_dim_report")
    assert "D-missing" in line
    assert len(result.failed) == 1


def test_parsed_report_without_agency_fails(marts):
    report = marts["dim_report"].copy()
    report.loc[3, "agency_id"] = None
    result = run_suite("marts", {**marts, "dim_report": report}, docs_dir=None)
    _assert_fails(result, "dim_report:", "expect_column_values_to_not_be_null(agency_id)", "parsed")


def test_unknown_indicator_code_fails(staged_facts, catalogue):
    facts = staged_facts.copy()
    facts.loc[2, "indicator_code"] = "no_such_indicator"
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None, catalogue=catalogue)
    line = _assert_fails(result, "staged_facts:", "expect_column_values_to_be_in_set(indicator_code")
    assert "no_such_indicator" in line
    assert len(result.failed) == 1  # the unit check skips codes the catalogue does not know


def test_negative_value_fails(staged_facts, catalogue):
    facts = staged_facts.copy()
    facts.loc[4, "value"] = -3.0
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None, catalogue=catalogue)
    line = _assert_fails(result, "staged_facts:", "expect_column_values_to_be_between(value, min=0)")
    assert "-3.0" in line


def test_wrong_unit_and_fractional_count_fail(staged_facts, catalogue):
    jian, _, _ = _codes(catalogue)
    facts = staged_facts.copy()
    row = facts.index[facts["indicator_code"] == jian][0]
    facts.loc[row, "unit"] = "条"
    facts.loc[row + 1, "value"] = 2.5  # a 件 count with decimals
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None, catalogue=catalogue)
    line = _assert_fails(result, "staged_facts:", "unit_matches_catalogue")
    assert "条" in line
    _assert_fails(result, "staged_facts:", "value_is_whole_unless_wan_yuan", "2.5")
    assert len(result.failed) == 2


def test_documents_rules(documents):
    docs = documents.copy()
    quarantined = docs.index[docs["parse_status"] == "quarantined"][0]
    docs.loc[quarantined, "reason"] = None
    docs.loc[0, "parse_status"] = "exploded"
    docs.loc[1, "report_year"] = 1900
    docs.loc[2, "template"] = "gb1999"
    docs.loc[3, "sha256"] = None
    result = run_suite("documents", {"documents": docs}, docs_dir=None)
    _assert_fails(
        result,
        "documents:",
        "expect_column_values_to_not_be_null(reason) where parse_status == 'quarantined'",
    )
    _assert_fails(result, "documents:", "expect_column_values_to_be_in_set(parse_status", "exploded")
    _assert_fails(result, "documents:", "expect_column_values_to_be_between(report_year, min=", "report_year=1900")
    _assert_fails(result, "documents:", "expect_column_values_to_be_in_set(template", "gb1999")
    _assert_fails(result, "documents:", "expect_column_values_to_not_be_null(sha256)")


def test_parsed_reports_without_a_year_are_data_not_a_defect(documents, marts):
    docs = documents.copy()
    parsed = docs.index[docs["parse_status"] == "parsed"]
    docs.loc[parsed[:20], "report_year"] = None  # most of them undated: still nothing wrong with the pipeline
    assert run_suite("documents", {"documents": docs}, docs_dir=None).success

    # In the marts such a report is listed, publishes no facts and says why; without a reason it is a defect.
    report = marts["dim_report"].assign(fact_count=0, reason=None)
    report.loc[report["document_id"].isin(marts["fact_disclosure"]["document_id"]), "fact_count"] = 4
    report = pd.concat([report, pd.DataFrame({
        "document_id": ["D-undated"], "agency_id": ["A1"], "report_year": [None], "parse_status": ["parsed"],
        "fact_count": [0], "reason": ["report year not identified: facts not published in fact_disclosure"],
    })], ignore_index=True)
    result = run_suite("marts", {**marts, "dim_report": report}, docs_dir=None)
    assert result.success, result.failed
    report.loc[report["document_id"] == "D-undated", "reason"] = None
    line = _assert_fails(
        run_suite("marts", {**marts, "dim_report": report}, docs_dir=None), "dim_report:", "held_back_report_says_why"
    )
    assert "D-undated" in line


def test_signed_change_codes_may_be_negative_counts_may_not(staged_facts, catalogue):
    from ingestion.catalogue.indicators import indicators, signed_codes

    change = sorted(signed_codes())[0]
    assert "本年增/减" in indicators()[change].label_zh
    extra = pd.DataFrame({
        "sha256": [_sha(0)], "indicator_code": [change], "requester_type": ["total"], "value": [-18.0],
        "is_approximate": [False], "unit": [catalogue[change]], "extraction_method": ["table"],
    })
    facts = pd.concat([staged_facts, extra], ignore_index=True)
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None, catalogue=catalogue)
    assert result.success, result.failed
    facts.loc[0, "value"] = -1.0  # a count
    line = _assert_fails(
        run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None, catalogue=catalogue),
        "staged_facts:", "expect_column_values_to_be_between(value, min=0) where signed_change == False",
    )
    assert "-1.0" in line and "-18.0" not in line


def test_missing_column_is_a_failure_not_a_crash(documents):
    result = run_suite("documents", {"documents": documents.drop(columns=["reason"])}, docs_dir=None)
    _assert_fails(result, "documents:", "(reason)", "raised")


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown layer"):
        run_suite("nope", {}, docs_dir=None)
    with pytest.raises(ValueError, match="missing frame"):
        run_suite("marts", {"fact_disclosure": pd.DataFrame()}, docs_dir=None)
    with pytest.raises(ValueError, match="catalogue"):
        run_suite("staged_facts", {"staged_facts": pd.DataFrame()}, docs_dir=None)
