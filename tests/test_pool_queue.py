"""Jobs sent behind a brief job: a fault is still the job's that ran into it, and a job sent but never started
runs once, elsewhere."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ingestion.landing import pool
from ingestion.landing.pool import Failure, Transient, run_isolated
from tests.test_pool_faults import LIMITS, _attempt


def _work(job: tuple[str, Path]) -> str:
    """A job doing what its kind says, on its first run or on every run."""
    kind, marker = job
    attempt = _attempt(marker)
    if kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "killed_once" and attempt == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "hangs_once" and attempt == 1:
        time.sleep(60)
    if kind == "out_of_memory":
        raise MemoryError
    if kind == "changed_once" and attempt == 1:
        raise Transient("changed under the read")
    if kind == "slow":
        time.sleep(0.3)  # the next job is sent before this one ends
    return "read"


def _run(tmp_path: Path, kinds: list[str], workers: int) -> dict[str, pool.Outcome]:
    jobs = [(f"{i}-{kind}", (kind, tmp_path / f"{i}-{kind}")) for i, kind in enumerate(kinds)]
    return {o.key: o for o in run_isolated(jobs, _work, LIMITS, workers=workers, brief=lambda _: True)}


def _runs(tmp_path: Path, key: str) -> int:
    return len((tmp_path / key).read_text())


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crash_is_the_running_jobs_and_the_job_sent_behind_it_runs_once(tmp_path: Path, workers: int) -> None:
    outcomes = _run(tmp_path, ["slow", "slow", "segfault", "ok", "ok", "ok"], workers)
    crashed = outcomes["2-segfault"]
    assert crashed.failure is Failure.CRASHED and crashed.final and "SIGSEGV" in crashed.reason
    assert _runs(tmp_path, "2-segfault") == 2  # it failed after another job: once more, in a fresh worker
    for key in ("0-slow", "1-slow", "3-ok", "4-ok", "5-ok"):
        assert outcomes[key].value == "read" and outcomes[key].failure is None
        assert _runs(tmp_path, key) == 1


@pytest.mark.parametrize("kind", ["killed_once", "hangs_once", "changed_once"])
def test_a_passing_fault_is_retried_and_blames_no_job_behind_it(tmp_path: Path, kind: str) -> None:
    outcomes = _run(tmp_path, ["ok", kind, "ok", "ok", "ok"], 2)
    assert outcomes[f"1-{kind}"].value == "read" and outcomes[f"1-{kind}"].final
    assert _runs(tmp_path, f"1-{kind}") == 2
    for key in ("0-ok", "2-ok", "3-ok", "4-ok"):
        assert outcomes[key].value == "read" and _runs(tmp_path, key) == 1


def test_out_of_memory_is_the_running_jobs(tmp_path: Path) -> None:
    outcomes = _run(tmp_path, ["slow", "out_of_memory", "ok", "ok"], 1)
    assert outcomes["1-out_of_memory"].failure is Failure.OUT_OF_MEMORY
    for key in ("0-slow", "2-ok", "3-ok"):
        assert outcomes[key].value == "read" and _runs(tmp_path, key) == 1


def test_a_recycled_worker_leaves_the_job_sent_behind_to_the_next(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pool, "RECYCLE_AFTER", 2)
    outcomes = _run(tmp_path, ["ok"] * 9, 2)
    assert all(o.value == "read" and o.failure is None for o in outcomes.values()) and len(outcomes) == 9
    assert all(_runs(tmp_path, key) == 1 for key in outcomes)


def test_nothing_is_sent_behind_a_job_not_brief(tmp_path: Path, monkeypatch) -> None:
    from multiprocessing.connection import Connection

    sent: list[int] = []
    send_bytes = Connection.send_bytes
    monkeypatch.setattr(Connection, "send_bytes", lambda self, *a: sent.append(1) or send_bytes(self, *a))
    jobs = [(str(i), ("ok", tmp_path / str(i))) for i in range(6)]
    assert len(list(run_isolated(jobs, _work, LIMITS, workers=2, brief=lambda job: False))) == 6
    assert not sent
    assert len(list(run_isolated(jobs, _work, LIMITS, workers=2, brief=lambda job: True))) == 6
    assert sent
