"""A passing fault is retried, not remembered; a worker never outlives the process that started it.

The jobs here are small functions that fail on purpose: a worker killed by a signal from outside (as the OOM
killer does), a job that hangs once (a timeout under load) or always, an input deleted or changed between the
scan and the read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

from ingestion.landing.pipeline import parse_new_documents, register_inbox
from ingestion.landing.pool import Failure, PoolLimits, run_isolated
from ingestion.landing.store import is_landed, read_inventory
from ingestion.limits import ReadLimits
from tests.conftest import REPO, seed_path

LIMITS = PoolLimits(timeout_seconds=2, memory_bytes=1024**3)


def _attempt(marker: Path) -> int:
    """How many times this job has started (counted in a file, as workers share no memory)."""
    with marker.open("a") as handle:
        handle.write("x")
    return len(marker.read_text())


def killed_once(marker: Path) -> str:
    if _attempt(marker) == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer, or an operator
    return "read"


def always_killed(marker: Path) -> str:
    _attempt(marker)
    os.kill(os.getpid(), signal.SIGKILL)
    return "never"


def hangs_once(marker: Path) -> str:
    if _attempt(marker) == 1:
        time.sleep(60)  # a timeout under load
    return "read"


def always_hangs(marker: Path) -> str:
    _attempt(marker)
    time.sleep(60)
    return "never"


def segfaults(marker: Path) -> str:
    _attempt(marker)
    os.kill(os.getpid(), signal.SIGSEGV)  # the reader itself crashed: the input's doing
    return "never"


def test_a_worker_killed_from_outside_is_retried(tmp_path: Path) -> None:
    [outcome] = list(run_isolated([("a", tmp_path / "a")], killed_once, LIMITS, workers=1))
    assert outcome.value == "read" and outcome.failure is None
    assert (tmp_path / "a").read_text() == "xx"


def test_a_job_killed_every_time_comes_back_not_final(tmp_path: Path) -> None:
    [outcome] = list(run_isolated([("a", tmp_path / "a")], always_killed, LIMITS, workers=1))
    assert outcome.value is None and outcome.failure is Failure.KILLED
    assert not outcome.final and "SIGKILL" in outcome.reason


def test_a_timeout_under_load_is_retried_alone(tmp_path: Path) -> None:
    jobs = [("slow", tmp_path / "slow"), *[(f"ok{i}", tmp_path / f"ok{i}") for i in range(3)]]
    outcomes = {o.key: o for o in run_isolated(jobs, hangs_once, LIMITS, workers=2)}
    assert outcomes["slow"].value == "read" and outcomes["slow"].final
    assert all(outcomes[f"ok{i}"].value == "read" for i in range(3))


def test_a_job_that_hangs_every_time_is_a_final_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    [outcome] = list(run_isolated([("a", tmp_path / "a")], always_hangs, LIMITS, workers=2))
    assert outcome.failure is Failure.TIMED_OUT and outcome.final
    assert (tmp_path / "a").read_text() in {"x", "xx"}  # alone from the start, or retried alone once
    assert time.monotonic() - started < 3 * LIMITS.timeout_seconds + 10


def test_a_crash_of_the_reader_is_final(tmp_path: Path) -> None:
    [outcome] = list(run_isolated([("a", tmp_path / "a")], segfaults, LIMITS, workers=1))
    assert outcome.failure is Failure.CRASHED and outcome.final and "SIGSEGV" in outcome.reason


def test_a_file_deleted_or_changed_between_scan_and_read_is_not_landed(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    for name, prefix in (("gone.txt", "000"), ("changed.txt", "001"), ("kept.txt", "004")):
        (inbox / name).write_bytes(seed_path(prefix).read_bytes())
    files = register_inbox(inbox, warehouse).files
    (inbox / "gone.txt").unlink()
    (inbox / "changed.txt").write_bytes(seed_path("002").read_bytes())
    summary = parse_new_documents(files, warehouse, inbox=inbox, workers=2, limits=ReadLimits(timeout_seconds=30))
    by_path = {f.path: f for f in files}
    assert summary.parsed == ["kept.txt"]
    assert set(summary.deferred) == {"gone.txt", "changed.txt"}
    assert "vanished" in summary.deferred["gone.txt"] and "changed" in summary.deferred["changed.txt"]
    assert not is_landed(warehouse, by_path["gone.txt"].sha256)
    assert not is_landed(warehouse, by_path["changed.txt"].sha256)
    assert not (warehouse / "quarantine").exists()
    notes = {f.path: f.entry_reason for f in read_inventory(warehouse, inbox)}  # dim_report's reason
    assert "not read in this run: file vanished" in notes["gone.txt"] and notes["kept.txt"] is None


ORPHAN_PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ingestion.landing.pool import PoolLimits, run_isolated

    def work(path):
        Path(path).write_text(str(__import__("os").getpid()))
        time.sleep(300)

    for _ in run_isolated([("a", sys.argv[1] + "/a"), ("b", sys.argv[1] + "/b")], work,
                          PoolLimits(timeout_seconds=600, memory_bytes=1024**3), workers=2):
        pass
    """
)


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_PARENT, str(tmp_path)], cwd=REPO)
    try:
        assert _wait_for(lambda: (tmp_path / "a").exists() and (tmp_path / "b").exists()), "workers did not start"
        time.sleep(0.2)
        workers = [int((tmp_path / name).read_text()) for name in ("a", "b")]
        parent.kill()  # kill -9: no clean-up runs in the parent
        parent.wait(10)
        assert _wait_for(lambda: not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
                                         for pid in workers), 10), "a worker outlived its parent"
    finally:
        parent.kill()
        for name in ("a", "b"):
            if (tmp_path / name).exists():
                pid = int((tmp_path / name).read_text() or 0)
                if pid and psutil.pid_exists(pid):
                    os.kill(pid, signal.SIGKILL)


DIES_WITH_PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE)
    child.stdout.readline()
    print(child.pid, flush=True)
    time.sleep(300)
    """
)
GUARDED_CHILD = (
    "import time; from ingestion.landing.lifeline import die_with_parent; "
    "die_with_parent(); print(flush=True); time.sleep(300)"
)


def test_the_dbt_subprocess_dies_with_a_killed_refresh() -> None:
    """dbt runs through `gongkai-dbt` (orchestration.dbt.executable), which binds its life to the process that
    started it before dbt starts: the same `die_with_parent` as the parser's workers."""
    from orchestration.dbt.executable import DBT_EXECUTABLE

    assert DBT_EXECUTABLE.name == "gongkai-dbt" and "orchestration.dbt.executable" in DBT_EXECUTABLE.read_text()
    parent = subprocess.Popen([sys.executable, "-c", DIES_WITH_PARENT, GUARDED_CHILD], stdout=subprocess.PIPE,
                              text=True, cwd=REPO)
    try:
        child = int(parent.stdout.readline())
        assert psutil.pid_exists(child)
        parent.kill()
        parent.wait(10)
        assert _wait_for(lambda: not psutil.pid_exists(child) or psutil.Process(child).status() == "zombie", 10)
    finally:
        parent.kill()
