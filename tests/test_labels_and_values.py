"""Label matching never crosses near-twin indicators; cell values read as docs/templates.md (Values) says."""

from __future__ import annotations

import pytest

from ingestion.catalogue.indicators import gb2014_section_headers, indicators
from ingestion.readers.text import text_blocks
from ingestion.templates.single_value import read_single_value as read_gb2014
from ingestion.templates.values import parse_value


def _pipe_table(rows: list[tuple[str, str, str]]) -> str:
    lines = ["统计指标 | 单位 | 统计数 |"] + [f"{label} | {unit} | {value} |" for label, unit, value in rows]
    return "\n".join(lines)


def _catalogue_rows(with_headers: bool = True) -> list[tuple[str, str, str]]:
    """The catalogue's 2014 table as an agency would print it, each value its catalogue position."""
    headers = gb2014_section_headers() if with_headers else {}
    rows, sections = [], set()
    for number, indicator in enumerate(indicators().values()):
        if indicator.template == "gb2014":
            if indicator.section not in sections and indicator.section in headers:
                rows.append((headers[indicator.section], "—", ""))
            sections.add(indicator.section)
            rows.append((indicator.label_zh, indicator.unit, str(number)))
    return rows


def _read(rows: list[tuple[str, str, str]]) -> tuple[dict[str, float | None], list]:
    reading = read_gb2014(text_blocks(_pipe_table(rows)))
    return {f.indicator_code: f.value for f in reading.facts}, reading.findings


@pytest.mark.parametrize("with_headers", [True, False])
def test_clean_catalogue_table_reads_every_row(with_headers: bool) -> None:
    rows = _catalogue_rows(with_headers)
    facts, findings = _read(rows)
    expected = {
        code: float(number)
        for number, (code, ind) in enumerate(indicators().items())
        if ind.template == "gb2014"
    }
    assert facts == expected
    assert not [f for f in findings if f.finding_type == "unmatched_row"]


@pytest.mark.parametrize(
    ("code", "typo"),
    [
        ("proactive_channel_weibo", "3.政务徽博公开政府信息数"),
        ("proactive_channel_wechat", "4.政务徽信公开政府信息教"),
        ("answered_granted", "2.同意公开答复效"),
        ("answered_denied", "4.不同意公开答复效"),
        ("org_staff_fulltime", "1.专职人员教"),
        ("org_staff_parttime", "2.兼职人贝数"),
        ("application_received_fax", "2.传真中请效"),
        ("response_hotspots", "(一)回应公众关注热点或重大與情数"),
    ],
)
def test_typo_stays_on_its_own_indicator(code: str, typo: str) -> None:
    rows = _catalogue_rows()
    labels = [label for label, _, _ in rows]
    index = labels.index(indicators()[code].label_zh)
    rows[index] = (typo, rows[index][1], "999")
    facts, _ = _read(rows)
    assert facts[code] == 999.0
    assert list(facts.values()).count(999.0) == 1


def test_twin_label_in_wrong_place_is_not_guessed() -> None:
    """A WeChat row printed where nothing fits must not be mapped onto Weibo or anything else."""
    rows = _catalogue_rows()
    rows.insert(9, ("6.政务抖音公开政府信息数", "条", "777"))
    facts, findings = _read(rows)
    assert 777.0 not in facts.values()
    unmatched = [f for f in findings if f.finding_type == "unmatched_row"]
    assert [f.raw_value for f in unmatched] == ["777"]


@pytest.mark.parametrize(
    ("raw", "value", "approximate", "kind"),
    [
        ("", None, False, "blank"),
        ("\u3000", None, False, "blank"),
        ("—", None, False, "blank"),
        ("/", None, False, "blank"),
        ("80余万", 800000.0, True, "number"),
        ("2105余", 2105.0, True, "number"),
        ("100多", 100.0, True, "number"),
        ("约300", 300.0, True, "number"),
        ("\u30000", 0.0, False, "number"),
        ("１２３", 123.0, False, "number"),
        ("1,045", 1045.0, False, "number"),
        ("1.8", 1.8, False, "number"),
        ("二十", 20.0, False, "number"),
        ("否", None, False, "boolean"),
    ],
)
def test_cell_values(raw: str, value: float | None, approximate: bool, kind: str) -> None:
    cell = parse_value(raw)
    assert (cell.kind, cell.value, cell.is_approximate) == (kind, value, approximate)


def test_money_in_yuan_becomes_wan_yuan() -> None:
    rows = _catalogue_rows()
    labels = [label for label, _, _ in rows]
    index = labels.index(indicators()["org_budget"].label_zh)
    rows[index] = (rows[index][0], "元", "18000")
    facts, _ = _read(rows)
    assert facts["org_budget"] == pytest.approx(1.8)
