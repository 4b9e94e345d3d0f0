"""Regional 2014 layouts: Fujian's 本年度 / 历年累计 columns; Inner Mongolia's extension rows."""

from __future__ import annotations

from ingestion.catalogue.indicators import indicators
from ingestion.extract import read_report

FUJIAN = """平潭综合实验区管理委员会2016年政府信息公开工作年度报告
本报告所列数据的统计期为2016年1月1日至2016年12月31日。
政府信息公开情况统计表
填报单位：平潭综合实验区管理委员会
指标名称 | 计量单位 | 本年度 | 历年累计 |
一、主动公开情况 | | | |
（一）主动公开政府信息数 | 条 | 1520 | 8630 |
其中：主动公开规范性文件数 | 条 | 12 | 97 |
三、依申请公开情况 | | | |
（一）收到申请数 | 件 | 35 | 210 |
1.当面申请数 | 件 | 5 | |
2.传真申请数 | 件 | | 3 |
3.网络申请数 | 件 | 28 | 150 |
4.信函申请数 | 件 | 2 | 40 |
四、行政复议数量 | 件 | 1 | 4 |
六、举报投诉数量 | 件 | 0 | 2 |
七、依申请公开信息收取的费用 | 万元 | 0 | 0.3 |
"""


def test_fujian_current_year_on_catalogue_codes_and_cumulative_kept_apart() -> None:
    result = read_report(FUJIAN.encode("gb18030"))
    facts = {f.indicator_code: f.value for f in result.facts}
    assert result.document.template == "gb2014" and result.document.template_variant == "fujian"
    assert facts["proactive_total"] == 1520 and facts["proactive_total_cumulative"] == 8630
    assert facts["application_received_in_person"] == 5 and facts["application_received_in_person_cumulative"] is None
    assert facts["application_received_fax"] is None and facts["application_received_fax_cumulative"] == 3
    assert facts["fees_collected_cumulative"] == 0.3
    assert indicators()["proactive_total_cumulative"].parent_code == "proactive_total"
    # 5 + blank + 28 + 2 ≠ 35 is not judged while an operand is blank
    assert not [f for f in result.findings if f.rule_id == "gb2014_received_by_channel"]
    assert (result.document.agency_name, result.document.report_year) == ("平潭综合实验区管理委员会", 2016)


def test_extension_codes_are_documented_in_the_catalogue() -> None:
    catalogue = indicators()
    extensions = [c for c in catalogue.values() if c.template in {"gb2014_inner_mongolia", "regional"}]
    assert len(extensions) > 60
    assert all(c.label_zh and c.label_en and c.unit and c.note for c in extensions)
    assert catalogue["nmg_portal_online_services"].unit == "是/否"
