"""The dbt project as Dagster assets: landing sources map onto the ingestion assets."""


import importlib.metadata
import os
import sys
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.automation import DUCKDB_WRITER_POOL, TRANSIENT_RETRY
from orchestration.resources import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")  # the environment's dbt, whatever PATH says

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_project_file() -> float:
    folders = [DBT_PROJECT_DIR / name for name in ("models", "seeds", "macros", "tests", "snapshots", "analyses")]
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    files += [path for folder in folders if folder.is_dir() for path in folder.rglob("*") if path.is_file()]
    return max((path.stat().st_mtime for path in files if path.exists()), default=0.0)


def ensure_manifest() -> Path:
    """Parse the dbt project when there is no manifest or a model, seed or macro changed since the last parse
    (after a pull that adds a model, a stale manifest would fail the build on an unexpected output)."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
        dbt_project.preparer.prepare(dbt_project)
    return manifest


class GongkaiDbtTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<model>` and groups by layer; sources keep `landing/<table>`, the keys of the
    ingestion assets that write them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "catalogue"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


ensure_manifest()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=GongkaiDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool=DUCKDB_WRITER_POOL,
)
def gongkai_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build: seeds, staging views, intermediate models and marts, with their data tests.

    dbt finds the warehouse through GONGKAI_WAREHOUSE (profiles.yml, the landing sources): it is set from this
    run's warehouse resource, so a run whose config names another warehouse builds that one, not the default.
    A failing data test is deterministic and fails the step at once; only a build.duckdb lock held by another
    process (a transient conflict) is retried, with the same exponential backoff as the other assets.
    """
    os.environ["GONGKAI_WAREHOUSE"] = str(warehouse.warehouse)
    # One dbt target folder per warehouse: dbt's partial parsing survives between refreshes (the rendered
    # profile differs per warehouse) and runs do not pile up a folder each in dbt_project/target.
    # dbt unit tests check the models' SQL on fixed inputs, not the data: they run in `make test`
    # (tests/test_analytic_marts.py), as dbt recommends, and not in every refresh (≈ 3 s).
    invocation = dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"],
        context=context, raise_on_error=False, target_path=warehouse.warehouse / "dbt_target",
    )
    yield from invocation.stream()
    error = invocation.get_error()
    if error is None:
        return
    if is_lock_conflict(str(error)) and context.retry_number < TRANSIENT_RETRY.max_retries:
        raise dg.RetryRequested(
            max_retries=TRANSIENT_RETRY.max_retries,
            seconds_to_wait=TRANSIENT_RETRY.calculate_delay(context.retry_number + 1),
        ) from error
    raise error


def is_lock_conflict(message: str) -> bool:
    """DuckDB's message when another process holds the database file."""
    return "Could not set lock on file" in message or "Conflicting lock is held" in message


class GongkaiDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs of every run that this project does not need.

    - dagster-dbt asks the dbt executable for its version (`dbt --version`, ≈ 5 s on 2 cores); the installed
      dbt-core package says the same, since DBT_EXECUTABLE is this environment's dbt.
    - it loads a dbt adapter into the Dagster process (≈ 1.5 s), used only to fetch row counts and column
      metadata, which this project does not request.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    return GongkaiDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )
