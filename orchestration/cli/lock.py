"""One writer per warehouse: a refresh holds `<warehouse>/refresh.lock` (an flock, with the holder's pid written
in it) from start to end. The kernel releases it when the holder dies, even by `kill -9`, so a crashed refresh
never leaves the warehouse locked."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = "refresh.lock"
#: How long a refresh waits for the lock: a refresh killed a moment ago releases it as its workers exit.
GRACE_SECONDS = 5.0


class WarehouseBusy(RuntimeError):
    """Another refresh holds the warehouse; the message is one line for the user."""


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(path.read_text().split()[0])
        return f"pid {pid}"
    return "pid unknown"


@contextlib.contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = GRACE_SECONDS) -> Iterator[Path]:
    """Hold the warehouse's refresh lock for the `with` block. Raises WarehouseBusy when another process holds it,
    OSError when the warehouse folder cannot be created or written (read-only, full)."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another refresh holds this warehouse ({_holder(path)}, lock file {path}): "
                        "wait for it to finish, then run again"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(descriptor)  # releases the lock; the file stays (removing it would race the next holder)
