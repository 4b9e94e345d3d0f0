"""The landing area: one folder of Parquet files per document, keyed by parser version and content hash.

    <warehouse>/landing/inventory.parquet              every file under the inbox in the last scan
    <warehouse>/landing/pv=<version>/<sha256>/         document.parquet, facts.parquet, findings.parquet
    <warehouse>/landing/pv=<version>/_schema/          the same files with zero rows, so globs never fail
    <warehouse>/quarantine/<sha256>/<file name>        original bytes of files that could not be read

Per-document files let parallel workers write without contending for DuckDB, and let a re-run skip
every document it has already read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion import PARSER_VERSION
from ingestion.landing.inbox import InboxFile, inventory_table
from ingestion.results import DOCUMENT_SCHEMA, FACT_SCHEMA, FINDING_SCHEMA, ParseResult

_TABLES = {"document": DOCUMENT_SCHEMA, "facts": FACT_SCHEMA, "findings": FINDING_SCHEMA}


def inventory_path(warehouse: Path) -> Path:
    """The last scan's inventory: every file under the inbox."""
    return warehouse / "landing" / "inventory.parquet"


def landing_root(warehouse: Path, parser_version: str = PARSER_VERSION) -> Path:
    return warehouse / "landing" / f"pv={parser_version}"


def landed_dir(warehouse: Path, sha256: str, parser_version: str = PARSER_VERSION) -> Path:
    return landing_root(warehouse, parser_version) / sha256


def is_landed(warehouse: Path, sha256: str, parser_version: str = PARSER_VERSION) -> bool:
    return (landed_dir(warehouse, sha256, parser_version) / "document.parquet").exists()


def _tables(result: ParseResult) -> dict[str, pa.Table]:
    sha = result.document.sha256
    return {
        "document": pa.Table.from_pylist([asdict(result.document)], schema=DOCUMENT_SCHEMA),
        "facts": pa.Table.from_pylist([{"sha256": sha, **asdict(f)} for f in result.facts], schema=FACT_SCHEMA),
        "findings": pa.Table.from_pylist(
            [{"sha256": sha, **asdict(f)} for f in result.findings], schema=FINDING_SCHEMA
        ),
    }


def write_landing(warehouse: Path, result: ParseResult) -> Path:
    """Write one document's files into a temporary folder, then rename it into place (all or nothing)."""
    root = landing_root(warehouse, result.document.parser_version)
    root.mkdir(parents=True, exist_ok=True)
    target = root / result.document.sha256
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    for name, table in _tables(result).items():
        pq.write_table(table, staging / f"{name}.parquet")
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)
    return target


def write_schema_files(warehouse: Path, parser_version: str = PARSER_VERSION) -> None:
    folder = landing_root(warehouse, parser_version) / "_schema"
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in _TABLES.items():
        pq.write_table(schema.empty_table(), folder / f"{name}.parquet")


def write_inventory(warehouse: Path, files: list[InboxFile], scanned_at: str) -> Path:
    path = inventory_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(inventory_table(files, scanned_at), temporary)
    os.replace(temporary, path)
    return path


def quarantine(warehouse: Path, file: InboxFile) -> Path:
    """Keep the original bytes of an unreadable file next to the warehouse; the inbox is never touched."""
    folder = warehouse / "quarantine" / file.sha256
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file.absolute_path.name
    if not target.exists():
        shutil.copy2(file.absolute_path, target)
    return target


def previous_inventory(warehouse: Path, inbox: Path) -> list[InboxFile]:
    """The last scan's files, or none when there is no readable inventory (a new warehouse)."""
    try:
        return read_inventory(warehouse, inbox)
    except (OSError, pa.ArrowInvalid):
        return []


def read_inventory(warehouse: Path, inbox: Path) -> list[InboxFile]:
    """The files registered by the last scan, as InboxFile records pointing into `inbox`."""
    rows = pq.read_table(inventory_path(warehouse)).to_pylist()
    return [
        InboxFile(
            path=row["path"],
            absolute_path=inbox / row["path"],
            sha256=row["sha256"],
            size_bytes=row["size_bytes"],
            detected_format=row["detected_format"],
            modified_at=row["modified_at"],
            modified_ns=row.get("modified_ns") or 0,  # inventories written before it was recorded
        )
        for row in rows
    ]
