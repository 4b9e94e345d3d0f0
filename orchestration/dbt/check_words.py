"""dbt data tests in words, for people: the UI's check descriptions, the CLI's warnings and the quality report.

A dbt test's id (`value_between_fct_application_outcomes_open_rate__1__0`) is a name for machines. What it checks
is in the manifest: the generic test and its arguments, the column's own description (its Chinese label after
` · `), or, for a singular test, the test's description or its SQL's opening comment. Nothing here runs dbt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def _column_label(model: Mapping[str, Any] | None, column: str | None) -> str:
    """`table.column (中文名)`: the column's Chinese label is the text after the last ` · ` of its description."""
    if model is None:
        return column or ""
    name = model.get("name", "")
    if not column:
        return name
    description = (model.get("columns", {}).get(column) or {}).get("description") or ""
    label = description.rsplit(" · ", 1)[1].strip() if " · " in description else ""
    label = re.split(r"[（(=：:，,]", label, maxsplit=1)[0].strip()
    return f"{name}.{column}" + (f"（{label}）" if label else "")


def _opening_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def _ref_name(ref: str) -> str:
    """`ref('dim_report')` → `dim_report`."""
    match = re.search(r"ref\(['\"]([^'\"]+)['\"]\)", ref or "")
    return match.group(1) if match else str(ref)


def test_in_words(test: Mapping[str, Any], model: Mapping[str, Any] | None) -> str:
    """What one dbt test checks, in Chinese and English, e.g.
    `fct_application_outcomes.open_rate（公开率）: 值应在 0 与 1 之间 · values lie between 0 and 1`."""
    if test.get("description"):
        return str(test["description"]).strip()
    metadata = test.get("test_metadata") or {}
    kind = metadata.get("name")
    if kind is None:  # a singular test: its SQL says what it checks
        return _opening_comment(test.get("raw_code", "")) or test.get("name", "").replace("_", " ")
    arguments = metadata.get("kwargs") or {}
    where = _column_label(model, arguments.get("column_name") or test.get("column_name"))
    if kind == "not_null":
        rule = "不应为空 · has no empty values"
    elif kind == "unique":
        rule = "不应重复 · has no repeated values"
    elif kind == "accepted_values":
        values = ", ".join(map(str, arguments.get("values", [])))
        rule = f"只取 {values} · takes only {values}"
    elif kind == "relationships":
        target = f"{_ref_name(arguments.get('to', ''))}.{arguments.get('field', '')}"
        rule = f"每个值都应见于 {target} · every value exists in {target}"
    elif kind == "value_between":
        low, high = arguments.get("min_value"), arguments.get("max_value")
        rule = f"值应在 {low} 与 {high} 之间 · values lie between {low} and {high}"
    elif kind == "in_vocabulary":
        domain = arguments.get("domain")
        rule = f"只取词表 {domain} 中的代码 · takes only codes of the {domain} list (vocabulary seed)"
    elif kind == "unique_combination_of_columns":
        columns = ", ".join(arguments.get("combination_of_columns", []))
        rule = f"（{columns}）组合不应重复 · one row per ({columns})"
    elif kind == "expression_is_true":
        rule = f"每行都满足 · every row satisfies: {arguments.get('expression', '')}"
    else:
        rule = f"{kind} " + ", ".join(f"{k}={v}" for k, v in arguments.items() if k not in ("model", "column_name"))
    return f"{where}: {rule}" if where else rule


def dbt_tests_in_words(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Every data test of the manifest, by its name (the Dagster asset check's name), in words."""
    nodes = manifest.get("nodes", {})
    words = {}
    for node in nodes.values():
        if node.get("resource_type") != "test":
            continue
        attached = node.get("attached_node")
        model = nodes.get(attached) if attached else None
        words[node["name"]] = test_in_words(node, model)
    return words


def check_in_words(asset_graph: Any, key: Any) -> str:
    """What an asset check checks, in words: its spec's description (a dbt test's comes from `test_in_words`
    through the translator, a GX gate's from its decorator). `asset_graph`: a Dagster asset graph; `key`: an
    AssetCheckKey. A person never reads a test id like `value_between_…__1__0`."""
    try:
        description = asset_graph.get_check_spec(key).description
    except KeyError:  # not in this graph
        description = None
    return " ".join((description or key.name.replace("_", " ")).split())
