"""The closed code lists of the platform, each defined once, in a seed: formats, parse statuses, severities,
extraction methods (vocabulary.csv), requester types (requester_types.csv), report templates
(report_templates.csv, a province's own form once per province from provinces.csv).

Each list is a StrEnum built from its seed, so code compares against members, never against text, and the dbt
tests check the same columns against the same seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from ingestion.catalogue.seeds import read_seed


def _vocabulary(domain: str) -> dict[str, str]:
    rows = sorted((row for row in read_seed("vocabulary.csv") if row["domain"] == domain),
                  key=lambda row: int(row["sort_order"]))
    return {row["code"].upper(): row["code"] for row in rows}


InputFormat = StrEnum("InputFormat", _vocabulary("input_format"))
ParseStatus = StrEnum("ParseStatus", _vocabulary("parse_status"))
Severity = StrEnum("Severity", _vocabulary("severity"))
ExtractionMethod = StrEnum("ExtractionMethod", _vocabulary("extraction_method"))

_REQUESTERS = sorted(read_seed("requester_types.csv"), key=lambda row: int(row["sort_order"]))
# The requester columns of table 三 in printed order: six kinds of requester, then 总计 (total).
RequesterType = StrEnum("RequesterType", {row["code"].upper(): row["code"] for row in _REQUESTERS})
REQUESTER_COLUMNS: tuple[str, ...] = tuple(RequesterType)
REQUESTER_KINDS: tuple[str, ...] = tuple(r for r in RequesterType if r != RequesterType.TOTAL)


def requester_labels() -> dict[str, str]:
    """Requester type → printed column header (自然人, 商业企业, …, 总计), in printed column order."""
    return {row["code"]: row["label_zh"] for row in _REQUESTERS}


def requester_labels_en() -> dict[str, str]:
    """Requester type → its English name (Natural persons, …, Total)."""
    return {row["code"]: row["label_en"] for row in _REQUESTERS}


@cache
def province_codes() -> dict[str, str]:
    """Province (as the division table names it) → a short ASCII code: regional templates are regional_<code>."""
    return {row["province"]: row["code"] for row in read_seed("provinces.csv")}


@dataclass(frozen=True)
class ReportTemplate:
    template: str  # as dim_report.template holds it
    family: str  # pre2019 | gb2019 | gb2021 | narrative: templates whose figures compare
    label_zh: str
    label_en: str


@cache
def report_templates() -> tuple[ReportTemplate, ...]:
    """Every template a report can be read as, in display order (seed report_templates.csv): a province's own
    form stands once per province, as regional_<province>."""
    out: list[ReportTemplate] = []
    for row in sorted(read_seed("report_templates.csv"), key=lambda row: int(row["sort_order"])):
        if row["template"] != "regional":
            out.append(ReportTemplate(row["template"], row["family"], row["label_zh"], row["label_en"]))
            continue
        for province, code in province_codes().items():
            out.append(ReportTemplate(f"regional_{code}", row["family"], f"{province}自定统计表",
                                      f"{province}'s own statistics form"))
    return tuple(out)


def regional_template(province: str | None) -> str:
    """The template name of a province's own form: regional_<province code>, or regional when unknown."""
    code = province_codes().get(province or "")
    return f"regional_{code}" if code else "regional"


#: Years a report can cover: the regulations' annual reports start in 2008, a few cities' (Shanghai,
#: Guangzhou) earlier; a later year than this is a misreading. One bound, used by the parser and the checks.
REPORT_YEARS = range(2000, 2101)
