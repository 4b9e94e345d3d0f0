"""The Dagster UI in a real browser: `dagster dev` on loopback, headless Chromium materialises everything.

Starts `dagster dev` with a temporary DAGSTER_HOME (telemetry off, the project's concurrency settings), a copy of
the sample corpus as the inbox and a temporary warehouse; presses "Materialize all" on the `refresh` job page;
waits (bounded) for the run through the GraphQL API on loopback; saves screenshots under test-artifacts/.
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

from tests.conftest import REPO, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
START_TIMEOUT = 240  # seconds for `dagster dev` to serve and load the code location
RUN_TIMEOUT = 900  # seconds for the refresh run to finish

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"),
]


@dataclass
class Server:
    url: str
    warehouse: Path
    log: Path
    started_in: float


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
    """SIGINT lets `dagster dev` stop its webserver, daemon and code server; SIGKILL if it takes too long."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")  # telemetry off
    inbox = root / "inbox"
    shutil.copytree(SAMPLE, inbox)
    warehouse = root / "warehouse"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = root / "dagster-dev.log"
    env = {
        **os.environ, "DAGSTER_HOME": str(home), "GONGKAI_INBOX": str(inbox), "GONGKAI_WAREHOUSE": str(warehouse),
    }
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster"), "dev", "-w", "workspace.yaml",
             "-h", "127.0.0.1", "-p", str(port)],
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
            assert time.monotonic() < deadline, f"dagster dev did not come up in {START_TIMEOUT} s"
            time.sleep(2)
        yield Server(url, warehouse, log, time.monotonic() - started)
    finally:
        _stop(process)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "dagster-dev.log")


def _runs(url: str) -> list[dict]:
    data = _graphql(url, "{ runsOrError { ... on Runs { results { runId status jobName "
                         "tags { key value } } } } }")
    return data["runsOrError"]["results"]


def test_materialize_all_from_the_ui(server: Server) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{server.url}/locations/gongkai/jobs/refresh", wait_until="domcontentloaded")
            materialize = page.get_by_role("button", name="Materialize all")
            materialize.wait_for(state="visible")
            with contextlib.suppress(PlaywrightTimeout):  # a first visit shows "Join the Dagster community"
                page.get_by_role("button", name="Skip").click(timeout=20_000)
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-refresh-job.png"))
            materialize.click()

            deadline = time.monotonic() + RUN_TIMEOUT
            run: dict | None = None
            while True:
                runs = [r for r in _runs(server.url) if r["jobName"] == "refresh"]
                run = runs[0] if runs else None
                if run and run["status"] in {"SUCCESS", "FAILURE", "CANCELED"}:
                    break
                assert time.monotonic() < deadline, f"run not finished in {RUN_TIMEOUT} s: {run}"
                time.sleep(3)
            page.goto(f"{server.url}/runs/{run['runId']}", wait_until="domcontentloaded")
            page.get_by_text("Success", exact=False).first.wait_for(state="visible")
            page.wait_for_timeout(2_000)  # let the Gantt chart settle
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-refresh-run.png"))
        finally:
            browser.close()
    seconds = time.monotonic() - started
    (ARTIFACTS / "ui-test-timings.json").write_text(
        json.dumps({"server_start": round(server.started_in, 1), "materialize_and_run": round(seconds, 1)}) + "\n"
    )
    assert run["status"] == "SUCCESS", server.log.read_text()[-4000:]
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert tags.get("gongkai/trigger") == "ui"
    with duckdb.connect(str(server.warehouse / "serving.duckdb"), read_only=True) as connection:
        facts = connection.execute("select count(*) from marts.fact_disclosure").fetchone()[0]
        quarantined = connection.execute(
            "select source_file, reason from marts.dim_report where parse_status = 'quarantined'"
        ).fetchall()
    # the UI run reads the seeds exactly like `gongkai refresh` does
    assert quarantined == [] and facts > 100, (facts, quarantined)
    assert (ARTIFACTS / "dagster-ui-refresh-run.png").stat().st_size > 10_000
