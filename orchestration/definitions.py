"""The Dagster code location: ingestion → dbt → quality gates → published serving.duckdb, and its automation.

`defs` is lazy (`@dg.definitions`): importing this module builds nothing, reads no manifest, writes neither
the environment nor the warehouse. Dagster's loader (workspace.yaml, `[tool.dagster]`) calls it once, with
the settings the environment gives; `gongkai refresh` calls `build_definitions` with its own.
"""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings


def build_definitions(settings: Settings, *, progress=None) -> dg.Definitions:
    """Every domain's definitions, bound to the resources `settings` describe.

    `progress` (a `ProgressFeed`) receives the parse step's progress; the CLI passes the one it listens to.
    """
    from orchestration.automation.definitions import definitions as automation
    from orchestration.dbt.definitions import definitions as dbt
    from orchestration.gates.definitions import definitions as gates
    from orchestration.ingestion.definitions import definitions as ingestion
    from orchestration.publish.definitions import definitions as publish
    from orchestration.resources import resources

    return dg.Definitions.merge(
        ingestion(),
        dbt(),
        gates(),
        publish(),
        automation(settings),
        dg.Definitions(resources=resources(settings, progress)),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.from_environment())
