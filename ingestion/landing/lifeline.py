"""A child process that dies with its parent: a refresh killed with `kill -9` leaves no parser worker or dbt
process behind, waiting forever or writing into the warehouse the next refresh uses."""

from __future__ import annotations

import contextlib
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux's PR_SET_PDEATHSIG, through libc; a no-op
    where there is none), and exit at once if the parent is already gone (`parent_pid`: the parent's pid as the
    parent knew it, when it may have died before this call)."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)
