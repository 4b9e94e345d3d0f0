"""How dbt's nodes appear in Dagster: asset keys `<schema>/<model>`, groups by layer, seeds in `catalogue`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from orchestration.dbt.check_words import test_in_words


class GongkaiDbtTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<model>` and groups by layer; sources keep `landing/<table>`, the keys of the
    ingestion assets that write them, so the dbt models hang off those in one graph."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

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

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> dg.AssetCheckSpec | None:
        """dbt's check, described in words (the UI, the CLI and the quality report show this, not the test id)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        nodes = manifest.get("nodes", {})
        test = nodes.get(unique_id, {})
        return spec._replace(description=test_in_words(test, nodes.get(test.get("attached_node") or "")))
