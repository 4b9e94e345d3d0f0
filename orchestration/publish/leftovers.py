"""Temporary serving files a killed publisher left: each publisher writes `.serving.duckdb.<pid>.tmp`, so one whose
process is gone can be told from one still being written."""

from __future__ import annotations

import glob
import os
from pathlib import Path


def sweep_leftovers(serving_database: Path) -> None:
    """Remove the temporary serving files of publishers no longer running, and this process's own."""
    for leftover in serving_database.parent.glob(f".{glob.escape(serving_database.name)}.*.tmp"):
        pid = leftover.name.split(".")[-2]
        if pid == str(os.getpid()) or not _alive(pid):
            leftover.unlink(missing_ok=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
