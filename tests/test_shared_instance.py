"""`gongkai refresh` records its run in the warehouse's own Dagster instance, the one `gongkai ui` (`dg dev`) opens.

Issue 16: the CLI once ran on a throwaway instance, so after `make demo` the UI showed every asset as never
materialised. Now the shared refresh (tests/conftest.py) leaves `<warehouse>/dagster_home`, and the instance
there holds the run, the marts' materialisations (with their row counts) and the asset-check results.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from tests.conftest import REPO, Published

pytestmark = pytest.mark.e2e

MARTS = ("fact_disclosure", "dim_agency", "dim_report", "dim_indicator", "fct_report_findings")


def test_the_refresh_is_recorded_in_the_warehouse_instance(published: Published) -> None:
    home = published.warehouse / "dagster_home"
    # the project's instance settings: telemetry off, the duckdb_writer pool, one refresh at a time
    assert yaml.safe_load((home / "dagster.yaml").read_text()) == yaml.safe_load(
        (REPO / "dagster_home" / "dagster.yaml").read_text()
    )
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"gongkai/trigger": "cli"}), limit=1)  # the latest
        assert runs and runs[0].status == dg.DagsterRunStatus.SUCCESS, runs
        run_id = runs[0].run_id
        for mart in MARTS:
            event = instance.get_latest_materialization_event(dg.AssetKey(["marts", mart]))
            assert event is not None and event.run_id == run_id, mart
        served = instance.get_latest_materialization_event(dg.AssetKey("serving_database"))
        assert served is not None and served.run_id == run_id
        # dbt assets carry their row counts (what the UI shows on each asset)
        row_count = instance.get_latest_materialization_event(
            dg.AssetKey(["marts", "dim_report"])
        ).asset_materialization.metadata["dagster/row_count"].value
        with duckdb.connect(str(published.serving), read_only=True) as connection:
            assert row_count == connection.execute("select count(*) from marts.dim_report").fetchone()[0]
        # asset-check results of the run: the GX gates and dbt's data tests
        checks = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        names = {record.event_log_entry.dagster_event.event_specific_data.check_name for record in checks}
        assert {"marts_suite", "staged_facts_suite"} <= names
        assert len(names) > 130  # the refresh's dbt data tests and the gates (selectors.yml)


def test_the_dagster_cli_reads_the_same_instance(published: Published) -> None:
    with dg.DagsterInstance.from_config(str(published.warehouse / "dagster_home")) as instance:
        (run,) = instance.get_runs(filters=dg.RunsFilter(tags={"gongkai/trigger": "cli"}), limit=1)
    listed = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "run", "list"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "DAGSTER_HOME": str(published.warehouse / "dagster_home")},
    )
    assert listed.returncode == 0, listed.stderr
    assert f"Run: {run.run_id}" in listed.stdout
