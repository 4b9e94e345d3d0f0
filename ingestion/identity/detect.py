"""Which agency wrote a report and which year it covers, each with the evidence that decided it.

Agency, strongest evidence first:
1. the title, as printed (``平潭综合实验区公安局2014年政府信息公开年度报告``, year first or after the name, a
   field label such as ``标题:`` stripped): the publishing body is the one the title names, so
   ``…人民政府办公厅`` stays 办公厅 and ``平潭综合实验区`` stays the zone's own name. A title naming a body
   without its place (``公安局2009年度…``) is completed from the other evidence when one of its names ends
   with it;
2. the statistics table's 填报单位;
3. the signature (a name followed by a date): an office signing for its agency stands for the agency
   (湖南省国土资源厅办公室 → 湖南省国土资源厅), a government's office (人民政府办公室/办公厅, 管委会办公室) does not;
4. the page's publisher field (发布机构 / 来源), which web sites often fill with another body;
5. names in the prose, kept only when they read as a place followed by a body and occur at least twice.

Year: votes weighted by evidence. The statistics period and the title outweigh table headings, which outweigh
the prose and the signature date (reports are signed in the first months of the following year). Years and
dates written in Chinese numerals (二〇一七年度, 二○一○年四月十日, 元月) are read like digits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.catalogue.enums import REPORT_YEARS, Severity
from ingestion.document import Block
from ingestion.identity.agencies import infer_agency, is_central_body, place_prefix
from ingestion.results import DocumentRecord, Finding

# How a body's name ends; longest first, as a name in the prose ends at the first of them after its place.
_BODY_SUFFIX = (
    r"(?:管理委员会|管委会|人民政府|委员会|办公室|办公厅|办事处|检察院|法院|政府|总局|中心|实验区|新区|银行|公司|"
    r"局|厅|部|委|院|署|办|所|站|队|馆|街道|镇|乡|苏木)"
)
# A title may name a place only (洪泽区2023年…, 平潭综合实验区2023年度…): its government.
_ORG_SUFFIX = rf"(?:{_BODY_SUFFIX}|自治区|县|市|区|旗|州|盟|省)"
# A printed date (after Chinese numerals are read as digits); the day may be missing (二〇一三年一月).
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"
_DATE_LINE = re.compile(rf"^{_DATE}$")
_ANY_DATE = re.compile(_DATE)  # a cheap test first: _SIGNATURE backtracks through every run of Chinese text
_FILLED_BY = re.compile(r"填\s*报\s*单\s*位\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*(\S+)")
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})")
# '标题: …' and similar field labels in front of a title (pages saved as text carry them).
_FIELD_LABEL = re.compile(r"^(?:标\s*题|题\s*名|文章标题|信息名称|名\s*称)\s*[:：]\s*")
# Words that follow the agency's name in a title; the first of them that leaves a plausible name before it ends
# the name (平潭县人民政府|信息公开…, 平潭县司法局|政府信息公开…).
_REPORT_WORDS = re.compile(r"(?=政府信息公开|政务公开|信息公开|政府信息|工作公开)")  # every start, overlapping
_YEARLESS_TAIL = re.compile(r"年度?$")
_TITLE_YEAR = re.compile(r"[(（]?(\d{4})年度?[)）]?")
_PERIOD = re.compile(r"统计(?:期限?|时限|时段|区间)(?:为|是|自|从|：|:)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日")
_TABLE_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年\s*度?\s*[)）]|(\d{4})\s*年度\S*统计表")
_PROSE_YEAR = re.compile(r"(\d{4})\s*年度?\s*[,，]?\s*(?:我|本)(?:局|厅|部|委|办|市|县|区|院|中心|单位|机关)")
# A name followed by a date that ends its line or is followed by a space or an attachment: a signature, in a
# line of its own or inside a page's one long line. In the prose a date runs on (…管委会2019年3月印发了…), and
# '…2020年1月2日印发' is the issuing office's imprint, not a signature.
_SIGNATURE = re.compile(rf"([\u4e00-\u9fff（）()]{{2,60}})\s*(?>{_DATE})(?=\s|$|[附（(])(?!\s*印发)")
_NAME_RUN = re.compile(r"[\u4e00-\u9fff（）()]{4,80}")
_NAME_IN_RUN = re.compile(rf"^[\u4e00-\u9fff（）()]{{0,30}}?{_BODY_SUFFIX}")
# A name in the prose goes on through a second body word (…党工委管委会, …管委会办公室), and is not the agency
# when what follows makes it a channel or a phrase (…门户网站, …政府信息公开: 政府 belongs to 政府信息).
_NAME_GOES_ON = re.compile(r"^(?:管委会|管理委员会|办公室|办公厅)")
_NOT_THE_AGENCY_AFTER = re.compile(r"^(?:门户|网站|网|官网|微信|微博|公众号|客户端|政务网)")
_PLAUSIBLE = re.compile(rf"^[\u4e00-\u9fff（）()·]{{2,40}}{_ORG_SUFFIX}$")
# Words that never occur in an agency's name but do in the prose around one (汇总…各有关单位, 在区管委会…),
# and prepositions that open a phrase, not a name (unless a place starts there: 将乐县, 于都县, 从江县).
_NOT_A_NAME = re.compile(
    r"[我该各其此这、的]|本(?:局|厅|委|部|办|单位|机关|级|年度?|报告)|汇总|有关|关于|根据|按照|以下|现将|截[至止]|网站|门户"
)
_PREPOSITIONS = frozenset("在对为由从向于将")
# An office signing for its agency (湖南省国土资源厅办公室 signs for 湖南省国土资源厅), also the publisher field's
# sub-units (…经济发展局综合处). A government's general office is an agency of its own and is kept whole.
_SIGNING_OFFICE = re.compile(r"^(.+?(?:厅|局|部|委员会|委))(?:办公室|党政办公室|综合处|综合科)$")
_GOVERNMENT = re.compile(r"(?:人民政府|政府|管理委员会|管委会|工作委员会|党工委)$")
# Cited documents and quoted names (《…关于…的通知》, the “平潭综合实验区党工委管委会” website) name other bodies.
_CITED = re.compile(r"《[^》]{0,80}》|“[^”]{0,40}”|「[^」]{0,40}」")

# Chinese numerals in years and dates: 二〇一七年度, 二○一○年四月十日, 元月二十日.
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT |= {zero: "0" for zero in "○零ＯO０"}  # ○ (a circle) and a Latin O are typed for 〇
_CN_DATE = re.compile(
    r"(?P<y>[一二][〇○零ＯO０一二三四五六七八九]{3}|\d{4})\s*年"
    r"(?:(?P<m>\s*(?:元|正|十[一二]?|[一二三四五六七八九]|\d{1,2})\s*月)"
    r"(?P<d>\s*(?:三十一?|二十[一二三四五六七八九]?|廿[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]|\d{1,2})\s*日)?)?"
)


def _cn_number(text: str) -> str:
    """一 … 三十一, 元/正 (the first month), or digits, as a plain number."""
    text = text.strip()
    if text.isdigit():
        return text
    if text in {"元", "正"}:
        return "1"
    text = text.replace("廿", "二十")
    if "十" in text:
        tens, _, units = text.partition("十")
        return str(int(_CN_DIGIT.get(tens, "1") if tens else 1) * 10 + (int(_CN_DIGIT[units]) if units else 0))
    return _CN_DIGIT[text]


def arabic_dates(text: str) -> str:
    """Years and dates in Chinese numerals as digits: 二〇一七年度 → 2017年度, 二○一○年四月十日 → 2010年4月10日."""

    def convert(match: re.Match[str]) -> str:
        year, month, day = match["y"], match["m"], match["d"]
        if year.isdigit() and not any(part and re.search(r"[^\d\s月日]", part) for part in (month, day)):
            return match.group(0)  # nothing written in Chinese numerals
        if not year.isdigit() and sum(c in "一二三四五六七八九" for c in year) < 2:
            return match.group(0)  # OOOO年 is a placeholder, not a year
        out = ("".join(_CN_DIGIT[c] for c in year) if not year.isdigit() else year) + "年"
        if month:
            out += _cn_number(month.strip()[:-1]) + "月"
        if day:
            out += _cn_number(day.strip()[:-1]) + "日"
        return out

    if "年" not in text:  # every date has one; most lines of a report have none
        return text
    return _CN_DATE.sub(convert, text)


@dataclass(frozen=True)
class ReportIdentity:
    agency_name: str | None
    agency_evidence: str | None
    report_year: int | None
    year_evidence: str | None


@dataclass(frozen=True)
class _Title:
    org: str | None  # None: a year-only title line (the name may be on the line above)
    year: int | None
    locator: str


def _lines(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    return [
        (arabic_dates(cell.strip()), block.locator) for block in blocks for cell in block.cells if cell.strip()
    ]


def plausible_name(name: str) -> bool:
    """Whether a string can be an agency's name: Chinese only, ending like a body, no words of the prose."""
    if not _PLAUSIBLE.match(name) or _NOT_A_NAME.search(name):
        return False
    return name[0] not in _PREPOSITIONS or bool(place_prefix(name))


