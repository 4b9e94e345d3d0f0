"""The Great Expectations gates between the layers, as Dagster asset checks (the suites, the frames they read and
the runner are `expectations`'; docs/quality.md says which rule lives where).

GX is imported inside the runner only, because importing it takes seconds.
"""

import dagster as dg

from expectations.frames import documents_frames, marts_frames, staged_facts_frames
from orchestration.ingestion.assets import DOCUMENTS
from orchestration.resources import WarehouseResource

STAGED_FACTS = dg.AssetKey(["staging", "stg_landing__facts"])
FACT_DISCLOSURE = dg.AssetKey(["marts", "fact_disclosure"])
#: The assets whose gates block publication.
GATED_ASSETS = (STAGED_FACTS, FACT_DISCLOSURE)


def _result(layer: str, frames: dict, warehouse: WarehouseResource, severity: dg.AssetCheckSeverity):
    from expectations.runner import run_suite

    outcome = run_suite(layer, frames, docs_dir=warehouse.layout.data_docs_dir)
    metadata: dict[str, dg.MetadataValue] = {"expectations_evaluated": dg.MetadataValue.int(outcome.evaluated)}
    if outcome.failed:
        metadata["failed"] = dg.MetadataValue.md("\n".join(f"- {line}" for line in outcome.failed))
    if outcome.data_docs_index is not None:
        metadata["data_docs"] = dg.MetadataValue.url(outcome.data_docs_index.as_uri())
    return dg.AssetCheckResult(passed=outcome.success, severity=severity, metadata=metadata)


@dg.asset_check(
    asset=DOCUMENTS,
    description="GX documents gate (warns): every inbox file read or quarantined, quarantines say why, report "
    "years a report can cover, a template for every parsed report.",
)
def documents_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _result("documents", documents_frames(warehouse.warehouse), warehouse, dg.AssetCheckSeverity.WARN)


@dg.asset_check(
    asset=STAGED_FACTS,
    blocking=True,
    description="GX staged-facts gate: one fact per document, indicator and requester type, catalogue units, "
    "non-negative values (except the signed 本年增/减 change codes), whole numbers except money. A failure is a "
    "pipeline defect and stops publication.",
)
def staged_facts_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    frames = staged_facts_frames(warehouse.layout.build_database)
    return _result("staged_facts", frames, warehouse, dg.AssetCheckSeverity.ERROR)


@dg.asset_check(
    asset=FACT_DISCLOSURE,
    blocking=True,
    additional_deps=[dg.AssetKey(["marts", "dim_report"]), dg.AssetKey(["staging", "stg_landing__inventory"])],
    description="GX marts gate: every inbox file has exactly one row in dim_report, and dim_report's fact counts "
    "are what fact_disclosure holds. A failure stops publication; serving.duckdb stays as it was.",
)
def marts_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _result("marts", marts_frames(warehouse.layout.build_database), warehouse, dg.AssetCheckSeverity.ERROR)


gate_checks = [documents_suite, staged_facts_suite, marts_suite]
#: The gates' check keys, so that reports can tell them from dbt's data tests without reading their names.
GATE_CHECK_KEYS = frozenset(key for check in gate_checks for key in check.check_keys)
