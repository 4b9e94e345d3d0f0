"""Synthetic disclosure reports of every template, each with its ground truth.

Reports are modelled on the real ones: an introduction, prose sections padded with sentences taken
from the bundled seed reports, the statistics tables where agencies print them, typos of the kinds
DOMAIN.md lists, and a signature. Values obey the identity rules (unless a defect is asked for).
Seeded: the same arguments always give the same reports.

The truth is the generator's own values, never a reading of the report: padding prose is chosen to state no
figure (by this module's own rule, not by the parser), and where prose states a figure the generator decided
to state it and records it (`prose`), including a deliberate disagreement with the table (`cases`:
text_table_mismatch), in which the table stays the value of record. The shapes of real reports beyond the
national forms (Fujian's forms, agencies' own layouts, 2019/2021 web tables) are built in corpusgen.shapes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from corpusgen import shapes
from corpusgen.shapes import RowFigures
from corpusgen.truth import cuts
from ingestion.catalogue.enums import REQUESTER_COLUMNS
from ingestion.catalogue.indicators import gb2014_section_headers, indicators
from ingestion.document import Block, Document

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
AGENCIES = (
    ("咸宁市财政局", "prefecture", "湖北省"),
    ("长沙市自然资源和规划局", "prefecture", "湖南省"),
    ("梅河口市人民政府", "county", "吉林省"),
    ("江苏省生态环境厅", "provincial", "江苏省"),
    ("海淀区教育委员会", "other", None),
    ("北京市海淀区人民政府", "county", "北京市"),
    ("淮安市人民政府", "prefecture", "江苏省"),
    ("呼和浩特市赛罕区人民政府", "county", "内蒙古自治区"),
    ("国家统计局", "national", None),
    ("广东省人力资源和社会保障厅", "provincial", "广东省"),
)
_TYPOS = (("数", "教"), ("申请", "中请"), ("舆情", "與情"), ("参加", "參加"))
# Every kind DOMAIN.md lists (seeds 000 and 004): for corpora that want the whole range.
DOMAIN_TYPOS = (
    *_TYPOS, ("数", "效"), ("依申请", "依申清"), ("秘密", "科密"), ("商业秘密", "商业隐私"), ("参", "參"),
)


@dataclass(frozen=True)
class ProseFigure:
    """A figure the generator wrote into the prose: the code it states, the value stated, and the table's value
    of that code (None where the report has no table, or its table does not print the code)."""

    code: str
    value: float
    table_value: float | None
    sentence: str

    @property
    def agrees(self) -> bool:
        return self.table_value is None or self.table_value == self.value


@dataclass
class GeneratedReport:
    name: str
    template: str
    agency: str
    year: int
    document: Document
    truth: dict[tuple[str, str], float | None] = field(default_factory=dict)  # (code, requester) → value
    shape: str = ""  # the generator template that made it (gb2014, regional_fujian_2014, gb2021_blank …)
    title: str = ""  # the report's title as a web page lists it
    rows: list[RowFigures] = field(default_factory=list)  # which cells print which fact (document block indexes)
    prose: list[ProseFigure] = field(default_factory=list)  # figures the prose states
    cases: list[str] = field(default_factory=list)  # deliberate defects, e.g. text_table_mismatch


# What makes a sentence state a figure: a digit, a count in Chinese numerals with its measure word, or a
# negation (未收到申请, 没有发生行政复议, 无收费 all state a 0). Padding has none of them.
_STATES_SOMETHING = re.compile(
    r"[\d０-９]|[零〇○一二两三四五六七八九十百千万]+\s*(?:件|次|条|个|人|名|起|篇|期|场|处|项|份|元|家|批)"
    r"|无|没有|未|不存在|零"
)


# Padding must not name an agency either: the report's own agency is the one its title and signature name. These
# are the places and bodies the bundled seeds' prose names.
_NAMED = re.compile(r"咸宁|呼和浩特|梅河口|湖南|湖北|淮安|内蒙古|吉林|国土资源部|[\u4e00-\u9fff]{2}市国土资源局")


def states_no_figure(sentence: str) -> bool:
    """Whether a sentence is safe padding: it states no figure, not even a zero (the generator's own rule)."""
    return _STATES_SOMETHING.search(sentence) is None


@cache
def _filler_sentences() -> tuple[str, ...]:
    """Real prose from the seeds that states no figure, so padding never adds one."""
    sentences: list[str] = []
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"(?<=。)", text):
            sentence = sentence.strip()
            if 20 <= len(sentence) <= 160 and "|" not in sentence and "\t" not in sentence and "报告" not in sentence \
                    and states_no_figure(sentence) and not _NAMED.search(sentence):
                sentences.append(sentence)
    return tuple(sentences)


