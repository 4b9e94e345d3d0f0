"""Tables in the shapes of real reports beyond the national forms, each with its truth from its own values.

- Fujian's own forms: the 2009–2013 short form (指标名称 / 计量单位 / 年末统计, or YYYY年度 / 历年累计) and the
  2014–2018 form (主动公开文件数 … 政府信息公开收费减免金额 元 … 接受行政申诉、举报数), the 历年累计 column on
  `<code>_cumulative`;
- an agency's own layout (正式受理政府信息公开申请数, 其中：1．在办 2．办结, 同意提供, 查询点数 …), where only the rows
  the label aliases give a code are facts;
- 2019 and 2021 tables as web pages print them: the requester header over three rows with merged cells, table 二
  of 2019 complete (signed 本年增/减 cells, amounts with their unit in the cell: `251000元`, `2.51万元`), table 三
  with only the 自然人 and 总计 columns filled (the other cells blank: NULL, never 0), or with （六）其他处理 printed
  as one row in an otherwise 2021 table.

Every builder returns a `Table`: its row blocks, the truth of every figure it prints, and for each row which
cells print which fact (`RowFigures`), so that a rendering that loses cell boundaries can say which figures
a reader can still place (corpusgen.truth). Nothing here reads a report back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ingestion.catalogue.enums import REQUESTER_COLUMNS
from ingestion.document import Block

Key = tuple[str, str]  # (indicator code, requester type)
# Cell markers for merged cells, kept only by the web-page renderer: a cell covered by the cell to its left
# (colspan) or above it (rowspan). Every other renderer prints them as empty cells.
MERGED_LEFT = "\ue010"
MERGED_UP = "\ue011"


@dataclass(frozen=True)
class RowFigures:
    """The value cells of one table row and the fact each prints.

    `rule` is the arithmetic a reader may use to place run-together figures: 'cumulative' (the second figure
    is at least the first), 'total' (the last is the sum of the others), 'table4' (each block of five: the
    fifth is the sum of the four before it), or '' (none)."""

    block: int  # index of the row block in the table's blocks (in the document once placed)
    cells: tuple[int, ...]  # positions of the value cells in the row
    keys: tuple[Key | None, ...]  # the fact each value cell prints; None: a row without a catalogue code
    rule: str = ""
    signed: tuple[bool, ...] = ()  # cells that may be negative (本年增/减)
    fractional: tuple[bool, ...] = ()  # cells that may have decimals (money)

    def shifted(self, offset: int) -> RowFigures:
        return RowFigures(self.block + offset, self.cells, self.keys, self.rule, self.signed, self.fractional)


@dataclass
class Table:
    blocks: list[Block] = field(default_factory=list)
    truth: dict[Key, float | None] = field(default_factory=dict)
    rows: list[RowFigures] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # this-year figure by code (for prose)

    def heading(self, *cells: str) -> None:
        self.blocks.append(Block("row", cells, "generated"))

    def row(self, label_cells: tuple[str, ...], printed: list[str], keys: list[Key | None],
            values: list[float | None], rule: str = "", signed: tuple[bool, ...] = (),
            fractional: tuple[bool, ...] = ()) -> None:
        start = len(label_cells)
        self.rows.append(RowFigures(len(self.blocks), tuple(range(start, start + len(printed))), tuple(keys), rule,
                                    signed or (False,) * len(printed), fractional or (False,) * len(printed)))
        self.blocks.append(Block("row", (*label_cells, *printed), "generated"))
        for key, value in zip(keys, values, strict=True):
            if key is not None:
                self.truth[key] = value
                if key[1] == "total" and value is not None:
                    self.values.setdefault(key[0], value)


def _count(rng: random.Random, scale: int) -> int:
    """A count as reports print them: mostly zero for applications, appeals and lawsuits."""
    return rng.choice((0, 0, 0, 0, 1, 2, rng.randint(0, scale)))


def _printed(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


# ---------------------------------------------------------------------------------------------- Fujian's forms

# (label, unit, code) of the 2009–2013 short form; {s} is the item separator the report uses (．, . or 、).
_FUJIAN_2009 = (
    ("主动公开信息数", "条", "proactive_total"),
    ("其中：1{s}网站公开", "条", "proactive_channel_website"),
    ("2{s}政府公报公开", "条", "proactive_channel_gazette"),
    ("受理依申请公开信息总数", "条", "application_received"),
    ("其中：1{s}当面申请数", "条", "application_received_in_person"),
    ("2{s}传真申请数", "条", "application_received_fax"),
    ("3{s}电子邮件申请数", "条", "application_received_email"),
    ("4{s}网上申请数", "条", "application_received_online"),
    ("5{s}信函申请数", "条", "application_received_letter"),
    ("6{s}其他形式申请数", "条", "application_received_other"),
    ("对申请的答复总数", "条", "application_answered"),
    ("其中：1{s}同意公开答复数", "条", "answered_granted"),
    ("2{s}同意部分公开答复数", "条", "answered_partially_granted"),
    ("3{s}否决公开答复总数", "条", "answered_denied"),
    ("行政复议数", "件", "review_total"),
    ("行政诉讼数", "件", "litigation_total"),
)
_FUJIAN_2014 = (
    ("主动公开文件数", "条", "proactive_total"),
    ("其中：1{s}政府网站公开数", "条", "proactive_channel_website"),
    ("2{s}政府公报公开数", "条", "proactive_channel_gazette"),
    ("受理依申请公开信息总数", "条", "application_received"),
    ("其中：1{s}当面申请数", "条", "application_received_in_person"),
    ("2{s}网上申请数", "条", "application_received_online"),
    ("3{s}信函、传真申请数", "条", "application_received_letter_fax"),
    ("对申请的答复总数", "条", "application_answered"),
    ("其中：1{s}同意公开答复数", "条", "answered_granted"),
    ("2{s}同意部分公开答复数", "条", "answered_partially_granted"),
    ("3{s}不予公开答复数", "条", "answered_denied"),
    ("4{s}其他类型答复数", "条", "answered_other_types"),
    ("政府信息公开收费减免金额", "元", "fees_waived_amount"),
    ("接受行政申诉、举报数", "件", "appeals_and_reports_total"),
    ("行政复议数", "件", "review_total"),
    ("行政诉讼数", "件", "litigation_total"),
)
# Parts that add up to their row (this year and, in the 历年累计 column, all years).
_FUJIAN_SUMS = {
    "proactive_total": ("proactive_channel_website", "proactive_channel_gazette"),
    "application_received": (
        "application_received_in_person", "application_received_fax", "application_received_email",
        "application_received_online", "application_received_letter", "application_received_other",
        "application_received_letter_fax",
    ),
    "application_answered": (
        "answered_granted", "answered_partially_granted", "answered_denied", "answered_other_types",
    ),
}


def fujian(rng: random.Random, year: int, form: str) -> Table:
    """Fujian's own statistics table: `form` '2009' (the 2009–2013 short form) or '2014' (the 2014–2018 form)."""
    table = Table()
    separator = rng.choice(("．", ".", "、"))
    if form == "2009":
        rows = list(_FUJIAN_2009)
        if rng.random() < 0.3:  # some print five application channels, without 6．其他形式申请数
            rows = [r for r in rows if r[2] != "application_received_other"]
        rows.append(rng.choice((("行政申诉数", "件", "appeals_total"),
                                ("行政申诉、举报数", "件", "appeals_and_reports_total"))))
        if rng.random() < 0.3:  # reconsiderations and lawsuits counted in 条, as some reports print them
            rows = [(label, "条", code) for label, _, code in rows]
        two_columns = rng.random() < 0.5
        year_header = rng.choice(("年末统计", "本年度")) if not two_columns else f"{year}年度"
    else:
        rows = list(_FUJIAN_2014)
        if rng.random() < 0.3:
            label = rng.choice(("受理政府信息公开申请总数", "受理政府信息依申请公开总数"))
            rows[3] = (label, "条", "application_received")
        if rng.random() < 0.3:
            rows[0] = ("主动公开信息数", "条", "proactive_total")
        two_columns = True
        year_header = rng.choice((f"{year}年度", "本年度", f"{year}年"))
    scale = rng.choice((30, 300, 3000, 30000))
    this_year: dict[str, float] = {}
    all_years: dict[str, float] = {}
    codes = [code for _, _, code in rows]
    for code in codes:
        if code == "proactive_channel_website":
            value = float(rng.randint(0, scale))
        elif code == "proactive_channel_gazette":
            value = float(rng.choice((0, 0, 0, rng.randint(0, max(1, scale // 20)))))
        elif code == "fees_waived_amount":
            value = float(rng.choice((0, 0, 0, rng.randint(1, 400) * 10)))  # in 元, as printed
        else:
            value = float(_count(rng, 12))
        this_year[code] = value
        all_years[code] = value + float(rng.choice((0, rng.randint(0, 3 * scale if code.startswith("proactive")
                                                                      else 20))))
    for total, parts in _FUJIAN_SUMS.items():
        present = [p for p in parts if p in this_year]
        if total in this_year and present:
            this_year[total] = sum(this_year[p] for p in present)
            all_years[total] = sum(all_years[p] for p in present)
    # misprints real Fujian tables carry, each a label a careful reader still places
    misprints = {
        "application_received_in_person": ("当面申请数", "当面申请书"),
        "application_received_other": ("其他形式申请数", "其它形式申请数"),
        "answered_granted": ("1{s}同意公开答复数", "1同意公开答复数"),
        "appeals_and_reports_total": ("接受行政申诉、举报数", "接受行政诉讼、举报数"),
    }
    rows = [
        (label.replace(*misprints[code]) if code in misprints and rng.random() < 0.15 else label, unit, code)
        for label, unit, code in rows
    ]
    # a 历年累计 cell left blank (a row printing one cell for two columns): not reported, NULL
    blank = rng.choice([code for _, _, code in rows if code not in _FUJIAN_SUMS]) \
        if two_columns and rng.random() < 0.15 else None
    label_header = rng.choice(("指标名称", "指 标 名 称"))
    unit_header = rng.choice(("计量单位", "单位")) if form == "2014" else "计量单位"
    headers = (label_header, unit_header, year_header, *(["历年累计"] if two_columns else []))
    table.heading(*headers)
    for label, unit, code in rows:
        money = code == "fees_waived_amount"
        factor = 10_000.0 if money else 1.0  # printed in 元, kept in 万元
        values: list[float | None] = [this_year[code]] + ([all_years[code]] if two_columns else [])
        if code == blank:
            values[1] = None
        keys: list[Key | None] = [(code, "total")] + ([(f"{code}_cumulative", "total")] if two_columns else [])
        table.row((label.format(s=separator), unit), [_printed(v) for v in values], keys,
                  [None if v is None else v / factor for v in values], rule="cumulative" if two_columns else "")
    return table


# -------------------------------------------------------------------------------------- an agency's own layout

def agency_layout(rng: random.Random) -> Table:
    """An agency's own single-value table (平潭县司法局 2013 is one): facts only where a row has a code."""
    table = Table()
    separator = rng.choice(("．", ".", "、"))
    s = separator
    pending, done = _count(rng, 5), _count(rng, 20)
    refusals = [_count(rng, 3) for _ in range(6)]
    granted = max(0, done - sum(refusals))
    done = granted + sum(refusals)
    channels = [_count(rng, 40) for _ in range(4)]
    points = rng.randint(0, 6)
    rows: list[tuple[str, str, float, str | None]] = [
        ("主动公开信息数", "条", float(rng.randint(0, 600)), "proactive_total"),
        ("正式受理政府信息公开申请数", "件", float(pending + done), "application_received"),
        (f"其中：1{s}在办", "件", float(pending), None),
        (f"2{s}办结", "件", float(done), "application_closed"),
        (f"其中：1{s}同意提供", "件", float(granted), "answered_granted"),
        (f"2{s}拒绝提供", "件", float(sum(refusals)), None),
    ]
    reasons = ("信息不存在", "信息涉密", "信息描述不清", "超出合理需要", "第三方不同意", "其他")
    for i, (reason, value) in enumerate(zip(reasons, refusals, strict=True), start=1):
        rows.append((f"{'其中：' if i == 1 else ''}{i}{s}{reason}", "件", float(value), None))
    rows.append(("政府信息公开查询点数", rng.choice(("个", "件")), float(points), "org_reading_points"))
    rows.append(("政府信息公开查询点受理查询数", "件", float(_count(rng, 50)), None))
    if rng.random() < 0.7:
        rows.append(("政府信息咨询数", "件", float(sum(channels)), None))
        for i, (channel, value) in enumerate(zip(("公开电话", "服务窗口", "网络信箱（论坛）", "其他"), channels,
                                                 strict=True), start=1):
            rows.append((f"{'其中：' if i == 1 else ''}{i}{s}{channel}", "件", float(value), None))
    rows.append(("受理政府信息公开工作行政复议数", "件", float(_count(rng, 2)), "review_total"))
    rows.append(("收到政府信息公开工作行政诉讼数", "件", float(_count(rng, 2)), "litigation_total"))
    table.heading(rng.choice(("指 标 名 称", "指标名称")), "单位", "数量")
    for label, unit, value, code in rows:
        table.row((label, unit), [_printed(value)], [(code, "total") if code else None], [value])
    return table


# ------------------------------------------------------------------------------- 2019 and 2021 tables on the web

def _matrix_header(table: Table, web: bool) -> None:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    if not web:
        table.heading(note, "", "", "申请人情况")
        table.heading("", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
        return
    left, up = MERGED_LEFT, MERGED_UP
    table.heading(note, left, left, "申请人情况", left, left, left, left, left, left)
    table.heading(up, up, up, "自然人", "法人或其他组织", left, left, left, left, "总计")
    table.heading(up, up, up, up, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", up)


_OUTCOMES_2021 = (
    (None, "（一）予以公开", "outcome_granted"),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "outcome_partial"),
    ("（三）不予公开", "1.属于国家秘密", "outcome_denied_state_secret"),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "outcome_denied_prohibited_by_law"),
    ("（三）不予公开", "3.危及“三安全一稳定”", "outcome_denied_security_stability"),
    ("（三）不予公开", "4.保护第三方合法权益", "outcome_denied_third_party"),
    ("（三）不予公开", "5.属于三类内部事务信息", "outcome_denied_internal_affairs"),
    ("（三）不予公开", "6.属于四类过程性信息", "outcome_denied_process_info"),
    ("（三）不予公开", "7.属于行政执法案卷", "outcome_denied_enforcement_files"),
    ("（三）不予公开", "8.属于行政查询事项", "outcome_denied_administrative_query"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "outcome_unavailable_not_held"),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "outcome_unavailable_needs_creation"),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "outcome_unavailable_unclear"),
    ("（五）不予处理", "1.信访举报投诉类申请", "outcome_not_processed_petition"),
    ("（五）不予处理", "2.重复申请", "outcome_not_processed_duplicate"),
    ("（五）不予处理", "3.要求提供公开出版物", "outcome_not_processed_publication"),
    ("（五）不予处理", "4.无正当理由大量反复申请", "outcome_not_processed_excessive"),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "outcome_not_processed_confirmation"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "outcome_other_overdue_correction"),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "outcome_other_unpaid_fee"),
    ("（六）其他处理", "3.其他", "outcome_other_misc"),
)


def matrix(rng: random.Random, *, other_single: bool, blank_columns: bool = False, web: bool = True,
           busy: bool = False) -> Table:
    """Table 三: new, carried-in, every outcome, total, carried-out, per requester column.

    `other_single`: （六）其他处理 is one row (the 2019 form, and some 2021 tables); `blank_columns`: only 自然人
    and 总计 are filled, the other requester cells printed blank (and, on some rows, 总计 too); `web`: the
    requester header over three rows with merged cells, group labels merged down their items; `busy`: an
    agency with many applications (larger figures in every column)."""
    table = Table()
    _matrix_header(table, web)
    outcomes = [o for o in _OUTCOMES_2021 if not (other_single and o[0] == "（六）其他处理")]
    if other_single:
        outcomes.append((None, "（六）其他处理", "outcome_other_total"))
    columns = 1 if blank_columns else 6

    def draw() -> list[float]:
        first = float(rng.choice((0, 0, 0, 1, 2, rng.randint(0, 300 if busy else 15))))
        rest = [float(rng.choice((0, 0, 0, 0, 0, 1, rng.randint(0, 40 if busy else 3)))) for _ in range(5)]
        return [first, *rest][:columns]

    grid: dict[str, list[float]] = {code: draw() for _, _, code in outcomes}
    grid["outcome_total"] = [sum(grid[c][k] for _, _, c in outcomes) for k in range(columns)]
    grid["app_carried_out"] = [float(rng.choice((0, 0, rng.randint(0, 6)))) for _ in range(columns)]
    grid["app_carried_in"] = [float(rng.choice((0, 0, rng.randint(0, 6)))) for _ in range(columns)]
    grid["app_new"] = [grid["outcome_total"][k] + grid["app_carried_out"][k] - grid["app_carried_in"][k]
                       for k in range(columns)]
    for k in range(columns):  # keep the balance rule and non-negative new applications
        if grid["app_new"][k] < 0:
            grid["app_carried_in"][k] += grid["app_new"][k]
            grid["app_new"][k] = 0.0
    # blank 总计 cells: only where the web page leaves them blank, on a few rows
    blank_total = {code for code in grid if blank_columns and rng.random() < 0.15}

    def line(label_cells: tuple[str, str, str], code: str) -> None:
        values = grid[code]
        cells: list[float | None] = [*values, sum(values)] if not blank_columns else [
            values[0], None, None, None, None, None, None if code in blank_total else values[0]]
        keys: list[Key | None] = [(code, requester) for requester in REQUESTER_COLUMNS]
        table.row(label_cells, [_printed(v) for v in cells], keys, cells, rule="total")

    up = MERGED_UP if web else ""
    line(("一、本年新收政府信息公开申请数量", MERGED_LEFT if web else "", MERGED_LEFT if web else ""), "app_new")
    line(("二、上年结转政府信息公开申请数量", MERGED_LEFT if web else "", MERGED_LEFT if web else ""), "app_carried_in")
    group: str | None = None
    for position, (head, item, code) in enumerate(outcomes):
        top = "三、本年度办理结果" if position == 0 else up
        if head is None:
            cells = (top, item, MERGED_LEFT if web else "")
            group = None
        else:
            cells = (top, head if head != group else up, item)
            group = head
        line(cells, code)
    line((up, "（七）总计", MERGED_LEFT if web else ""), "outcome_total")
    line(("四、结转下年度继续办理", MERGED_LEFT if web else "", MERGED_LEFT if web else ""), "app_carried_out")
    return table


def table4(rng: random.Random) -> Table:
    """Table 四: one row of fifteen figures under a two-level header."""
    table = Table()
    left = MERGED_LEFT
    table.heading("行政复议", left, left, left, left, "行政诉讼", left, left, left, left, left, left, left, left, left)
    table.heading("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", left, left, left, left,
                  "复议后起诉", left, left, left, left)
    table.heading(*([MERGED_UP] * 5), *(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2))
    values: list[float] = []
    keys: list[Key | None] = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = [float(_count(rng, 4)) for _ in range(4)]
        for outcome, value in zip(("upheld", "corrected", "other", "pending", "total"), [*parts, sum(parts)],
                                  strict=True):
            values.append(value)
            keys.append((f"{block}_{outcome}", "total"))
    table.row((), [_printed(v) for v in values], keys, values, rule="table4")
    return table


def _money(rng: random.Random) -> tuple[str, float]:
    """An amount as 2019 tables print it, and its value in 万元: plain 万元, or with its unit in the cell."""
    kind = rng.choice(("zero", "yuan", "wan", "plain"))
    if kind == "zero":
        return "0", 0.0
    if kind == "yuan":
        yuan = rng.randint(1, 9_000_000) * rng.choice((1, 10, 100))
        return f"{yuan}元", yuan / 10_000
    hundredths = rng.randint(1, 500_000)
    value = hundredths / 100
    return (f"{value:g}万元" if kind == "wan" else f"{value:g}"), value


def table2_2019(rng: random.Random, units_in_cells: bool = True) -> Table:
    """The 2019 table 二 complete: items (一) (五) (六) (八) (九), signed 本年增/减 cells, amounts with units."""
    table = Table()
    sections = (
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), (
            ("规章", ("rules_made", "rules_published", "rules_published_total")),
            ("规范性文件", ("normative_docs_made", "normative_docs_published", "normative_docs_published_total")),
        )),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
            ("行政许可", ("licensing_items_prev_year", "licensing_items_change", "licensing_decisions")),
            ("其他对外管理服务事项", ("other_services_items_prev_year", "other_services_items_change",
                                      "other_services_decisions")),
        )),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
            ("行政处罚", ("penalty_items_prev_year", "penalty_items_change", "penalty_decisions")),
            ("行政强制", ("coercion_items_prev_year", "coercion_items_change", "coercion_decisions")),
        )),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), (
            ("行政事业性收费", ("admin_fees_items_prev_year", "admin_fees_items_change")),
        )),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), (
            ("政府集中采购", ("procurement_projects", "procurement_amount")),
        )),
    )
    for title, headers, items in sections:
        table.heading(title)
        table.heading("信息内容", *headers)
        for label, codes in items:
            printed: list[str] = []
            values: list[float] = []
            signed: list[bool] = []
            money: list[bool] = []
            for code in codes:
                if code == "procurement_amount":
                    text, value = _money(rng) if units_in_cells else ("0", 0.0)
                elif code.endswith("_change"):
                    value = float(rng.choice((0, 0, rng.randint(-30, -1), rng.randint(1, 30))))
                    text = f"{value:g}"
                elif code == "procurement_projects":
                    value = float(_count(rng, 20))
                    text = f"{value:g}" + ("笔" if units_in_cells and value and rng.random() < 0.3 else "")
                else:
                    value = float(rng.choice((0, rng.randint(0, 30), rng.randint(0, 900))))
                    text = f"{value:g}"
                printed.append(text)
                values.append(value)
                signed.append(code.endswith("_change"))
                money.append(code == "procurement_amount")
            table.row((label,), printed, [(code, "total") for code in codes], values,
                      signed=tuple(signed), fractional=tuple(money))
    return table


def table2_2021(rng: random.Random) -> Table:
    """The 2021 table 二 with the figures a county agency prints (mostly small)."""
    table = Table()
    sections = (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), (
            ("规章", ("rules_issued", "rules_repealed", "rules_in_force")),
            ("行政规范性文件", ("normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force")),
        )),
        ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", ("licensing_decisions",)),)),
        ("第二十条第（六）项", ("本年处理决定数量",), (("行政处罚", ("penalty_decisions",)),
                                                     ("行政强制", ("coercion_decisions",)))),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", ("admin_fees_amount",)),)),
    )
    for title, headers, items in sections:
        table.heading(title)
        table.heading("信息内容", *headers)
        for label, codes in items:
            values = []
            for code in codes:
                if code == "admin_fees_amount":
                    values.append(rng.choice((0.0, rng.randint(1, 900_000) / 100)))
                elif code.startswith("rules_"):
                    values.append(float(_count(rng, 3)))
                else:
                    values.append(float(rng.choice((0, rng.randint(0, 20), rng.randint(0, 600)))))
            table.row((label,), [_printed(v) for v in values], [(code, "total") for code in codes], values,
                      fractional=tuple(code == "admin_fees_amount" for code in codes))
    return table
