"""Tables without ruling lines, read from pdfium's text lines (lines as pdfium gives them for generated PDFs)."""

from __future__ import annotations

from corpusgen.render import to_pdf
from corpusgen.reports import generate
from ingestion.document import Block, Document
from ingestion.extract import read_report
from ingestion.readers.pdf import _fallback_rows
from ingestion.readers.pdf_lines import rows_from_lines
from ingestion.templates.gb2019_2021 import split_headers


def _rows(lines: list[str]) -> list[tuple[str, ...]]:
    return [b.cells for b in rows_from_lines(lines, lambda n: f"line {n}") if b.kind == "row"]


def test_wrapped_table2_header_comes_back_as_one_header_split_at_column_names() -> None:
    rows = _rows(["第二十条第（一）项", "信息内容 本年制发件", "数", "本年废止件", "数", "现行有效件", "数",
                  "规章 213 356 29", "第二十条第（八）项", "信息内容", "本年收费金", "额（单位：", "万元）",
                  "行政事业性收费 4719.6"])
    assert rows == [("信息内容", "本年制发件数本年废止件数现行有效件数"), ("规章", "213", "356", "29"),
                    ("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费", "4719.6")]
    assert split_headers(rows[0][1]) == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert split_headers(rows[2][1]) == ["本年收费金额（单位：万元）"]
    assert split_headers("上一年项目数量本年增/减处理决定数量") == ["上一年项目数量", "本年增/减", "处理决定数量"]


def test_wrapped_group_and_item_labels_join_their_figures_and_header_stacks_do_not() -> None:
    rows = _rows(["申请", "人情", "况", "4.无正当理由大量反复申请 0 0 1 1 258 0 260",
                  "（六）其他处", "理", "1.申请人无正当理由逾期不补正、", "行政机关不再处理其政府信息公", "开申请",
                  "86 0 1 2 0 1 90", "5.要求行政机关确认或重新出具", "已获取信息 1 0 2 2 2 2 9"])
    assert rows == [
        ("4.无正当理由大量反复申请", "0", "0", "1", "1", "258", "0", "260"),
        ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "86", "0", "1", "2", "0", "1", "90"),
        ("5.要求行政机关确认或重新出具已获取信息", "1", "0", "2", "2", "2", "2", "9"),
    ]


def test_one_row_of_figures_broken_over_lines_is_one_row_and_a_lone_figure_is_not_a_page_number() -> None:
    text = "\n".join(["3", "四、政府信息公开行政复议、行政诉讼情况", "复议", "后起诉", "16 12 14 22 64", "2",
                      "9 28 22 61", "3 10 26", "8 47", "荆门市市场监督管理局", "4"])
    blocks = _fallback_rows(text, 7)
    rows = [b.cells for b in blocks if b.kind == "row"]
    assert len(rows) == 1 and rows[0][0].endswith("复议后起诉")  # table 四 reads the fifteen figures at the end
    assert rows[0][1:] == ("16", "12", "14", "22", "64", "2", "9", "28", "22", "61", "3", "10", "26", "8", "47")
    assert [b.text for b in blocks][-1] == "荆门市市场监督管理局"  # the page numbers 3 and 4 are gone


def test_2014_rows_without_figures_stay_rows_inside_the_table_and_headings_outside_stay_prose() -> None:
    blocks = rows_from_lines(
        ["九、存在的主要问题及改进措施", "统 计 指 标 单位 统计数", "一、主动公开情况",
         "（一）主动公开政府信息数 条 1169", "制发规范性文件总数 件", "（二）举办各类培训班数", "次 159",
         "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建", "设维护等方面的经费) 万元 1.8",
         "(一)网站是否具备网上办事功能 是/否 否"],
        lambda n: f"line {n}",
    )
    assert [(b.kind, b.cells) for b in blocks] == [
        ("prose", ("九、存在的主要问题及改进措施",)),
        ("row", ("统", "计", "指", "标", "单位", "统计数")),
        ("row", ("一、主动公开情况",)),
        ("row", ("（一）主动公开政府信息数", "条", "1169")),
        ("row", ("制发规范性文件总数", "件")),
        ("row", ("（二）举办各类培训班数", "次", "159")),
        ("row", ("(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元", "1.8")),
        ("row", ("(一)网站是否具备网上办事功能", "是/否", "否")),
    ]


def test_a_borderless_matrix_row_with_a_blank_cell_is_reported_not_guessed() -> None:
    """Without ruling lines a blank cell leaves no trace in the text: the row's six figures cannot be placed."""
    report = generate("gb2021", seed=3)
    blocks = [
        Block("row", (*b.cells[:4], "", *b.cells[5:]), b.locator, b.table)
        if b.kind == "row" and "1.属于国家秘密" in b.cells else b
        for b in report.document.blocks
    ]
    result = read_report(to_pdf(Document(blocks, "text"), ruled=False))
    got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
    assert not [key for key in got if key[0] == "outcome_denied_state_secret"]
    assert all(got[key] == value for key, value in report.truth.items() if key[0] != "outcome_denied_state_secret")
    (finding,) = [f for f in result.findings if f.finding_type == "row_not_trusted"]
    assert finding.raw_label == "（三）不予公开 1.属于国家秘密" and "cannot be placed" in finding.message_en
