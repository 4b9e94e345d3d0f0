"""The dbt project, its manifest and the variables every dbt invocation gets.

The manifest (the asset graph's dbt half) is prepared at set-up, never when the definitions load:
`make setup` runs

    dagster-dbt project prepare-and-package --file orchestration/dbt/project.py

which finds `dbt_project` below and runs `dbt parse` with `PARSE_VARS`. Loading the definitions only checks that
the manifest is there and not older than the project's files (`require_manifest`).

dbt learns the warehouse folder and the parser version from `--vars` (`dbt_vars`), passed by each invocation:
profiles.yml (`var('warehouse')`), the landing sources and int_reports read them. Nothing is passed through the
environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from ingestion import PARSER_VERSION
from ingestion.catalogue.seeds import SEEDS_DIR
from ingestion.landing.store import glob_escape

DBT_PROJECT_DIR = SEEDS_DIR.parent  # the seeds are the parser's data too: one anchor for both
#: The environment's dbt, whatever PATH says, wrapped so that it dies with its parent (orchestration.dbt.executable).
DBT_EXECUTABLE = Path(sys.executable).parent / "gongkai-dbt"
#: What dbt reads: every change here makes the manifest stale.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_FOLDERS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")


def dbt_vars(warehouse: Path) -> dict[str, str]:
    """The variables of a dbt invocation on `warehouse`: its folder (profiles.yml opens build.duckdb there), the
    landing folder as a DuckDB glob prefix (the sources read it; its own '[', '*', '?' matched literally) and the
    parser version."""
    return {
        "warehouse": str(warehouse),
        "landing_glob": glob_escape(warehouse / "landing"),
        "parser_version": PARSER_VERSION,
    }


def vars_argument(warehouse: Path) -> list[str]:
    return ["--vars", json.dumps(dbt_vars(warehouse), ensure_ascii=False)]


#: `dbt parse` reads no data, but profiles.yml and the sources need a warehouse to render: a placeholder.
PARSE_VARS = vars_argument(Path("/warehouse-is-set-per-run"))

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    prepare_project_cli_args=["parse", "--quiet", *PARSE_VARS],
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


if __name__ == "__main__":  # `python -m orchestration.dbt.project WAREHOUSE`: the --vars of a dbt run on it
    print(json.dumps(dbt_vars(Path(sys.argv[1]).resolve()), ensure_ascii=False))
