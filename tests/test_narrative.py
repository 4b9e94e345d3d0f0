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


def test_paragraphs_without_a_figure_or_negation_are_skipped_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking each paragraph first, and looking for a negation word before the negation pattern, skips no
    sentence a pattern would match: the same facts and findings as asking every sentence."""
    from corpusgen.reports import generate
    from ingestion.document import Block
    from ingestion.templates import narrative

    prose = [
        "本年度共收到政府信息公开申请3件。 其中网络申请 2 件，信函申请1件；全年未收到 以传真方式的申请。",
        "2013年度，未收到行政复议申请。本局没有发生行政诉讼案件，无举报投诉。",
        "不同意公开0件。没有 专职人员，兼职人员2名。",
        "全年主动公开政府信息一百二十条。",
        "本局全年未收到行政复议申请。",
        "本年度没有发生 因政府信息公开引起的行政诉讼。",
        "工作人员依法履职。",
    ]
    blocks = [Block("prose", (text,), f"line {n}") for n, text in enumerate(prose, 1)]
    for template in ("narrative", "gb2014", "gb2021"):
        blocks += [b for b in generate(template, seed=4).document.blocks if b.kind == "prose"]

    def reading(blocks):
        result = narrative.read_narrative(blocks)
        return result.facts, result.findings

    fast = reading(blocks)
    monkeypatch.setattr(narrative, "_candidate_sentences", lambda blocks, _: narrative.sentences(blocks))
    monkeypatch.setattr(narrative, "_may_negate", lambda _: True)
    assert fast == reading(blocks)
    assert len(fast[0]) >= 8
