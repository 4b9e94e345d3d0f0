"""dbt build as one Dagster step: seeds, staging, intermediate models and marts, with their data tests."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.automation.policies import DUCKDB_WRITER_POOL, retry_later
from orchestration.dbt.project import REFRESH_SELECTOR, dbt_project, require_manifest, warehouse_arguments
from orchestration.dbt.translator import GongkaiDbtTranslator
from orchestration.resources import WarehouseResource


def write_refused(database: Path) -> duckdb.IOException | None:
    """Why this process cannot open `database` read-write now, or None when it can (or the file does not exist
    yet). DuckDB raises `duckdb.IOException` while another process holds the file: a transient condition."""
    if not database.exists():
        return None
    try:
        duckdb.connect(str(database)).close()
    except duckdb.IOException as error:
        return error
    return None


def row_counts(database: Path, manifest: Mapping[str, Any]) -> dict[str, int]:
    """Rows of every model and seed dbt built into `database`, by unique id (what the UI shows on each asset).
    A relation that cannot be counted (dbt stopped before it) is left out."""
    counts: dict[str, int] = {}
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return counts
    with connection:
        for unique_id, node in manifest.get("nodes", {}).items():
            relation = node.get("relation_name")
            if node.get("resource_type") not in ("model", "seed") or not relation:
                continue
            try:
                counts[unique_id] = connection.execute(f"select count(*) from {relation}").fetchone()[0]
            except duckdb.Error:
                continue
    return counts


def dbt_models() -> dg.AssetsDefinition:
    """The dbt project's models, seeds and data tests as assets and asset checks, from the prepared manifest."""

    @dbt_assets(
        manifest=require_manifest(),
        project=dbt_project,
        # The catalogue's own data tests are the code's, not a refresh's (dbt_project/selectors.yml).
        selector=REFRESH_SELECTOR,
        dagster_dbt_translator=GongkaiDbtTranslator(),
        pool=DUCKDB_WRITER_POOL,
    )
    def gongkai_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """dbt build in this run's warehouse folder (orchestration/dbt/project.py).

        A failing data test is deterministic and fails the step at once. Only build.duckdb held by another process
        (a transient condition, found by opening the file, not by reading dbt's messages) is retried, with the same
        exponential backoff as the other assets. dbt unit tests check the models' SQL on fixed inputs, not the
        data: they run in `make test` (tests/test_analytic_marts.py), as dbt recommends, not in every refresh.
        """
        layout = warehouse.layout
        if (refused := write_refused(layout.build_database)) is not None:
            raise retry_later(context, f"{layout.build_database} is held by another process ({refused})")
        invocation = dbt.cli(
            ["build", "--exclude-resource-type", "unit_test", *warehouse_arguments(warehouse.warehouse)],
            context=context,
            raise_on_error=False,
            # One dbt target folder per warehouse: dbt's partial parsing survives between refreshes, and runs do
            # not pile up a folder each in dbt_project/target.
            target_path=layout.dbt_target_dir,
        )
        # Held back until dbt ends, then given their row counts: while dbt runs it holds build.duckdb, and a row
        # count taken meanwhile (dagster-dbt's fetch_row_counts) cannot open it. dbt build is one step anyway.
        events = list(invocation.stream())
        counts = row_counts(layout.build_database, invocation.manifest)
        for event in events:
            unique_id = event.metadata.get("unique_id") if isinstance(event, dg.Output) else None
            count = counts.get(getattr(unique_id, "value", unique_id))
            yield event if count is None else event.with_metadata({**event.metadata, "dagster/row_count": count})
        error = invocation.get_error()
        if error is None:
            return
        if (refused := write_refused(layout.build_database)) is not None:  # taken while dbt started
            raise retry_later(context, f"{layout.build_database} is held by another process ({refused})") from error
        raise error

    return gongkai_dbt_models
