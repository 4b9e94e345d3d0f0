"""The publish domain: serving.duckdb (and its Parquet export) after the blocking gates, then the quality report."""

from __future__ import annotations

import dagster as dg

from orchestration.publish.quality_report import quality_report
from orchestration.publish.serving import serving_database


def definitions() -> dg.Definitions:
    return dg.Definitions(assets=[serving_database, quality_report])
