"""Who published a report, for which year, at which level: the real reports in ../shared/corpus/real read to
their hand-made truth, and the title, signature, numeral and web-page forms behind them."""

from __future__ import annotations

import pytest
import yaml

from ingestion.extract import read_report
from ingestion.identity.agencies import infer_agency
from ingestion.identity.detect import ReportIdentity, arabic_dates, detect_identity
from ingestion.readers.html import read_html
from ingestion.readers.text import text_blocks
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"
TRUTH = yaml.safe_load((REAL / "truth.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_identity_of_every_real_report(name: str) -> None:
    truth = TRUTH[name]
    document = read_report((REAL / name).read_bytes()).document
    assert (document.agency_name, document.report_year, document.admin_level, document.province) == (
        truth["agency"], truth["year"], truth["level"], truth["province"],
    )
    assert document.agency_name_evidence and document.report_year_evidence


def test_real_zone_bureau_is_prefecture_level_and_says_why() -> None:
    document = read_report((REAL / "pingtan_gonganju_2014.txt").read_bytes()).document
    assert document.agency_name_evidence == "title at line 1"  # the page's 标题 field, label stripped
    assert (document.prefecture, document.division_code) == ("福州市", "350128")
    assert document.agency_evidence.startswith("special zone 平潭综合实验区 (prefecture-level")


def _identity(text: str) -> ReportIdentity:
    return detect_identity(text_blocks(text))


BODY = "根据《中华人民共和国政府信息公开条例》，现公布本年度政府信息公开工作年度报告。"


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("平潭综合实验区公安局2014年政府信息公开年度报告", "平潭综合实验区公安局", 2014),
        ("平潭综合实验区2023年度政府信息公开工作年度报告", "平潭综合实验区", 2023),
        ("平潭综合实验区地方税务局2013年信息公开年度报告", "平潭综合实验区地方税务局", 2013),
        ("2013年度平潭县司法局政府信息公开年度报告", "平潭县司法局", 2013),
        ("2013年度平潭县人民政府信息公开年度报告", "平潭县人民政府", 2013),
        ("标题: 平潭综合实验区公安局2014年政府信息公开年度报告", "平潭综合实验区公安局", 2014),
        ("标  题：平潭综合实验区财政金融局关于2014年度政府信息公开工作年度报告", "平潭综合实验区财政金融局", 2014),
        ("平潭综合实验区交通与建设局 2017年度政府信息公开工作年度报告", "平潭综合实验区交通与建设局", 2017),
        ("湖南省国土资源厅政府信息公开工作年度报告（2017年度）", "湖南省国土资源厅", 2017),
        ("《淮安市人民政府2019年政府信息公开工作年度报告》", "淮安市人民政府", 2019),
        ("咸宁市国土资源局二〇一七年度政府信息公开工作年度报告", "咸宁市国土资源局", 2017),
        ("二○一七年咸宁市国土资源局政府信息公开工作年度报告", "咸宁市国土资源局", 2017),
        # A government's general office publishes its own report: the title's 办公厅 stays.
        ("福建省人民政府办公厅2017年政府信息公开工作年度报告", "福建省人民政府办公厅", 2017),
        ("平潭综合实验区管委会办公室2015年度政府信息公开工作年度报告", "平潭综合实验区管委会办公室", 2015),
    ],
)
def test_title_forms(title: str, agency: str, year: int) -> None:
    identity = _identity(f"{title}\n{BODY}\n")
    assert (identity.agency_name, identity.report_year) == (agency, year)
    assert identity.agency_evidence == identity.year_evidence == "title at line 1"


@pytest.mark.parametrize(
    "lines",
    [
        ("梅河口市国土资源局", "2017年度政府信息公开工作报告"),  # the name on the line above a year-only title
        ("梅河口市国土资源局2017年度", "政府信息公开工作报告"),  # one title wrapped over two lines
    ],
)
def test_title_over_two_lines(lines: tuple[str, str]) -> None:
    identity = _identity("\n".join([*lines, BODY]))
    assert (identity.agency_name, identity.report_year) == ("梅河口市国土资源局", 2017)


