"""The code location runs like a production platform: sensor, schedule, retries, a DuckDB writer pool, trigger tags."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest
import yaml

from tests.conftest import REPO, SAMPLE

CONTRACT_MARTS = {"marts/fact_disclosure", "marts/dim_agency", "marts/dim_report", "marts/dim_indicator"}


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.definitions import defs as load_definitions

    return load_definitions()


def test_the_workspace_has_the_marts_checks_a_schedule_and_a_sensor(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys >= CONTRACT_MARTS | {"serving_database"}
    assert len(graph.asset_check_keys) >= 5
    assert defs.resolve_schedule_def("annual_refresh").job_name == "refresh"
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "refresh"
    assert defs.resolve_job_def("refresh").tags["gongkai/trigger"] == "ui"


def test_dagster_definitions_validate_passes(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**os.environ, "DAGSTER_HOME": str(home), "GONGKAI_WAREHOUSE": str(tmp_path / "warehouse")},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "All code locations passed validation" in completed.stderr + completed.stdout


def test_the_annual_schedule_runs_once_a_year_just_after_the_legal_deadlines(defs: dg.Definitions) -> None:
    """Governments' reports are due by 31 March (departments' by 31 January), Beijing time: the full refresh
    comes in the first days of April there, every year, whatever the server's time zone."""
    from dagster._utils.schedules import cron_string_iterator

    schedule = defs.resolve_schedule_def("annual_refresh")
    beijing = ZoneInfo("Asia/Shanghai")
    ticks = cron_string_iterator(
        dt.datetime(2025, 1, 1, tzinfo=beijing).timestamp(), schedule.cron_schedule, schedule.execution_timezone
    )
    for year in (2025, 2026, 2027):
        tick = next(ticks).astimezone(beijing)
        assert dt.datetime(year, 4, 1, tzinfo=beijing) <= tick < dt.datetime(year, 4, 8, tzinfo=beijing), tick
    assert schedule.tags["gongkai/trigger"] == "schedule"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING  # on, even if nobody switches it on
    # the refresh job selects every asset, the quality report included whenever it exists
    job = defs.resolve_job_def("refresh")
    assert {key.to_user_string() for key in job.asset_layer.executable_asset_keys} >= CONTRACT_MARTS


def test_duckdb_writers_share_one_pool_and_transient_failures_are_retried(defs: dg.Definitions) -> None:
    from orchestration.automation.policies import DUCKDB_WRITER_POOL, TRANSIENT_RETRY

    def op_of(key: str) -> dg.OpDefinition:
        return defs.resolve_assets_def(dg.AssetKey.from_user_string(key)).op

    assert op_of("marts/fact_disclosure").pool == DUCKDB_WRITER_POOL  # the dbt build
    assert op_of("serving_database").pool == DUCKDB_WRITER_POOL
    for key in ("landing/inventory", "landing/documents", "serving_database"):
        policy = op_of(key).retry_policy
        assert policy == TRANSIENT_RETRY and policy.backoff == dg.Backoff.EXPONENTIAL and policy.max_retries >= 2
    # the quality gates are never retried: no asset check carries a retry policy
    for checks in defs.asset_checks or []:
        assert getattr(checks, "op", None) is None or checks.op.retry_policy is None
    instance = yaml.safe_load((REPO / "dagster_home" / "dagster.yaml").read_text())
    assert instance["telemetry"]["enabled"] is False
    assert instance["concurrency"]["pools"]["default_limit"] == 1


def test_only_transient_errors_reach_the_retry_policy() -> None:
    from orchestration.automation.policies import transient_failures_only

    with pytest.raises(FileNotFoundError), transient_failures_only():
        raise FileNotFoundError("inbox on a share that blinked")
    with pytest.raises(duckdb.IOException), transient_failures_only():
        raise duckdb.IOException("Could not set lock on file")
    with pytest.raises(dg.Failure) as failure, transient_failures_only():
        raise KeyError("a bug")
    assert failure.value.allow_retries is False


HOLDER = "import sys, duckdb; held = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


def test_a_build_database_held_by_another_process_is_found_by_opening_it(tmp_path: Path) -> None:
    """dbt's step retries only when build.duckdb is held elsewhere, which it learns from DuckDB's exception type
    when it opens the file, not from the wording of dbt's messages."""
    from orchestration.dbt.assets import write_refused

    database = tmp_path / "build.duckdb"
    assert write_refused(database) is None and not database.exists()  # nothing to hold yet
    duckdb.connect(str(database)).close()
    assert write_refused(database) is None
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert isinstance(write_refused(database), duckdb.IOException)
    finally:
        holder.communicate("", timeout=30)
    assert write_refused(database) is None