def _clean_org(name: str) -> str:
    name = re.sub(r"[\s（(].*$", "", name.strip())  # drop "(盖章)" and anything after a space
    name = name.strip("：:，,。|")
    if (match := _SIGNING_OFFICE.match(name)) and not _GOVERNMENT.search(match.group(1)):
        return match.group(1)
    return name


def _placed(text: str) -> str | None:
    """The agency name in a run of text that may carry words before it (…事项无平潭综合实验区行政审批局):
    the name starting at the first place that reads as a plausible name to the end, or None."""
    for start in range(len(text) - 1):
        if not place_prefix(text[start:]):
            continue
        name = _clean_org(text[start:])
        if plausible_name(name):
            return name
    return None


def _has_place(name: str) -> bool:
    return bool(place_prefix(name)) or is_central_body(name)


def _name_before_report(text: str) -> str | None:
    """The name in front of the report words of a title ('' when they open it), or None."""
    for match in _REPORT_WORDS.finditer(text[:50]):
        # '年度' left before the report words once a year is lost (平潭县司法局年度政府信息公开…) is not the name's.
        name = _YEARLESS_TAIL.sub("", text[: match.start()].removesuffix("关于"))
        if not name or plausible_name(name):
            return name
    return None


def _parse_title(text: str) -> tuple[str | None, int | None] | None:
    """(name or None, year or None) of a title line, or None when the line is not a report's title. Forms:
    平潭综合实验区公安局2014年政府信息公开年度报告, …财政金融局关于2014年度…, 2013年度平潭县司法局政府信息公开年度报告,
    2017年度政府信息公开工作报告 (the name on the line above), 湖南省国土资源厅政府信息公开工作年度报告（2017年度）."""
    text = re.sub(r"\s+", "", _FIELD_LABEL.sub("", text.strip())[:90]).strip("《》")
    if "报告" not in text[:80]:
        return None
    if (match := _TITLE_YEAR.match(text)) is not None:  # year first
        name = _name_before_report(text[match.end() :])
        if name is not None:
            return name or None, int(match.group(1))
        return None
    for match in _TITLE_YEAR.finditer(text[:60]):  # name, then year, then the report words
        name = text[: match.start()].removesuffix("关于")
        after = text[match.end() :].removeprefix("的")
        if _REPORT_WORDS.match(after) and "报告" in after[:40] and (not name or plausible_name(name)):
            return name or None, int(match.group(1))
        break
    name = _name_before_report(text)  # name, report words, then the year in brackets (or no year at all)
    if name and (match := re.search(r"报告[(（](\d{4})年", text)) is not None:
        return name, int(match.group(1))
    if name and text.endswith("报告") and len(text) <= 50:  # a heading line naming the agency only
        return name, None
    return None


