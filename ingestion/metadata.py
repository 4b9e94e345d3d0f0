"""Which agency wrote a report and which year it covers, each with the evidence that decided it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.document import Block

_ORG_SUFFIX = r"(?:局|厅|部|委员会|委|办公室|办公厅|人民政府|政府|管理委员会|管委会|中心|院|署|总局|实验区|新区)"
_FILLED_BY = re.compile(r"填\s*报\s*单\s*位\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*(\S+)")
_TITLE = re.compile(r"^(.{2,40}?)\s*[(（]?(\d{4})\s*年\s*度?[)）]?\s*(?:政府信息公开|政务公开)")
_YEAR_TITLE = re.compile(r"^(\d{4})\s*年\s*度?\s*(?:政府信息公开|政务公开)\S*报告")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,40}}{_ORG_SUFFIX}$")
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_PERIOD = re.compile(r"统计期限?(?:为|是|自|从|：|:)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日")
_TABLE_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年\s*度?\s*[)）]|(\d{4})\s*年度\S*统计表")
_PROSE_YEAR = re.compile(r"(\d{4})\s*年度?\s*[,，]?\s*(?:我|本)(?:局|厅|部|委|办|市|县|区|院|中心|单位|机关)")
_ORG_IN_PROSE = re.compile(
    rf"([\u4e00-\u9fff]{{2,12}}?(?:省|市|自治区|县|区|州|盟|旗)[\u4e00-\u9fff]{{2,10}}?{_ORG_SUFFIX})"
)
# An office signing for its agency (湖南省国土资源厅办公室 signs for 湖南省国土资源厅). A government's
# general office (人民政府办公室/办公厅) is an agency of its own and is kept whole.
_SIGNING_OFFICE = re.compile(r"^(.+?(?:厅|局|部|委员会|委))办公室$")


@dataclass(frozen=True)
class ReportIdentity:
    agency_name: str | None
    agency_evidence: str | None
    report_year: int | None
    year_evidence: str | None


def _clean_org(name: str) -> str:
    name = re.sub(r"[\s（(].*$", "", name.strip())  # drop "(盖章)" and anything after a space
    name = name.strip("：:，,。|")
    if (match := _SIGNING_OFFICE.match(name)) and "人民政府" not in name:
        return match.group(1)
    return name


def _lines(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    return [(cell.strip(), block.locator) for block in blocks for cell in block.cells if cell.strip()]


def detect_agency(blocks: Sequence[Block]) -> tuple[str | None, str | None]:
    lines = _lines(blocks)
    for text, line in lines:  # the statistics table's 填报单位 is the most explicit statement
        if (match := _FILLED_BY.search(text)) and len(_clean_org(match.group(1))) >= 3:
            return _clean_org(match.group(1)), f"填报单位 at {line}"
    head = lines[:12]
    for k, (text, line) in enumerate(head):
        if (match := _TITLE.match(text)) and _ORG_LINE.match(match.group(1).strip()):
            return _clean_org(match.group(1)), f"title at {line}"
        if _YEAR_TITLE.match(text) and k > 0 and _ORG_LINE.match(head[k - 1][0]):
            return _clean_org(head[k - 1][0]), f"title at {head[k - 1][1]}"
    tail = lines[-6:]
    for k, (text, _) in enumerate(tail):
        if _DATE_LINE.match(text) and k > 0 and _ORG_LINE.match(tail[k - 1][0]):
            return _clean_org(tail[k - 1][0]), f"signature at {tail[k - 1][1]}"
    counts = Counter(
        _clean_org(m.group(1)) for text, _ in lines[:60] for m in _ORG_IN_PROSE.finditer(text)
    )
    if counts:
        name, count = counts.most_common(1)[0]
        return name, f"named {count} times in the text"
    return None, None


def detect_year(blocks: Sequence[Block]) -> tuple[int | None, str | None]:
    lines = _lines(blocks)
    votes: Counter[int] = Counter()
    reasons: dict[int, str] = {}

    def vote(year: int, weight: int, why: str) -> None:
        if 1990 <= year <= 2100:
            votes[year] += weight
            reasons.setdefault(year, why)

    for text, line in lines:
        for match in _PERIOD.finditer(text):
            vote(int(match.group(1)), 10, f"statistics period at {line}")
        for match in _TABLE_YEAR.finditer(text):
            vote(int(match.group(1) or match.group(2)), 8, f"table heading at {line}")
    for text, line in lines[:12]:
        if (match := _TITLE.match(text)) or (match := _YEAR_TITLE.match(text)):
            vote(int(match.groups()[-1] if _TITLE.match(text) else match.group(1)), 8, f"title at {line}")
    for text, line in lines[:40]:
        for match in _PROSE_YEAR.finditer(text):
            vote(int(match.group(1)), 3, f"“{match.group(0)}” at {line}")
    for text, line in lines[-6:]:
        if (match := _DATE_LINE.match(text)) and int(match.group(2)) <= 6:
            # Reports are signed in the first months of the following year.
            vote(int(match.group(1)) - 1, 2, f"signed {text} at {line}")
    if not votes:
        return None, None
    year, _ = votes.most_common(1)[0]
    return year, reasons[year]


def detect_identity(blocks: Sequence[Block]) -> ReportIdentity:
    agency, agency_evidence = detect_agency(blocks)
    year, year_evidence = detect_year(blocks)
    return ReportIdentity(agency, agency_evidence, year, year_evidence)