def _settled_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox)
    _age(inbox)
    return inbox


def _age(inbox: Path) -> None:
    an_hour_ago = time.time() - 3600
    for path in inbox.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))


def _evaluate(inbox: Path, cursor: str | None) -> tuple[object, str | None]:
    from orchestration.automation.triggers import inbox_sensor
    from orchestration.resources import WarehouseResource

    warehouse = WarehouseResource(inbox_dir=str(inbox), warehouse_dir=str(inbox.parent / "warehouse"))
    context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse})
    return inbox_sensor(context), context.cursor


def test_the_sensor_starts_a_refresh_when_files_arrive_and_only_then(tmp_path: Path) -> None:
    inbox = _settled_inbox(tmp_path)
    first, cursor = _evaluate(inbox, None)
    assert isinstance(first, dg.RunRequest)
    assert first.tags["gongkai/trigger"] == "sensor" and first.run_key
    assert first.run_config["resources"]["warehouse"]["config"]["inbox_dir"] == str(inbox)

    unchanged, same_cursor = _evaluate(inbox, cursor)
    assert isinstance(unchanged, dg.SkipReason) and same_cursor == cursor

    (inbox / "new-report.txt").write_bytes(next(SAMPLE.glob("000_*")).read_bytes() + b"\n")
    copying, cursor_while_copying = _evaluate(inbox, cursor)  # just written: wait for the inbox to settle
    assert isinstance(copying, dg.SkipReason) and cursor_while_copying == cursor

    _age(inbox)
    arrived, new_cursor = _evaluate(inbox, cursor)
    assert isinstance(arrived, dg.RunRequest) and new_cursor != cursor
    assert arrived.run_key != first.run_key

    (inbox / "new-report.txt").unlink()  # a file leaving the inbox is a change too
    removed, _ = _evaluate(inbox, new_cursor)
    assert isinstance(removed, dg.RunRequest) and removed.run_key not in {first.run_key, arrived.run_key}


def test_the_sensor_ignores_an_empty_or_missing_inbox(tmp_path: Path) -> None:
    result, cursor = _evaluate(tmp_path / "nowhere", None)
    assert isinstance(result, dg.SkipReason) and not cursor
    (tmp_path / "empty").mkdir()
    result, cursor = _evaluate(tmp_path / "empty", None)
    assert isinstance(result, dg.SkipReason) and not cursor


def test_the_sensor_fingerprint_changes_with_content_but_not_with_ignored_files(tmp_path: Path) -> None:
    from orchestration.automation.triggers import inbox_state

    inbox = _settled_inbox(tmp_path)
    before = inbox_state(inbox)
    (inbox / ".DS_Store").write_bytes(b"\0" * 10)
    assert inbox_state(inbox).fingerprint == before.fingerprint
    target = next(inbox.glob("001_*"))
    target.write_bytes(target.read_bytes() + b" ")
    after = inbox_state(inbox)
    assert after.fingerprint != before.fingerprint and after.files == before.files == 5


def test_the_executor_is_chosen_by_name_and_explains_a_missing_package(monkeypatch) -> None:
    from orchestration.automation.executor import DEPLOYMENT_EXECUTORS, select_executor
    from orchestration.settings import Settings

    assert Settings.from_environment({}).executor == "in_process"
    assert Settings.from_environment({"GONGKAI_EXECUTOR": " Multiprocess "}).executor == "multiprocess"
    assert select_executor("in_process") is dg.in_process_executor
    assert select_executor("multiprocess") is dg.multiprocess_executor
    for name, (module, attribute) in DEPLOYMENT_EXECUTORS.items():
        monkeypatch.setitem(sys.modules, module, None)  # the package is not in this image
        with pytest.raises(ImportError, match=f"GONGKAI_EXECUTOR={name} needs the {module.replace('_', '-')}"):
            select_executor(name)
        installed = types.ModuleType(module)
        setattr(installed, attribute, dg.in_process_executor)  # stands in for the package's executor
        monkeypatch.setitem(sys.modules, module, installed)
        assert select_executor(name) is dg.in_process_executor
    with pytest.raises(ValueError, match="expected in_process, multiprocess"):
        select_executor("threads")


def test_the_sensor_pins_its_run_to_the_settings_it_looked_at(tmp_path: Path) -> None:
    from orchestration.resources import WarehouseResource, run_config

    warehouse = WarehouseResource(inbox_dir=str(tmp_path / "in"), warehouse_dir=str(tmp_path / "wh"), max_pages=9)
    config = run_config(warehouse)["resources"]["warehouse"]["config"]
    assert WarehouseResource(**config) == warehouse