def test_title_inside_a_pages_one_line_text_after_its_breadcrumb() -> None:
    # The breadcrumb names the site's folder (平潭综合实验区公安局) even for a 平潭县 report: it is not a title.
    line = (
        "当前位置： 首页政务公开政府信息公开平潭综合实验区公安局政府信息公开年报 平潭县公安局2009年度政府信息公开"
        "工作年度报告 来源：平潭县公安局办公室 时间：2010-05-12 00:00 " + BODY
    )
    identity = _identity(line)
    assert (identity.agency_name, identity.report_year) == ("平潭县公安局", 2009)


def test_title_beats_the_filled_by_field_and_the_signature() -> None:
    text = (
        "平潭综合实验区2016年度政府信息公开工作年度报告\n" + BODY + "\n填报单位：平潭综合实验区管委会办公室\n"
        "平潭县人民政府\n2017年1月18日\n"
    )
    identity = _identity(text)
    assert identity.agency_name == "平潭综合实验区" and identity.agency_evidence == "title at line 1"


def test_title_without_its_place_is_completed_by_the_publisher_field() -> None:
    text = "标题: 公安局2009年度政府信息公开工作年度报告\n发布机构: 平潭县公安局办公室\n" + BODY
    identity = _identity(text)
    assert identity.agency_name == "平潭县公安局"
    assert identity.agency_evidence == "title at line 1, completed by publisher at line 2"


@pytest.mark.parametrize(
    ("signature", "agency"),
    [
        ("湖南省国土资源厅办公室", "湖南省国土资源厅"),  # an office signing for its department
        ("湖南省人民政府办公厅", "湖南省人民政府办公厅"),  # a government's general office is an agency itself
        ("淮安市人民政府办公室", "淮安市人民政府办公室"),
        ("平潭综合实验区管理委员会办公室", "平潭综合实验区管理委员会办公室"),
    ],
)
def test_signature_offices(signature: str, agency: str) -> None:
    for text in (f"{BODY}\n{signature}\n2018年3月20日", f"{BODY} {signature} 2018年3月20日"):
        identity = _identity(text)
        assert identity.agency_name == agency and identity.agency_evidence.startswith("signature")
        assert identity.report_year == 2017 and identity.year_evidence.startswith("signed 2018年3月20日")


def test_issuing_imprint_is_not_a_signature() -> None:
    text = f"{BODY} 平潭综合实验区经济发展局 2020年1月2日 平潭综合实验区经济发展局办公室 2020年1月2日印发"
    assert _identity(text).agency_name == "平潭综合实验区经济发展局"


def test_prose_names_must_read_as_agencies() -> None:
    # Once the last resort named 汇总平潭综合实验区各有关单位政府 or 在区管委会办公室和省公安厅.
    text = (
        "本报告汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成。2022年，在区管委会办公室和省公安厅政府"
        "信息公开工作领导小组的指导下，我局在“平潭综合实验区党工委管委会”网站公开信息，按照《平潭综合实验区"
        "管委会办公室关于做好政府信息公开工作的通知》，平潭综合实验区党工委管委会网站……"
        # 政府 belongs to 政府信息; a website is a channel, not a body.
        "平潭综合实验区政府信息公开工作和平潭综合实验区政府信息公开平台，平潭综合实验区门户网站、平潭综合实验区门户网站"
    )
    assert _identity(text).agency_name is None


def test_prose_names_counted_when_nothing_else_names_the_agency() -> None:
    text = "咸宁市国土资源局高度重视政府信息公开工作。\n咸宁市国土资源局公开信息120条，湖北省国土资源厅检查一次。"
    identity = _identity(text)
    assert (identity.agency_name, identity.agency_evidence) == ("咸宁市国土资源局", "named 2 times in the text")
    # A name runs on through a second body word.
    text = "平潭综合实验区管委会办公室编制本报告。平潭综合实验区管委会办公室负责政府信息公开工作。"
    assert _identity(text).agency_name == "平潭综合实验区管委会办公室"


@pytest.mark.parametrize(
    ("printed", "digits"),
    [
        ("二〇一七年度", "2017年度"),
        ("二○一○年四月十日", "2010年4月10日"),
        ("二零一二年元月二十日", "2012年1月20日"),
        ("二O一八年三月二十一日", "2018年3月21日"),  # a Latin O typed for 〇
        ("2013年十二月三十一日", "2013年12月31日"),
        ("2017年1月1日", "2017年1月1日"),
        ("〇〇〇〇年", "〇〇〇〇年"),  # a form's placeholder, not a year
        ("十一年", "十一年"),
    ],
)
def test_chinese_numeral_dates(printed: str, digits: str) -> None:
    assert arabic_dates(printed) == digits