def _titles(lines: list[tuple[str, str]]) -> list[_Title]:
    """Titles among the first lines: a line, or a whitespace-separated piece of it (a page's breadcrumb run),
    or two short lines joined (平潭综合实验区财政金融局2020年度 / 政府信息公开工作年度报告)."""
    head = lines[:12]
    found: list[_Title] = []
    for k, (text, locator) in enumerate(head):
        pieces = [text]
        pieces += [piece for piece in text[:300].split()[1:] if piece]
        if k + 1 < len(head) and len(text) <= 40 and len(head[k + 1][0]) <= 40 and not text.endswith("报告"):
            pieces.append(text + head[k + 1][0])
        for piece in pieces:
            parsed = _parse_title(piece)
            if parsed is None:
                continue
            org, year = parsed
            if org is None and k > 0:  # the name on the line above a year-only title
                above = re.sub(r"\s+", "", _FIELD_LABEL.sub("", head[k - 1][0]))
                if plausible_name(above):
                    found.append(_Title(above, year, head[k - 1][1]))
                    break
            found.append(_Title(org, year, locator))
            break
    return found


def _signatures(lines: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, date text, locator) of every signature, in document order."""
    out: list[tuple[str, str, str]] = []
    for k, (text, locator) in enumerate(lines):
        if "月" not in text or not _ANY_DATE.search(text):  # every date has a 月; most lines have none
            continue
        if _DATE_LINE.match(text) and k > 0 and (name := _placed(_clean_org(lines[k - 1][0]))):
            out.append((name, text, lines[k - 1][1]))
            continue
        for match in _SIGNATURE.finditer(text):
            if name := _placed(match.group(1)):
                out.append((name, match.group(0)[len(match.group(1)) :].strip(), locator))
    return out


def _agency_candidates(
    lines: list[tuple[str, str]], signatures: list[tuple[str, str, str]]
) -> list[tuple[str, str]]:
    """(name, evidence) from the 填报单位, the signature and the publisher field, strongest first."""
    out: list[tuple[str, str]] = []
    for text, locator in lines:  # the statistics table's 填报单位 is the most explicit statement
        if "填" in text and (match := _FILLED_BY.search(text)) and plausible_name(name := _clean_org(match.group(1))):
            out.append((name, f"填报单位 at {locator}"))
    out.extend((name, f"signature at {locator}") for name, _, locator in reversed(signatures))
    for text, locator in lines[:15]:
        for match in _PUBLISHER.finditer(text):
            if (name := _clean_org(match.group(1))) and plausible_name(name) and _has_place(name):
                out.append((name, f"publisher at {locator}"))
    return out


def _prose_names(lines: list[tuple[str, str]]) -> Counter[str]:
    """Agency names in the prose: a place followed by a body; cited documents and quoted names left out."""
    counts: Counter[str] = Counter()
    for text, _ in lines[:60]:
        for run in _NAME_RUN.finditer(_CITED.sub("，", text)):
            run_text, start = run.group(0), 0
            while start < len(run_text) - 1:
                place = place_prefix(run_text[start:])
                match = _NAME_IN_RUN.match(run_text[start + len(place) :]) if place else None
                if match is None:
                    start += 1
                    continue
                end = start + len(place) + match.end()
                while (more := _NAME_GOES_ON.match(run_text[end:])) is not None:
                    end += more.end()
                name, after = run_text[start:end], run_text[end:]
                channel = _NOT_THE_AGENCY_AFTER.match(after) or (name.endswith("政府") and after.startswith("信息"))
                if plausible_name(name) and len(name) > len(place) and not channel:
                    counts[_clean_org(name)] += 1
                start = end
    return counts


@dataclass(frozen=True)
class _Evidence:
    """What both the agency and the year are read from, found once per document."""

    lines: list[tuple[str, str]]
    titles: list[_Title]
    signatures: list[tuple[str, str, str]]


def _evidence(blocks: Sequence[Block]) -> _Evidence:
    lines = _lines(blocks)
    return _Evidence(lines, _titles(lines), _signatures(lines))


def _detect_agency(evidence: _Evidence) -> tuple[str | None, str | None]:
    lines = evidence.lines
    candidates = _agency_candidates(lines, evidence.signatures)
    for title in evidence.titles:
        if title.org is None:
            continue
        if _has_place(title.org):
            return title.org, f"title at {title.locator}"
        # 公安局2009年度…: the title names the body, another statement names its place.
        for name, evidence in candidates:
            if name.endswith(title.org) and _has_place(name):
                return name, f"title at {title.locator}, completed by {evidence}"
        return title.org, f"title at {title.locator} (no place named)"
    if candidates:
        return candidates[0]
    counts = _prose_names(lines)
    if counts:
        name, count = counts.most_common(1)[0]
        if count >= 2:
            return name, f"named {count} times in the text"
    return None, None


def _detect_year(evidence: _Evidence) -> tuple[int | None, str | None]:
    lines = evidence.lines
    votes: Counter[int] = Counter()
    reasons: dict[int, tuple[int, str]] = {}  # year → the strongest single vote for it (first among equals)

    def vote(year: int, weight: int, why: str) -> None:
        if year in REPORT_YEARS:
            votes[year] += weight
            if weight > reasons.get(year, (0, ""))[0]:
                reasons[year] = (weight, why)

    for text, line in lines:
        if "年" not in text:
            continue  # both patterns need it, and most lines of a report have none
        for match in _PERIOD.finditer(text):
            vote(int(match.group(1)), 10, f"statistics period at {line}")
        for match in _TABLE_YEAR.finditer(text):
            vote(int(match.group(1) or match.group(2)), 8, f"table heading at {line}")
    for title in evidence.titles:
        if title.year is not None:
            vote(title.year, 9, f"title at {title.locator}")
            break
    for text, line in lines[:40]:
        for match in _PROSE_YEAR.finditer(text):
            vote(int(match.group(1)), 3, f"“{match.group(0)}” at {line}")
    for _, date, line in evidence.signatures[-1:]:
        year, month = map(int, _DATE_LINE.match(date).groups()[:2])  # type: ignore[union-attr]
        # Reports are signed in the first months of the following year; one signed in its last weeks covers
        # the year it is signed in.
        if month <= 6:
            vote(year - 1, 2, f"signed {date} at {line}")
        elif month >= 11:
            vote(year, 1, f"signed {date} at {line}")
    if not votes:
        return None, None
    year, _ = votes.most_common(1)[0]
    return year, reasons[year][1]


def detect_identity(blocks: Sequence[Block]) -> ReportIdentity:
    evidence = _evidence(blocks)
    agency, agency_evidence = _detect_agency(evidence)
    year, year_evidence = _detect_year(evidence)
    return ReportIdentity(agency, agency_evidence, year, year_evidence)


def identify(blocks: Sequence[Block], document: DocumentRecord) -> list[Finding]:
    """Fill the document's agency (as printed, with its id, level and place) and report year; findings say what
    could not be identified or was inferred rather than found in the register."""
    identity = detect_identity(blocks)
    document.agency_name, document.agency_name_evidence = identity.agency_name, identity.agency_evidence
    document.report_year, document.report_year_evidence = identity.report_year, identity.year_evidence
    findings: list[Finding] = []
    if identity.agency_name:
        agency = infer_agency(identity.agency_name)
        document.agency_id = agency.agency_id  # the name stays as printed; dim_agency carries the register's name
        document.admin_level = agency.admin_level
        document.province = agency.province
        document.prefecture = agency.prefecture
        document.division_code = agency.division_code
        document.agency_evidence = agency.evidence
        if not agency.in_register:
            findings.append(
                Finding(
                    "agency_inferred", Severity.INFO,
                    f"机构“{agency.agency_name}”不在机构名录中，级别与省份由名称推断（{agency.evidence}）",
                    f"Agency not in the register; level and province inferred from its name ({agency.evidence})",
                )
            )
    else:
        findings.append(
            Finding("agency_missing", Severity.SOFT, "未能识别报告机构", "The reporting agency could not be identified")
        )
    if identity.report_year is None:
        findings.append(
            Finding("year_missing", Severity.SOFT, "未能识别报告年度", "The report year could not be identified")
        )
    return findings
