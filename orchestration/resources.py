"""Typed configuration shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from ingestion.limits import ReadLimits


class WarehouseResource(dg.ConfigurableResource):
    """The inbox a run reads and the warehouse folder it writes."""

    inbox_dir: str
    warehouse_dir: str
    workers: int = 0  # 0: one worker process per core
    max_file_mb: int = 200  # larger files are quarantined unread
    max_pages: int = 500
    timeout_seconds: float = 120.0  # per document; its worker is killed after this
    memory_mb: int = 2048  # address-space cap per worker process

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=self.max_file_mb * 1024**2,
            max_pages=self.max_pages,
            timeout_seconds=self.timeout_seconds,
            memory_bytes=self.memory_mb * 1024**2,
        )

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
