"""The dbt domain: the project's models, seeds and data tests, and the dbt CLI resource."""

from __future__ import annotations

import dagster as dg

from orchestration.dbt.assets import dbt_models
from orchestration.dbt.resource import dbt_resource


def definitions() -> dg.Definitions:
    return dg.Definitions(assets=[dbt_models()], resources={"dbt": dbt_resource()})
