"""A pool of worker processes with a memory cap and a time limit: one bad input costs only itself.

A decompression bomb, a PDF that makes pdfminer loop, or a crash in a native library ends one worker: the job
comes back failed with the reason (crashed, timed out, out of memory), and the other jobs go on. Workers are
forked, so they start with the parent's imports, and up to `workers` run at once.

A worker runs one job after another (forking a large parent for every job cost more than reading a text report)
and is replaced when it fails, has grown by `RECYCLE_GROWTH_BYTES`, or has run `RECYCLE_AFTER` jobs. A job that
fails in a worker that had already run others is run once more in a fresh worker, so only a job that fails on
its own is reported as failed. The pool knows nothing of what the jobs do: it takes a callable.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

RECYCLE_AFTER = 100  # jobs per worker process
RECYCLE_GROWTH_BYTES = 256 * 1024**2  # resident memory a worker may gain before it is replaced

P = TypeVar("P")  # what a job carries to its worker
R = TypeVar("R")  # what the work returns


class Failure(StrEnum):
    CRASHED = "crashed"
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"


@dataclass(frozen=True)
class Outcome(Generic[R]):
    key: str
    value: R | None  # the work's return value; None when it failed
    failure: Failure | None = None
    reason: str | None = None  # one line, when it failed


@dataclass(frozen=True)
class PoolLimits:
    timeout_seconds: float  # per job, enforced by killing its worker
    memory_bytes: int  # address space a worker may add to what it was forked with (RLIMIT_AS)
    max_extra_seconds: float = 0.0  # time a job may ask for beyond timeout_seconds (request_more_time)


_ask_for_time: Callable[[float], None] | None = None  # set in a worker: a message to its parent


def request_more_time(seconds: float) -> None:
    """Inside a worker: ask the parent for `seconds` beyond the job's time limit, granted up to
    `PoolLimits.max_extra_seconds` (a reader that knows its input needs long, bounded work: OCR pages). A no-op
    outside a worker."""
    if _ask_for_time is not None:
        _ask_for_time(seconds)


def _statm(field_index: int) -> int:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[field_index]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(connection: Connection, work: Callable[[Any], Any], limits: PoolLimits) -> None:
    """Run the jobs the parent sends, one at a time; answer (value, out of memory, keep going) for each."""
    faulthandler.disable()  # a native crash is reported by the parent as a reason, not as a stack dump
    with contextlib.suppress(ImportError, ValueError, OSError):  # not every platform has it
        import resource

        # The cap is on growth: a worker forked from a large parent (the Dagster webserver's code server
        # maps gigabytes of address space) starts with the parent's mappings already counted.
        cap = _statm(0) + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    started_resident = _statm(1)
    done = 0
    global _ask_for_time

    def ask(seconds: float) -> None:
        with contextlib.suppress(Exception):
            connection.send(("more_time", float(seconds)))

    _ask_for_time = ask
    while True:
        try:
            payload = connection.recv()
        except (EOFError, OSError):
            break
        if payload is None:
            break
        value, out_of_memory = None, False
        try:
            value = work(payload)
        except MemoryError:
            out_of_memory = True
        done += 1
        keep_going = (
            not out_of_memory and done < RECYCLE_AFTER and _statm(1) - started_resident < RECYCLE_GROWTH_BYTES
        )
        try:
            connection.send((value, out_of_memory, keep_going))
        except Exception:  # e.g. MemoryError while pickling: the parent sees the worker end and reports it
            break
        if not keep_going:
            break
    connection.close()


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    job: tuple[str, Any] | None = None
    started: float = 0.0
    done: int = 0  # jobs this worker finished before its current one
    extra: float = 0.0  # seconds granted to the current job beyond the time limit


def run_isolated(
    jobs: Sequence[tuple[str, P]],
    work: Callable[[P], R],
    limits: PoolLimits,
    workers: int | None = None,
    preload: Callable[[], None] | None = None,
) -> Iterator[Outcome[R]]:
    """Run `work(payload)` for every (key, payload) job in worker processes; yield one Outcome per job, in the
    order they finish. Never raises for a failing job. `preload` runs once in the parent before the first fork
    (imports every worker should start with)."""
    if not jobs:
        return
    if preload is not None:
        preload()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    size = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    pending = list(reversed(jobs))
    retried: set[str] = set()  # keys already given a second chance in a fresh worker
    pool: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(target=_child, args=(child_end, work, limits), daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        pool.append(worker)
        return worker

    def stop(worker: _Worker, kill: bool = False) -> None:
        pool.remove(worker)
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                worker.connection.send(None)
        worker.connection.close()
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(1)

    def assign() -> None:
        while pending:
            idle = next((w for w in pool if w.job is None), None)
            if pending[-1][0] in retried and idle is not None and idle.done > 0:
                stop(idle)  # a second chance is taken in a fresh worker
                idle = None
            if idle is None and len(pool) >= size:
                return
            worker = idle or start()
            job = pending.pop()
            try:
                worker.connection.send(job[1])
            except OSError:  # the idle worker died: put the job back, replace the worker
                pending.append(job)
                stop(worker, kill=True)
                continue
            worker.job, worker.started, worker.extra = job, time.monotonic(), 0.0

    try:
        while pending or any(w.job is not None for w in pool):
            for worker in [w for w in pool if w.job is None and not pending]:
                stop(worker)
            assign()
            busy = [w for w in pool if w.job is not None]
            ready = wait([w.connection for w in busy], timeout=0.2)
            now = time.monotonic()
            for worker in busy:
                key = worker.job[0]
                if worker.connection not in ready:
                    allowed = limits.timeout_seconds + worker.extra
                    if now - worker.started > allowed:
                        stop(worker, kill=True)
                        reason = f"timed out after {allowed:g} s (a damaged or hostile file?)"
                        yield Outcome(key, None, Failure.TIMED_OUT, reason)
                    continue
                try:
                    message = worker.connection.recv()
                except (EOFError, OSError):
                    message = None
                if isinstance(message, tuple) and len(message) == 2 and message[0] == "more_time":
                    worker.extra = min(float(message[1]), limits.max_extra_seconds)  # the job goes on
                    continue
                job = worker.job
                worker.job, worker.done = None, worker.done + 1
                if message is not None:
                    value, out_of_memory, keep_going = message
                    failure = Failure.OUT_OF_MEMORY if out_of_memory else None
                else:
                    worker.process.join(1)
                    value, failure, keep_going = None, Failure.CRASHED, False
                if not keep_going:
                    stop(worker, kill=failure is not None)
                if failure is not None and worker.done > 1 and key not in retried:
                    retried.add(key)  # earlier jobs may have used the memory: a fresh worker decides
                    pending.append(job)
                    continue
                if failure is None:
                    yield Outcome(key, value)
                elif failure is Failure.OUT_OF_MEMORY:
                    reason = f"over the memory limit ({limits.memory_bytes // 1024**2} MB) while reading"
                    yield Outcome(key, None, failure, reason)
                else:
                    yield Outcome(key, None, failure, _crash_reason(worker.process.exitcode))
    finally:
        for worker in list(pool):
            stop(worker, kill=worker.job is not None)


def _crash_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        if name in {"SIGABRT", "SIGKILL", "SIGSEGV", "SIGBUS"}:
            return f"reader crashed ({name}: a native library failed, most often out of memory)"
        return f"reader crashed ({name})"
    return f"reader crashed (exit code {exitcode})"
