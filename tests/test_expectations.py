"""The quality gates (expectations.suites) run through GX (expectations.runner) on real frames.

Frames are built in DuckDB and fetched with ``.df()``, as the pipeline does. GX is imported once per
session (it takes seconds); failure cases skip Data Docs to stay fast. Each gate holds only rules no dbt test
states (docs/quality.md); what dbt owns (codes, requester types, keys, references) is not checked here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.frames import read_frame
from expectations.runner import SuiteResult, run_suite
from ingestion.catalogue.enums import REPORT_YEARS
from ingestion.catalogue.indicators import indicators, signed_codes


def _sha(i: int) -> str:
    return hashlib.sha256(f"doc-{i}".encode()).hexdigest()


def _codes() -> tuple[str, str, str]:
    """A 件 code, a 条 code and a 万元 code of the catalogue (none of them signed)."""

    def first(unit: str) -> str:
        return next(code for code, i in indicators().items() if i.unit == unit and code not in signed_codes())

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
def staged_facts(con) -> pd.DataFrame:
    jian, tiao, wanyuan = _codes()
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
def marts(con) -> dict[str, pd.DataFrame]:
    """Twenty inbox files, each with its dim_report row; the first ten publish four facts each; every third has
    two hard findings, and every report one soft finding."""
    con.execute("create or replace table inventory as select 'f' || i || '.pdf' as source_file from range(20) t(i)")
    con.execute(
        "create or replace table dim_report as select 'D' || i as document_id, 'f' || i || '.pdf' as source_file, "
        "case when i < 10 then 4 else 0 end as fact_count, case when i % 3 = 0 then 2 else 0 end as violation_count "
        "from range(20) t(i)"
    )
    con.execute(
        "create or replace table fact_disclosure as select r.document_id from dim_report r, range(4) t(j) "
        "where r.fact_count > 0"
    )
    con.execute(
        "create or replace table fct_report_findings as "
        "select r.document_id, 'hard' as severity from dim_report r, range(2) t(j) where r.violation_count > 0 "
        "union all select document_id, 'soft' from dim_report"
    )
    return {t: con.sql(f"select * from {t}").df()
            for t in ("inventory", "dim_report", "fact_disclosure", "fct_report_findings")}


def _assert_fails(result: SuiteResult, *needles: str) -> str:
    assert not result.success, "expected the suite to fail"
    hits = [line for line in result.failed if all(n in line for n in needles)]
    assert hits, f"no failure line with {needles}; got {result.failed}"
    return hits[0]


# --------------------------------------------------------------------------------------- clean data


def test_clean_layers_pass_and_build_docs(tmp_path, documents, staged_facts, marts):
    docs = tmp_path / "data_docs"
    r1 = run_suite("documents", {"documents": documents}, docs_dir=docs)
    r2 = run_suite("staged_facts", {"staged_facts": staged_facts}, docs_dir=docs)
    r3 = run_suite("marts", marts, docs_dir=docs)
    for r in (r1, r2, r3):
        assert r.success, r.failed
        assert r.failed == []
        assert r.evaluated > 0
        assert r.data_docs_index == docs / "index.html"
    assert (r1.layer, r2.layer, r3.layer) == ("documents", "staged_facts", "marts")
    index = (docs / "index.html").read_text(encoding="utf-8")
    # The index built after the last run still lists every layer's latest validation.
    for suite in ("documents.documents", "staged_facts.staged_facts", "marts.inventory", "marts.dim_report"):
        assert suite in index
    # Re-running a layer replaces its previous result rather than piling up history.
    run_suite("documents", {"documents": documents}, docs_dir=docs)
    stored = list((docs / ".gx_store" / "validations" / "documents").rglob("*.json"))
    assert len(stored) == 1


def _pages(docs: Path) -> dict[str, str]:
    """The site's pages, with what differs between two builds of the same results (times, ids) blanked."""

    def same(text: str) -> str:
        text = re.sub(r"\d{8}T\d{6}\.\d+Z|\d{4}-\d\d-\d\d[ T][\d:.]+(\+00:00|Z)?|\d{10}\.\d+", "T", text)
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}", "ID", text)

    return {same(str(page.relative_to(docs))): same(page.read_text(encoding="utf-8")) for page in docs.rglob("*.html")}


def test_data_docs_pages_are_those_gxs_own_views_build(tmp_path, monkeypatch, documents, marts):
    """The site's views compile GX's templates once per process (expectations.gx_views): the pages are the ones
    GX's own views make."""
    import expectations.runner

    def build(docs: Path) -> dict[str, str]:
        run_suite("documents", {"documents": documents}, docs_dir=docs)
        run_suite("marts", marts, docs_dir=docs)
        return _pages(docs)

    ours = build(tmp_path / "ours")
    from expectations.gx_views import _COMPILED

    assert len(_COMPILED._code) >= 20  # the site was built through them: its templates are in their cache
    gx_views = {"PageView": "DefaultJinjaPageView", "IndexPageView": "DefaultJinjaIndexPageView"}
    monkeypatch.setattr(expectations.runner, "_view", lambda name: {
        "module_name": "great_expectations.render.view", "class_name": gx_views[name]})
    theirs = build(tmp_path / "theirs")
    assert len(ours) >= 4 and "index.html" in ours
    assert ours == theirs


