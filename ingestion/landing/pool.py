"""Read each document in a worker process with a memory cap and a time limit.

A decompression bomb, a PDF that makes pdfminer loop, or a parser crash costs only that document: the
worker is killed (time) or fails fast with MemoryError (RLIMIT_AS), and the document comes back
quarantined with the reason. Workers are forked, so they start with the parent's imports, and up to
`workers` run at once.

A worker reads one document after another (forking a large parent for every document cost more than
reading a text report) and is replaced when it crashes, is killed, runs out of memory, has grown by
`RECYCLE_GROWTH_BYTES`, or has read `RECYCLE_AFTER` documents. A document that fails in a worker that
had already read others is read once more in a fresh worker, so only a document that fails on its own is
quarantined.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ingestion.extract import parse_file, quarantined_result
from ingestion.limits import ReadLimits
from ingestion.results import ParseResult

Task = tuple[str, Path, str, int, str]  # key, path, sha256, size, detected format
RECYCLE_AFTER = 100  # documents per worker process
RECYCLE_GROWTH_BYTES = 256 * 1024**2  # resident memory a worker may gain before it is replaced


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(connection: Connection, limits: ReadLimits) -> None:
    """Read the paths the parent sends, one at a time; answer (result, keep going) for each."""
    faulthandler.disable()  # a native crash is reported by the parent as a reason, not as a stack dump
    try:
        import resource

        # The cap is on growth: a worker forked from a large parent (the Dagster webserver's code server
        # maps gigabytes of address space) starts with the parent's mappings already counted.
        cap = _address_space_bytes() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):  # not every platform has it
        pass
    started_resident = _resident_bytes()
    done = 0
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            break
        if path is None:
            break
        out_of_memory = False
        try:
            result: ParseResult | None = parse_file(path, limits)
        except MemoryError:
            result, out_of_memory = None, True
        done += 1
        keep_going = (
            not out_of_memory
            and done < RECYCLE_AFTER
            and _resident_bytes() - started_resident < RECYCLE_GROWTH_BYTES
            and not (result is not None and "memory limit" in (result.document.reason or ""))
        )
        try:
            connection.send((result, keep_going))
        except Exception:  # e.g. MemoryError while pickling: the parent sees the worker end and reports it
            break
        if not keep_going:
            break
    connection.close()


def _address_space_bytes() -> int:
    """This process's virtual memory size (what RLIMIT_AS counts)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _preload() -> None:
    """Import the readers and native libraries once in the parent, so every forked worker starts with
    them loaded (and never has to map a shared library under its memory cap)."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from ingestion.readers import docx, html, pdf, text  # noqa: F401
    from ingestion.templates.labels import normalise_text

    normalise_text("預熱")  # loads opencc's native library and its dictionary


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    task: Task | None = None
    started: float = 0.0
    done: int = 0  # documents this worker finished before its current one


def read_isolated(
    tasks: list[Task],
    limits: ReadLimits,
    workers: int | None = None,
    on_done: Callable[[str, ParseResult], None] | None = None,
) -> Iterator[tuple[str, ParseResult]]:
    """Yield (key, ParseResult) for every task; never raises for a bad document."""
    if not tasks:
        return
    _preload()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    size = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    pending = list(reversed(tasks))
    retried: set[str] = set()  # keys already given a second chance in a fresh worker
    pool: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(target=_child, args=(child_end, limits), daemon=True)
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

    def finish(task: Task, result: ParseResult) -> tuple[str, ParseResult]:
        if on_done is not None:
            on_done(task[0], result)
        return task[0], result

    try:
        while pending or any(w.task is not None for w in pool):
            for worker in [w for w in pool if w.task is None]:
                if not pending:
                    stop(worker)
            while pending:
                idle = next((w for w in pool if w.task is None), None)
                if pending[-1][0] in retried and idle is not None and idle.done > 0:
                    stop(idle)  # a second chance is taken in a fresh worker
                    idle = None
                if idle is None and len(pool) >= size:
                    break
                worker = idle or start()
                task = pending.pop()
                try:
                    worker.connection.send(task[1])
                except OSError:  # the idle worker died: put the task back, replace the worker
                    pending.append(task)
                    stop(worker, kill=True)
                    continue
                worker.task, worker.started = task, time.monotonic()
            busy = [w for w in pool if w.task is not None]
            ready = wait([w.connection for w in busy], timeout=0.2)
            now = time.monotonic()
            for worker in busy:
                task = worker.task
                assert task is not None
                result: ParseResult | None = None
                keep_going = False
                if worker.connection in ready:
                    try:
                        result, keep_going = worker.connection.recv()
                        reason = f"over the memory limit ({limits.memory_bytes // 1024**2} MB) while reading"
                    except (EOFError, OSError):
                        worker.process.join(1)
                        reason = _crash_reason(worker.process.exitcode)
                elif now - worker.started > limits.timeout_seconds:
                    reason = f"timed out after {limits.timeout_seconds:g} s (a damaged or hostile file?)"
                    stop(worker, kill=True)
                    _, _, sha256, size_bytes, fmt = task
                    yield finish(task, quarantined_result(sha256, size_bytes, fmt, reason))
                    continue
                else:
                    continue
                worker.task = None
                worker.done += 1
                if not keep_going:
                    stop(worker, kill=result is None)
                failed = result is None or "memory limit" in (result.document.reason or "")
                if failed and worker.done > 1 and task[0] not in retried:
                    retried.add(task[0])  # earlier documents may have used the memory: a fresh worker decides
                    pending.append(task)
                    continue
                if result is None:
                    _, _, sha256, size_bytes, fmt = task
                    result = quarantined_result(sha256, size_bytes, fmt, reason)
                yield finish(task, result)
    finally:
        for worker in list(pool):
            stop(worker, kill=worker.task is not None)


def _crash_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        if name in {"SIGABRT", "SIGKILL", "SIGSEGV", "SIGBUS"}:
            return f"reader crashed ({name}: a native library failed, most often out of memory)"
        return f"reader crashed ({name})"
    return f"reader crashed (exit code {exitcode})"
