"""Single-value statistics tables of every form, read by their header: the columns say what each cell holds.

The tables here are written as agencies print them (pipe rows, web pages, one flattened line, digits glued); the
expected values are the ones printed, never a reading of the parser.
"""

from __future__ import annotations

import pytest

from ingestion.extract import read_report

TITLE = (
    "平潭综合实验区财政金融局2012年政府信息公开工作年度报告\n"
    "本报告所列数据的统计期限自2012年1月1日至2012年12月31日。\n"
)

# The national 2008 statistical report form, as Gansu and others printed it: a code column between the unit and
# the figures, 本期实际 / 本年累计, and a row numbering the columns.
FORM_2008 = """定西市政府信息公开情况统计报表
指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计 |
甲 | 乙 | 丙 | 1 | 2 |
主动公开信息数 | 条 | 01 | 120 | 120 |
其中：全文电子化的主动公开信息数 | 条 | 02 | 118 | 118 |
申请总数 | 条 | 10 | 7 | 7 |
其中：1.当面申请数 | 条 | 11 | 2 | 2 |
2.传真申请数 | 条 | 12 | | 0 |
3.电子邮件申请数 | 条 | 13 | 1 | 1 |
4.网上申请数 | 条 | 14 | 4 | 4 |
行政复议数 | 件 | 32 | 0 | 0 |
"""


def _facts(text: str) -> dict[str, float | None]:
    result = read_report((TITLE + text).encode("utf-8"))
    return {f.indicator_code: f.value for f in result.facts if f.extraction_method == "table"}


def test_the_2008_form_code_column_is_no_figure_and_blank_this_period_takes_the_year() -> None:
    facts = _facts(FORM_2008)
    assert facts == {
        "proactive_total": 120, "proactive_full_text_electronic": 118, "application_received": 7,
        "application_received_in_person": 2, "application_received_fax": 0, "application_received_email": 1,
        "application_received_online": 4, "review_total": 0,
    }


FUJIAN_2014 = """指标名称 | 计量单位 | 2016年度 | 历年累计 |
主动公开文件数 | 条 | 3460 | 85376 |
其中：1、政府网站公开数 | 条 | 3460 | |
2、政府公报公开数 | 条 | | 0 |
受理依申请公开信息总数 | 条 | 5 | 40 |
3、信函、传真申请数 | 条 | 1 | 9 |
政府信息公开收费减免金额 | 元 | 251000 | 2510000 |
"""


def test_fujian_form_blank_cells_are_null_and_money_in_yuan_lands_in_wan_yuan() -> None:
    facts = _facts(FUJIAN_2014)
    assert facts["proactive_total"] == 3460 and facts["proactive_total_cumulative"] == 85376
    assert facts["proactive_channel_website"] == 3460 and facts["proactive_channel_website_cumulative"] is None
    assert facts["proactive_channel_gazette"] is None and facts["proactive_channel_gazette_cumulative"] == 0
    assert facts["application_received_letter_fax"] == 1
    assert facts["fees_waived_amount"] == pytest.approx(25.1)
    assert facts["fees_waived_amount_cumulative"] == pytest.approx(251)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # spaced: one token per cell
        ("附表： 指标名称 计量单位 年末统计 主动公开信息数 条 6 其中：1．网站公开 条 6 2．政府公报公开 条 0 "
         "受理依申请公开信息总数 条 3 其中：1．当面申请数 条 1 4. 网上申请数 条 2 行政复议数 件 0 附件下载",
         {"proactive_total": 6, "proactive_channel_website": 6, "proactive_channel_gazette": 0,
          "application_received": 3, "application_received_in_person": 1, "application_received_online": 2,
          "review_total": 0}),
        # glued: no separator at all. 18535395 cuts four ways; the prose states 1853, which leaves 1853 | 5395, and
        # the 其中 row then has one cut left within it (1713 | 5017); 07 and 728 and 018 cut one way each
        ("全年共主动公开政府信息1853条。统计表指标名称计量单位2013年度历年累计主动公开信息数条18535395其中：1.网站公开条"
         "171350172.政府公报公开条07受理依申请公开信息总数条728其中：1.当面申请数条018附件下载",
         {"proactive_total": 1853, "proactive_total_cumulative": 5395, "proactive_channel_website": 1713,
          "proactive_channel_website_cumulative": 5017, "proactive_channel_gazette": 0,
          "proactive_channel_gazette_cumulative": 7, "application_received": 7,
          "application_received_cumulative": 28, "application_received_in_person": 0,
          "application_received_in_person_cumulative": 18}),
    ],
)
def test_tables_flattened_into_one_line_are_read_as_rows(line: str, expected: dict) -> None:
    facts = _facts(line)
    assert {code: facts.get(code) for code in expected} == expected


def test_glued_figures_that_cut_several_ways_are_reported_not_guessed() -> None:
    # 2626 is 26 | 26 or 2 | 626: nothing in the table decides, so neither is read
    result = read_report((TITLE + "指标名称计量单位2012年度历年累计主动公开信息数条2626其中：1、网站公开条2626"
                          "2、政府公报公开条00附件下载").encode())
    facts = {f.indicator_code: f.value for f in result.facts}
    assert "proactive_total" not in facts and "proactive_channel_website" not in facts
    assert facts["proactive_channel_gazette"] == 0
    untrusted = [f.raw_label for f in result.findings if f.finding_type == "row_not_trusted"]
    assert untrusted == ["主动公开信息数", "其中：1、网站公开"]
    assert result.document.table_figures == 6 and result.document.placed_figures == 2


def test_an_agency_layout_reads_what_matches_and_reports_the_rest() -> None:
    result = read_report((TITLE + """指 标 名 称 | 单位 | 数量 |
主动公开信息数 | 条 | 21 |
正式受理政府信息公开申请数 | 件 | 3 |
其中：1．在办 | 件 | 1 |
2．办结 | 件 | 2 |
政府信息公开查询点数 | 个 | 4 |
""").encode())
    facts = {f.indicator_code: f.value for f in result.facts}
    assert facts == {"proactive_total": 21, "application_received": 3, "application_closed": 2,
                     "org_reading_points": 4}
    assert result.document.template == "other"
    assert [f.raw_label for f in result.findings if f.finding_type == "unmatched_row"] == ["其中：1．在办"]
    assert (result.document.table_figures, result.document.placed_figures) == (5, 4)
