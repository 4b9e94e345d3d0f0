"""Real reports nobody here wrote: ../shared/corpus/real, with truth read by hand (truth.yaml).

Two district-government PDFs (2023, 2024; the 2021 template with （六）其他处理 as one row) and five web-page
text renderings of Fujian agencies (a 2009 county form, a 2014 zone form, a 2019 trial-format report flattened
into one line, a prose-only 2013 report, an agency's own 2013 layout). Every fact of the truth must come back
exactly, with no other value for it; agency, year, level and template family must be right. The test prints
per-file and per-template scores.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from ingestion.extract import read_report
from ingestion.results import ParseResult
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"


def _family(template: str | None) -> str:
    """The 2014 national form, regional forms and agencies' own layouts are one family: pre-2019 tables."""
    template = str(template)
    return "pre2019" if template in {"gb2014", "other"} or template.startswith("regional") else template


@pytest.fixture(scope="module")
def truth() -> dict[str, dict]:
    path = REAL / "truth.yaml"
    if not path.exists():
        pytest.fail(f"the shared real corpus is missing: {path}")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def readings(truth: dict[str, dict]) -> dict[str, ParseResult]:
    return {name: read_report((REAL / name).read_bytes()) for name in truth}


def _key(printed: str) -> tuple[str, str]:
    code, _, requester = str(printed).partition("@")
    return code, requester or "total"


def _score(truth: dict, result: ParseResult) -> tuple[int, int, list[str], list[str]]:
    """(right, total, missing, wrong) for one report's facts."""
    got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
    right, missing, wrong = 0, [], []
    for printed, value in (truth.get("facts") or {}).items():
        key = _key(printed)
        if key in got and got[key] is not None and abs(got[key] - float(value)) < 1e-6:
            right += 1
        elif key in got and got[key] is not None:
            wrong.append(f"{printed}={value} read as {got[key]}")
        else:
            missing.append(f"{printed}={value}")
    return right, len(truth.get("facts") or {}), missing, wrong


def test_every_fact_of_every_real_report_is_read_exactly(truth, readings, capsys) -> None:
    by_template: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    lines, problems = [], []
    for name, expected in truth.items():
        right, total, missing, wrong = _score(expected, readings[name])
        family = by_template[_family(expected["template"])]
        family[0] += right
        family[1] += total
        lines.append(f"{name:36} {right:4}/{total:<4} {readings[name].document.template}")
        problems += [f"{name}: missing {m}" for m in missing] + [f"{name}: WRONG {w}" for w in wrong]
    with capsys.disabled():
        print("\nreal reports (../shared/corpus/real):")
        print("\n".join(f"  {line}" for line in lines))
        print("  by template family: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(by_template.items())))
    assert not problems, "\n".join(problems)


def test_identity_of_every_real_report(truth, readings) -> None:
    wrong = []
    for name, expected in truth.items():
        document = readings[name].document
        got = (document.agency_name, document.report_year, document.admin_level, document.province,
               _family(document.template))
        want = (expected["agency"], expected["year"], expected["level"], expected["province"],
                _family(expected["template"]))
        if got != want:
            wrong.append(f"{name}: {got} != {want}")
    assert not wrong, "\n".join(wrong)


def test_every_table_figure_is_a_fact_or_a_finding(readings) -> None:
    """figure_coverage is 100 %, or the gap is explained by findings about rows that could not be placed."""
    explaining = {"unmatched_row", "row_not_trusted", "unmatched_cell", "header_value", "unreadable_value",
                  "negative_value", "fractional_count"}
    for name, result in readings.items():
        document = result.document
        assert document.placed_figures <= document.table_figures or document.template == "narrative", name
        if document.table_figures and document.placed_figures < document.table_figures:
            assert any(f.finding_type in explaining for f in result.findings), name


def test_prose_never_replaces_the_table(readings) -> None:
    """hongzequ_2024 states 17 applications in its prose where its table prints 95: the table is the value of
    record, the disagreement is a finding."""
    result = readings["hongzequ_2024.pdf"]
    received = {(f.indicator_code, f.requester_type): f for f in result.facts}
    assert received[("app_new", "total")].value == 95
    assert not [f for f in result.facts if f.indicator_code == "application_received"]
    mismatch = [f for f in result.findings if f.finding_type == "text_table_mismatch"]
    assert [(f.indicator_code, f.expected, f.actual) for f in mismatch] == [("app_new", 95, 17)]


def test_a_zero_statement_beside_a_table_fills_what_the_table_does_not_print(readings) -> None:
    """The 2014 zone form has no 复议/诉讼 rows; its prose says none happened: those zeros are read from the
    prose, while the figures the table prints are never taken from the prose."""
    facts = {f.indicator_code: f for f in readings["pingtan_gonganju_2014.txt"].facts}
    assert facts["review_total"].value == 0 and facts["review_total"].extraction_method == "narrative"
    assert facts["litigation_total"].value == 0
    assert facts["proactive_total"].extraction_method == "table"


def test_real_reports_shapes_are_named(readings) -> None:
    assert readings["pingtanxian_caizhengju_2009.txt"].document.template == "regional_fujian"
    assert readings["pingtanxian_sifaju_2013.txt"].document.template == "other"
    assert readings["pingtan_jingjifazhanju_2019.txt"].document.template == "gb2019"
    assert readings["pingtan_dishuiju_2013.txt"].document.template == "narrative"
    assert Path(REAL / "hongzequ_2023.pdf").exists()
