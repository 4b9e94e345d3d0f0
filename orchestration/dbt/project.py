"""The dbt project, its manifest and the variables every dbt invocation gets.

The manifest (the asset graph's dbt half) is prepared at set-up, never when the definitions load:
`make setup` runs

    dagster-dbt project prepare-and-package --file orchestration/dbt/project.py

which finds `dbt_project` below and runs `dbt parse` with `DBT_VARS`. Loading the definitions only checks that
the manifest is there and not older than the project's files (`require_manifest`).

dbt runs in the warehouse folder (`warehouse_arguments`: the `gongkai-dbt` launcher changes into it), and
profiles.yml and the landing sources name build.duckdb and landing/ relative to it. The parser version comes
as a var (`DBT_VARS`). So what dbt parses is the same text for every warehouse: the parse prepared at set-up
stays valid (partial parsing) instead of a full parse in each new warehouse. Nothing is passed through the
environment.
"""

from __future__ import annotations

import json
from pathlib import Path

from dagster_dbt import DbtProject

from ingestion import PARSER_VERSION
from ingestion.catalogue.seeds import SEEDS_DIR
from orchestration.dbt.executable import WAREHOUSE_OPTION

DBT_PROJECT_DIR = SEEDS_DIR.parent  # the seeds are the parser's data too: one anchor for both
#: What dbt reads: every change here makes the manifest stale.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml")
#: selectors.yml: what a refresh builds and tests, and the catalogue's own checks (run by `make test`).
REFRESH_SELECTOR = "refresh"
CATALOGUE_SELECTOR = "catalogue"
PROJECT_FOLDERS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")


#: The variables of every dbt invocation, the set-up's parse included: the landing sources and int_reports read
#: the parser version.
DBT_VARS = ["--vars", json.dumps({"parser_version": PARSER_VERSION})]


def warehouse_arguments(warehouse: Path) -> list[str]:
    """The arguments that make a `gongkai-dbt` invocation work on `warehouse`."""
    return [WAREHOUSE_OPTION, str(warehouse), *DBT_VARS]


dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    prepare_project_cli_args=["parse", "--quiet", *DBT_VARS],
)


class ManifestNotPrepared(RuntimeError):
    """The dbt manifest is missing or older than the dbt project: the set-up step has not run since."""


def _project_files() -> list[Path]:
    files = [DBT_PROJECT_DIR / name for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        if (DBT_PROJECT_DIR / folder).is_dir():
            files += [path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file()]
    return [path for path in files if path.exists()]


def require_manifest() -> Path:
    """The prepared manifest's path; a clear error when it is missing or stale (a model, seed or macro changed
    since it was prepared: its asset graph would not match what dbt builds)."""
    manifest = dbt_project.manifest_path
    how = "run `make setup` (it runs `dagster-dbt project prepare-and-package --file orchestration/dbt/project.py`)"
    if not manifest.exists():
        raise ManifestNotPrepared(f"the dbt manifest {manifest} has not been prepared: {how}")
    prepared = manifest.stat().st_mtime
    newer = [path for path in _project_files() if path.stat().st_mtime > prepared]
    if newer:
        changed = newer[0].relative_to(DBT_PROJECT_DIR)
        raise ManifestNotPrepared(
            f"the dbt manifest {manifest} is older than dbt_project/{changed}"
            + (f" and {len(newer) - 1} other files" if len(newer) > 1 else "") + f": {how}"
        )
    return manifest


if __name__ == "__main__":  # `python -m orchestration.dbt.project`: the --vars of a dbt invocation (make docs)
    print(DBT_VARS[1])
