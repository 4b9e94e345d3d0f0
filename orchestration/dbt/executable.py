"""`gongkai-dbt [--warehouse DIR] ARGS…`: this environment's dbt, in a warehouse folder, bound to the life of the
process that starts it.

dagster-dbt runs dbt as a subprocess; a refresh killed with `kill -9` would leave that dbt running, writing into
the working database the next refresh opens. This entry point asks the kernel to kill it when its parent dies
(the same `die_with_parent` as the parser's workers), changes into the warehouse folder (profiles.yml and the
landing sources are relative to it, see orchestration/dbt/project.py), then is dbt: the dbt process started
ahead for its parent when one waits (orchestration.dbt.ahead), else dbt in this process. The project and profiles
folders come as `--project-dir`/`--profiles-dir` or DBT_PROJECT_DIR/DBT_PROFILES_DIR (set by dagster-dbt).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ingestion.landing.lifeline import die_with_parent
from orchestration.dbt.ahead import AHEAD_OPTION, hand_over, wait_and_run

#: The environment's dbt, whatever PATH says: this launcher's console script.
DBT_EXECUTABLE = Path(sys.executable).parent / "gongkai-dbt"
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


def run_dbt(arguments: list[str]) -> int:
    """dbt's command line with `arguments` (in the folder after `--warehouse`, when given); its exit status."""
    try:
        warehouse, arguments = take_warehouse(arguments)
        if warehouse is not None:
            os.chdir(warehouse)
        from dbt.cli.main import cli  # after the lifeline: dbt's imports take seconds

        sys.argv = ["dbt", *arguments]
        cli()
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        print(exit_.code, file=sys.stderr)
        return 1
    return 0


def main() -> None:
    """Run dbt's command line with the arguments given, dying with the parent process: in the dbt process
    started ahead for the parent when one waits (orchestration.dbt.ahead), else here."""
    die_with_parent(os.getppid())
    arguments = sys.argv[1:]
    if arguments[:1] == [AHEAD_OPTION] and len(arguments) == 2:
        sys.exit(wait_and_run(int(arguments[1]), run_dbt))
    status = hand_over(arguments)
    sys.exit(run_dbt(arguments) if status is None else status)
