"""The dbt CLI resource: this environment's dbt, started ahead of its step, without two start-up costs this project
does not need."""

from __future__ import annotations

import contextlib
import importlib.metadata
from collections.abc import Iterator
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.dbt.ahead import dbt_ahead
from orchestration.dbt.executable import DBT_EXECUTABLE
from orchestration.dbt.project import DBT_PROJECT_DIR, dbt_project


class GongkaiDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, with dbt started ahead of its step and without two start-up costs of every
    run that this project does not need.

    - A run's first steps (the inbox scan, parsing) take seconds: dbt imports itself meanwhile, in a process the
      step's `gongkai-dbt` hands its invocation to (orchestration.dbt.ahead). Where this process started one
      already (`gongkai refresh`, before it loads the pipeline), that one serves.
    - dagster-dbt asks the dbt executable for its version (`dbt --version`, ≈ 5 s on 2 cores); the installed
      dbt-core package says the same, since DBT_EXECUTABLE is this environment's dbt.
    - it loads a dbt adapter into the Dagster process (≈ 1.5 s), used only to fetch row counts and column
      metadata, which this project does not request.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> None:
        return None

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[Any]:
        with dbt_ahead(DBT_EXECUTABLE), super().yield_for_execution(context) as resource:
            yield resource


def dbt_resource() -> DbtCliResource:
    return GongkaiDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=str(DBT_EXECUTABLE)
    )
