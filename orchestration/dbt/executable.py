"""`gongkai-dbt [--warehouse DIR] ARGS…`: this environment's dbt, in a warehouse folder, bound to the life of the
process that starts it.

dagster-dbt runs dbt as a subprocess; a refresh killed with `kill -9` would leave that dbt running, writing into
the working database the next refresh opens. This entry point asks the kernel to kill it when its parent dies
(the same `die_with_parent` as the parser's workers), changes into the warehouse folder (profiles.yml and the
landing sources are relative to it, see orchestration/dbt/project.py), then is dbt. The project and profiles
folders come as `--project-dir`/`--profiles-dir` or DBT_PROJECT_DIR/DBT_PROFILES_DIR (set by dagster-dbt).
"""

from __future__ import annotations

import os
import sys

from ingestion.landing.lifeline import die_with_parent

#: This launcher's own option, taken out before dbt sees the arguments.
WAREHOUSE_OPTION = "--warehouse"


def take_warehouse(arguments: list[str]) -> tuple[str | None, list[str]]:
    """The folder after `--warehouse` (None without one) and the other arguments, in order."""
    if WAREHOUSE_OPTION not in arguments:
        return None, arguments
    at = arguments.index(WAREHOUSE_OPTION)
    if at + 1 >= len(arguments):
        raise SystemExit(f"gongkai-dbt: {WAREHOUSE_OPTION} needs a folder")
    return arguments[at + 1], arguments[:at] + arguments[at + 2:]


def main() -> None:
    """Run dbt's command line with the arguments given, dying with the parent process."""
    die_with_parent(os.getppid())
    warehouse, arguments = take_warehouse(sys.argv[1:])
    if warehouse is not None:
        os.chdir(warehouse)
    from dbt.cli.main import cli  # after the lifeline: dbt's imports take seconds

    sys.argv = ["dbt", *arguments]
    sys.exit(cli())
