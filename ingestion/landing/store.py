"""The landing area: one folder of Parquet files per document, keyed by parser version and content hash.

    <warehouse>/landing/inventory.parquet              every file under the inbox in the last scan
    <warehouse>/landing/pv=<version>/<sha256>/         document.parquet, facts.parquet, findings.parquet
    <warehouse>/landing/pv=<version>/_schema/          the same files with zero rows, so globs never fail
    <warehouse>/landing/tmp/                           files being written, renamed into place when complete
    <warehouse>/quarantine/<sha256>/<file name>        original bytes of files that could not be read

Per-document files let parallel workers write without contending for DuckDB, and let a re-run skip
every document it has already read. A landing folder is complete or absent: it is written under landing/tmp/,
outside every glob dbt reads, and renamed into place; what a killed run left there is swept at the next start.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion import PARSER_VERSION
from ingestion.landing.inbox import InboxFile, inventory_table, open_inbox_file
from ingestion.results import DOCUMENT_SCHEMA, FACT_SCHEMA, FINDING_SCHEMA, ParseResult

_TABLES = {"document": DOCUMENT_SCHEMA, "facts": FACT_SCHEMA, "findings": FINDING_SCHEMA}


def inventory_path(warehouse: Path) -> Path:
    """The last scan's inventory: every file under the inbox."""
    return warehouse / "landing" / "inventory.parquet"


def landing_root(warehouse: Path, parser_version: str = PARSER_VERSION) -> Path:
    return warehouse / "landing" / f"pv={parser_version}"


def staging_area(warehouse: Path) -> Path:
    """Where landing files are written before they are renamed into place: beside the pv= folders, never below
    one (DuckDB's globs read dot-folders too)."""
    return warehouse / "landing" / "tmp"


def sweep_staging_area(warehouse: Path) -> None:
    """Remove what a killed run was writing: the staging area's contents, and temporary folders an earlier
    layout left inside the pv= folders. Called at the start of a run, by its one writer."""
    shutil.rmtree(staging_area(warehouse), ignore_errors=True)
    for leftover in (warehouse / "landing").glob("pv=*/.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def glob_escape(path: Path | str) -> str:
    """`path` for a DuckDB file glob, its glob characters matched literally (a warehouse under 'reports[2024]')."""
    return "".join(f"[{c}]" if c in "[*?" else c for c in str(path))


def landing_glob(warehouse: Path, table: str, parser_version: str = PARSER_VERSION) -> str:
    """The glob of one landing table's files (document, facts, findings), for DuckDB as a query parameter."""
    return f"{glob_escape(landing_root(warehouse, parser_version))}/*/{table}.parquet"


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
    target = landed_dir(warehouse, result.document.sha256, result.document.parser_version)
    _replace_folder(warehouse, target, _tables(result))
    return target


def _replace_folder(warehouse: Path, target: Path, tables: dict[str, pa.Table]) -> None:
    """Write `tables` as <name>.parquet into a folder of the staging area, then rename it to `target`."""
    staging_area(warehouse).mkdir(parents=True, exist_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=staging_area(warehouse)))
    try:
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # left only when the rename did not happen


def write_schema_files(warehouse: Path, parser_version: str = PARSER_VERSION) -> None:
    tables = {name: schema.empty_table() for name, schema in _TABLES.items()}
    _replace_folder(warehouse, landing_root(warehouse, parser_version) / "_schema", tables)


def write_inventory(warehouse: Path, files: list[InboxFile], scanned_at: str) -> Path:
    path = inventory_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(inventory_table(files, scanned_at), temporary)
    os.replace(temporary, path)
    return path


def note_deferred(warehouse: Path, reasons: dict[str, str]) -> None:
    """Say in the inventory why a file was not read in this run (a fault that may pass: it vanished or changed
    after the scan, its reader was killed): dim_report shows it `unparsed` with that reason, and the next refresh
    reads it again."""
    path = inventory_path(warehouse)
    table = read_parquet_file(path)
    notes = [
        "; ".join(part for part in (reason, f"not read in this run: {reasons[p]}") if part) if p in reasons else reason
        for p, reason in zip(table["path"].to_pylist(), table["entry_reason"].to_pylist(), strict=True)
    ]
    table = table.set_column(table.schema.get_field_index("entry_reason"), "entry_reason", pa.array(notes, pa.string()))
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def quarantine(
    warehouse: Path, file: InboxFile, inbox: Path | None = None, max_bytes: int | None = None
) -> Path | None:
    """Keep the original bytes of an unreadable file next to the warehouse; the inbox is never touched.

    Bounded: nothing is copied for an entry that was not read, or a file over `max_bytes` (its record says why it
    was not read). Atomic: the copy is written under a temporary name and renamed when its hash is the file's; a
    copy an earlier run left cut short (another size) is written again. The file is opened as the scan saw it
    (a regular file inside `inbox`), so a link retargeted since copies nothing from outside. None: not kept."""
    if file.sha256 is None or (max_bytes is not None and file.size_bytes > max_bytes):
        return None
    folder = warehouse / "quarantine" / file.sha256
    target = folder / file.absolute_path.name
    if target.is_file() and target.stat().st_size == file.size_bytes:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".partial-*"):  # a copy a killed run was writing
        leftover.unlink(missing_ok=True)
    descriptor, partial = tempfile.mkstemp(prefix=".partial-", dir=folder)
    try:
        digest = hashlib.sha256()
        with os.fdopen(descriptor, "wb") as out, open_inbox_file(file.absolute_path, inbox) as source:
            remaining = file.size_bytes + 1  # one byte more than the scan saw tells a file that grew
            while remaining > 0 and (block := source.read(min(1 << 20, remaining))):
                digest.update(block)
                out.write(block)
                remaining -= len(block)
        if digest.hexdigest() != file.sha256:
            return None  # the file changed since the scan: its record is the next scan's
        os.replace(partial, target)
        return target
    except OSError:
        return None  # vanished or unreadable since the scan: the record still says why it was not read
    finally:
        Path(partial).unlink(missing_ok=True)


def read_parquet_file(path: Path) -> pa.Table:
    """One Parquet file as a table. `pq.read_table` goes through pyarrow's dataset layer, which maps ~50 MB of
    libraries into the process for nothing a single file needs; the refresh's process reads its inventory."""
    return pq.ParquetFile(path).read()


def previous_inventory(warehouse: Path, inbox: Path) -> list[InboxFile]:
    """The last scan's files, or none when there is no readable inventory (a new warehouse)."""
    try:
        return read_inventory(warehouse, inbox)
    except (OSError, pa.ArrowInvalid):
        return []


def read_inventory(warehouse: Path, inbox: Path) -> list[InboxFile]:
    """The files registered by the last scan, as InboxFile records pointing into `inbox`."""
    rows = read_parquet_file(inventory_path(warehouse)).to_pylist()
    return [
        InboxFile(
            path=row["path"],
            # a name that is not UTF-8 is kept as its bytes (inventories before that have only `path`)
            absolute_path=inbox / (os.fsdecode(row["raw_path"]) if row.get("raw_path") else row["path"]),
            sha256=row["sha256"],
            size_bytes=row["size_bytes"],
            detected_format=row["detected_format"],
            modified_at=row["modified_at"],
            modified_ns=row.get("modified_ns") or 0,  # inventories written before it was recorded
            entry_reason=row.get("entry_reason"),
            raw_path=row.get("raw_path"),
            removed_at=row.get("removed_at"),
        )
        for row in rows
    ]
