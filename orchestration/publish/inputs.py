"""What the published marts were built from: one fingerprint of the inbox's contents, the parser version and the
platform's code, recorded beside serving.duckdb when it is published.

A refresh that reads nothing new and finds the same fingerprint has nothing to rebuild: dbt, the gates and
publishing would reproduce the file BI tools already read, so those steps are skipped (the parse step yields no
output, and Dagster skips what depends on it). Any changed, added or removed inbox file, another parser version,
any edit to the code or the dbt project, or a landing file changed by hand (dbt reads them) changes the fingerprint
and rebuilds everything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from hashlib import sha256
from pathlib import Path

from ingestion import PARSER_VERSION
from ingestion.landing.inbox import InboxFile, scan_inbox
from ingestion.landing.store import is_landed, landing_root, read_inventory
from orchestration.dbt.project import DBT_PROJECT_DIR, PROJECT_FILES, PROJECT_FOLDERS
from orchestration.settings import REPO_ROOT, WarehouseLayout

#: The code a warehouse's contents depend on (the dbt project's parts are listed with the project).
_CODE_PACKAGES = ("ingestion", "orchestration", "expectations")


def _code_files() -> list[Path]:
    files = [path for package in _CODE_PACKAGES for path in (REPO_ROOT / package).rglob("*")]
    files += [DBT_PROJECT_DIR / name for name in PROJECT_FILES]
    files += [path for folder in PROJECT_FOLDERS for path in (DBT_PROJECT_DIR / folder).rglob("*")]
    return sorted(path for path in files if path.is_file() and "__pycache__" not in path.parts)


def code_fingerprint() -> str:
    """sha256 over the platform's source and the dbt project (names and bytes): about 20 ms."""
    digest = sha256()
    for path in _code_files():
        digest.update(str(path.relative_to(REPO_ROOT)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def landing_signature(warehouse: Path, parser_version: str) -> str:
    """sha256 over every landed file's name, size and modification time (not `_schema`, rewritten by each scan):
    dbt reads these, so landing files changed or removed by hand rebuild the marts too. Stat calls only."""
    digest = sha256()
    root = landing_root(warehouse, parser_version)
    for path in sorted(root.rglob("*.parquet")) if root.is_dir() else []:
        if path.parent.name == "_schema":
            continue
        stat = path.stat()
        line = f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def inputs_fingerprint(files: Iterable[InboxFile], parser_version: str, code: str, landing: str = "") -> str:
    """The fingerprint of a build: every inventory row (path, content hash, format, why it was not read, when it
    was removed), the parser version, the code, and the landing files' signature."""
    digest = sha256(f"{parser_version}\0{code}\0{landing}\0".encode())
    for file in sorted(files, key=lambda f: f.path):
        row = (file.path, file.sha256, file.detected_format, file.entry_reason, file.removed_at)
        digest.update("\0".join(str(part) for part in row).encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def published_fingerprint(layout: WarehouseLayout) -> str | None:
    """The fingerprint recorded with the current serving.duckdb, or None when there is nothing complete to
    compare with: no published file, no record, or no quality report written since it was published."""
    try:
        if layout.quality_report.stat().st_mtime < layout.serving_database.stat().st_mtime:
            return None
    except OSError:
        return None
    try:
        return json.loads(layout.published_inputs.read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_published(layout: WarehouseLayout, fingerprint: str) -> None:
    """Record what the serving.duckdb just swapped in was built from (written aside, then renamed into place)."""
    temporary = layout.published_inputs.with_name(f".{layout.published_inputs.name}.tmp")
    temporary.write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
    temporary.replace(layout.published_inputs)


def forget_published(layout: WarehouseLayout) -> None:
    """Drop the record before serving.duckdb is replaced."""
    layout.published_inputs.unlink(missing_ok=True)


def looks_unchanged(inbox: Path, warehouse: Path) -> bool:
    """Before a run, without reading any file that did not change: whether the last scan's inventory, the parser,
    the code and the landing files are what the published marts were built from, every readable file is landed,
    and the inbox still holds exactly the last scan's entries (a stat-only scan; a changed file is hashed). The
    run's parse step decides for certain; this only lets a refresh leave out the steps it would skip."""
    layout = WarehouseLayout(warehouse)
    recorded = published_fingerprint(layout)
    if recorded is None:
        return False
    try:
        stored = read_inventory(warehouse, inbox)
    except (OSError, ValueError):
        return False
    landing = landing_signature(warehouse, PARSER_VERSION)
    if inputs_fingerprint(stored, PARSER_VERSION, code_fingerprint(), landing) != recorded:
        return False
    present = [f for f in stored if f.removed_at is None]
    if not all(is_landed(warehouse, f.sha256) for f in present if f.readable):
        return False

    def entry(file: InboxFile) -> tuple:
        return file.path, file.sha256, file.detected_format, file.entry_reason

    scanned = scan_inbox(inbox, {f.path: f for f in present})
    return sorted(map(entry, scanned)) == sorted(map(entry, present))
