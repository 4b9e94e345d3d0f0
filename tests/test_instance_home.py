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


def _asset_with_a_check_job() -> dg.JobDefinition:
    @dg.asset
    def reports() -> int:
        return 5

    @dg.asset_check(asset=reports)
    def reports_counted() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    return dg.Definitions(
        assets=[reports], asset_checks=[reports_counted], jobs=[dg.define_asset_job("refresh")]
    ).resolve_job_def("refresh")


def test_cli_runs_are_stored_in_dagsters_own_files_and_read_back_by_its_own_storage(tmp_path: Path) -> None:
    """The CLI's event log keeps its databases open (orchestration/cli/event_storage.py); the UI reads the same
    files with Dagster's storage: every event of the run, the materialization and the check result."""
    from orchestration.cli.event_storage import HeldOpenSqliteEventLogStorage

    home = tmp_path / "dagster_home"
    with open_instance(home) as instance:
        assert isinstance(instance.event_log_storage, HeldOpenSqliteEventLogStorage)
        result = _asset_with_a_check_job().execute_in_process(instance=instance)
        stored_here = [record.event_log_entry.dagster_event_type
                       for record in instance.get_records_for_run(result.run_id, limit=1000).records]
    assert result.success
    # as the UI opens the home: Dagster's defaults for everything the settings do not name
    with dg.DagsterInstance.from_config(str(home)) as ui:
        assert type(ui.event_log_storage).__name__ == "SqliteEventLogStorage"
        records = ui.get_records_for_run(result.run_id, limit=1000).records
        assert [record.event_log_entry.dagster_event_type for record in records] == stored_here
        assert {dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, dg.DagsterEventType.ASSET_MATERIALIZATION,
                dg.DagsterEventType.ASSET_CHECK_EVALUATION, dg.DagsterEventType.RUN_SUCCESS} <= set(stored_here)
        assert ui.get_latest_materialization_event(dg.AssetKey("reports")) is not None
        check = ui.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("reports"), "reports_counted")]
        )
        assert next(iter(check.values())).status.value == "SUCCEEDED"
    # disposed: the write-ahead log went into the database files, which the UI's file watcher follows
    assert not [p for p in (home / "history" / "runs").glob("*.db-wal") if p.stat().st_size > 0]


def test_a_home_whose_settings_name_a_storage_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        f"telemetry:\n  enabled: false\nstorage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n"
    )
    with open_instance(home) as instance:
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        _asset_with_a_check_job().execute_in_process(instance=instance)
    assert (tmp_path / "elsewhere" / "history" / "runs" / "index.db").exists()
