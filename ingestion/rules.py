"""Identity rules (data in dbt_project/seeds/identity_rules.csv) checked against one report's facts.

Kinds: `sum_equals` (the '+'-joined lhs codes add up to the '+'-joined rhs codes, in every requester
column the report prints), `at_most` (lhs ≤ rhs), `is_blank` (a header row that should carry no
value), `columns_sum_to_total` (in every row, the total column equals the six requester columns).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ingestion.catalogue.enums import REQUESTER_KINDS, requester_labels, requester_labels_en
from ingestion.catalogue.indicators import FRACTIONAL_UNIT, IdentityRule, identity_rules, indicators, signed_codes
from ingestion.results import Fact, Finding

_TOLERANCE = 1e-6


def _applies(rule: IdentityRule, template: str | None) -> bool:
    return template is not None and template.startswith(rule.template)


Key = tuple[str, str]  # (requester type, indicator code)


def sum_identities(
    template: str | None, requesters: set[str], codes: set[str]
) -> list[tuple[tuple[Key, ...], tuple[Key, ...]]]:
    """Every sum the template's rules state, as (lhs, rhs) keys: `sum_equals` in each requester column, and
    `columns_sum_to_total` for each indicator (the total column equals the requester columns)."""
    identities: list[tuple[tuple[Key, ...], tuple[Key, ...]]] = []
    for rule in identity_rules():
        if not _applies(rule, template):
            continue
        if rule.kind == "sum_equals":
            lhs = rule.lhs.split("+")
            identities += [
                (tuple((r, code) for code in lhs), tuple((r, code) for code in rule.rhs)) for r in sorted(requesters)
            ]
        elif rule.kind == "columns_sum_to_total":
            identities += [
                ((("total", code),), tuple((kind, code) for kind in REQUESTER_KINDS)) for code in sorted(codes)
            ]
    return identities


def check_rules(facts: Sequence[Fact], template: str | None) -> list[Finding]:
    """Findings for every rule the report breaks; a rule with a missing operand is not judged."""
    by_requester: dict[str, dict[str, float | None]] = defaultdict(dict)
    for fact in facts:
        by_requester[fact.requester_type][fact.indicator_code] = fact.value
    findings: list[Finding] = []
    for rule in identity_rules():
        if not _applies(rule, template):
            continue
        if rule.kind == "columns_sum_to_total":
            findings.extend(_check_columns(rule, by_requester))
            continue
        for requester, values in by_requester.items():
            finding = _check(rule, values, requester)
            if finding is not None:
                findings.append(finding)
    return findings


def _check(rule: IdentityRule, values: dict[str, float | None], requester: str) -> Finding | None:
    lhs_codes = tuple(rule.lhs.split("+"))
    if not all(code in values for code in lhs_codes):
        return None
    if rule.kind == "is_blank":
        value = values[lhs_codes[0]]
        return _violation(rule, requester, expected=None, actual=value) if value is not None else None
    operands = [values.get(code) for code in (*lhs_codes, *rule.rhs)]
    if any(v is None for v in operands):
        return None
    lhs = sum(values[code] or 0.0 for code in lhs_codes)
    rhs = sum(values[code] or 0.0 for code in rule.rhs)
    broken = abs(lhs - rhs) > _TOLERANCE if rule.kind == "sum_equals" else lhs > rhs + _TOLERANCE
    return _violation(rule, requester, expected=rhs, actual=lhs) if broken else None


def _check_columns(rule: IdentityRule, by_requester: dict[str, dict[str, float | None]]) -> list[Finding]:
    findings = []
    columns = REQUESTER_KINDS
    if not all(column in by_requester for column in columns):
        return findings
    for code, total in by_requester.get("total", {}).items():
        parts = [by_requester[column].get(code) for column in columns]
        if total is None or any(part is None for part in parts):
            continue
        expected = sum(part or 0.0 for part in parts)
        if abs(total - expected) > _TOLERANCE:
            findings.append(_violation(rule, "total", expected=expected, actual=total, code=code))
    return findings


def _violation(
    rule: IdentityRule, requester: str, expected: float | None, actual: float | None, code: str | None = None
) -> Finding:
    def show(x: float | None) -> str:
        return "空" if x is None else f"{x:g}"

    # The messages are for people: the indicator and the requester type by name, never their codes (those stay in
    # indicator_code and locator).
    relation_zh = {"sum_equals": "应为", "at_most": "应不超过", "is_blank": "应为空", "columns_sum_to_total": "应为"}
    relation_en = {"sum_equals": "expected", "at_most": "expected at most", "is_blank": "expected blank",
                   "columns_sum_to_total": "expected"}
    where_zh = "" if requester == "total" else f"（{requester_labels().get(requester, requester)}）"
    where_en = "" if requester == "total" else f" ({requester_labels_en().get(requester, requester)})"
    subject = code or rule.lhs.split("+")[0]
    indicator = indicators().get(subject)
    expected_zh = "" if rule.kind == "is_blank" else f" {show(expected)}"
    expected_en = "" if rule.kind == "is_blank" else f" {show(expected)}"
    return Finding(
        finding_type="rule_violation",
        severity=rule.severity,
        rule_id=rule.rule_id,
        indicator_code=code or rule.lhs.split("+")[0],
        expected=expected,
        actual=actual,
        locator=None if requester == "total" else f"requester {requester}",
        message_zh=(
            f"{rule.description_zh}{where_zh}：{indicator.label_zh if indicator else subject}印为 {show(actual)}，"
            f"{relation_zh[rule.kind]}{expected_zh}"
        ),
        message_en=(
            f"{rule.description_en}{where_en}: {indicator.label_en if indicator else subject} printed as "
            f"{show(actual)}, {relation_en[rule.kind]}{expected_en}"
        ),
    )


def check_values(facts: Sequence[Fact]) -> tuple[list[Fact], list[Finding]]:
    """Figures that cannot be what their indicator measures: a negative count or amount, a count with
    decimals ('4.5 件'), a value that is not finite. Such a figure is a finding on its report and its fact keeps
    no value (the raw text stays on the fact), so one report's misprint never reaches the marts as a number."""
    kept: list[Fact] = []
    findings: list[Finding] = []
    for fact in facts:
        value = fact.value
        problem = None
        if value is not None and not math.isfinite(value):  # no reader gives one; nothing downstream takes one
            problem = ("unreadable_value", "不是有限数值", "is not a finite number")
        elif value is not None and value < 0 and fact.indicator_code not in signed_codes():
            problem = ("negative_value", "为负数", "is negative")
        elif value is not None and value != int(value) and fact.unit != FRACTIONAL_UNIT:
            problem = ("fractional_count", "不是整数", "is not a whole number")
        if problem is None:
            kept.append(fact)
            continue
        kind, zh, en = problem
        label = indicators()[fact.indicator_code].label_zh if fact.indicator_code in indicators() else ""
        findings.append(
            Finding(kind, "hard", f"“{label}”的数值{fact.raw_value or value:}{zh}，不能作为该指标的值（未采用）",
                    f"The figure of {fact.indicator_code} ({fact.raw_value or value}) {en}; it cannot be a value of "
                    "this indicator and was not used",
                    indicator_code=fact.indicator_code, actual=value, locator=fact.locator,
                    raw_label=fact.raw_label, raw_value=fact.raw_value)
        )
        kept.append(replace(fact, value=None))
    return kept, findings
