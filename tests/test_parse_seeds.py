"""The 2014 table of the real seeds, against values checked by hand."""

from __future__ import annotations

import pytest

from ingestion.extract import read_report
from tests.expected_seed_facts import EXPECTED


def _facts(data: bytes) -> dict[str, tuple[float | None, bool]]:
    result = read_report(data)
    codes = [f.indicator_code for f in result.facts]
    assert len(codes) == len(set(codes)), "a fact appears twice"
    return {f.indicator_code: (f.value, f.is_approximate) for f in result.facts}


@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_every_table_fact_is_exactly_right(seed: str, seed_bytes: dict[str, bytes]) -> None:
    expected, approximate = EXPECTED[seed]
    got = _facts(seed_bytes[seed])
    wrong = {
        code: (got.get(code), (value, code in approximate))
        for code, value in expected.items()
        if got.get(code) != (value, code in approximate)
    }
    assert not wrong, f"seed {seed}: got vs expected {wrong}"
    assert set(got) == set(expected), f"unexpected facts: {set(got) - set(expected)}"


def test_seed_000_defects(seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes["000"])
    findings = result.findings
    # the 其中 row under 在线访谈 repeats the press-conference label: position decides, and it is said
    by_position = [f for f in findings if f.finding_type == "label_by_position"]
    assert [f.indicator_code for f in by_position] == ["response_online_interviews_head"]
    # 6 printed on the 三、依申请公开情况 header row is kept as a finding, not dropped, not a fact
    header = [f for f in findings if f.finding_type == "header_value"]
    assert len(header) == 1 and header[0].actual == 6 and "依申清公开情况" in header[0].raw_label
    hard = {f.rule_id: (f.actual, f.expected) for f in findings if f.severity == "hard"}
    assert hard == {"gb2014_received_by_channel": (0, 6), "gb2014_staff_split": (2, 3)}
    assert result.document.template == "gb2014" and result.document.template_variant == "hubei"


def test_seed_001_repeated_document_counts_each_fact_once(seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes["001"])
    assert result.document.table_count == 2
    assert [f.finding_type for f in result.findings].count("repeated_table") == 1
    assert not [f for f in result.findings if f.finding_type == "rule_violation"]
    # Inner Mongolia's sections 十 and 十一 land on documented extension codes; the one free-text answer
    # (网上办理事项内容) stays a finding
    unmatched = [f.raw_label for f in result.findings if f.finding_type == "unmatched_row"]
    assert unmatched == ["(二)网上办理事项内容"]
    assert result.document.template_variant == "inner_mongolia"


def test_seed_004_soft_warning_and_typo(seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes["004"])
    rules = {f.rule_id: f for f in result.findings if f.finding_type == "rule_violation"}
    assert rules["gb2014_answered_by_type"].severity == "soft"
    assert (rules["gb2014_answered_by_type"].actual, rules["gb2014_answered_by_type"].expected) == (1045, 1073)
    assert rules["gb2014_response_header_blank"].actual == 24
    assert not [f for f in rules.values() if f.severity == "hard"]
    # 涉及商业隐私 (typo for 商业秘密) lands on the commercial-secret row by position, not on 个人隐私
    by_code = {f.indicator_code: f for f in result.facts}
    assert by_code["denied_commercial_secret"].raw_label == "涉及商业隐私"
    assert by_code["denied_privacy"].raw_label == "涉及个人隐私"


def test_accuracy_over_the_three_table_seeds(seed_bytes: dict[str, bytes]) -> None:
    right = total = 0
    for seed, (expected, approximate) in EXPECTED.items():
        got = _facts(seed_bytes[seed])
        for code, value in expected.items():
            total += 1
            right += got.get(code) == (value, code in approximate)
    assert right / total >= 0.98


@pytest.mark.parametrize(
    ("seed", "agency", "year", "level", "province", "template"),
    [
        ("000", "咸宁市国土资源局", 2017, "prefecture", "湖北省", "gb2014"),
        ("001", "呼和浩特市国土资源局", 2017, "prefecture", "内蒙古自治区", "gb2014"),
        ("002", "梅河口市国土资源局", 2017, "county", "吉林省", "narrative"),
        ("003", "湖南省国土资源厅", 2017, "provincial", "湖南省", "narrative"),
        ("004", "国土资源部", 2016, "national", None, "gb2014"),
    ],
)
def test_agency_and_year_of_every_seed(
    seed: str, agency: str, year: int, level: str, province: str | None, template: str,
    seed_bytes: dict[str, bytes],
) -> None:
    document = read_report(seed_bytes[seed]).document
    assert (document.agency_name, document.report_year, document.admin_level, document.province) == (
        agency, year, level, province,
    )
    assert document.template == template
    assert document.agency_name_evidence and document.report_year_evidence
