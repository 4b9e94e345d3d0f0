"""The catalogue's own data tests (dbt_project/selectors.yml, `catalogue`): the seeds are the repository's data, the
same in every warehouse, so their tests run here, with the code, and refreshes run only the tests downstream of the
landing sources (`refresh`). Between them, every data test of the project runs somewhere."""

from __future__ import annotations

import json
import subprocess

import pytest

from orchestration.dbt.executable import DBT_EXECUTABLE
from orchestration.dbt.project import CATALOGUE_SELECTOR, warehouse_arguments
from tests.conftest import REPO, Published

pytestmark = pytest.mark.e2e
PROJECT = ["--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project")]


def test_catalogue_checks_pass_and_refreshes_leave_them_to_the_test_suite(copy_of_published: Published, tmp_path):
    warehouse = copy_of_published.warehouse  # seeds and models built by the refresh; dbt writes test audits
    completed = subprocess.run(
        [str(DBT_EXECUTABLE), "test", "--selector", CATALOGUE_SELECTOR, "--exclude-resource-type", "unit_test",
         *PROJECT, "--target-path", str(tmp_path / "target"), *warehouse_arguments(warehouse)],
        capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    catalogue = {
        r["unique_id"]: r["status"]
        for r in json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    }
    assert len(catalogue) > 50 and set(catalogue.values()) == {"pass"}
    refreshed = {
        r["unique_id"]
        for r in json.loads((warehouse / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))["results"]
        if r["unique_id"].startswith("test.")
    }
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    every_test = {uid for uid, node in manifest["nodes"].items() if node["resource_type"] == "test"}
    assert not refreshed & set(catalogue)  # a refresh does not run the catalogue's tests
    assert refreshed | set(catalogue) == every_test  # and no data test is left out of both