def _prose(rng: random.Random, blocks: list[Block], paragraphs: int, heading: str) -> None:
    blocks.append(Block("prose", (heading,), "generated"))
    filler = _filler_sentences()
    for _ in range(paragraphs):
        blocks.append(Block("prose", ("".join(rng.choice(filler) for _ in range(rng.randint(3, 6))),), "generated"))


def _typo(rng: random.Random, label: str, rate: float, typos: tuple[tuple[str, str], ...] = _TYPOS) -> str:
    if rng.random() >= rate:
        return label
    right, wrong = rng.choice(typos)
    return label.replace(right, wrong, 1) if right in label else label


def _head(rng: random.Random, template: str, agency: str, year: int) -> list[Block]:
    return [
        Block("prose", (agency,), "generated"),
        Block("prose", (f"{year}年政府信息公开工作年度报告",), "generated"),
        Block(
            "prose",
            (
                f"本报告由{agency}根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期为"
                f"{year}年1月1日至{year}年12月31日。",
            ),
            "generated",
        ),
    ]


def _tail(agency: str, year: int) -> list[Block]:
    return [Block("prose", (agency,), "generated"), Block("prose", (f"{year + 1}年3月20日",), "generated")]


def _gb2014(
    rng: random.Random, variant: str | None, typo_rate: float, typos: tuple[tuple[str, str], ...] = _TYPOS
) -> tuple[list[Block], dict]:
    catalogue = indicators()
    headers = gb2014_section_headers()
    values: dict[str, float] = {}
    codes = [
        c for c in catalogue.values() if c.template == "gb2014" or (variant == "hubei" and c.template == "gb2014_hubei")
    ]
    for indicator in codes:
        values[indicator.code] = (
            float(rng.randint(0, 400)) if indicator.unit != "万元" else round(rng.uniform(0, 50), 1)
        )
    for total, parts in (
        (
            "application_received",
            (
                "application_received_in_person",
                "application_received_fax",
                "application_received_online",
                "application_received_letter",
            ),
        ),
        ("application_closed", ("application_closed_on_time", "application_closed_extended")),
        (
            "answered_denied",
            (
                "denied_state_secret",
                "denied_commercial_secret",
                "denied_privacy",
                "denied_public_safety",
                "denied_not_government_info",
                "denied_other_legal",
            ),
        ),
        ("review_total", ("review_upheld", "review_corrected", "review_other")),
        ("litigation_total", ("litigation_upheld", "litigation_corrected", "litigation_other")),
        ("org_staff_total", ("org_staff_fulltime", "org_staff_parttime")),
    ):
        values[total] = sum(values[p] for p in parts)
    for header in ("proactive_channel_total", "response_channel_total"):
        values[header] = None  # header rows carry no value
    rows: list[Block] = [
        Block("row", ("政府信息公开情况统计表",), "generated"),
        Block("row", ("统计指标", "单位", "统计数"), "generated"),
    ]
    seen: set[str] = set()
    for indicator in codes:
        if indicator.section not in seen:
            seen.add(indicator.section)
            if indicator.section in headers:
                rows.append(Block("row", (headers[indicator.section], "", ""), "generated"))
        value = values[indicator.code]
        printed = "" if value is None else (f"{value:g}")
        label = _typo(rng, indicator.label_zh, typo_rate, typos)
        rows.append(Block("row", (label, indicator.unit, printed), "generated"))
    return rows, {(code, "total"): value for code, value in values.items()}


