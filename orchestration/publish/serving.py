"""Publishing: copy the marts into serving.duckdb through a temporary file and an atomic rename, then export
them as Parquet (`<warehouse>/parquet/<table>.parquet`) for tools without a DuckDB driver."""

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from ingestion import PARSER_VERSION
from ingestion.landing.store import read_inventory
from orchestration.automation.policies import DUCKDB_WRITER_POOL, TRANSIENT_RETRY, transient_failures_only
from orchestration.gates.checks import GATED_ASSETS
from orchestration.publish.inputs import (
    code_fingerprint,
    forget_published,
    inputs_fingerprint,
    landing_signature,
    record_published,
)
from orchestration.publish.leftovers import sweep_leftovers
from orchestration.resources import WarehouseResource

#: The marts the contract names, and the findings behind dim_report's counts.
MART_KEYS = [
    dg.AssetKey(["marts", name])
    for name in ("fact_disclosure", "dim_agency", "dim_report", "dim_indicator", "fct_report_findings")
]


#: The DuckDB storage format serving.duckdb is written in: the oldest release line whose clients read it. BI tools
#: bundle their own DuckDB (Metabase's and DBeaver's drivers, duckdb-engine) and lag behind the 2.0 that builds the
#: warehouse; DuckDB before 2.0 cannot open a file in the 2.0 format. `make setup` installs a DuckDB client of
#: this line into .tools/ and a test opens the published file with it.
SERVING_STORAGE_VERSION = "v1.5.0"


def publish(build_database: Path, serving_database: Path, parquet_dir: Path) -> dict[str, int]:
    """Write every `marts` table of the build database to a new file, then swap it in.

    Each table keeps what dbt built into it: its column types and NOT NULL constraints (the table's own CREATE
    statement), and the comments dbt persisted from the models' YAML (the table's description and every
    column's, in English and Chinese), so a BI tool shows them. The file is written in
    `SERVING_STORAGE_VERSION`'s format. A BI tool holding the old file open keeps reading the old inode; its
    next connection sees the new data. Nothing half-written is ever visible under the serving name.
    """
    # A name of this process's own: two publishers never write one temporary file.
    temporary = serving_database.with_name(f".{serving_database.name}.{os.getpid()}.tmp")
    sweep_leftovers(serving_database)
    counts: dict[str, int] = {}
    with duckdb.connect() as connection:
        # paths as parameters: a warehouse path may hold '
        connection.execute("ATTACH ? AS build (READ_ONLY)", [str(build_database)])
        connection.execute(f"ATTACH ? AS serving (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')", [str(temporary)])
        connection.execute("USE serving")
        connection.execute("CREATE SCHEMA marts")
        tables = connection.execute(
            "SELECT table_name, sql, comment FROM duckdb_tables() "
            "WHERE database_name = 'build' AND schema_name = 'marts' ORDER BY table_name"
        ).fetchall()
        for table, create, comment in tables:
            connection.execute(create)  # CREATE TABLE marts.<table>(…): into serving, the current database
            connection.execute(f"INSERT INTO serving.marts.{table} SELECT * FROM build.marts.{table}")
            counts[table] = connection.execute(f"SELECT count(*) FROM serving.marts.{table}").fetchone()[0]
            _copy_comments(connection, table, comment)
        connection.execute("CHECKPOINT serving")
        connection.execute("USE memory")
        connection.execute("DETACH serving")
        connection.execute("DETACH build")
    os.replace(temporary, serving_database)
    export_parquet(serving_database, parquet_dir)
    return counts


def _copy_comments(connection: duckdb.DuckDBPyConnection, table: str, comment: str | None) -> None:
    """The table's and its columns' comments, from build into serving."""
    if comment:
        connection.execute(f"COMMENT ON TABLE serving.marts.{table} IS {_literal(comment)}")
    columns = connection.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'build' AND schema_name = 'marts' "
        "AND table_name = ? AND comment IS NOT NULL ORDER BY column_index",
        [table],
    ).fetchall()
    for column, text in columns:
        connection.execute(f'COMMENT ON COLUMN serving.marts.{table}."{column}" IS {_literal(text)}')


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def export_parquet(serving_database: Path, parquet_dir: Path) -> None:
    """Every `marts` table of the published database as `<parquet_dir>/<table>.parquet`.

    Written into a sibling temporary directory that then replaces the old one (two renames), so a reader sees
    the previous export or the new one, never a mix or a half-written file.
    """
    staging = parquet_dir.with_name(f".{parquet_dir.name}.tmp")
    retired = parquet_dir.with_name(f".{parquet_dir.name}.old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    with duckdb.connect(str(serving_database), read_only=True) as source:
        tables = source.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY table_name"
        ).fetchall()
        for (table,) in tables:
            source.table(f"marts.{table}").write_parquet(str(staging / f"{table}.parquet"))  # no path in SQL text
    if parquet_dir.exists():
        parquet_dir.rename(retired)
    staging.rename(parquet_dir)
    shutil.rmtree(retired, ignore_errors=True)


@dg.asset(
    group_name="publish",
    kinds={"duckdb"},
    # A blocking check stops only the assets directly downstream of the asset it checks: publishing depends on
    # every gated asset itself, staged facts included.
    deps=sorted({*MART_KEYS, *GATED_ASSETS}, key=lambda key: key.to_user_string()),
    pool=DUCKDB_WRITER_POOL,
    retry_policy=TRANSIENT_RETRY,
    description="serving.duckdb for BI tools: the marts, swapped in atomically after the blocking quality "
    "gates pass, and their Parquet export in parquet/.",
)
def serving_database(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    layout = warehouse.layout
    # What this build was made from; dropped first, so that a run killed mid-publication never looks current.
    fingerprint = inputs_fingerprint(
        read_inventory(warehouse.warehouse, warehouse.inbox), PARSER_VERSION, code_fingerprint(),
        landing_signature(warehouse.warehouse, PARSER_VERSION),
    )
    forget_published(layout)
    with transient_failures_only():  # a held lock or a full disk is retried; a bug is not
        counts = publish(layout.build_database, layout.serving_database, layout.parquet_dir)
    record_published(layout, fingerprint)
    context.log.info(f"published {layout.serving_database}: {counts}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(layout.serving_database)),
            **{f"rows_{table}": count for table, count in counts.items()},
        }
    )
