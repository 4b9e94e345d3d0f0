"""What starts a refresh unattended: the inbox sensor and the annual schedule."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from ingestion.landing.inbox import walk_inbox
from orchestration.automation.job import refresh_job
from orchestration.automation.policies import TRIGGER_TAG
from orchestration.resources import WarehouseResource, run_config

# The sensor looks at the inbox at most this often, and waits until no file has changed for SETTLE_SECONDS so
# that a report still being copied in is not read half-written.
SENSOR_INTERVAL_SECONDS = 30
SETTLE_SECONDS = 10


@dataclass(frozen=True)
class InboxState:
    fingerprint: str  # sha256 over (path, size, mtime) of every file; "" when the inbox is empty or missing
    files: int
    total_bytes: int
    newest_mtime: float  # seconds since the epoch; 0 when there are no files


def inbox_state(inbox: Path) -> InboxState:
    """Fingerprint the inbox from entry metadata only (no file is opened): cheap enough to poll. The entries are
    the inbox scan's (`walk_inbox`: links not followed out, pipes and names that are not UTF-8 included)."""
    if not inbox.is_dir():
        return InboxState("", 0, 0, 0.0)
    entries: list[tuple[bytes, int, int]] = []
    for entry in walk_inbox(inbox):
        info = entry.stat
        if entry.problem is None and info is not None and stat.S_ISLNK(info.st_mode):
            with contextlib.suppress(OSError):  # a link read as the file it names: that file's size and time
                info = os.stat(entry.absolute)
        entries.append((entry.relative, info.st_size if info else 0, info.st_mtime_ns if info else 0))
    if not entries:
        return InboxState("", 0, 0, 0.0)
    entries.sort()
    digest = hashlib.sha256()
    for relative, size, mtime_ns in entries:
        digest.update(relative + f"\0{size}\0{mtime_ns}\n".encode())
    return InboxState(
        fingerprint=digest.hexdigest(),
        files=len(entries),
        total_bytes=sum(size for _, size, _ in entries),
        newest_mtime=max(mtime_ns for *_, mtime_ns in entries) / 1e9,
    )


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
    if 0 <= time.time() - state.newest_mtime < SETTLE_SECONDS:  # a time in the future is no copy under way
        # The cursor stays where it was: the next evaluation looks again.
        return dg.SkipReason("files are still being written; waiting for the inbox to settle")
    context.update_cursor(state.fingerprint)
    return dg.RunRequest(
        # One run per change of state; the previous state is part of the key so that an inbox which
        # returns to an earlier state (a file removed, then put back) still gets its refresh.
        run_key=f"inbox:{previous[:16] or 'start'}->{state.fingerprint[:16] or 'empty'}",
        run_config=run_config(warehouse),
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
