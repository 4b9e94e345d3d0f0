"""Great Expectations suites run as Dagster asset checks between the layers.

The frames come from DuckDB as pandas (GX's SQL datasource on DuckDB returns empty results); GX is
imported inside the runner only, because importing it takes seconds.
"""


from pathlib import Path

import dagster as dg
import duckdb

from ingestion.catalogue.indicators import indicators
from ingestion.landing.store import landing_root
from orchestration.assets.ingestion import DOCUMENTS
from orchestration.assets.serving import MART_TABLES
from orchestration.resources import WarehouseResource

STAGED_FACTS = dg.AssetKey(["staging", "stg_landing__facts"])
FACT_DISCLOSURE = dg.AssetKey(["marts", "fact_disclosure"])


def _frames(database: Path, queries: dict[str, str]) -> dict:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {name: connection.execute(sql).df() for name, sql in queries.items()}


def _result(layer: str, frames: dict, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    from expectations.runner import run_suite

    catalogue = {code: indicator.unit for code, indicator in indicators().items()}
    outcome = run_suite(layer, frames, docs_dir=warehouse.reports_dir / "data_docs", catalogue=catalogue)
    metadata: dict[str, dg.MetadataValue] = {
        "expectations_evaluated": dg.MetadataValue.int(outcome.evaluated),
        "failed": dg.MetadataValue.md("\n".join(f"- {line}" for line in outcome.failed) or "none"),
    }
    if outcome.data_docs_index is not None:
        metadata["data_docs"] = dg.MetadataValue.url(outcome.data_docs_index.as_uri())
    return dg.AssetCheckResult(passed=outcome.success, metadata=metadata)


@dg.asset_check(
    asset=DOCUMENTS,
    description="GX documents suite: every inbox file on record with a status, reasons for quarantine, "
    "plausible report years, known templates.",
)
def documents_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    inventory = warehouse.warehouse / "landing" / "inventory.parquet"
    documents = landing_root(warehouse.warehouse) / "*" / "document.parquet"
    with duckdb.connect() as connection:
        frame = connection.execute(
            f"""
            select i.path, i.sha256, i.size_bytes, i.detected_format,
                   d.parse_status, d.reason, d.template, d.report_year, d.agency_name
            from read_parquet('{inventory}') i
            left join read_parquet('{documents}', union_by_name = true) d using (sha256)
            """
        ).df()
    return _result("documents", {"documents": frame}, warehouse)


@dg.asset_check(
    asset=STAGED_FACTS,
    blocking=True,
    description="GX staged-facts suite: codes in the catalogue, catalogue units, non-negative values (except the "
    "signed 本年增/减 change codes), whole numbers except money, valid requester types. A failure is a pipeline "
    "defect and stops publication.",
)
def staged_facts_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    frames = _frames(warehouse.build_database, {"staged_facts": "select * from staging.stg_landing__facts"})
    return _result("staged_facts", frames, warehouse)


@dg.asset_check(
    asset=FACT_DISCLOSURE,
    blocking=True,
    additional_deps=[dg.AssetKey(["marts", name]) for name in MART_TABLES if name != "fact_disclosure"],
    description="GX marts suite: grain unique, every fact joins its report, agency and indicator, every "
    "published report has agency and year, a report held back for want of them says why. A failure stops "
    "publication; serving.duckdb stays as it was.",
)
def marts_suite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    frames = _frames(
        warehouse.build_database, {name: f"select * from marts.{name}" for name in MART_TABLES}
    )
    return _result("marts", frames, warehouse)


quality_checks = [documents_suite, staged_facts_suite, marts_suite]
