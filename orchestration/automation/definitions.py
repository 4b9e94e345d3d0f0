"""The automation domain: the `refresh` job, the inbox sensor, the annual schedule and the executor."""

from __future__ import annotations

import dagster as dg

from orchestration.automation.executor import select_executor
from orchestration.automation.job import refresh_job
from orchestration.automation.triggers import annual_refresh_schedule, inbox_sensor
from orchestration.settings import Settings


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        jobs=[refresh_job],
        sensors=[inbox_sensor],
        schedules=[annual_refresh_schedule],
        executor=select_executor(settings.executor),
    )