# --------------------------------------------------------------------------------------- staged facts


def test_a_repeated_fact_fails_the_grain(staged_facts):
    facts = pd.concat([staged_facts, staged_facts.iloc[[0]]], ignore_index=True)
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None)
    line = _assert_fails(
        result, "staged_facts:", "expect_compound_columns_to_be_unique(sha256, indicator_code, requester_type)"
    )
    assert "2 unexpected rows" in line
    assert len(result.failed) == 1


def test_negative_value_fails(staged_facts):
    facts = staged_facts.copy()
    facts.loc[4, "value"] = -3.0
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None)
    line = _assert_fails(result, "staged_facts:", "expect_column_values_to_be_between(value, min=0)")
    assert "-3.0" in line


def test_wrong_or_missing_unit_and_fractional_count_fail(staged_facts):
    jian, _, _ = _codes()
    facts = staged_facts.copy()
    rows = facts.index[facts["indicator_code"] == jian]
    facts.loc[rows[0], "unit"] = "条"
    facts.loc[rows[1], "unit"] = None  # a unit the parser lost is not the catalogue unit either
    facts.loc[rows[2], "value"] = 2.5  # a 件 count with decimals
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None)
    line = _assert_fails(result, "staged_facts:", "unit_matches_catalogue", "2 unexpected rows")
    assert "条" in line
    _assert_fails(result, "staged_facts:", "value_is_whole_unless_wan_yuan", "2.5")
    assert len(result.failed) == 2


def test_an_unknown_code_is_left_to_dbt(staged_facts):
    """Codes outside the catalogue are dbt's relationships test's (tests/quality/test_quality_gates.py): the gate
    neither reports them twice nor stumbles on their missing catalogue unit."""
    facts = staged_facts.copy()
    facts.loc[2, "indicator_code"] = "no_such_indicator"
    assert run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None).success


def test_signed_change_codes_may_be_negative_counts_may_not(staged_facts):
    change = sorted(signed_codes())[0]
    assert "本年增/减" in indicators()[change].label_zh
    extra = pd.DataFrame({
        "sha256": [_sha(0)], "indicator_code": [change], "requester_type": ["total"], "value": [-18.0],
        "is_approximate": [False], "unit": [indicators()[change].unit], "extraction_method": ["table"],
    })
    facts = pd.concat([staged_facts, extra], ignore_index=True)
    result = run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None)
    assert result.success, result.failed
    facts.loc[0, "value"] = -1.0  # a count
    line = _assert_fails(
        run_suite("staged_facts", {"staged_facts": facts}, docs_dir=None),
        "staged_facts:", "expect_column_values_to_be_between(value, min=0) where signed_change == False",
    )
    assert "-1.0" in line and "-18.0" not in line


# --------------------------------------------------------------------------------------- documents


def test_documents_rules(documents):
    docs = documents.copy()
    docs.loc[0, "parse_status"] = None  # an inbox file without a landing record
    docs.loc[1, "report_year"] = REPORT_YEARS.start - 1
    docs.loc[2, "template"] = None
    docs.loc[3, "sha256"] = "not-a-hash"
    docs.loc[4, "size_bytes"] = -1
    result = run_suite("documents", {"documents": docs}, docs_dir=None)
    _assert_fails(result, "documents:", "expect_column_values_to_not_be_null(parse_status)", "corpus/000.pdf")
    _assert_fails(
        result, "documents:", f"expect_column_values_to_be_between(report_year, min={REPORT_YEARS.start}, "
        f"max={REPORT_YEARS.stop - 1})", str(REPORT_YEARS.start - 1),
    )
    _assert_fails(result, "documents:", "expect_column_values_to_not_be_null(template) where parse_status == 'parsed'")
    _assert_fails(result, "documents:", "expect_column_values_to_match_regex(sha256", "not-a-hash")
    _assert_fails(result, "documents:", "expect_column_values_to_be_between(size_bytes, min=0)", "-1")
    assert len(result.failed) == 5


def test_the_year_bound_is_the_one_the_parser_uses(documents):
    docs = documents.copy()
    docs.loc[[0, 1], "report_year"] = [REPORT_YEARS.start, REPORT_YEARS.stop - 1]
    assert run_suite("documents", {"documents": docs}, docs_dir=None).success
    docs.loc[1, "report_year"] = REPORT_YEARS.stop
    _assert_fails(run_suite("documents", {"documents": docs}, docs_dir=None), "report_year", str(REPORT_YEARS.stop))


def test_parsed_reports_without_a_year_are_data_not_a_defect(documents):
    docs = documents.copy()
    parsed = docs.index[docs["parse_status"] == "parsed"]
    docs.loc[parsed[:20], "report_year"] = None  # most of them undated: still nothing wrong with the pipeline
    assert run_suite("documents", {"documents": docs}, docs_dir=None).success


