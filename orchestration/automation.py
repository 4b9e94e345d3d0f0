"""How refreshes start and how they survive trouble: the `refresh` job, the inbox sensor, the annual schedule,
retries for transient failures and the concurrency pool for DuckDB writers.

Every run says what started it in the run tag `gongkai/trigger`: `sensor`, `schedule`, `cli`, or `ui` (the
job's default, so a refresh launched from the job page in the UI carries it).

This module imports no assets (the job selects them all), so asset modules can import the policies below.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.landing.inbox import IGNORED_NAMES
from orchestration.resources import WarehouseResource

TRIGGER_TAG = "gongkai/trigger"

# Only one process writes a given DuckDB file at a time (DuckDB allows a single read-write process, and a
# read-only open fails while another process writes). The limit is set in dagster_home/dagster.yaml
# (`concurrency: pools: default_limit: 1`); ops of this pool queue rather than fail on the file lock.
DUCKDB_WRITER_POOL = "duckdb_writer"

# Transient failures (a share that blinked, a worker pool that broke, a file lock held for a moment, a full
# disk someone is cleaning up) are retried with exponential backoff: about 2 s, 6 s, 14 s. Quality gates are
# asset checks that report `passed=False`: they never raise and carry no retry policy, so they are never
# retried. Inside a retried asset, `transient_failures_only()` turns every other exception (a bug, bad
# configuration) into a failure that is not retried.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, BrokenProcessPool, duckdb.IOException)


@contextmanager
def transient_failures_only() -> Iterator[None]:
    """Let TRANSIENT_ERRORS through to the retry policy; fail at once, without retries, on anything else."""
    try:
        yield
    except (*TRANSIENT_ERRORS, dg.Failure, dg.RetryRequested):
        raise
    except Exception as error:
        raise dg.Failure(
            description=f"{type(error).__name__}: {error} (not a transient failure: not retried)",
            allow_retries=False,
        ) from error


# The sensor looks at the inbox at most this often, and waits until no file has changed for SETTLE_SECONDS so
# that a report still being copied in is not read half-written.
SENSOR_INTERVAL_SECONDS = 30
SETTLE_SECONDS = 10

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="The whole chain: register the inbox, parse new documents, dbt build, quality gates, publish. "
    "Started by the inbox sensor, the annual schedule, `gongkai refresh`, or by hand in the UI.",
    tags={TRIGGER_TAG: "ui"},
)


@dataclass(frozen=True)
class InboxState:
    fingerprint: str  # sha256 over (path, size, mtime) of every file; "" when the inbox is empty or missing
    files: int
    total_bytes: int
    newest_mtime: float  # seconds since the epoch; 0 when there are no files


def inbox_state(inbox: Path) -> InboxState:
    """Fingerprint the inbox from file metadata only (no file is opened): cheap enough to poll."""
    if not inbox.is_dir():
        return InboxState("", 0, 0, 0.0)
    entries: list[tuple[str, int, int]] = []
    for folder, _, names in os.walk(inbox):
        for name in names:
            if name in IGNORED_NAMES:
                continue
            path = Path(folder) / name
            try:
                stat = path.stat()
            except OSError:  # vanished between listing and stat
                continue
            entries.append((path.relative_to(inbox).as_posix(), stat.st_size, stat.st_mtime_ns))
    if not entries:
        return InboxState("", 0, 0, 0.0)
    entries.sort()
    digest = hashlib.sha256()
    for relative, size, mtime_ns in entries:
        digest.update(f"{relative}\0{size}\0{mtime_ns}\n".encode())
    return InboxState(
        fingerprint=digest.hexdigest(),
        files=len(entries),
        total_bytes=sum(size for _, size, _ in entries),
        newest_mtime=max(mtime_ns for *_, mtime_ns in entries) / 1e9,
    )


def warehouse_run_config(warehouse: WarehouseResource) -> dict:
    """Run config that pins a run to the inbox and warehouse its trigger looked at."""
    return {"resources": {"warehouse": {"config": {
        "inbox_dir": warehouse.inbox_dir, "warehouse_dir": warehouse.warehouse_dir, "workers": warehouse.workers,
    }}}}


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts `refresh` when files arrive in, change in or leave the inbox (cursor: a fingerprint of "
    "paths, sizes and modification times). Waits until the inbox has been quiet for a few seconds. Off by "
    "default: switch it on under Automation.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    state = inbox_state(warehouse.inbox)
    previous = context.cursor or ""
    if state.fingerprint == previous:
        return dg.SkipReason(f"inbox unchanged ({state.files} files)")
    if state.files == 0 and not previous:
        return dg.SkipReason(f"inbox {warehouse.inbox} is empty or missing")
    if time.time() - state.newest_mtime < SETTLE_SECONDS:
        # The cursor stays where it was: the next evaluation looks again.
        return dg.SkipReason("files are still being written; waiting for the inbox to settle")
    context.update_cursor(state.fingerprint)
    return dg.RunRequest(
        # One run per change of state; the previous state is part of the key so that an inbox which
        # returns to an earlier state (a file removed, then put back) still gets its refresh.
        run_key=f"inbox:{previous[:16] or 'start'}->{state.fingerprint[:16] or 'empty'}",
        run_config=warehouse_run_config(warehouse),
        tags={TRIGGER_TAG: "sensor", "gongkai/inbox_files": str(state.files)},
    )


# The 2019 Regulations on Open Government Information (art. 49) want departments' annual reports out by
# 31 January and governments' by 31 March. On 1 April the previous year's reports should all be out: the full
# refresh (quality report included) runs then, even if nobody switched the sensor on.
annual_refresh_schedule = dg.ScheduleDefinition(
    name="annual_refresh",
    cron_schedule="0 6 1 4 *",
    execution_timezone="Asia/Shanghai",
    job=refresh_job,
    tags={TRIGGER_TAG: "schedule"},
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full refresh at 06:00 Beijing time on 1 April, after the legal deadlines for the previous "
    "year's annual reports (31 January for departments, 31 March for governments).",
)


def select_executor(name: str | None = None) -> dg.ExecutorDefinition:
    """The executor every run uses, chosen by GONGKAI_EXECUTOR (docs/scaling.md); the assets stay the same.

    `in_process` (default): the steps run one after another in the run's process. The chain is sequential anyway
    (dbt build is one step; documents are parsed in their own worker processes), and the multiprocess executor
    starts a process per step that loads the code location again: a UI refresh took 4 min that way against
    about 1 min in process. `multiprocess`, `k8s` (a Kubernetes Job per step; needs dagster-k8s), `celery` and
    `celery_k8s` (need dagster-celery / dagster-celery-k8s) are for deployments: their own settings come from run
    config (deploy/).
    """
    name = (name or os.environ.get("GONGKAI_EXECUTOR") or "in_process").strip().lower()
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    packages = {"k8s": ("dagster_k8s", "k8s_job_executor"), "celery": ("dagster_celery", "celery_executor"),
                "celery_k8s": ("dagster_celery_k8s", "celery_k8s_job_executor")}
    if name not in packages:
        raise ValueError(f"GONGKAI_EXECUTOR={name!r}: expected in_process, multiprocess, {', '.join(packages)}")
    module, attribute = packages[name]
    try:
        return getattr(importlib.import_module(module), attribute)
    except ImportError as error:
        raise ImportError(
            f"GONGKAI_EXECUTOR={name} needs the {module.replace('_', '-')} package in this image"
        ) from error


executor = select_executor()

jobs = [refresh_job]
sensors = [inbox_sensor]
schedules = [annual_refresh_schedule]
