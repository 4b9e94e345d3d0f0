"""Identity rules (data in dbt_project/seeds/identity_rules.csv) checked against one report's facts."""

from __future__ import annotations

from collections.abc import Sequence

from ingestion.catalogue import IdentityRule, identity_rules
from ingestion.model import Fact, Finding

_TOLERANCE = 1e-6


def _applies(rule: IdentityRule, template: str | None) -> bool:
    return template is not None and template.startswith(rule.template)


def check_rules(facts: Sequence[Fact], template: str | None) -> list[Finding]:
    """Findings for every rule the report breaks; rules with a missing operand are not judged."""
    values: dict[str, float | None] = {
        f.indicator_code: f.value for f in facts if f.requester_type == "total"
    }
    findings: list[Finding] = []
    for rule in identity_rules():
        if not _applies(rule, template) or rule.lhs not in values:
            continue
        lhs = values[rule.lhs]
        if rule.kind == "is_blank":
            if lhs is not None:
                findings.append(_violation(rule, expected=None, actual=lhs))
            continue
        operands = [values.get(code) for code in rule.rhs]
        if lhs is None or any(v is None for v in operands):
            continue
        total = sum(v for v in operands if v is not None)
        broken = abs(lhs - total) > _TOLERANCE if rule.kind == "sum_equals" else lhs > total + _TOLERANCE
        if broken:
            findings.append(_violation(rule, expected=total, actual=lhs))
    return findings


def _violation(rule: IdentityRule, expected: float | None, actual: float | None) -> Finding:
    def show(x: float | None) -> str:
        return "空" if x is None else f"{x:g}"

    relation = {"sum_equals": "=", "at_most": "≤", "is_blank": "为空"}[rule.kind]
    operands = " + ".join(rule.rhs)
    return Finding(
        finding_type="rule_violation",
        severity=rule.severity,
        rule_id=rule.rule_id,
        indicator_code=rule.lhs,
        expected=expected,
        actual=actual,
        message_zh=f"{rule.description_zh}：实际 {show(actual)}，应{relation} {show(expected)}",
        message_en=(
            f"{rule.description_en}: {rule.lhs} = {show(actual)}, expected {relation} "
            f"{operands or 'blank'} = {show(expected)}"
        ),
    )
