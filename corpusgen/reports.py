"""Synthetic disclosure reports of every template, each with its ground truth.

Reports are modelled on the real ones: an introduction, prose sections padded with sentences taken
from the bundled seed reports, the statistics tables where agencies print them, typos of the kinds
DOMAIN.md lists, and a signature. Values obey the identity rules (unless a defect is asked for).
Seeded: the same arguments always give the same reports.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ingestion.catalogue import REQUESTER_TYPES, gb2014_section_headers, indicators
from ingestion.document import Block, Document
from ingestion.templates.narrative import read_narrative

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
REQUESTER_COLUMNS = (*REQUESTER_TYPES[1:], "total")


@dataclass
class GeneratedReport:
    name: str
    template: str
    agency: str
    year: int
    document: Document
    truth: dict[tuple[str, str], float | None] = field(default_factory=dict)  # (code, requester) → value


@cache
def _filler_sentences() -> tuple[str, ...]:
    """Real prose from the seeds, without digits, so padding never adds a figure."""
    sentences: list[str] = []
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"(?<=。)", text):
            sentence = sentence.strip()
            if 20 <= len(sentence) <= 160 and not re.search(r"[\d０-９|\t]", sentence) and "报告" not in sentence:
                sentences.append(sentence)
    # padding must state no figure (a negation such as 未发生…收取费用 states a 0)
    stated = {f.raw_label for f in read_narrative([Block("prose", (s,), "filler") for s in sentences]).facts}
    return tuple(s for s in sentences if s not in stated)


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


def _narrative(rng: random.Random) -> tuple[list[Block], dict]:
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
    for text, facts in sentences:
        blocks.append(Block("prose", (text,), "generated"))
        truth |= {key: float(value) for key, value in facts.items()}
    return blocks, truth


def generate(
    template: str,
    seed: int,
    pages_of_prose: int = 4,
    typo_rate: float = 0.1,
    paragraphs: int = 3,
    agency: str | None = None,
    typos: tuple[tuple[str, str], ...] = _TYPOS,
) -> GeneratedReport:
    """One report of `template` (gb2014, gb2014_hubei, gb2019, gb2021, narrative).

    `pages_of_prose` sections (at most five) of `paragraphs` paragraphs each precede the tables (a PDF page
    holds about eight paragraphs); `agency` replaces the agency drawn from AGENCIES; `typos` are the
    (right, wrong) label typos drawn at `typo_rate` (DOMAIN_TYPOS for every kind). The defaults give the
    reports the tests were written against.
    """
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
    if template.startswith("gb2014"):
        table, truth = _gb2014(rng, "hubei" if template == "gb2014_hubei" else None, typo_rate, typos)
        blocks.extend(table)
    elif template in {"gb2019", "gb2021"}:
        table, truth = _modern(rng, template)
        blocks.extend(table)
    else:
        table, truth = _narrative(rng)
        blocks[3:3] = table
    blocks.extend(_tail(agency, year))
    document = Document(blocks, "text")
    return GeneratedReport(f"{template}-{seed:05d}", template.split("_")[0], agency, year, document, truth)
