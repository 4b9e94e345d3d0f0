"""The real 2024 report (淮安市人民政府, gb2021 format, PDF) in ../shared/corpus: all three tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.extract import read_report
from tests.conftest import SHARED

HUAIAN = SHARED / "corpus" / "huaian_municipal_government_2024.pdf"

# Values read by hand from the printed tables of the PDF (pages 3–5).
TABLE_2 = {
    "rules_issued": 1, "rules_repealed": 0, "rules_in_force": 11,
    "normative_docs_issued": 8, "normative_docs_repealed": 26, "normative_docs_in_force": 66,
    "licensing_decisions": 447228, "penalty_decisions": 3985758, "coercion_decisions": 88283,
    "admin_fees_amount": 96171.6,
}
# outcome rows × (natural_person, commercial_enterprise, research_institution, social_welfare_org,
#                 legal_service_org, other_org, total)
TABLE_3 = {
    "app_new": (3001, 53, 0, 0, 61, 4, 3119),
    "app_carried_in": (34, 0, 0, 0, 0, 0, 34),
    "outcome_granted": (1288, 21, 0, 0, 50, 3, 1362),
    "outcome_partial": (447, 7, 0, 0, 0, 0, 454),
    "outcome_denied_state_secret": (2, 0, 0, 0, 0, 0, 2),
    "outcome_denied_prohibited_by_law": (30, 1, 0, 0, 0, 0, 31),
    "outcome_denied_security_stability": (5, 0, 0, 0, 0, 0, 5),
    "outcome_denied_third_party": (6, 0, 0, 0, 0, 0, 6),
    "outcome_denied_internal_affairs": (7, 1, 0, 0, 0, 0, 8),
    "outcome_denied_process_info": (12, 0, 0, 0, 0, 0, 12),
    "outcome_denied_enforcement_files": (9, 0, 0, 0, 0, 0, 9),
    "outcome_denied_administrative_query": (105, 0, 0, 0, 0, 0, 105),
    "outcome_unavailable_not_held": (746, 12, 0, 0, 10, 1, 769),
    "outcome_unavailable_needs_creation": (11, 0, 0, 0, 0, 0, 11),
    "outcome_unavailable_unclear": (1, 0, 0, 0, 0, 0, 1),
    "outcome_not_processed_petition": (56, 6, 0, 0, 0, 0, 62),
    "outcome_not_processed_duplicate": (25, 0, 0, 0, 0, 0, 25),
    "outcome_not_processed_publication": (0, 0, 0, 0, 0, 0, 0),
    "outcome_not_processed_excessive": (0, 0, 0, 0, 0, 0, 0),
    "outcome_not_processed_confirmation": (1, 0, 0, 0, 0, 0, 1),
    "outcome_other_overdue_correction": (67, 3, 0, 0, 1, 0, 71),
    "outcome_other_unpaid_fee": (6, 0, 0, 0, 0, 0, 6),
    "outcome_other_misc": (108, 2, 0, 0, 0, 0, 110),
    "outcome_total": (2932, 53, 0, 0, 61, 4, 3050),
    "app_carried_out": (103, 0, 0, 0, 0, 0, 103),
}
TABLE_4 = dict(zip(
    [f"{b}_{o}" for b in ("review", "litigation_direct", "litigation_after_review")
     for o in ("upheld", "corrected", "other", "pending", "total")],
    (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20), strict=True,
))
REQUESTERS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total")


@pytest.fixture(scope="module")
def huaian() -> object:
    if not HUAIAN.exists():
        pytest.fail(f"the shared corpus is missing: {HUAIAN}")
    return read_report(Path(HUAIAN).read_bytes())


def test_identity_and_template(huaian) -> None:
    document = huaian.document
    assert (document.agency_name, document.report_year, document.template) == ("淮安市人民政府", 2024, "gb2021")
    assert (document.admin_level, document.province, document.division_code) == ("prefecture", "江苏省", "320800")


def test_every_statistics_fact_is_right(huaian) -> None:
    expected = {(code, "total"): float(value) for code, value in TABLE_2.items()}
    expected |= {(code, "total"): float(value) for code, value in TABLE_4.items()}
    for code, values in TABLE_3.items():
        expected |= {(code, requester): float(v) for requester, v in zip(REQUESTERS, values, strict=True)}
    got = {(f.indicator_code, f.requester_type): f.value for f in huaian.facts if f.extraction_method == "table"}
    wrong = {key: (got.get(key), value) for key, value in expected.items() if got.get(key) != value}
    assert not wrong
    assert len(got) == len(expected) == 200
    assert {f.unit for f in huaian.facts if f.indicator_code == "admin_fees_amount"} == {"万元"}
    # beside the tables, the prose adds what they do not print: 5500余条 disclosed, an approximate figure
    prose = {f.indicator_code: f for f in huaian.facts if f.extraction_method == "narrative"}
    assert set(prose) == {"proactive_total"}
    assert (prose["proactive_total"].value, prose["proactive_total"].is_approximate) == (5500, True)


def test_arithmetic_holds_so_no_violation(huaian) -> None:
    assert not [f for f in huaian.findings if f.finding_type in {"rule_violation", "unmatched_row"}]
