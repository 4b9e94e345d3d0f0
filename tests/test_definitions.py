"""The Dagster code location loads and shows the whole chain."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg


def test_definitions_load_with_every_layer() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "landing/inventory", "landing/documents", "landing/facts", "landing/findings",
        "staging/stg_landing__facts", "marts/fact_disclosure", "marts/dim_agency", "marts/dim_report",
        "marts/dim_indicator", "serving_database",
    } <= keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("marts/fact_disclosure", "marts_suite") in checks
    assert ("staging/stg_landing__facts", "staged_facts_suite") in checks
    assert ("landing/documents", "documents_suite") in checks
    # dbt data tests become asset checks too
    assert any(name.startswith("unique_combination_of_columns_fact_disclosure") for _, name in checks)
    assert defs.resolve_job_def("refresh") is not None
    # publishing sits downstream of every mart and of the gated staging model
    parents = {key.to_user_string() for key in graph.get(dg.AssetKey("serving_database")).parent_keys}
    assert {"marts/fact_disclosure", "staging/stg_landing__facts"} <= parents


def test_loading_definitions_does_not_import_great_expectations() -> None:
    code = "import sys, orchestration.definitions; print('great_expectations' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert completed.stdout.strip() == "False", completed.stderr[-2000:]
