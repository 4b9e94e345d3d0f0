"""The platform's settings: one typed object, built once and passed explicitly.

`Settings.from_environment()` is the only place that reads the environment (`GONGKAI_INBOX`,
`GONGKAI_WAREHOUSE`, `GONGKAI_EXECUTOR`), for the code location the UI (`dg dev`) loads; `gongkai refresh` builds
its `Settings` from its options instead. Nothing here writes the environment or creates a folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.limits import ReadLimits

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INBOX = REPO_ROOT / "sample_corpus"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse"
DEFAULT_EXECUTOR = "in_process"


@dataclass(frozen=True)
class WarehouseLayout:
    """Where things are in a warehouse folder (the landing area's own layout is `ingestion.landing.store`'s)."""

    root: Path

    @property
    def build_database(self) -> Path:
        """dbt's working database (seeds, staging, intermediate, marts)."""
        return self.root / "build.duckdb"

    @property
    def serving_database(self) -> Path:
        """The published marts BI tools open; replaced atomically after the blocking gates pass."""
        return self.root / "serving.duckdb"

    @property
    def published_inputs(self) -> Path:
        """What the current serving.duckdb was built from (`orchestration.publish.inputs`)."""
        return self.root / "serving.inputs.json"

    @property
    def parquet_dir(self) -> Path:
        """The published marts as one Parquet file per table."""
        return self.root / "parquet"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def quality_report(self) -> Path:
        return self.reports_dir / "quality_report.html"

    @property
    def data_docs_dir(self) -> Path:
        """Great Expectations' Data Docs site."""
        return self.reports_dir / "data_docs"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for this warehouse: partial parsing survives between refreshes of it."""
        return self.root / "dbt_target"

    @property
    def dagster_home(self) -> Path:
        """The warehouse's own Dagster instance (runs, materialisations, check results), unless DAGSTER_HOME says
        otherwise (orchestration/cli/instance.py)."""
        return self.root / "dagster_home"

    @property
    def refresh_log(self) -> Path:
        """Dagster's and dbt's log of the last `gongkai refresh`."""
        return self.root / "logs" / "last_refresh.log"


@dataclass(frozen=True)
class Settings:
    """What a refresh reads and writes, how it reads, and which executor runs its steps."""

    inbox: Path
    warehouse: Path
    workers: int = 0  # parser worker processes; 0: one per core
    limits: ReadLimits = field(default_factory=ReadLimits)
    executor: str = DEFAULT_EXECUTOR  # in_process, multiprocess, k8s, celery, celery_k8s (docs/scaling.md)
    allow_shrink: bool = False  # publish an inbox far smaller than the warehouse's (files removed on purpose)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inbox", Path(self.inbox).resolve())
        object.__setattr__(self, "warehouse", Path(self.warehouse).resolve())

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """The code location's settings: the sample corpus into ./warehouse unless the environment says otherwise."""
        return cls(
            inbox=Path(environ.get("GONGKAI_INBOX") or DEFAULT_INBOX),
            warehouse=Path(environ.get("GONGKAI_WAREHOUSE") or DEFAULT_WAREHOUSE),
            executor=(environ.get("GONGKAI_EXECUTOR") or DEFAULT_EXECUTOR).strip().lower(),
        )

    @property
    def layout(self) -> WarehouseLayout:
        return WarehouseLayout(self.warehouse)
