"""The Dagster code location loads, shows the whole chain, and loading it has no side effects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import REPO


def test_definitions_load_with_every_layer() -> None:
    from orchestration.definitions import defs as load_definitions

    defs = load_definitions()
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "landing/inventory", "landing/documents", "landing/facts", "landing/findings",
        "staging/stg_landing__facts", "marts/fact_disclosure", "marts/dim_agency", "marts/dim_report",
        "marts/dim_indicator", "serving_database", "quality_report",
    } <= keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("marts/fact_disclosure", "marts_suite") in checks
    assert ("staging/stg_landing__facts", "staged_facts_suite") in checks
    assert ("landing/documents", "documents_suite") in checks
    # dbt tests become asset checks too
    assert any(name.startswith("unique_combination_of_columns_fact_disclosure") for _, name in checks)
    assert defs.resolve_job_def("refresh") is not None
    # publishing sits downstream of every mart and of the gated staging model
    parents = {key.to_user_string() for key in graph.get(dg.AssetKey("serving_database")).parent_keys}
    assert {"marts/fact_disclosure", "staging/stg_landing__facts"} <= parents


def test_the_resources_carry_the_settings_they_were_built_from(tmp_path: Path) -> None:
    from ingestion.limits import ReadLimits
    from orchestration.definitions import build_definitions
    from orchestration.settings import Settings

    limits = ReadLimits(max_file_bytes=3 * 1024**2, max_pages=7, timeout_seconds=9.0, memory_bytes=512 * 1024**2)
    settings = Settings(inbox=tmp_path / "in", warehouse=tmp_path / "wh", workers=2, limits=limits)
    resource = build_definitions(settings).resources["warehouse"]
    assert (resource.inbox, resource.warehouse, resource.workers) == (tmp_path / "in", tmp_path / "wh", 2)
    assert resource.limits == limits
    assert not (tmp_path / "wh").exists()


_LOAD = """
import json, os, sys
before = dict(os.environ)
from orchestration.definitions import defs
imported = {name for name in ("dagster_dbt", "great_expectations") if name in sys.modules}
graph = defs().resolve_asset_graph()
print(json.dumps({
    "imported_on_import": sorted(imported),
    "great_expectations": "great_expectations" in sys.modules,
    "environment_changed": sorted(k for k in {*before, *os.environ} if before.get(k) != os.environ.get(k)),
    "assets": len(list(graph.get_all_asset_keys())),
}))
"""


def test_loading_the_definitions_writes_nothing_and_parses_no_dbt(tmp_path: Path) -> None:
    from orchestration.dbt.project import dbt_project

    manifest = dbt_project.manifest_path
    prepared = manifest.stat().st_mtime_ns
    warehouse = tmp_path / "warehouse"
    completed = subprocess.run(
        [sys.executable, "-c", _LOAD], capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "GONGKAI_WAREHOUSE": str(warehouse), "GONGKAI_INBOX": str(tmp_path / "inbox")},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert loaded["imported_on_import"] == []  # importing the module builds nothing
    assert loaded["great_expectations"] is False  # GX is imported inside the checks only (it takes seconds)
    assert loaded["environment_changed"] == []
    assert loaded["assets"] > 20
    assert not warehouse.exists() and list(tmp_path.iterdir()) == []
    assert manifest.stat().st_mtime_ns == prepared  # no dbt parse


def test_a_missing_or_stale_manifest_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster_dbt import DbtProject

    from orchestration.dbt import project

    elsewhere = DbtProject(project_dir=project.DBT_PROJECT_DIR, target_path=tmp_path / "target")
    monkeypatch.setattr(project, "dbt_project", elsewhere)
    with pytest.raises(project.ManifestNotPrepared, match="has not been prepared: run `make setup`"):
        project.require_manifest()
    elsewhere.manifest_path.parent.mkdir()
    elsewhere.manifest_path.write_text("{}")
    os.utime(elsewhere.manifest_path, (0, 0))  # prepared before any file of the project was written
    with pytest.raises(project.ManifestNotPrepared, match=r"is older than dbt_project/.*: run `make setup`"):
        project.require_manifest()


def test_the_prepared_manifest_is_the_current_project() -> None:
    """`make setup` prepared it from the project as it is (otherwise the asset graph would not be dbt's)."""
    from orchestration.dbt.project import require_manifest

    manifest = json.loads(require_manifest().read_text(encoding="utf-8"))
    models = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    on_disk = {path.stem for path in (REPO / "dbt_project" / "models").rglob("*.sql")}
    assert models == on_disk


def test_the_dbt_launcher_takes_its_warehouse_option_out_and_refuses_it_without_a_folder() -> None:
    """`gongkai-dbt --warehouse DIR …`: dbt gets the other arguments in order; a bare `--warehouse` is one line."""
    from orchestration.dbt.executable import take_warehouse

    assert take_warehouse(["build", "--warehouse", "/w [1]", "--vars", "{}"]) == ("/w [1]", ["build", "--vars", "{}"])
    assert take_warehouse(["parse", "--quiet"]) == (None, ["parse", "--quiet"])
    with pytest.raises(SystemExit, match="--warehouse needs a folder"):
        take_warehouse(["build", "--warehouse"])
