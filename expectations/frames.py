"""What each quality gate validates, read from a warehouse folder as pandas frames (GX's SQL datasource on DuckDB
returns empty results: the frames come from DuckDB's `.df()`). Only the columns the suites look at are read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingestion.landing.store import glob_escape, inventory_path, landing_glob

if TYPE_CHECKING:
    import pandas as pd


def _frames(database: Path, queries: dict[str, str]) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {name: connection.execute(sql).df() for name, sql in queries.items()}


def documents_frames(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every readable inbox file of the last scan with its landed document record (none: not read), from the
    landing Parquet files: this gate runs before dbt. Entries the scan did not read (no sha256: a link out of the
    inbox, a pipe…) have no landing record by design; that they say why is dim_report's rule (dbt)."""
    with duckdb.connect() as connection:
        frame = connection.execute(
            """
            select i.path, i.sha256, i.size_bytes, i.detected_format,
                   d.parse_status, d.reason, d.template, d.report_year, d.agency_name
            from read_parquet($inventory) i
            left join read_parquet($documents) d using (sha256)  -- one schema per parser version: by position
            where i.sha256 is not null
            """,
            {"inventory": glob_escape(inventory_path(warehouse)), "documents": landing_glob(warehouse, "document")},
        ).df()
    return {"documents": frame}


def staged_facts_frames(build_database: Path) -> dict[str, pd.DataFrame]:
    return _frames(build_database, {
        "staged_facts": "select sha256, indicator_code, requester_type, value, unit from staging.stg_landing__facts",
    })


def marts_frames(build_database: Path) -> dict[str, pd.DataFrame]:
    return _frames(build_database, {
        "inventory": "select source_file from staging.stg_landing__inventory",
        "dim_report": "select document_id, source_file, fact_count, violation_count from marts.dim_report",
        "fact_disclosure": "select document_id from marts.fact_disclosure",
        "fct_report_findings": "select document_id, severity from marts.fct_report_findings",
    })
