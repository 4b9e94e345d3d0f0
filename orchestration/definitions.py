"""The Dagster code location: ingestion → dbt → quality gates → published serving.duckdb."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import configure_environment

INBOX, WAREHOUSE = configure_environment()

from orchestration.assets.dbt import dbt_resource, gongkai_dbt_models  # noqa: E402  (needs the environment)
from orchestration.assets.ingestion import inbox_documents, parsed_documents  # noqa: E402
from orchestration.assets.reporting import quality_report  # noqa: E402
from orchestration.assets.serving import serving_database  # noqa: E402
from orchestration.automation import executor, refresh_job, schedules, sensors  # noqa: E402
from orchestration.checks.quality import quality_checks  # noqa: E402
from orchestration.resources import WarehouseResource  # noqa: E402

defs = dg.Definitions(
    assets=[inbox_documents, parsed_documents, gongkai_dbt_models, serving_database, quality_report],
    asset_checks=quality_checks,
    jobs=[refresh_job],
    sensors=sensors,
    schedules=schedules,
    executor=executor,
    resources={
        "warehouse": WarehouseResource(inbox_dir=str(INBOX), warehouse_dir=str(WAREHOUSE)),
        "dbt": dbt_resource(),
    },
)