def test_missing_column_is_a_failure_not_a_crash(documents):
    result = run_suite("documents", {"documents": documents.drop(columns=["template"])}, docs_dir=None)
    _assert_fails(result, "documents:", "(template)", "raised")


# --------------------------------------------------------------------------------------- marts


def test_an_inbox_file_missing_from_dim_report_fails(marts):
    report = marts["dim_report"]
    missing = report[report["source_file"] != "f3.pdf"]
    result = run_suite("marts", {**marts, "dim_report": missing}, docs_dir=None)
    assert "f3.pdf" in _assert_fails(result, "inventory:", "in_dim_report")
    # a path listed twice is dim_report's own key, a dbt test: not this gate's
    twice = pd.concat([report, report.iloc[[16]].assign(document_id="D16-again")], ignore_index=True)
    assert run_suite("marts", {**marts, "dim_report": twice}, docs_dir=None).success


def test_a_fact_count_that_is_not_what_fact_disclosure_holds_fails(marts):
    report = marts["dim_report"].copy()
    report.loc[report["document_id"] == "D2", "fact_count"] = 5
    report.loc[report["document_id"] == "D15", "fact_count"] = 1
    result = run_suite("marts", {**marts, "dim_report": report}, docs_dir=None)
    line = _assert_fails(result, "dim_report:", "fact_count_matches_fact_disclosure", "2 unexpected rows")
    assert "D2" in line and "D15" in line


def test_a_violation_count_that_is_not_the_reports_hard_findings_fails(marts):
    """A cross-year violation is a hard finding in fct_report_findings: a violation_count that left it out
    (as dim_report once did) is refused."""
    findings = marts["fct_report_findings"]
    cross_year = pd.DataFrame({"document_id": ["D4"], "severity": ["hard"]})
    result = run_suite(
        "marts", {**marts, "fct_report_findings": pd.concat([findings, cross_year], ignore_index=True)},
        docs_dir=None,
    )
    line = _assert_fails(result, "dim_report:", "violation_count_matches_findings", "1 unexpected row")
    assert "D4" in line
    assert run_suite("marts", marts, docs_dir=None).success


def test_fact_frames_read_as_categoricals_fail_alike(con, staged_facts, marts):
    """The pipeline reads the per-fact frames with categorical strings (expectations.frames.read_frame): the
    values are the same, and GX finds and words the same failures on them, examples included."""
    jian, _, _ = _codes()
    broken = pd.concat([staged_facts, staged_facts.iloc[[0]]], ignore_index=True)
    rows = broken.index[broken["indicator_code"] == jian]
    broken.loc[rows[0], "unit"] = "条"
    broken.loc[rows[1], "unit"] = None
    broken.loc[rows[2], "value"] = 2.5
    broken.loc[4, "value"] = -3.0
    plain = run_suite("staged_facts", {"staged_facts": broken}, docs_dir=None)
    assert len(plain.failed) == 4, plain.failed
    con.register("broken_facts", broken)
    categorical = read_frame(con, "select * from broken_facts", categorical=True)
    assert isinstance(categorical["sha256"].dtype, pd.CategoricalDtype)
    assert categorical.astype(object).equals(broken.astype(object))
    assert run_suite("staged_facts", {"staged_facts": categorical}, docs_dir=None) == plain

    report = marts["dim_report"].copy()
    report.loc[report["document_id"] == "D2", "fact_count"] = 5
    frames = {**marts, "dim_report": report}
    plain = run_suite("marts", frames, docs_dir=None)
    assert not plain.success
    con.register("published_facts", marts["fact_disclosure"])
    facts = read_frame(con, "select * from published_facts", categorical=True)
    assert run_suite("marts", {**frames, "fact_disclosure": facts}, docs_dir=None) == plain


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown layer"):
        run_suite("nope", {}, docs_dir=None)
    with pytest.raises(ValueError, match="missing frame"):
        run_suite("marts", {"fact_disclosure": pd.DataFrame()}, docs_dir=None)
    with pytest.raises(ValueError, match="missing frame"):
        run_suite("staged_facts", {}, docs_dir=None)


def test_data_docs_assets_come_from_the_npm_registrys_tarballs_without_npm() -> None:
    from expectations.data_docs import ASSETS, DEFAULT_ASSETS_DIR, tarball_url

    assert tarball_url("vega@5.33.1") == "https://registry.npmjs.org/vega/-/vega-5.33.1.tgz"
    assert tarball_url("@forevolve/bootstrap-dark@1.1.0") == (
        "https://registry.npmjs.org/@forevolve/bootstrap-dark/-/bootstrap-dark-1.1.0.tgz"
    )
    # what `make setup` fetched that way: every file the sites point at
    assert all((DEFAULT_ASSETS_DIR / asset.name / asset.path).is_file() for asset in ASSETS)
