"""Figures stated in prose (seeds 002 and 003 have no table), and prose checked against the table."""

from __future__ import annotations

import re

import pytest

from ingestion.extract import read_report

# Every figure these reports state about the catalogue's indicators, read by hand from the texts.
STATED = {
    "002": {  # 梅河口市国土资源局 2017
        "application_received": 12.0,  # 受理政府信息公开申请12件
        "org_reading_points": 2.0,  # 设公共查阅点2个
        "review_total": 0.0,  # 没有发生公开事务的行政复议、行政诉讼的申诉案件
        "litigation_total": 0.0,
    },
    "003": {  # 湖南省国土资源厅 2017
        "proactive_channel_weibo": 2485.0,
        "proactive_channel_wechat": 720.0,
        "response_hotspots": 21.0,
        "response_press_conferences": 6.0,
        "response_press_conferences_head": 6.0,  # (全为主要负责同志参加)
        "response_online_interviews": 1.0,
        "response_online_interviews_head": 1.0,  # (为主要负责同志参加)
        "response_social_media_events": 91.0,
        "response_policy_interpretations": 11.0,
        "application_received": 941.0,
        "review_total": 19.0,
        "review_upheld": 16.0,
        "litigation_total": 13.0,
        "org_staff_fulltime": 2.0,
        "org_staff_parttime": 23.0,
        "fees_collected": 0.0,  # 全年未发生…收取费用的情况
    },
}


@pytest.mark.parametrize("seed", ["002", "003"])
def test_prose_only_reports_give_their_stated_figures(seed: str, seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes[seed])
    assert result.document.template == "narrative"
    got = {f.indicator_code: f.value for f in result.facts}
    expected = STATED[seed]
    right = sum(got.get(code) == value for code, value in expected.items())
    assert right / len(expected) >= 0.85, {c: (got.get(c), v) for c, v in expected.items() if got.get(c) != v}
    # precision: nothing the report does not state
    assert set(got) <= set(expected), set(got) - set(expected)
    assert {f.extraction_method for f in result.facts} == {"narrative"}


@pytest.mark.parametrize("seed", ["002", "003"])
def test_every_narrative_number_is_in_its_sentence(seed: str, seed_bytes: dict[str, bytes]) -> None:
    facts = read_report(seed_bytes[seed]).facts
    assert facts
    for fact in facts:
        if fact.value:
            assert re.search(rf"(?<!\d){fact.value:g}(?!\d)", fact.raw_label), (fact.indicator_code, fact.raw_label)
        else:
            assert re.search(r"无|没有|未", fact.raw_label), fact.raw_label


def test_prose_contradicting_the_table_is_a_finding_and_the_table_wins(seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes["000"])
    mismatches = {f.indicator_code: (f.actual, f.expected) for f in result.findings
                  if f.finding_type == "text_table_mismatch"}
    # 六、无因公开引起行政复议、行政诉讼及举报的情况 — yet the table prints 15 complaints
    assert mismatches["complaints_total"] == (0, 15)
    assert {f.indicator_code: f.value for f in result.facts}["complaints_total"] == 15
    assert {f.extraction_method for f in result.facts} == {"table"}


def test_seed_004_prose_agrees_with_its_table(seed_bytes: dict[str, bytes]) -> None:
    result = read_report(seed_bytes["004"])
    assert not [f for f in result.findings if f.finding_type == "text_table_mismatch"]
