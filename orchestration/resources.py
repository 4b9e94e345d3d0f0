"""Typed configuration shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


class WarehouseResource(dg.ConfigurableResource):
    """The inbox a run reads and the warehouse folder it writes."""

    inbox_dir: str
    warehouse_dir: str
    workers: int = 0  # 0: one worker process per core

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_dir)

    @property
    def build_database(self) -> Path:
        return self.warehouse / "build.duckdb"

    @property
    def serving_database(self) -> Path:
        return self.warehouse / "serving.duckdb"

    @property
    def reports_dir(self) -> Path:
        return self.warehouse / "reports"
