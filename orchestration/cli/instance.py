"""The Dagster instance a warehouse's runs are recorded in, whoever starts them (`gongkai refresh` or the UI).

Its home is `<warehouse>/dagster_home` (the warehouse's own: runs, materialisations and asset-check results of
that warehouse stay beside it, and `gongkai ui` shows them), unless `DAGSTER_HOME` names another (a deployment's
instance). A new home gets the project's instance settings, `dagster_home/dagster.yaml`: telemetry off, the
`duckdb_writer` pool and the run queue's limit of one refresh at a time. They are copied once, so a home whose
settings an operator changed keeps them.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import dagster as dg
import yaml

from orchestration.settings import REPO_ROOT, WarehouseLayout

#: The project's instance settings, copied into every new instance home.
INSTANCE_SETTINGS = REPO_ROOT / "dagster_home" / "dagster.yaml"
#: Tags a CLI run carries so that a later one can tell a run whose process is gone from one still going.
HOST_TAG = "gongkai/host"
PID_TAG = "gongkai/pid"
#: Instance settings that choose where runs are stored: when present, the operator's choice is kept.
STORAGE_SETTINGS = {"storage", "run_storage", "event_log_storage", "schedule_storage"}
IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING,
]


def instance_home(layout: WarehouseLayout, environ: Mapping[str, str] = os.environ) -> Path:
    """`DAGSTER_HOME` when set, else the warehouse's own `dagster_home` folder."""
    return Path(environ["DAGSTER_HOME"]) if environ.get("DAGSTER_HOME") else layout.dagster_home


def prepare_home(home: Path) -> Path:
    """Create `home` with the project's instance settings unless it already has a dagster.yaml."""
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():  # through a rename: a refresh killed mid-copy leaves no half a settings file
        partial = home / f".dagster.yaml.{os.getpid()}.tmp"
        shutil.copyfile(INSTANCE_SETTINGS, partial)
        os.replace(partial, settings)
    return home.resolve()


def open_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance at `home` (prepared first): the same storage the UI reads.

    Its settings are read here and handed over: Dagster finds `dagster.yaml` through a glob, which misses it in a
    folder whose path holds `[`, `*` or `?` (a warehouse named `reports [2024]`), and would then run with its
    defaults, telemetry on. Unless they name a storage (a deployment's database), the run's events are stored
    through `HeldOpenSqliteEventLogStorage` (orchestration/cli/event_storage.py)."""
    from dagster._core.instance.ref import InstanceRef  # DagsterInstance.from_ref's argument; not exported

    from orchestration.cli.event_storage import event_log_settings

    home = prepare_home(home)
    settings = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8")) or {}
    if not STORAGE_SETTINGS & settings.keys():  # Dagster's SQLite files in `home`: written faster, same format
        settings = {**settings, **event_log_settings(home)}
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=settings))


def ui_home(home: Path) -> Path:
    """`home` as the UI's DAGSTER_HOME. The webserver reads dagster.yaml through a glob too (see open_instance):
    a path with glob characters gets a plain alias, a symbolic link in the temporary folder."""
    if not glob.has_magic(str(home)):
        return home
    alias = Path(tempfile.gettempdir()) / f"gongkai-dagster-home-{hashlib.sha1(str(home).encode()).hexdigest()[:12]}"
    if not alias.is_symlink():
        alias.symlink_to(home, target_is_directory=True)
    return alias


def cli_run_tags() -> dict[str, str]:
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def _process_gone(run: dg.DagsterRun) -> bool:
    """A CLI run of this host whose process no longer exists (killed mid-run): it will never finish."""
    tags = run.tags
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return False
    try:
        os.kill(int(tags[PID_TAG]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def wait_for_turn(
    instance: dg.DagsterInstance,
    *,
    timeout: float,
    on_wait: Callable[[dg.DagsterRun], None],
    poll: float = 2.0,
) -> bool:
    """Wait while another run of this instance is in progress (the run queue's one refresh at a time).

    A CLI run left in progress by a process that is gone is marked failed and its pool slots freed, so it blocks
    nothing. Returns False if another run is still going after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    announced: set[str] = set()
    while True:
        running = instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS))
        for run in [r for r in running if _process_gone(r)]:
            instance.report_run_failed(run, "the `gongkai refresh` process of this run is gone")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            running.remove(run)
        if not running:
            return True
        for run in running:
            if run.run_id not in announced:
                announced.add(run.run_id)
                on_wait(run)
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll)
