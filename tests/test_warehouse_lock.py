"""One writer per warehouse: the lock file names its holder, is free once the holder dies, and a warehouse that
cannot be written ends a refresh in one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli.lock import WarehouseBusy, warehouse_lock
from tests.conftest import GONGKAI, REPO

HOLDER = "import sys, time; from pathlib import Path; from orchestration.cli.lock import warehouse_lock\n" \
         "with warehouse_lock(Path(sys.argv[1])):\n    print(flush=True); time.sleep(300)"


def test_a_held_warehouse_is_refused_with_the_holders_pid_and_freed_by_its_death(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, cwd=REPO)
    try:
        holder.stdout.readline()
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match=rf"another refresh holds this warehouse \(pid {holder.pid}, "), \
                warehouse_lock(tmp_path, wait_seconds=0.5):
            pass
        assert time.monotonic() - started < 5
        holder.kill()  # kill -9: the kernel releases the lock
        holder.wait(10)
        with warehouse_lock(tmp_path, wait_seconds=5) as lock:
            assert lock.read_text().strip() != str(holder.pid)
    finally:
        holder.kill()


def test_a_warehouse_that_cannot_be_written_ends_in_one_line(tmp_path: Path) -> None:
    inbox, not_a_folder = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    not_a_folder.write_text("a file where the warehouse folder should be")
    completed = subprocess.run([str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(not_a_folder)],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert completed.stderr.strip().count("\n") == 0 and "refresh failed:" in completed.stderr
    assert "Traceback" not in completed.stderr
