"""A pool of worker processes with a memory cap and a time limit: one bad input costs only itself.

A decompression bomb, a PDF that makes pdfminer loop, or a crash in a native library ends one worker: the job
comes back failed with the reason (crashed, timed out, out of memory), and the other jobs go on. Workers are
forked, so they start with the parent's imports, and up to `workers` run at once.

A worker runs one job after another (forking a large parent for every job cost more than reading a text report)
and is replaced when it fails, has grown by `RECYCLE_GROWTH_BYTES`, or has run `RECYCLE_AFTER` jobs. A job that
fails in a worker that had already run others is run once more in a fresh worker, so only a job that fails on
its own is reported as failed. The pool knows nothing of what the jobs do: it takes a callable. Behind a job its
caller calls brief, the worker is sent its next job at once: a job sent so but never started (its worker failed
or was replaced first) goes to another worker, and costs nothing.

A passing fault is retried, not remembered: a worker killed by a signal from outside (the OOM killer, an
operator), a job that timed out while others ran, and a job whose work raised `Transient` (its input changed
under it) are run again, alone, in a fresh worker, up to `TRANSIENT_RETRIES` times. A timeout when alone is the
job's own; a job still killed or still `Transient` comes back with `final=False`: the caller must not record it
as the job's result. Workers die with the process that started them (`lifeline.die_with_parent`), and close the
pipe ends they inherit, so that a killed refresh leaves none waiting.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

from ingestion.landing.lifeline import die_with_parent

# Jobs per worker process. Forking a large parent costs both sides ≈ 35 ms of CPU (its page tables, then the pages
# the worker writes to): at 100 jobs ≈ 0.35 ms a job, 5% of reading a text report. Growth is bounded apart.
RECYCLE_AFTER = 500
RECYCLE_GROWTH_BYTES = 256 * 1024**2  # resident memory a worker may gain before it is replaced
#: A job is sent behind a worker's current one when it pickles to at most this (a pipe holds it without blocking
#: the parent, on every platform: 8 KB is the smallest socket buffer).
_QUEUED_BYTES = 4096
TRANSIENT_RETRIES = 2  # runs of a job after a fault that may pass (killed from outside, timed out under load)
#: Signals a worker gets from outside (the OOM killer sends SIGKILL): the job is not to blame. A reader that
#: crashes by itself dies of SIGSEGV, SIGBUS or SIGABRT.
_FROM_OUTSIDE = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}

P = TypeVar("P")  # what a job carries to its worker
R = TypeVar("R")  # what the work returns


class Failure(StrEnum):
    CRASHED = "crashed"
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"
    KILLED = "killed"  # by a signal from outside: may pass
    TRANSIENT = "transient"  # the work raised Transient: may pass


class Transient(Exception):
    """Raised by a job's work for a failure that may pass (its input changed while it was read); the message is
    the one-line reason. The job is run again; if it keeps failing so, its outcome is not final."""


@dataclass(frozen=True)
class Outcome(Generic[R]):
    key: str
    value: R | None  # the work's return value; None when it failed
    failure: Failure | None = None
    reason: str | None = None  # one line, when it failed
    final: bool = True  # False: a fault that may pass (retries used up); not the job's result to record


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


def _child(
    connection: Connection, work: Callable[[Any], Any], limits: PoolLimits, inherited: Sequence[Connection],
    parent_pid: int,
) -> None:
    """Run the jobs the parent sends, one at a time; answer (value, out of memory, keep going, when it answered)
    for each (the value is the Transient the work raised, when it raised one)."""
    for end in inherited:  # the parent's ends of this and other workers' pipes: held here, no EOF would come
        end.close()
    die_with_parent(parent_pid)
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
        except Transient as error:
            value = error
        done += 1
        keep_going = (  # after a Transient too the parent replaces this worker: it must not start a job sent behind
            not out_of_memory and not isinstance(value, Transient) and done < RECYCLE_AFTER
            and _statm(1) - started_resident < RECYCLE_GROWTH_BYTES
        )
        try:
            connection.send((value, out_of_memory, keep_going, time.monotonic()))
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
    queued: tuple[str, Any] | None = None  # sent behind `job`: the worker starts it when it answers for `job`
    started: float = 0.0
    done: int = 0  # jobs this worker finished before its current one
    alone: bool = False  # the current job runs with no other job of the pool beside it
    extra: float = 0.0  # seconds granted to the current job beyond the time limit


def run_isolated(
    jobs: Sequence[tuple[str, P]],
    work: Callable[[P], R],
    limits: PoolLimits,
    workers: int | None = None,
    preload: Callable[[], None] | None = None,
    brief: Callable[[P], bool] | None = None,
) -> Iterator[Outcome[R]]:
    """Run `work(payload)` for every (key, payload) job in worker processes; yield one Outcome per job, in the
    order they finish. Never raises for a failing job. `preload` runs once in the parent before the first fork
    (imports every worker should start with).

    `brief(payload)`: whether a job surely takes little time. Behind a brief job its worker is sent the next job
    at once, and goes on to it without waiting for the parent to take its answer (else, with every core busy, it
    waits for the parent to be scheduled). Never behind a job not known to be brief: held up behind a long one, it
    would wait while the other workers run out of work."""
    if not jobs:
        return
    if preload is not None:
        preload()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    size = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    pending = list(reversed(jobs))
    later: list[tuple[str, Any]] = []  # jobs to run again, alone, after a fault that may pass
    retried: set[str] = set()  # keys already given a second chance in a fresh worker
    faults: dict[str, int] = {}  # key → faults that may pass so far
    pool: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = context.Pipe(duplex=True)
        inherited = [w.connection for w in pool] + [parent_end]
        process = context.Process(target=_child, args=(child_end, work, limits, inherited, os.getpid()),
                                  daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        pool.append(worker)
        return worker

    def stop(worker: _Worker, kill: bool = False) -> None:
        pool.remove(worker)
        if worker.queued is not None:  # never started: it goes to another worker
            pending.append(worker.queued)
            worker.queued = None
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

    def give(worker: _Worker, job: tuple[str, Any], alone: bool = False) -> bool:
        try:
            worker.connection.send(job[1])
        except OSError:  # the idle worker died: replace it
            stop(worker, kill=True)
            return False
        worker.job, worker.started, worker.alone, worker.extra = job, time.monotonic(), alone, 0.0
        return True

    def queue(worker: _Worker) -> None:
        """Send the next job behind the worker's current brief one; only a small one (the pipe takes it without
        blocking the parent) that needs no fresh worker."""
        if brief is None or worker.job is None or not brief(worker.job[1]) or pending[-1][0] in retried:
            return
        payload = ForkingPickler.dumps(pending[-1][1])
        if len(payload) > _QUEUED_BYTES:
            return
        try:
            worker.connection.send_bytes(payload)
        except OSError:  # the worker died: its current job's outcome tells how
            return
        worker.queued = pending.pop()

    def assign() -> None:
        while pending:
            idle = next((w for w in pool if w.job is None), None)
            if pending[-1][0] in retried and idle is not None and idle.done > 0:
                stop(idle)  # a second chance is taken in a fresh worker
                idle = None
            if idle is None and len(pool) >= size:
                break
            job = pending.pop()
            if not give(idle or start(), job, alone=size == 1):
                pending.append(job)
        for worker in pool:  # every worker busy: each gets its next job now (not behind a job that runs alone)
            if pending and worker.job is not None and worker.queued is None and (size == 1 or not worker.alone):
                queue(worker)
        if later and not any(w.job is not None for w in pool):  # a fault that may pass: again, alone, fresh
            for idle in list(pool):
                stop(idle)
            job = later.pop(0)
            if not give(start(), job, alone=True):
                later.insert(0, job)

    def settle(job: tuple[str, Any], failure: Failure, reason: str, alone: bool, done: int) -> Outcome | None:
        """The outcome of a failed run of `job`, or None when it is run again."""
        key = job[0]
        passing = failure in (Failure.KILLED, Failure.TRANSIENT) or (failure is Failure.TIMED_OUT and not alone)
        if passing:
            faults[key] = faults.get(key, 0) + 1
            if faults[key] <= TRANSIENT_RETRIES:
                later.append(job)
                return None
            return Outcome(key, None, failure, reason, final=failure is Failure.TIMED_OUT)
        if done > 1 and key not in retried:
            retried.add(key)  # earlier jobs may have used the memory: a fresh worker decides
            pending.append(job)
            return None
        return Outcome(key, None, failure, reason)

    # Workers are forked: the objects the parent has now are frozen out of the cyclic collector while the pool
    # runs, so that a worker's collections do not walk (and copy) the pages it shares with the parent, and the
    # parent's, made frequent by thousands of results coming in, do not walk its whole heap each time.
    gc.freeze()
    try:
        while pending or later or any(w.job is not None for w in pool):
            for worker in [w for w in pool if w.job is None and not pending and not later]:
                stop(worker)
            assign()
            busy = [w for w in pool if w.job is not None]
            ready = wait([w.connection for w in busy], timeout=0.2)
            now = time.monotonic()
            for worker in busy:
                job = worker.job
                if worker.connection not in ready:
                    allowed = limits.timeout_seconds + worker.extra
                    if now - worker.started > allowed:
                        stop(worker, kill=True)
                        worker.job = None
                        reason = f"timed out after {allowed:g} s (a damaged or hostile file?)"
                        if (outcome := settle(job, Failure.TIMED_OUT, reason, worker.alone, 1)) is not None:
                            yield outcome
                    continue
                try:
                    message = worker.connection.recv()
                except (EOFError, OSError):
                    message = None
                if isinstance(message, tuple) and len(message) == 2 and message[0] == "more_time":
                    worker.extra = min(float(message[1]), limits.max_extra_seconds)  # the job goes on
                    continue
                worker.job, worker.done = None, worker.done + 1
                if message is not None:
                    value, out_of_memory, keep_going, answered = message
                    failure = Failure.OUT_OF_MEMORY if out_of_memory else None
                else:
                    worker.process.join(1)
                    value, failure, keep_going = None, Failure.CRASHED, False
                if failure is Failure.CRASHED and _signal_of(worker.process.exitcode) in _FROM_OUTSIDE:
                    failure = Failure.KILLED
                transient = value if isinstance(value, Transient) else None
                if transient is not None:
                    value, failure = None, Failure.TRANSIENT
                if not keep_going or failure is not None:
                    stop(worker, kill=failure is not None)
                elif worker.queued is not None:  # the worker went on to it when it answered
                    worker.job, worker.queued = worker.queued, None
                    worker.started, worker.alone, worker.extra = answered, size == 1, 0.0
                if failure is None:
                    yield Outcome(job[0], value)
                    continue
                if failure is Failure.OUT_OF_MEMORY:
                    reason = f"over the memory limit ({limits.memory_bytes // 1024**2} MB) while reading"
                elif failure is Failure.TRANSIENT:
                    reason = " ".join(str(transient).split())
                else:
                    reason = _crash_reason(worker.process.exitcode)
                if (outcome := settle(job, failure, reason, worker.alone, worker.done)) is not None:
                    yield outcome
    finally:
        for worker in list(pool):
            stop(worker, kill=worker.job is not None)
        gc.unfreeze()


def _signal_of(exitcode: int | None) -> signal.Signals | None:
    if exitcode is not None and exitcode < 0 and -exitcode in signal.valid_signals():
        return signal.Signals(-exitcode)
    return None


def _crash_reason(exitcode: int | None) -> str:
    name = _signal_of(exitcode)
    if name in _FROM_OUTSIDE:
        return f"reader killed by {name.name} from outside (the OOM killer, or an operator)"
    if name in {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS}:
        return f"reader crashed ({name.name}: a native library failed, most often out of memory)"
    if name is not None:
        return f"reader crashed ({name.name})"
    if exitcode is not None and exitcode < 0:
        return f"reader crashed (signal {-exitcode})"
    return f"reader crashed (exit code {exitcode})"
