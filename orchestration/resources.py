"""The resources every domain's assets use, built from the one `Settings` object.

- `warehouse`: the inbox a run reads, the warehouse folder it writes and the reading limits. Its fields are the
  run's configuration in the UI's launchpad; their defaults are `ingestion.limits.ReadLimits`'s.
- `progress`: where long steps report how far they are. `gongkai refresh` listens (its progress bars); under
  the UI (`dg dev`) nobody does, and reporting costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from ingestion.limits import ReadLimits
from orchestration.settings import Settings, WarehouseLayout

MB = 1024**2
_DEFAULT_LIMITS = ReadLimits()


class WarehouseResource(dg.ConfigurableResource):
    """The inbox a run reads, the warehouse folder it writes, and how documents are read."""

    inbox_dir: str
    warehouse_dir: str
    workers: int = 0  # 0: one worker process per core
    max_file_mb: int = _DEFAULT_LIMITS.max_file_bytes // MB  # larger files are quarantined unread
    max_pages: int = _DEFAULT_LIMITS.max_pages
    timeout_seconds: float = _DEFAULT_LIMITS.timeout_seconds  # per document; its worker is killed after this
    memory_mb: int = _DEFAULT_LIMITS.memory_bytes // MB  # address-space cap per worker process
    allow_shrink: bool = False  # an inbox far smaller than the last scan's is refused unless this is set

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        limits = settings.limits
        return cls(
            inbox_dir=str(settings.inbox),
            warehouse_dir=str(settings.warehouse),
            workers=settings.workers,
            max_file_mb=limits.max_file_bytes // MB,
            max_pages=limits.max_pages,
            timeout_seconds=limits.timeout_seconds,
            memory_mb=limits.memory_bytes // MB,
            allow_shrink=settings.allow_shrink,
        )

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_dir)

    @property
    def layout(self) -> WarehouseLayout:
        return WarehouseLayout(self.warehouse)

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=self.max_file_mb * MB,
            max_pages=self.max_pages,
            timeout_seconds=self.timeout_seconds,
            memory_bytes=self.memory_mb * MB,
        )


def run_config(warehouse: WarehouseResource) -> dict[str, Any]:
    """Run config that pins a run to the inbox and warehouse (and reading settings) its trigger looked at."""
    return {"resources": {"warehouse": {"config": warehouse.model_dump()}}}


ProgressListener = Callable[[str, int, int, str], None]  # (stage, done, total, item)


class ProgressFeed:
    """Progress of long steps, for whoever runs the job in this process and listens."""

    def __init__(self) -> None:
        self._listeners: list[ProgressListener] = []

    @contextmanager
    def listening(self, listener: ProgressListener) -> Iterator[None]:
        self._listeners.append(listener)
        try:
            yield
        finally:
            self._listeners.remove(listener)

    def report(self, stage: str, done: int, total: int, item: str = "") -> None:
        for listener in list(self._listeners):
            listener(stage, done, total, item)


def resources(settings: Settings, progress: ProgressFeed | None = None) -> dict[str, Any]:
    """The resources of the code location, except dbt's (the dbt domain adds its own)."""
    return {"warehouse": WarehouseResource.from_settings(settings), "progress": progress or ProgressFeed()}
