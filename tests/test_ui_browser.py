"""The Dagster UI in a real browser: `gongkai ui` (`dg dev`) on loopback, headless Chromium materialises everything.

Starts `gongkai ui` on a copy of the shared refresh's warehouse and inbox (tests/conftest.py), so on the instance
that refresh recorded its run in (`<warehouse>/dagster_home`, the project's settings: telemetry off, pools, run
queue); checks that the UI shows the CLI's run, its materialisations and check results; presses "Materialize
all" on the `refresh` job page; waits (bounded) for the run through the GraphQL API on loopback; saves
screenshots under test-artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.browser import chromium
from tests.conftest import REPO, Published

ARTIFACTS = REPO / "test-artifacts"
START_TIMEOUT = 240  # seconds for `dg dev` to serve and load the code location
RUN_TIMEOUT = 900  # seconds for the refresh run to finish

pytestmark = pytest.mark.e2e


@dataclass
class Server:
    url: str
    warehouse: Path
    log: Path
    started_in: float
    published: Published


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def _location_loaded(url: str) -> bool:
    data = _graphql(url, "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                         "locationOrLoadError { __typename } } } } }")
    entries = data["workspaceOrError"]["locationEntries"]
    return any(
        entry["name"] == "gongkai" and entry["loadStatus"] == "LOADED"
        and entry["locationOrLoadError"]["__typename"] == "RepositoryLocation"
        for entry in entries
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGINT lets `dg dev` stop its webserver, daemon and code server; SIGKILL if it takes too long."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui")
    copy = published.copy(root)  # the warehouse with the instance the CLI refresh recorded its run in
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = root / "dg-dev.log"
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gongkai"), "ui", "--inbox", str(copy.inbox), "--warehouse",
             str(copy.warehouse), "--port", str(port)],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if _location_loaded(url):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError, TypeError):
                pass
            assert time.monotonic() < deadline, f"dg dev did not come up in {START_TIMEOUT} s"
            time.sleep(2)
        yield Server(url, copy.warehouse, log, time.monotonic() - started, copy)
    finally:
        _stop(process)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "dg-dev.log")


def _runs(url: str) -> list[dict]:
    data = _graphql(url, "{ runsOrError { ... on Runs { results { runId status jobName "
                         "tags { key value } } } } }")
    return data["runsOrError"]["results"]


def test_the_ui_shows_the_cli_refresh(server: Server) -> None:
    """What `gongkai refresh` did is in the UI: its run, the marts' latest materialisations, the gates' results."""
    (cli_run,) = [r for r in _runs(server.url) if {"key": "gongkai/trigger", "value": "cli"} in r["tags"]]
    assert cli_run["status"] == "SUCCESS"
    data = _graphql(
        server.url,
        '{ assetNodes(assetKeys: [{path: ["marts", "fact_disclosure"]}]) { description '
        "assetMaterializations(limit: 1) { runId metadataEntries { label ... on IntMetadataEntry { intValue } } } "
        "assetChecksOrError { ... on AssetChecks { checks { name description "
        "executionForLatestMaterialization { runId status } } } } } }",
    )
    (node,) = data["assetNodes"]
    assert node["description"].startswith("One row per")
    (materialization,) = node["assetMaterializations"]
    assert materialization["runId"] == cli_run["runId"]
    row_count = {e["label"]: e.get("intValue") for e in materialization["metadataEntries"]}["dagster/row_count"]
    with duckdb.connect(str(server.published.serving), read_only=True) as connection:
        assert row_count == connection.execute("select count(*) from marts.fact_disclosure").fetchone()[0]
    checks = {c["name"]: c for c in node["assetChecksOrError"]["checks"]}
    gate = checks["marts_suite"]["executionForLatestMaterialization"]
    assert gate == {"runId": cli_run["runId"], "status": "SUCCEEDED"}
    dbt_tests = [c for name, c in checks.items() if name != "marts_suite"]
    assert dbt_tests and all(c["name"] not in (c["description"] or c["name"]) for c in dbt_tests)  # in words


def test_materialize_all_from_the_ui(server: Server) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{server.url}/locations/gongkai/jobs/refresh", wait_until="domcontentloaded")
        materialize = page.get_by_role("button", name="Materialize all")
        materialize.wait_for(state="visible")
        with contextlib.suppress(PlaywrightTimeout):  # a first visit shows "Join the Dagster community"
            page.get_by_role("button", name="Skip").click(timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "dagster-ui-refresh-job.png"))
        before = {r["runId"] for r in _runs(server.url)}  # the CLI's run is in this instance already
        materialize.click()

        deadline = time.monotonic() + RUN_TIMEOUT
        run: dict | None = None
        while True:
            runs = [r for r in _runs(server.url) if r["jobName"] == "refresh" and r["runId"] not in before]
            run = runs[0] if runs else None
            if run and run["status"] in {"SUCCESS", "FAILURE", "CANCELED"}:
                break
            assert time.monotonic() < deadline, f"run not finished in {RUN_TIMEOUT} s: {run}"
            time.sleep(3)
        page.goto(f"{server.url}/runs/{run['runId']}", wait_until="domcontentloaded")
        page.get_by_text("Success", exact=False).first.wait_for(state="visible")
        page.wait_for_timeout(2_000)  # let the Gantt chart settle
        page.screenshot(path=str(ARTIFACTS / "dagster-ui-refresh-run.png"))
    seconds = time.monotonic() - started
    (ARTIFACTS / "ui-test-timings.json").write_text(
        json.dumps({"server_start": round(server.started_in, 1), "materialize_and_run": round(seconds, 1)}) + "\n"
    )
    assert run["status"] == "SUCCESS", server.log.read_text()[-4000:]
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert tags.get("gongkai/trigger") == "ui"
    published = []
    for serving in (server.warehouse / "serving.duckdb", server.published.serving):
        with duckdb.connect(str(serving), read_only=True) as connection:
            published.append((
                connection.execute("select count(*) from marts.fact_disclosure").fetchone()[0],
                connection.execute(
                    "select source_file, reason from marts.dim_report where parse_status = 'quarantined' order by 1"
                ).fetchall(),
            ))
    # the UI run publishes what `gongkai refresh` published from the same inbox
    assert published[0] == published[1] and published[0][0] > 100, published
    assert (ARTIFACTS / "dagster-ui-refresh-run.png").stat().st_size > 10_000
