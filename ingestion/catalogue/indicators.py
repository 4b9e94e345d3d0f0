"""The indicator catalogue and what the parsers know about it, read from the dbt seeds.

Codes and labels (the reference catalogue and the documented extensions), other printed labels (aliases),
column headers of single-value tables, the identity rules, the prose patterns and the crosswalk between the
2014 and the 2019/2021 tables. The parser, the dbt project and the quality checks read these same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ingestion.catalogue.seeds import read_seed


@dataclass(frozen=True)
class Indicator:
    code: str
    template: str
    section: str
    label_zh: str
    label_en: str
    unit: str
    parent_code: str | None
    note: str | None


@dataclass(frozen=True)
class IdentityRule:
    rule_id: str
    template: str
    severity: str  # hard | soft
    kind: str  # sum_equals | at_most | is_blank
    lhs: str
    rhs: tuple[str, ...]
    description_zh: str
    description_en: str


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator by code: the catalogue in its order, then the documented extensions
    (regional rows such as Inner Mongolia's sections 十/十一 and Fujian's 历年累计 column)."""
    return {
        row["code"]: Indicator(
            code=row["code"],
            template=row["template"],
            section=row["section"],
            label_zh=row["label_zh"],
            label_en=row["label_en"],
            unit=row["unit"],
            parent_code=row["parent_code"] or None,
            note=row["note"] or None,
        )
        for row in [*read_seed("indicators.csv"), *read_seed("indicator_extensions.csv")]
    }


#: The label of the change columns (2019 table 二: 本年增/减), whose figures are signed.
SIGNED_LABEL = "本年增/减"
#: The one unit whose values may carry decimals (money, in units of 10,000 yuan); every other unit counts.
FRACTIONAL_UNIT = "万元"


@cache
def signed_codes() -> frozenset[str]:
    """Codes whose values may be negative: those whose catalogue label is a change (本年增/减). Every other
    indicator counts or sums something and is never below 0."""
    return frozenset(code for code, indicator in indicators().items() if SIGNED_LABEL in indicator.label_zh)


@cache
def identity_rules() -> tuple[IdentityRule, ...]:
    return tuple(
        IdentityRule(
            rule_id=row["rule_id"],
            template=row["template"],
            severity=row["severity"],
            kind=row["kind"],
            lhs=row["lhs"],
            rhs=tuple(code for code in row["rhs"].split("+") if code),
            description_zh=row["description_zh"],
            description_en=row["description_en"],
        )
        for row in read_seed("identity_rules.csv")
    )


@cache
def gb2014_section_headers() -> dict[str, str]:
    """Section headers of the 2014 table that carry no indicator of their own (section numeral → label)."""
    return {row["section"]: row["label_zh"] for row in read_seed("gb2014_section_headers.csv")}


@dataclass(frozen=True)
class LabelAlias:
    code: str
    template: str
    label_zh: str


@cache
def label_aliases() -> tuple[LabelAlias, ...]:
    """Other printed labels of catalogue indicators (e.g. a gb2014 code reused in the 2021 table 二)."""
    return tuple(
        LabelAlias(row["code"], row["template"], row["label_zh"]) for row in read_seed("indicator_label_aliases.csv")
    )


@dataclass(frozen=True)
class NarrativePattern:
    pattern_id: str
    code: str
    kind: str  # figure | negation
    pattern: str  # a regular expression; {N} stands for the number


@cache
def narrative_patterns() -> tuple[NarrativePattern, ...]:
    """How prose states figures (dbt_project/seeds/narrative_patterns.csv)."""
    return tuple(
        NarrativePattern(row["pattern_id"], row["code"], row["kind"], row["pattern"])
        for row in read_seed("narrative_patterns.csv")
    )


@dataclass(frozen=True)
class ColumnHeader:
    header: str  # as printed, spaces removed; '{year}' stands for a four-digit year
    role: str  # label | unit | this_year | cumulative


@cache
def column_headers() -> tuple[ColumnHeader, ...]:
    """What the column headers of single-value statistics tables mean (dbt_project/seeds/column_headers.csv)."""
    return tuple(ColumnHeader(row["header"], row["role"]) for row in read_seed("column_headers.csv"))


@cache
def _series_codes() -> dict[str, dict[str, tuple[str, ...]]]:
    """series → template → the indicator codes of that template the series is made of (crosswalk seed)."""
    series: dict[str, dict[str, list[str]]] = {}
    for row in read_seed("indicator_crosswalk.csv"):
        if row["indicator_code"]:
            series.setdefault(row["series_code"], {}).setdefault(row["template"], []).append(row["indicator_code"])
    return {name: {t: tuple(codes) for t, codes in by_template.items()} for name, by_template in series.items()}


def same_measure(code: str, template: str | None) -> tuple[set[str], str | None]:
    """The codes by which a report of `template` prints what `code` measures (the crosswalk between the 2014
    and the 2019/2021 tables), and the one code that equals it exactly, if there is one: application_received
    is app_new in a 2021 report; litigation_total is two codes there, and equals neither alone."""
    related: set[str] = {code}
    exact: str | None = code
    for by_template in _series_codes().values():
        if any(code in codes for codes in by_template.values()):
            own = by_template.get(template or "", ())
            related.update(own)
            if own and code not in own:
                exact = own[0] if len(own) == 1 else None
    return related, exact
