"""The one job: every asset, in graph order. The sensor, the schedule, the UI and `gongkai refresh` all run it."""

from __future__ import annotations

import dagster as dg

from orchestration.automation.policies import TRIGGER_TAG

REFRESH_JOB = "refresh"

refresh_job = dg.define_asset_job(
    REFRESH_JOB,
    selection=dg.AssetSelection.all(),
    description="The whole chain: register the inbox, parse new documents, dbt build, quality gates, publish. "
    "Started by the inbox sensor, the annual schedule, `gongkai refresh`, or by hand in the UI.",
    tags={TRIGGER_TAG: "ui"},
)
