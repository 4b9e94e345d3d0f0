"""What each quality gate validates, read from a warehouse folder as pandas frames (GX's SQL datasource on DuckDB
returns empty results: the frames come from DuckDB's `.df()`). Only the columns the suites look at are read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingestion.landing.store import glob_escape, inventory_path, landing_glob

if TYPE_CHECKING:
    import pandas as pd


#: Frames with a row per fact (~115 per report): their strings repeat (a 64-character sha256 on every fact of a
#: report, a few hundred codes), so they are read as categoricals. At 4,000 reports the staged facts take 7 MB
#: instead of 64, reading them peaks ~130 MB lower, and GX's checks on them ~150 MB lower.
FACT_GRAIN_FRAMES = frozenset({"staged_facts", "fact_disclosure"})


def read_frame(connection: duckdb.DuckDBPyConnection, sql: str, categorical: bool = False) -> pd.DataFrame:
    """The result of `sql` as a frame; with `categorical`, its text columns as pandas categoricals. Those come
    straight from DuckDB ENUM columns (one per text column, of its distinct values, made in the connection's
    in-memory catalog), so no column of Python or Arrow strings is ever built."""
    relation = connection.sql(sql)
    varchar = duckdb.sqltype("VARCHAR")
    text = [name for name, kind in zip(relation.columns, relation.types, strict=True) if kind == varchar]
    if not categorical or not text:
        return relation.df()
    casts = []
    for index, name in enumerate(text):
        column, enum = _quoted(name), f"memory.main.gongkai_frame_enum_{index}"
        connection.execute(f"DROP TYPE IF EXISTS {enum}")
        connection.execute(
            f"CREATE TYPE {enum} AS ENUM (SELECT DISTINCT {column} FROM ({sql}) WHERE {column} IS NOT NULL)"
        )
        casts.append(f"{column}::{enum} AS {column}")
    return connection.sql(f"SELECT * REPLACE ({', '.join(casts)}) FROM ({sql})").df()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _frames(database: Path, queries: dict[str, str]) -> dict[str, pd.DataFrame]:
    with duckdb.connect() as connection:  # in memory, for the ENUM types; the warehouse is attached read-only
        connection.execute("ATTACH ? AS build (READ_ONLY)", [str(database)])
        connection.execute("USE build")
        return {name: read_frame(connection, sql, name in FACT_GRAIN_FRAMES) for name, sql in queries.items()}


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
