"""Where `gongkai refresh` and `gongkai ui` keep their Dagster instance, and how a CLI run takes its turn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.cli.instance import (
    HOST_TAG,
    INSTANCE_SETTINGS,
    PID_TAG,
    instance_home,
    open_instance,
    prepare_home,
    wait_for_turn,
)
from orchestration.settings import WarehouseLayout


def test_the_warehouse_keeps_its_own_instance_unless_dagster_home_says_otherwise(tmp_path: Path) -> None:
    layout = WarehouseLayout(tmp_path / "warehouse")
    assert instance_home(layout, {}) == tmp_path / "warehouse" / "dagster_home"
    assert instance_home(layout, {"DAGSTER_HOME": "/srv/dagster"}) == Path("/srv/dagster")


def test_a_new_home_gets_the_project_settings_and_an_existing_one_keeps_its_own(tmp_path: Path) -> None:
    home = prepare_home(tmp_path / "a" / "dagster_home")
    assert (home / "dagster.yaml").read_text() == INSTANCE_SETTINGS.read_text()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    prepare_home(home)
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


def _started_run(instance: dg.DagsterInstance, pid: int) -> dg.DagsterRun:
    run = instance.create_run_for_job(
        dg.GraphDefinition(name="g", node_defs=[]).to_job(name="refresh"),
        tags={HOST_TAG: socket.gethostname(), PID_TAG: str(pid)},
    )
    instance.handle_run_event(
        run.run_id,
        dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name="refresh"),
    )
    return instance.get_run_by_id(run.run_id)


def test_a_run_whose_process_is_gone_is_failed_and_a_live_one_is_waited_for(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with open_instance(tmp_path / "dagster_home") as instance:
        stale = _started_run(instance, int(gone.stdout))
        assert wait_for_turn(instance, timeout=5, on_wait=lambda run: None, poll=0.1)
        assert instance.get_run_by_id(stale.run_id).status == dg.DagsterRunStatus.FAILURE

        live = _started_run(instance, os.getpid())  # this process: still running
        waited_for: list[str] = []
        assert not wait_for_turn(instance, timeout=0.5, on_wait=lambda run: waited_for.append(run.run_id), poll=0.1)
        assert waited_for == [live.run_id]
        assert instance.get_run_by_id(live.run_id).status == dg.DagsterRunStatus.STARTED


def test_settings_apply_in_a_folder_whose_name_holds_glob_characters(tmp_path: Path) -> None:
    """Dagster finds dagster.yaml through a glob; `[1]` in the path made it miss the file (telemetry on)."""
    from orchestration.cli.instance import ui_home

    home = tmp_path / "ware'house [1]" / "dagster_home"
    with open_instance(home) as instance:
        assert instance.get_settings("telemetry") == {"enabled": False}
        assert instance.get_settings("concurrency")["pools"]["default_limit"] == 1
    alias = ui_home(home)
    try:
        assert alias != home and alias.resolve() == home.resolve()
        with dg.DagsterInstance.from_config(str(alias)) as instance:  # what the UI does with DAGSTER_HOME=alias
            assert instance.get_settings("telemetry") == {"enabled": False}
    finally:
        alias.unlink()
    assert ui_home(tmp_path / "plain") == tmp_path / "plain"
