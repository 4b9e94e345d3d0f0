"""`gongkai-dbt`: this environment's dbt, bound to the life of the process that starts it.

dagster-dbt runs dbt as a subprocess; a refresh killed with `kill -9` would leave that dbt running, writing into
the working database the next refresh opens. This entry point asks the kernel to kill it when its parent dies
(the same `die_with_parent` as the parser's workers), then is dbt.
"""

from __future__ import annotations

import os
import sys

from ingestion.landing.lifeline import die_with_parent


def main() -> None:
    """Run dbt's command line with the arguments given, dying with the parent process."""
    die_with_parent(os.getppid())
    from dbt.cli.main import cli  # after the lifeline: dbt's imports take seconds

    sys.argv[0] = "dbt"
    sys.exit(cli())