def _modern(rng: random.Random, template: str) -> tuple[list[Block], dict]:
    catalogue = indicators()
    truth: dict[tuple[str, str], float | None] = {}
    rows: list[Block] = [Block("prose", ("二、主动公开政府信息情况",), "generated")]
    if template == "gb2021":
        blocks2 = [
            (
                "第二十条第（一）项",
                ("本年制发件数", "本年废止件数", "现行有效件数"),
                [
                    ("规章", ("rules_issued", "rules_repealed", "rules_in_force")),
                    ("行政规范性文件", ("normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force")),
                ],
            ),
            ("第二十条第（五）项", ("本年处理决定数量",), [("行政许可", ("licensing_decisions",))]),
            (
                "第二十条第（六）项",
                ("本年处理决定数量",),
                [("行政处罚", ("penalty_decisions",)), ("行政强制", ("coercion_decisions",))],
            ),
            ("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("行政事业性收费", ("admin_fees_amount",))]),
        ]
    else:
        blocks2 = [
            (
                "第二十条第（一）项",
                ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
                [
                    ("规章", ("rules_made", "rules_published", "rules_published_total")),
                    (
                        "规范性文件",
                        ("normative_docs_made", "normative_docs_published", "normative_docs_published_total"),
                    ),
                ],
            ),
            (
                "第二十条第（五）项",
                ("上一年项目数量", "本年增/减", "处理决定数量"),
                [
                    ("行政许可", ("licensing_items_prev_year", "licensing_items_change", "licensing_decisions")),
                    (
                        "其他对外管理服务事项",
                        ("other_services_items_prev_year", "other_services_items_change", "other_services_decisions"),
                    ),
                ],
            ),
            (
                "第二十条第（九）项",
                ("采购项目数量", "采购总金额"),
                [("政府集中采购", ("procurement_projects", "procurement_amount"))],
            ),
        ]
    for title, headers, items in blocks2:
        rows.append(Block("row", (title,), "generated"))
        rows.append(Block("row", ("信息内容", *headers), "generated"))
        for label, codes in items:
            printed = []
            for code in codes:
                value = round(rng.uniform(0, 5000), 1) if catalogue[code].unit == "万元" else float(rng.randint(0, 900))
                truth[(code, "total")] = value
                printed.append(f"{value:g}")
            rows.append(Block("row", (label, *printed), "generated"))
    rows.append(Block("prose", ("三、收到和处理政府信息公开申请情况",), "generated"))
    rows.append(
        Block(
            "row",
            ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"),
            "generated",
        )
    )
    rows.append(
        Block(
            "row",
            ("", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"),
            "generated",
        )
    )
    outcome_codes = [
        c
        for c in catalogue.values()
        if c.section == "三"
        and c.template in {"gb2019", "gb2021"}
        and c.code.startswith("outcome_")
        and c.code != "outcome_total"
        and not (template == "gb2021" and c.code == "outcome_other_total")
        and not (template == "gb2019" and c.code.startswith("outcome_other_") and c.code != "outcome_other_total")
    ]
    matrix: dict[str, list[float]] = {}
    for indicator in outcome_codes:
        matrix[indicator.code] = [float(rng.choice((0, 0, 1, 2, rng.randint(0, 300)))) for _ in range(6)]
    matrix["outcome_total"] = [sum(matrix[c.code][k] for c in outcome_codes) for k in range(6)]
    matrix["app_carried_out"] = [float(rng.randint(0, 20)) for _ in range(6)]
    matrix["app_carried_in"] = [float(rng.randint(0, 20)) for _ in range(6)]
    matrix["app_new"] = [
        matrix["outcome_total"][k] + matrix["app_carried_out"][k] - matrix["app_carried_in"][k] for k in range(6)
    ]
    for k in range(6):  # keep the balance rule and non-negative new applications
        if matrix["app_new"][k] < 0:
            matrix["app_carried_in"][k] += matrix["app_new"][k]
            matrix["app_new"][k] = 0.0
    for code, values in matrix.items():
        for requester, value in zip(REQUESTER_COLUMNS, [*values, sum(values)], strict=True):
            truth[(code, requester)] = value

    def line(label_cells: tuple[str, str, str], code: str) -> Block:
        values = [*matrix[code], sum(matrix[code])]
        return Block("row", (*label_cells, *(f"{v:g}" for v in values)), "generated")

    rows.append(line(("一、本年新收政府信息公开申请数量", "", ""), "app_new"))
    rows.append(line(("二、上年结转政府信息公开申请数量", "", ""), "app_carried_in"))
    group = None
    for indicator in outcome_codes:
        label = indicator.label_zh
        if " " in label:
            head, item = label.split(" ", 1)
            cells = ("三、本年度办理结果" if group is None else "", head if head != group else "", item)
            group = head
        else:
            cells = ("三、本年度办理结果" if group is None else "", label, "")
            group = label
        rows.append(line(cells, indicator.code))
    rows.append(line(("", "（七）总计", ""), "outcome_total"))
    rows.append(line(("四、结转下年度继续办理", "", ""), "app_carried_out"))
    rows.append(Block("prose", ("四、政府信息公开行政复议、行政诉讼情况",), "generated"))
    rows.append(Block("row", ("行政复议", "", "", "", "", "行政诉讼"), "generated"))
    rows.append(
        Block(
            "row",
            ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"),
            "generated",
        )
    )
    cells15: list[float] = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = [float(rng.randint(0, 30)) for _ in range(4)]
        for outcome, value in zip(
            ("upheld", "corrected", "other", "pending", "total"), [*parts, sum(parts)], strict=True
        ):
            truth[(f"{block}_{outcome}", "total")] = value
            cells15.append(value)
    rows.append(Block("row", tuple(f"{v:g}" for v in cells15), "generated"))
    return rows, truth


def _narrative(rng: random.Random) -> tuple[list[Block], dict, list[ProseFigure]]:
    received = rng.randint(1, 900)
    staff, part = rng.randint(1, 5), rng.randint(1, 30)
    sentences = [
        (f"全年共收到政府信息公开申请{received}件，均已按期答复。", {("application_received", "total"): received}),
        (
            f"我单位从事政府信息公开工作的专职人员{staff}人，兼职人员{part}人。",
            {("org_staff_fulltime", "total"): staff, ("org_staff_parttime", "total"): part},
        ),
        (
            "全年没有发生因政府信息公开引起的行政复议、行政诉讼案件。",
            {("review_total", "total"): 0, ("litigation_total", "total"): 0},
        ),
    ]
    blocks: list[Block] = []
    truth: dict[tuple[str, str], float | None] = {}
    prose: list[ProseFigure] = []
    for text, facts in sentences:
        blocks.append(Block("prose", (text,), "generated"))
        truth |= {key: float(value) for key, value in facts.items()}
        prose.extend(ProseFigure(code, float(value), None, text) for (code, _), value in facts.items())
    return blocks, truth, prose


# The shapes of real reports beyond the national forms (corpusgen.shapes): generator template → the template
# name the truth gives the report.
SHAPE_TEMPLATES = {
    "regional_fujian": "regional_fujian",  # Fujian's 2009–2013 short form
    "regional_fujian_2014": "regional_fujian",  # Fujian's 2014–2018 form
    "agency_layout": "other",  # an agency's own layout
    "gb2019_web": "gb2019",  # table 二 complete, signed changes, amounts with units; small web-page figures
    "gb2021_web": "gb2021",  # a 2021 web page: merged header cells, small figures
    "gb2021_blank": "gb2021",  # table 三 fills only 自然人 and 总计, the other cells blank
    "gb2021_other_single": "gb2021",  # a 2021 table whose （六）其他处理 is one row
}
TEMPLATES = ("gb2014", "gb2014_hubei", "gb2019", "gb2021", "narrative", *SHAPE_TEMPLATES)
FUJIAN_AGENCIES = (
    "福州市财政局", "厦门市公安局", "莆田市国土资源局", "三明市人民政府", "泉州市司法局", "漳州市交通运输局",
    "南平市林业局", "龙岩市统计局", "宁德市海洋与渔业局", "福清市人民政府", "长乐市教育局", "闽侯县农业局",
    "连江县人民政府", "晋江市民政局", "石狮市环境保护局", "永安市卫生局",
)
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1–31 in Chinese numerals, as signatures date reports (十三, 二十一)."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[units] if units else "")


def _signed_date(rng: random.Random, year: int) -> str:
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    if rng.random() < 0.4:  # 二〇一四年一月十三日
        return f"{''.join(_CN_DIGITS[int(d)] for d in str(year + 1))}年{_cn_number(month)}月{_cn_number(day)}日"
    return f"{year + 1}年{month}月{day}日"


def _filler(rng: random.Random, sentences: int) -> Block:
    filler = _filler_sentences()
    return Block("prose", ("".join(rng.choice(filler) for _ in range(sentences)),), "generated")


def _glued_year_figures(table: shapes.Table, code: str) -> set[float]:
    """This year's figures a reader of the row of `code` could take if its cells ran together: a prose figure
    that disagrees on purpose must not be one of them, or it would decide the run instead of contradicting it."""
    for row in table.rows:
        if row.keys and row.keys[0] == (code, "total"):
            block = table.blocks[row.block]
            printed = [block.cells[i] for i in row.cells]
            return {cut[0] for cut in cuts("".join(printed), row) if cut[0] is not None}
    return set()


def _stated(rng: random.Random, table: shapes.Table, year: int, mismatch: bool) -> list[tuple[str, ProseFigure]]:
    """Sentences stating the table's proactive and received figures, as Fujian reports write them: (section,
    figure). With `mismatch`, one of them states another number than the table (the table stays the record)."""
    statements: list[tuple[str, ProseFigure]] = []
    wrong = rng.choice(("proactive_total", "application_received")) if mismatch else None
    for code, section in (("proactive_total", "二"), ("application_received", "三")):
        if code not in table.values:
            continue
        value = table.values[code]
        stated = value
        if code == wrong:
            avoid = _glued_year_figures(table, code) | {value}
            stated = value + rng.randint(1, 40)
            while stated in avoid:
                stated += 1
        n = f"{stated:g}"
        if code == "proactive_total":
            sentence = rng.choice((
                f"{year}年1月1日至{year}年12月31日，本局共主动公开政府信息{n}条，全文电子化率达100%。",
                f"全年共主动公开政府信息{n}条。",
            ))
        elif stated == 0:
            sentence = rng.choice((f"{year}年度，我局没有收到信息公开申请。", "本年度未收到政府信息公开申请。"))
        else:
            sentence = rng.choice((f"全年共受理政府信息公开申请{n}件，均在规定期限内答复。",
                                   f"{year}年度，我局共收到政府信息公开申请{n}件。"))
        statements.append((section, ProseFigure(code, stated, value, sentence)))
    return statements


def _shape(template: str, seed: int, agency: str | None, paragraphs: int) -> GeneratedReport:
    """A report in one of the SHAPE_TEMPLATES, its truth from the values it prints."""
    rng = random.Random(f"{template}-{seed}")
    fujian = template.startswith("regional_fujian") or template == "agency_layout"
    agency = agency or rng.choice(FUJIAN_AGENCIES if fujian or rng.random() < 0.5 else [a[0] for a in AGENCIES])
    year = {
        "regional_fujian": rng.randint(2009, 2013), "regional_fujian_2014": rng.randint(2014, 2018),
        "agency_layout": rng.randint(2010, 2015), "gb2019_web": rng.choice((2019, 2020)),
    }.get(template, rng.randint(2021, 2025))
    title = f"{agency}{year}年度政府信息公开工作年度报告"
    blocks: list[Block] = [
        Block("prose", (title,), "generated"),
        Block("prose", (f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自{year}年1月1日起至"
                        f"{year}年12月31日止。",), "generated"),
    ]
    tables: list[tuple[str, shapes.Table]] = []  # (heading printed above it, table)
    prose: list[ProseFigure] = []
    cases: list[str] = []
    if fujian:
        if template == "agency_layout":
            table = shapes.agency_layout(rng)
        else:
            table = shapes.fujian(rng, year, "2009" if template == "regional_fujian" else "2014")
        statements = _stated(rng, table, year, mismatch=rng.random() < 0.3)
        by_section: dict[str, list[ProseFigure]] = {}
        for section, figure in statements:
            by_section.setdefault(section, []).append(figure)
        for heading in ("一、年度政府信息公开工作概述", "二、政府信息主动公开情况", "三、依申请公开政府信息情况",
                        "四、存在的主要问题和改进措施"):
            blocks.append(Block("prose", (heading,), "generated"))
            for figure in by_section.get(heading[0], []):
                blocks.append(Block("prose", (figure.sentence,), "generated"))
                prose.append(figure)
            for _ in range(paragraphs):
                blocks.append(_filler(rng, rng.randint(2, 4)))
        if any(not f.agrees for f in prose):
            cases.append("text_table_mismatch")
        blocks.append(Block("prose", (agency,), "generated"))
        blocks.append(Block("prose", (_signed_date(rng, year),), "generated"))
        tables.append((rng.choice(("附表：", f"附件：{agency}{year}年政府信息公开情况统计表")), table))
    else:
        blocks.append(Block("prose", ("一、总体情况",), "generated"))
        for _ in range(paragraphs):
            blocks.append(_filler(rng, rng.randint(3, 5)))
        if template == "gb2019_web":
            two = shapes.table2_2019(rng)
            three = shapes.matrix(rng, other_single=True)
        else:
            two = shapes.table2_2021(rng)
            three = shapes.matrix(rng, other_single=template == "gb2021_other_single",
                                  blank_columns=template == "gb2021_blank",
                                  busy=template == "gb2021_web" and rng.random() < 0.3)
        tables += [("二、主动公开政府信息情况", two), ("三、收到和处理政府信息公开申请情况", three),
                   ("四、政府信息公开行政复议、行政诉讼情况", shapes.table4(rng))]
    truth: dict[tuple[str, str], float | None] = {}
    rows: list[RowFigures] = []
    for heading, table in tables:
        blocks.append(Block("prose", (heading,), "generated"))
        rows.extend(row.shifted(len(blocks)) for row in table.rows)
        blocks.extend(table.blocks)
        truth |= table.truth
    if not fujian:
        for heading in ("五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
            blocks.append(Block("prose", (heading,), "generated"))
            blocks.append(_filler(rng, rng.randint(2, 4)))
        blocks.append(Block("prose", (agency,), "generated"))
        blocks.append(Block("prose", (_signed_date(rng, year),), "generated"))
    truth = {key: value for key, value in truth.items()}
    return GeneratedReport(
        f"{template}-{seed:05d}", SHAPE_TEMPLATES[template], agency, year, Document(blocks, "text"), truth,
        shape=template, title=title, rows=rows, prose=prose, cases=cases,
    )


def generate(
    template: str,
    seed: int,
    pages_of_prose: int = 4,
    typo_rate: float = 0.1,
    paragraphs: int = 3,
    agency: str | None = None,
    typos: tuple[tuple[str, str], ...] = _TYPOS,
) -> GeneratedReport:
    """One report of `template` (gb2014, gb2014_hubei, gb2019, gb2021, narrative, or one of SHAPE_TEMPLATES).

    `pages_of_prose` sections (at most five) of `paragraphs` paragraphs each precede the tables (a PDF page
    holds about eight paragraphs); `agency` replaces the agency drawn from AGENCIES; `typos` are the
    (right, wrong) label typos drawn at `typo_rate` (DOMAIN_TYPOS for every kind). The defaults give the
    reports the tests were written against. The SHAPE_TEMPLATES take only `paragraphs` (per section) and
    `agency`: their labels are the forms' own.
    """
    if template in SHAPE_TEMPLATES:
        return _shape(template, seed, agency, paragraphs=min(paragraphs, 3))
    rng = random.Random(f"{template}-{seed}")
    drawn, _, _ = rng.choice(AGENCIES)
    agency = agency or drawn
    year = {"gb2019": rng.choice((2019, 2020)), "gb2021": rng.randint(2021, 2024)}.get(
        template, rng.randint(2014, 2018)
    )
    blocks = _head(rng, template, agency, year)
    headings = (
        "一、总体情况",
        "二、主动公开情况",
        "三、依申请公开情况",
        "四、存在的主要问题及改进情况",
        "五、其他需要报告的事项",
    )
    for heading in headings[: max(1, pages_of_prose)]:
        _prose(rng, blocks, paragraphs=paragraphs, heading=heading)
    prose: list[ProseFigure] = []
    if template.startswith("gb2014"):
        table, truth = _gb2014(rng, "hubei" if template == "gb2014_hubei" else None, typo_rate, typos)
        blocks.extend(table)
    elif template in {"gb2019", "gb2021"}:
        table, truth = _modern(rng, template)
        blocks.extend(table)
    else:
        table, truth, prose = _narrative(rng)
        blocks[3:3] = table
    blocks.extend(_tail(agency, year))
    document = Document(blocks, "text")
    return GeneratedReport(f"{template}-{seed:05d}", template.split("_")[0], agency, year, document, truth,
                           shape=template, title=f"{agency}{year}年政府信息公开工作年度报告", prose=prose)