def test_year_from_a_chinese_numeral_signature() -> None:
    identity = _identity(f"{BODY}\n平潭县农业局 二○一二年元月二十日")
    assert (identity.agency_name, identity.report_year) == ("平潭县农业局", 2011)
    assert identity.year_evidence == "signed 2012年1月20日 at line 2"


def test_period_and_title_beat_the_signature_date() -> None:
    text = (
        "平潭县财政局二〇〇九年度政府信息公开年度报告\n本报告所列数据的统计期限自二〇〇九年一月一日起至二〇〇九年十二月"
        "三十一日止。\n平潭县财政局\n二○一一年四月十日"  # a signature a year late
    )
    identity = _identity(text)
    assert (identity.agency_name, identity.report_year) == ("平潭县财政局", 2009)
    assert identity.year_evidence == "statistics period at line 2"


# Zones: 平潭综合实验区's bodies are prefecture-level in 福建省; 平潭县's stay county-level.


ZONE_BODIES = [
    "平潭综合实验区公安局",
    "福建省平潭综合实验区公安局",
    "平潭综合实验区金井片区管理局",
    "平潭综合实验区管委会办公室",
]


@pytest.mark.parametrize("name", ZONE_BODIES)
def test_zone_bureaus_take_the_zone_level(name: str) -> None:
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.prefecture, info.division_code, info.in_register) == (
        "prefecture", "福建省", "福州市", "350128", False,
    )
    assert info.evidence.startswith("special zone 平潭综合实验区")


def test_zone_and_county_bodies_stay_apart() -> None:
    zone, county = infer_agency("平潭综合实验区公安局"), infer_agency("平潭县公安局")
    assert (county.admin_level, county.province, county.division_code) == ("county", "福建省", "350128")
    assert zone.agency_id != county.agency_id
    assert infer_agency("福建省平潭综合实验区公安局").agency_id == zone.agency_id


@pytest.mark.parametrize("name", ["平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区管理委员会"])
def test_the_zone_itself_is_the_registers_management_committee(name: str) -> None:
    info = infer_agency(name)
    assert (info.agency_id, info.admin_level, info.province) == ("pingtan_management_committee", "prefecture", "福建省")


# Web pages: the title in the page's head is the first prose block.

PAGE = (
    "<html><head><meta charset='utf-8'>{head}</head><body><div class='content'><p>{body}</p>"
    "<p>本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p></div></body></html>"
)


def test_page_title_from_the_article_title_meta() -> None:
    head = (
        '<meta name="ArticleTitle" content="平潭综合实验区公安局2022年政府信息公开工作年度报告"/>'
        "<title>平潭综合实验区公安局2022年政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会</title>"
    )
    page = PAGE.format(head=head, body=BODY).encode("utf-8")
    first = read_html(page).blocks[0]
    assert (first.kind, first.locator) == ("prose", "page title")
    assert first.cells == ("平潭综合实验区公安局2022年政府信息公开工作年度报告",)
    document = read_report(page).document
    assert (document.agency_name, document.report_year, document.admin_level, document.province) == (
        "平潭综合实验区公安局", 2022, "prefecture", "福建省",
    )
    assert document.agency_name_evidence == "title at page title"


@pytest.mark.parametrize("separator", ["_", " - ", "|"])
def test_page_title_from_the_title_tag_cut_at_the_site_name(separator: str) -> None:
    title = "咸宁市国土资源局2017年政府信息公开工作年度报告"
    head = f"<title>{title}{separator}政府信息公开{separator}咸宁市人民政府</title>"
    blocks = read_html(PAGE.format(head=head, body=BODY).encode("utf-8")).blocks
    assert blocks[0].cells == (title,)


def test_page_without_title_and_title_already_first_add_nothing() -> None:
    assert read_html(PAGE.format(head="", body=BODY).encode("utf-8")).blocks[0].cells == (BODY,)
    title = "咸宁市国土资源局2017年政府信息公开工作年度报告"
    blocks = read_html(PAGE.format(head=f"<title>{title}</title>", body=title).encode("utf-8")).blocks
    assert [b.locator for b in blocks].count("page title") == 0 and blocks[0].cells == (title,)
