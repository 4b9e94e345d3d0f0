"""Read each document in its own worker process with a memory cap and a time limit.

A decompression bomb, a PDF that makes pdfminer loop, or a parser crash costs only that document: the
worker is killed (time) or fails fast with MemoryError (RLIMIT_AS), and the document comes back
quarantined with the reason. Workers are forked, so they start in milliseconds with the parent's
imports, and up to `workers` run at once.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ingestion.limits import ReadLimits
from ingestion.model import ParseResult
from ingestion.parse import parse_file, quarantined_result

Task = tuple[str, Path, str, int, str]  # key, path, sha256, size, detected format


def _child(connection: Connection, path: Path, limits: ReadLimits) -> None:
    faulthandler.disable()  # a native crash is reported by the parent as a reason, not as a stack dump
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    except (ImportError, ValueError, OSError):  # not every platform has it
        pass
    try:
        result = parse_file(path, limits)
    except MemoryError:
        result = None
    with contextlib.suppress(Exception):  # e.g. MemoryError while pickling: the parent reports it
        connection.send(result)
    connection.close()


def _preload() -> None:
    """Import the readers once in the parent so every forked worker starts with them loaded."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from ingestion.readers import docx, html, pdf, text  # noqa: F401


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
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    pending = list(reversed(tasks))
    running: dict[Connection, tuple[Task, multiprocessing.Process, float]] = {}

    def finish(task: Task, result: ParseResult) -> tuple[str, ParseResult]:
        if on_done is not None:
            on_done(task[0], result)
        return task[0], result

    while pending or running:
        while pending and len(running) < workers:
            task = pending.pop()
            parent_end, child_end = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(child_end, task[1], limits), daemon=True)
            process.start()
            child_end.close()
            running[parent_end] = (task, process, time.monotonic())
        ready = wait(list(running), timeout=0.2)
        now = time.monotonic()
        for connection in list(running):
            task, process, started = running[connection]
            result: ParseResult | None = None
            if connection in ready:
                try:
                    result = connection.recv()
                    reason = f"over the memory limit ({limits.memory_bytes // 1024**2} MB) while reading"
                except (EOFError, OSError):
                    process.join(1)
                    reason = f"reader crashed (exit code {process.exitcode})"
            elif now - started > limits.timeout_seconds:
                process.kill()
                reason = f"timed out after {limits.timeout_seconds:g} s (a damaged or hostile file?)"
            else:
                continue
            del running[connection]
            connection.close()
            process.join(5)
            if process.is_alive():
                process.kill()
            if result is None:
                _, _, sha256, size, fmt = task
                result = quarantined_result(sha256, size, fmt, reason)
            yield finish(task, result)
